package statehash

import (
	"math"
	"testing"
)

// Golden sums, computed by an independent Python implementation of the
// documented algorithm (arbitrary-precision integers masked to 64 bits).
func TestGolden(t *testing.T) {
	tests := []struct {
		name  string
		write func(*Hasher)
		want  uint64
	}{
		{"empty", func(h *Hasher) {}, 0xf52a15e9a9b5e89b},
		{"uint64", func(h *Hasher) { h.Uint64(0x0102030405060708) }, 0xf17c89c7ad6acb68},
		{"string ab", func(h *Hasher) { h.String("ab") }, 0xcadd125c62f76d10},
		{"float 1", func(h *Hasher) { h.Float64(1) }, 0x2ea5818fac93304f},
		{"bools", func(h *Hasher) { h.Bool(true); h.Bool(false) }, 0xb12e84d0f3a38d86},
		{"string over two words", func(h *Hasher) { h.String("ship-12345") }, 0x9d8789529d770c86},
	}
	for _, tt := range tests {
		h := New()
		tt.write(&h)
		if got := h.Sum(); got != tt.want {
			t.Errorf("%s: Sum = %#x, want %#x", tt.name, got, tt.want)
		}
	}
}

func TestEncodingsAgree(t *testing.T) {
	a, b := New(), New()
	a.Int(-1)
	b.Uint64(math.MaxUint64)
	if a.Sum() != b.Sum() {
		t.Error("Int(-1) must hash as the word 0xffffffffffffffff")
	}
	c, d := New(), New()
	c.Bool(true)
	d.Uint64(1)
	if c.Sum() != d.Sum() {
		t.Error("Bool(true) must hash as the word 1")
	}
}

func TestOrderAndContentMatter(t *testing.T) {
	sums := map[uint64]string{}
	for name, write := range map[string]func(*Hasher){
		"1,2":  func(h *Hasher) { h.Uint64(1); h.Uint64(2) },
		"2,1":  func(h *Hasher) { h.Uint64(2); h.Uint64(1) },
		"1":    func(h *Hasher) { h.Uint64(1) },
		"a":    func(h *Hasher) { h.String("a") },
		"a\\0": func(h *Hasher) { h.String("a\x00") },
		"+0":   func(h *Hasher) { h.Float64(0) },
		"-0":   func(h *Hasher) { h.Float64(math.Copysign(0, -1)) },
	} {
		h := New()
		write(&h)
		if other, dup := sums[h.Sum()]; dup {
			t.Errorf("%s and %s hash the same", name, other)
		}
		sums[h.Sum()] = name
	}
}

func TestHex(t *testing.T) {
	if got := Hex(0xabc); got != "0000000000000abc" {
		t.Fatalf("Hex = %q", got)
	}
}

func BenchmarkUint64(b *testing.B) {
	h := New()
	for i := 0; i < b.N; i++ {
		h.Uint64(uint64(i))
	}
	_ = h.Sum()
}

func ExampleHasher() {
	h := New()
	h.String("ship-1")
	h.Float64(12.5)
	_ = Hex(h.Sum()) // 16 hex digits, identical on every platform
}
