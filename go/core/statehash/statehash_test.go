package statehash

import (
	"hash/fnv"
	"math"
	"testing"
)

func TestMatchesStdlibFNV(t *testing.T) {
	// The byte stream for String("ab") is len=2 as 8 LE bytes, then 'a','b'.
	ref := fnv.New64a()
	ref.Write([]byte{2, 0, 0, 0, 0, 0, 0, 0, 'a', 'b'})
	h := New()
	h.String("ab")
	if h.Sum() != ref.Sum64() {
		t.Fatalf("Sum = %x, stdlib FNV-1a = %x", h.Sum(), ref.Sum64())
	}
}

func TestEncodings(t *testing.T) {
	tests := []struct {
		name  string
		write func(*Hasher)
		bytes []byte
	}{
		{"uint64", func(h *Hasher) { h.Uint64(0x0102030405060708) }, []byte{8, 7, 6, 5, 4, 3, 2, 1}},
		{"int -1", func(h *Hasher) { h.Int(-1) }, []byte{255, 255, 255, 255, 255, 255, 255, 255}},
		{"float 1", func(h *Hasher) { h.Float64(1) }, []byte{0, 0, 0, 0, 0, 0, 0xf0, 0x3f}},
		{"bool", func(h *Hasher) { h.Bool(true); h.Bool(false) }, []byte{1, 0}},
	}
	for _, tt := range tests {
		ref := fnv.New64a()
		ref.Write(tt.bytes)
		h := New()
		tt.write(&h)
		if h.Sum() != ref.Sum64() {
			t.Errorf("%s: Sum = %x, want %x", tt.name, h.Sum(), ref.Sum64())
		}
	}
}

func TestSignedZeroDiffers(t *testing.T) {
	a, b := New(), New()
	a.Float64(0)
	b.Float64(math.Copysign(0, -1))
	if a.Sum() == b.Sum() {
		t.Fatal("+0 and -0 must hash differently: they are different states")
	}
}

func TestHex(t *testing.T) {
	if got := Hex(0xabc); got != "0000000000000abc" {
		t.Fatalf("Hex = %q", got)
	}
}

func ExampleHasher() {
	h := New()
	h.String("ship-1")
	h.Float64(12.5)
	_ = Hex(h.Sum()) // 16 hex digits, identical on every platform
}
