package morphospace

import (
	"math"
	"testing"
)

// testSpace returns a 1 km × 1 km × 40 m world with 4 bands and 8 levels
// (cells of 3.90625 m × 3.90625 m × 10 m) holding the built-in fields.
func testSpace(t testing.TB) *Space {
	t.Helper()
	s, err := New(Config{SizeX: 1000, SizeY: 1000, Depth: 40, Bands: 4, MaxLevel: 8}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// mustField returns the ID of a named field.
func mustField(t testing.TB, s *Space, name string) FieldID {
	t.Helper()
	f, err := s.Field(name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// mustStamp applies a stamp or fails the test.
func mustStamp(t testing.TB, s *Space, f FieldID, st Stamp) {
	t.Helper()
	if err := s.Stamp(f, st); err != nil {
		t.Fatal(err)
	}
}

// near reports whether a and b agree within tol.
func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// cellBox returns the finest cell holding p, clamped into the world as At
// clamps.
func cellBox(s *Space, p Vec3) Box {
	c := s.CellSize()
	n := float64(int64(1) << s.Config().MaxLevel)
	x0 := min(max(math.Floor(p.X/c.X), 0), n-1) * c.X
	y0 := min(max(math.Floor(p.Y/c.Y), 0), n-1) * c.Y
	z0 := min(max(math.Floor(p.Z/c.Z), 0), float64(s.Config().Bands-1)) * c.Z
	return Box{Vec3{x0, y0, z0}, Vec3{x0 + c.X, y0 + c.Y, z0 + c.Z}}
}

// cellCover classifies the finest cell holding p against shape sh.
func cellCover(s *Space, sh Shape, p Vec3) int {
	cover, _, _ := sh.classify(cellBox(s, p))
	return cover
}
