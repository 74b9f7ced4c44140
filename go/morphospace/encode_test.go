package morphospace

import (
	"errors"
	"testing"
)

func TestMarshalRoundTrip(t *testing.T) {
	cfg := Config{SizeX: 4000, SizeY: 4000, Depth: 200, Bands: 4, MaxLevel: 7}
	s, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	noise, _ := s.Field(Noise)
	smoke, _ := s.Field(Smoke)
	_ = s.Stamp(noise, Stamp{Shape: SphereShape(Vec3{1000, 1500, 20}, 400), Value: 120, Blend: Max, Falloff: Falloff{Kind: Smooth}})
	_ = s.Stamp(smoke, Stamp{Shape: CapsuleShape(Vec3{100, 100, 10}, Vec3{3000, 2000, 10}, 150), Value: 0.8, Blend: Set})
	_ = s.Step(1)
	data, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	c, _ := New(cfg, nil)
	if err := c.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if c.Hash() != s.Hash() || c.Leaves(noise) != s.Leaves(noise) {
		t.Fatalf("decoded space differs: hash %x vs %x", c.Hash(), s.Hash())
	}
	if a, b := c.Volume(noise, s.Bounds(), Budget{}), s.Volume(noise, s.Bounds(), Budget{}); a != b {
		t.Fatalf("volume mean %v vs %v", a, b)
	}
	_ = s.Step(1)
	_ = c.Step(1)
	if c.Hash() != s.Hash() {
		t.Fatal("decoded space evolves differently")
	}
	for _, bad := range [][]byte{nil, []byte("MSP1"), data[:len(data)-3], append(append([]byte(nil), data...), 0)} {
		before := c.Hash()
		if err := c.UnmarshalBinary(bad); !errors.Is(err, ErrInvalidArgument) {
			t.Fatalf("decode of %d bytes: %v", len(bad), err)
		}
		if c.Hash() != before {
			t.Fatal("failed decode changed the space")
		}
	}
}
