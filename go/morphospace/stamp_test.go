package morphospace

import (
	"errors"
	"math"
	"testing"
)

// blendSpace returns testSpace plus a field "probe" on [-100, 100] with
// default 10 and no propagation.
func blendSpace(t *testing.T) (*Space, FieldID) {
	t.Helper()
	s := testSpace(t)
	f, err := s.AddField(FieldSpec{Name: "probe", Min: -100, Max: 100, Default: 10})
	if err != nil {
		t.Fatal(err)
	}
	return s, f
}

func TestStampShapesAndBlends(t *testing.T) {
	shapes := []struct {
		name    string
		shape   Shape
		in, out []Vec3
	}{
		{"sphere", SphereShape(Vec3{500, 500, 20}, 60),
			[]Vec3{{500, 500, 15}, {460, 480, 25}}, []Vec3{{600, 500, 15}, {500, 570, 15}, {100, 900, 35}}},
		{"box", BoxShape(Box{Vec3{400, 450, 0}, Vec3{600, 550, 20}}),
			[]Vec3{{500, 500, 5}, {410, 540, 15}}, []Vec3{{700, 500, 5}, {500, 500, 35}, {500, 560, 5}}},
		{"capsule", CapsuleShape(Vec3{300, 500, 20}, Vec3{700, 500, 20}, 30),
			[]Vec3{{500, 500, 15}, {310, 495, 25}, {690, 505, 15}}, []Vec3{{500, 600, 15}, {250, 500, 15}, {760, 500, 25}}},
	}
	blends := []struct {
		st   Stamp
		want float64 // for old value 10 and stamp value 4
	}{
		{Stamp{Value: 4, Blend: Set}, 4},
		{Stamp{Value: 4, Blend: Add}, 14},
		{Stamp{Value: 4, Blend: Subtract}, 6},
		{Stamp{Value: 4, Blend: Multiply}, 40},
		{Stamp{Value: 4, Blend: Max}, 10},
		{Stamp{Value: 4, Blend: Min}, 4},
		{Stamp{Value: 4, Blend: Lerp, Alpha: 0.25}, 8.5},
		{Stamp{Value: 40, Blend: Multiply}, 100},   // clamped to Max
		{Stamp{Value: 500, Blend: Subtract}, -100}, // clamped to Min
	}
	for _, sh := range shapes {
		for _, bl := range blends {
			t.Run(sh.name+"/"+bl.st.Blend.String(), func(t *testing.T) {
				s, f := blendSpace(t)
				st := bl.st
				st.Shape = sh.shape
				mustStamp(t, s, f, st)
				for _, p := range sh.in {
					if cellCover(s, sh.shape, p) != inside {
						t.Fatalf("test point %v: its cell is not inside the shape", p)
					}
					if got := s.At(f, p.X, p.Y, p.Z); got != bl.want {
						t.Errorf("At(%v) = %g, want %g", p, got, bl.want)
					}
				}
				for _, p := range sh.out {
					if cellCover(s, sh.shape, p) != outside {
						t.Fatalf("test point %v: its cell is not outside the shape", p)
					}
					if got := s.At(f, p.X, p.Y, p.Z); got != 10 {
						t.Errorf("At(%v) = %g, want the default 10", p, got)
					}
				}
				if full := 1 << (2 * 8) * 4; s.Leaves(f) >= full/4 {
					t.Errorf("Leaves = %d: a local stamp refined a quarter of the %d-cell world", s.Leaves(f), full)
				}
			})
		}
	}
}

func TestStampFalloff(t *testing.T) {
	c := Vec3{500, 500, 15}
	sphere := SphereShape(c, 100)
	tests := []struct {
		name string
		fo   Falloff
		w    func(t float64) float64
	}{
		{"hard", Falloff{}, func(t float64) float64 { return 1 }},
		{"linear", Falloff{Kind: Linear, Inner: 0.5}, func(t float64) float64 { return min(1, (1-t)/0.5) }},
		{"smooth", Falloff{Kind: Smooth, Inner: 0.2}, func(t float64) float64 {
			s := min(1, (1-t)/0.8)
			return s * s * (3 - 2*s)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := blendSpace(t)
			mustStamp(t, s, f, Stamp{Shape: sphere, Value: 90, Blend: Set, Falloff: tt.fo})
			prev := math.Inf(1)
			for _, d := range []float64{0, 20, 45, 55, 70, 85, 95} {
				b := cellBox(s, Vec3{c.X + d, c.Y, c.Z})
				p := b.center()
				want := 10 + tt.w(sphere.t(p))*80
				got := s.At(f, p.X, p.Y, p.Z)
				if !near(got, want, 1e-9) {
					t.Errorf("distance %g: At = %g, want %g", d, got, want)
				}
				if got > prev {
					t.Errorf("distance %g: %g rises above %g nearer the centre", d, got, prev)
				}
				prev = got
			}
		})
	}
}

func TestStampPartialCell(t *testing.T) {
	s, f := blendSpace(t)
	cs := s.CellSize()
	// The box's low x face cuts the finest cells at x ∈ [500, 500+cs.X) in half.
	mustStamp(t, s, f, Stamp{Shape: BoxShape(Box{Vec3{500 + cs.X/2, 400, 0}, Vec3{600, 600, 40}}), Value: 50})
	if got := s.At(f, 501, 500, 5); got != 30 {
		t.Errorf("half-covered cell = %g, want 30", got)
	}
	if got := s.At(f, 499, 500, 5); got != 10 {
		t.Errorf("uncovered neighbour = %g, want 10", got)
	}
}

func TestStampTinyShape(t *testing.T) {
	s, f := blendSpace(t)
	before := s.Total(f)
	sh := SphereShape(Vec3{501, 501, 13}, 0.4) // far below the sample spacing
	mustStamp(t, s, f, Stamp{Shape: sh, Value: 20, Blend: Add})
	gain := s.Total(f) - before
	if want := 20 * sh.volume(); !near(gain, want, 1e-9*want+1e-6) {
		t.Errorf("integral gained %g, want %g", gain, want)
	}
	if s.At(f, 501, 501, 13) <= 10 {
		t.Error("tiny stamp left its cell unchanged")
	}
}

func TestStampErrors(t *testing.T) {
	s, f := blendSpace(t)
	sp := SphereShape(Vec3{1, 1, 1}, 1)
	for _, st := range []Stamp{
		{Shape: SphereShape(Vec3{}, 0)},
		{Shape: CapsuleShape(Vec3{}, Vec3{1, 1, 1}, -1)},
		{Shape: BoxShape(Box{Vec3{1, 0, 0}, Vec3{0, 1, 1}})},
		{Shape: Shape{Kind: 9, Radius: 1}},
		{Shape: SphereShape(Vec3{math.NaN(), 0, 0}, 1)},
		{Shape: sp, Value: math.Inf(1)},
		{Shape: sp, Blend: Lerp, Alpha: 1.5},
		{Shape: sp, Blend: 42},
		{Shape: sp, Falloff: Falloff{Kind: Linear, Inner: 1}},
		{Shape: sp, Falloff: Falloff{Kind: 7}},
		{Shape: sp, MaxLevel: -1},
		{Shape: sp, Samples: -1},
		{Shape: sp, Samples: 5},
	} {
		if err := s.Stamp(f, st); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("Stamp(%+v) = %v, want ErrInvalidArgument", st, err)
		}
	}
}

// deepestLeaf returns the level of the deepest leaf of field f.
func deepestLeaf(s *Space, f FieldID) int32 {
	var walk func(n, l int32) int32
	walk = func(n, l int32) int32 {
		t := &s.trees[f]
		if t.nodes[n].isLeaf() {
			return l
		}
		d := l
		for k := range int32(s.g.nchild(l)) {
			d = max(d, walk(t.nodes[n].child+k, l+1))
		}
		return d
	}
	return walk(0, 0)
}

// TestStampMaxLevelAndSamples checks the two options that make a large
// stamp cheap: MaxLevel stops refinement at its level (the leaves there
// take the sampled blend, as at the Space's MaxLevel), and Samples sets the
// sample points per axis of a partly covered leaf.
func TestStampMaxLevelAndSamples(t *testing.T) {
	st := Stamp{Shape: SphereShape(Vec3{500, 500, 20}, 200), Value: 50, Blend: Max,
		Falloff: Falloff{Kind: Smooth, Inner: 0.2}}
	full, f := blendSpace(t)
	mustStamp(t, full, f, st)
	if d := deepestLeaf(full, f); d != full.g.maxLevel {
		t.Fatalf("unlimited stamp refines to level %d, want %d", d, full.g.maxLevel)
	}
	for _, lv := range []int{3, 5} {
		s, f := blendSpace(t)
		lim := st
		lim.MaxLevel = lv
		mustStamp(t, s, f, lim)
		if d := deepestLeaf(s, f); d != int32(lv) {
			t.Errorf("MaxLevel %d: deepest leaf at level %d", lv, d)
		}
		if s.Leaves(f) >= full.Leaves(f) {
			t.Errorf("MaxLevel %d: %d leaves, unlimited %d", lv, s.Leaves(f), full.Leaves(f))
		}
		// The field's integral stays close to the unlimited stamp's.
		if a, b := s.Total(f), full.Total(f); !near(a, b, 0.05*b) {
			t.Errorf("MaxLevel %d: total %g, unlimited %g", lv, a, b)
		}
	}
	// A MaxLevel beyond the Space's is the Space's.
	deep, f2 := blendSpace(t)
	over := st
	over.MaxLevel = 40
	mustStamp(t, deep, f2, over)
	if deep.Hash() != full.Hash() {
		t.Error("MaxLevel 40 differs from the Space's MaxLevel")
	}
	// Samples: a box over the last 30 % of a cell's width gives it a
	// quarter of the change with 4 samples an axis (one in four inside),
	// a half with 2 (one in two) and none with 1 (its sample misses).
	for _, tc := range []struct {
		samples int
		want    float64
	}{{0, 10 + 40*0.25}, {4, 10 + 40*0.25}, {2, 10 + 40*0.5}, {1, 10}} {
		s, f := blendSpace(t)
		cs := s.CellSize()
		box := Box{Vec3{500 + 0.7*cs.X, 400, 0}, Vec3{600, 600, 40}}
		mustStamp(t, s, f, Stamp{Shape: BoxShape(box), Value: 50, Samples: tc.samples})
		if got := s.At(f, 500+cs.X/2, 500, 5); !near(got, tc.want, 1e-9) {
			t.Errorf("Samples %d: cut cell = %g, want %g", tc.samples, got, tc.want)
		}
	}
}

// TestResetIsNew checks Space.Reset: a Space stamped, stepped and observed,
// then reset, hashes as a new one, goes on to the same results as a new one
// given the same calls, and allocates nothing doing so once warm.
func TestResetIsNew(t *testing.T) {
	play := func(s *Space) uint64 {
		f, _ := s.Field(Noise)
		for i := range 4 {
			c := Vec3{200 + 150*float64(i), 300 + 90*float64(i), 12}
			if err := s.Stamp(f, Stamp{Shape: SphereShape(c, 120), Value: 140, Blend: Max,
				Falloff: Falloff{Kind: Smooth, Inner: 0.2}}); err != nil {
				t.Fatal(err)
			}
			if err := s.Step(0.5); err != nil {
				t.Fatal(err)
			}
		}
		out := make([]float64, 2*8)
		if err := s.FoveateSampled(f, 400, 400, 12, 0.3, []float64{100, 300}, 8, out); err != nil {
			t.Fatal(err)
		}
		h := s.Hash()
		for _, v := range out {
			h = h*1099511628211 ^ math.Float64bits(v)
		}
		return h
	}
	fresh := testSpace(t)
	newHash := fresh.Hash()
	want := play(fresh)
	s := testSpace(t)
	play(s)
	s.Reset()
	if s.Hash() != newHash {
		t.Fatal("a reset Space does not hash as a new one")
	}
	if got := play(s); got != want {
		t.Fatalf("after Reset the same calls give %x, on a new Space %x", got, want)
	}
	allocs := testing.AllocsPerRun(5, func() {
		s.Reset()
		play(s)
	})
	// play's own out slice is its one allocation.
	if allocs > 1 {
		t.Errorf("reset and replay allocate %g times", allocs)
	}
}
