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
	} {
		if err := s.Stamp(f, st); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("Stamp(%+v) = %v, want ErrInvalidArgument", st, err)
		}
	}
}
