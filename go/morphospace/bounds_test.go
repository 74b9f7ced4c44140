package morphospace

import (
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestStampWorkIsBounded stamps a falloff over the whole world at the
// deepest level: every leaf wants to split (4× per level, and the leaves
// merge again behind the stamp), so the leaf budget is what ends it
// (BenchmarkStampWholeWorld times it). A stamp within the budget is the
// same whatever the budget.
func TestStampWorkIsBounded(t *testing.T) {
	whole := func(budget int) *Space {
		s, err := New(Config{SizeX: 10000, SizeY: 10000, Depth: 100, Bands: 1, MaxLevel: MaxLevelLimit, MaxLeaves: budget}, nil)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := s.Field(Noise)
		err = s.Stamp(f, Stamp{Shape: BoxShape(s.Bounds()), Value: 150, Blend: Set, Falloff: Falloff{Kind: Linear}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, budget := range []int{0, 5000} {
		want := budget
		if budget == 0 {
			want = DefaultMaxLeaves
		}
		if got := whole(budget).totalLeaves(); got > want {
			t.Errorf("budget %d: %d leaves after the stamp", budget, got)
		}
	}
	small := func(budget int) uint64 {
		s, _ := New(Config{SizeX: 10000, SizeY: 10000, Depth: 100, Bands: 2, MaxLevel: 10, MaxLeaves: budget}, nil)
		f, _ := s.Field(Noise)
		_ = s.Stamp(f, Stamp{Shape: SphereShape(Vec3{4000, 5000, 30}, 300), Value: 150, Blend: Max, Falloff: Falloff{Kind: Smooth}})
		if s.totalLeaves() > 20000 {
			t.Fatalf("the small stamp made %d leaves", s.totalLeaves())
		}
		return s.Hash()
	}
	if small(0) != small(MaxLeavesLimit) {
		t.Error("a stamp within the budget depends on the budget")
	}
}

func TestConfigBounds(t *testing.T) {
	for _, cfg := range []Config{
		{SizeX: 1, SizeY: 1, Depth: 1, Bands: 1, MaxLevel: MaxLevelLimit + 1},
		{SizeX: 1, SizeY: 1, Depth: 1, Bands: 1, MaxLevel: 4, MaxLeaves: -1},
		{SizeX: 1, SizeY: 1, Depth: 1, Bands: 1, MaxLevel: 4, MaxLeaves: MaxLeavesLimit + 1},
	} {
		if _, err := New(cfg, nil); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("New(%+v) = %v, want ErrInvalidArgument", cfg, err)
		}
	}
}

// TestStepWorkIsBounded: a dt whose sub-steps would take too long is
// refused before anything changes.
func TestStepWorkIsBounded(t *testing.T) {
	s, _ := New(Config{SizeX: 1000, SizeY: 1000, Depth: 100, Bands: 4, MaxLevel: 6}, nil)
	f, _ := s.Field(Noise)
	_ = s.Stamp(f, Stamp{Shape: SphereShape(Vec3{500, 500, 50}, 200), Value: 150, Blend: Set, Falloff: Falloff{Kind: Smooth}})
	before := s.Hash()
	err := s.Step(1e300)
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "take shorter steps") {
		t.Fatalf("Step(1e300) = %v", err)
	}
	if s.Hash() != before {
		t.Fatal("a refused step changed the space")
	}
	if err := s.Step(1); err != nil {
		t.Fatal(err)
	}
	g, _ := NewGrid(64, 64, 4, Vec3{1, 1, 1}, FieldSpec{Name: "x", Min: 0, Max: 1, Diffusion: 1})
	if _, err := g.Step(1e12); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("grid Step(1e12) = %v", err)
	}
	if n := g.SubSteps(math.MaxFloat64); n != math.MaxInt32 {
		t.Fatalf("SubSteps saturates at MaxInt32, got %d", n)
	}
}

func encodedSpace(t testing.TB) (*Space, []byte) {
	t.Helper()
	cfg := Config{SizeX: 4000, SizeY: 4000, Depth: 200, Bands: 4, MaxLevel: 6}
	s, _ := New(cfg, nil)
	noise, _ := s.Field(Noise)
	_ = s.Stamp(noise, Stamp{Shape: SphereShape(Vec3{1000, 1500, 20}, 400), Value: 120, Blend: Max, Falloff: Falloff{Kind: Smooth}})
	data, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return s, data
}

// TestDecodeRejects covers the header, the checksum and the budget.
func TestDecodeRejects(t *testing.T) {
	s, data := encodedSpace(t)
	other := func(cfg Config) *Space {
		o, err := New(cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	cfg := s.Config()
	bigger := cfg
	bigger.SizeX = 4001
	deeper := cfg
	deeper.MaxLevel = 7
	small := cfg
	small.MaxLeaves = 10
	version := append([]byte(nil), data...)
	binary.LittleEndian.PutUint32(version[4:], 1)
	for _, tc := range []struct {
		name string
		into *Space
		data []byte
		want string
	}{
		{"old magic", other(cfg), append([]byte("MSP1"), data[4:]...), "not a MorphoSpace encoding"},
		{"version", other(cfg), version, "encoding version 1"},
		{"geometry", other(bigger), data, "another geometry"},
		{"max level", other(deeper), data, "another geometry"},
		{"truncated", other(cfg), data[:len(data)-1], "payload of"},
		{"checksum", other(cfg), append(append([]byte(nil), data[:len(data)-1]...), data[len(data)-1]^1), "checksum mismatch"},
		{"budget", other(small), data, "leaves, at most"},
	} {
		before := tc.into.Hash()
		err := tc.into.UnmarshalBinary(tc.data)
		if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", tc.name, err, tc.want)
		}
		if tc.into.Hash() != before {
			t.Errorf("%s: a refused decode changed the space", tc.name)
		}
	}
}

// TestDecodeBitFlips flips single bits of an encoding: none decodes.
func TestDecodeBitFlips(t *testing.T) {
	s, data := encodedSpace(t)
	c, _ := New(s.Config(), nil)
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		bad := append([]byte(nil), data...)
		bit := r.IntN(8 * len(bad))
		bad[bit/8] ^= 1 << (bit % 8)
		if err := c.UnmarshalBinary(bad); err == nil {
			t.Fatalf("flipping bit %d decoded", bit)
		}
	}
}

// BenchmarkStampWholeWorld is the stamp that refines everywhere (a falloff
// over the whole world at MaxLevelLimit), ended by the default leaf budget.
func BenchmarkStampWholeWorld(b *testing.B) {
	for b.Loop() {
		s, _ := New(Config{SizeX: 10000, SizeY: 10000, Depth: 100, Bands: 1, MaxLevel: MaxLevelLimit}, nil)
		f, _ := s.Field(Noise)
		if err := s.Stamp(f, Stamp{Shape: BoxShape(s.Bounds()), Value: 150, Blend: Set, Falloff: Falloff{Kind: Linear}}); err != nil {
			b.Fatal(err)
		}
	}
}
