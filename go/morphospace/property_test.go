package morphospace

import (
	"math"
	"testing"

	"pgregory.net/rapid"
)

// propConfig is a small world for property tests: 64×64×4 cells of 8 m × 8 m × 10 m.
var propConfig = Config{SizeX: 512, SizeY: 512, Depth: 40, Bands: 4, MaxLevel: 6}

// drawPoint draws a point in (or slightly around) the world.
func drawPoint(t *rapid.T, label string) Vec3 {
	return Vec3{
		rapid.Float64Range(-20, 530).Draw(t, label+".x"),
		rapid.Float64Range(-20, 530).Draw(t, label+".y"),
		rapid.Float64Range(-5, 45).Draw(t, label+".z"),
	}
}

// drawShape draws a sphere, box or capsule of moderate size.
func drawShape(t *rapid.T) Shape {
	a := drawPoint(t, "a")
	switch rapid.IntRange(0, 2).Draw(t, "kind") {
	case 0:
		return SphereShape(a, rapid.Float64Range(1, 120).Draw(t, "r"))
	case 1:
		h := Vec3{rapid.Float64Range(1, 100).Draw(t, "hx"), rapid.Float64Range(1, 100).Draw(t, "hy"), rapid.Float64Range(1, 30).Draw(t, "hz")}
		return BoxShape(Box{sub(a, h), add(a, h)})
	default:
		return CapsuleShape(a, drawPoint(t, "b"), rapid.Float64Range(1, 60).Draw(t, "r"))
	}
}

// drawStamp draws a stamp whose value lies in [lo, hi].
func drawStamp(t *rapid.T, lo, hi float64) Stamp {
	st := Stamp{
		Shape: drawShape(t),
		Value: rapid.Float64Range(lo, hi).Draw(t, "value"),
		Blend: BlendMode(rapid.IntRange(0, int(Lerp)).Draw(t, "blend")),
		Falloff: Falloff{
			Kind:  FalloffKind(rapid.IntRange(0, int(Smooth)).Draw(t, "falloff")),
			Inner: rapid.Float64Range(0, 0.9).Draw(t, "inner"),
		},
	}
	if st.Blend == Lerp {
		st.Alpha = rapid.Float64Range(0, 1).Draw(t, "alpha")
	}
	if st.Blend == Multiply {
		st.Value = rapid.Float64Range(0, 2).Draw(t, "factor")
	}
	return st
}

// propSpace returns a property-test Space with the built-in fields plus
// spec, and spec's ID.
func propSpace(t *rapid.T, spec FieldSpec) (*Space, FieldID) {
	s, err := New(propConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.AddField(spec)
	if err != nil {
		t.Fatal(err)
	}
	return s, f
}

func TestPropLeavesNeverGrowUnderSteps(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, err := New(propConfig, nil)
		if err != nil {
			t.Fatal(err)
		}
		for range rapid.IntRange(1, 6).Draw(t, "stamps") {
			f := FieldID(rapid.IntRange(0, s.NumFields()-1).Draw(t, "field"))
			spec := s.Spec(f)
			if err := s.Stamp(f, drawStamp(t, spec.Min, spec.Max)); err != nil {
				t.Fatal(err)
			}
		}
		prev := make([]int, s.NumFields())
		for f := range prev {
			prev[f] = s.Leaves(FieldID(f))
		}
		for range rapid.IntRange(1, 8).Draw(t, "steps") {
			if err := s.Step(rapid.Float64Range(0.01, 20).Draw(t, "dt")); err != nil {
				t.Fatal(err)
			}
			for f := range prev {
				n := s.Leaves(FieldID(f))
				if n > prev[f] {
					t.Fatalf("field %s: leaves grew from %d to %d", s.Spec(FieldID(f)).Name, prev[f], n)
				}
				prev[f] = n
			}
		}
	})
}

func TestPropDiffusionConservesMass(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, f := propSpace(t, FieldSpec{
			Name: "tracer", Min: 0, Max: 100,
			Default:   rapid.Float64Range(0, 100).Draw(t, "default"),
			Diffusion: rapid.Float64Range(0.01, 20).Draw(t, "diffusion"),
		})
		for range rapid.IntRange(1, 5).Draw(t, "stamps") {
			if err := s.Stamp(f, drawStamp(t, 0, 100)); err != nil {
				t.Fatal(err)
			}
		}
		m0 := s.Total(f)
		for range rapid.IntRange(1, 5).Draw(t, "steps") {
			if err := s.Step(rapid.Float64Range(0.01, 10).Draw(t, "dt")); err != nil {
				t.Fatal(err)
			}
		}
		if m := s.Total(f); math.Abs(m-m0) > 1e-9*math.Abs(m0)+1e-6 {
			t.Fatalf("mass %v, want %v (relative error %g)", m, m0, (m-m0)/m0)
		}
	})
}

func TestPropDecayApproachesDefaultMonotonically(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, f := propSpace(t, FieldSpec{
			Name: "fading", Min: -50, Max: 50,
			Default: rapid.Float64Range(-10, 10).Draw(t, "default"),
			Decay:   rapid.Float64Range(0.001, 2).Draw(t, "decay"),
		})
		spec := s.Spec(f)
		for range rapid.IntRange(1, 4).Draw(t, "stamps") {
			if err := s.Stamp(f, drawStamp(t, -50, 50)); err != nil {
				t.Fatal(err)
			}
		}
		pts := make([]Vec3, 6)
		dev := make([]float64, len(pts))
		for i := range pts {
			pts[i] = drawPoint(t, "probe")
			dev[i] = s.At(f, pts[i].X, pts[i].Y, pts[i].Z) - spec.Default
		}
		root := s.trees[f].nodes[0]
		lo, hi := root.lo, root.hi
		for range rapid.IntRange(1, 10).Draw(t, "steps") {
			if err := s.Step(rapid.Float64Range(0.01, 5).Draw(t, "dt")); err != nil {
				t.Fatal(err)
			}
			// The field's extremes move toward the default and never past it.
			root := s.trees[f].nodes[0]
			if root.lo < min(lo, spec.Default) || root.hi > max(hi, spec.Default) {
				t.Fatalf("range [%g, %g] widened from [%g, %g]", root.lo, root.hi, lo, hi)
			}
			lo, hi = root.lo, root.hi
			// Pointwise, up to the averaging of a merge.
			for i, p := range pts {
				d := s.At(f, p.X, p.Y, p.Z) - spec.Default
				if math.Abs(d) > math.Abs(dev[i])+spec.MergeTol || d*dev[i] < -sq(spec.MergeTol) {
					t.Fatalf("at %v the deviation went from %g to %g", p, dev[i], d)
				}
				dev[i] = d
			}
		}
	})
}

func TestPropStampThenQuery(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, err := New(propConfig, nil)
		if err != nil {
			t.Fatal(err)
		}
		f := FieldID(rapid.IntRange(0, s.NumFields()-1).Draw(t, "field"))
		spec := s.Spec(f)
		sh := drawShape(t)
		v := rapid.Float64Range(spec.Min, spec.Max).Draw(t, "value")
		if err := s.Stamp(f, Stamp{Shape: sh, Value: v}); err != nil {
			t.Fatal(err)
		}
		probes := []Vec3{sh.anchor()}
		for range 30 {
			probes = append(probes, drawPoint(t, "probe"))
		}
		for _, p := range probes {
			got := s.At(f, p.X, p.Y, p.Z)
			switch cellCover(s, sh, p) {
			case inside:
				if !near(got, v, spec.SplitTol) {
					t.Fatalf("inside at %v: %g, want %g", p, got, v)
				}
			case outside:
				// Exact unless the stamp changed a leaf by less than SplitTol
				// (spread over the leaf) or left siblings within MergeTol
				// (merged into their mean).
				if !near(got, spec.Default, spec.SplitTol) {
					t.Fatalf("outside at %v: %g, want the default %g", p, got, spec.Default)
				}
			}
		}
	})
}

func TestPropSameInputsSameHash(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, err := New(propConfig, nil)
		if err != nil {
			t.Fatal(err)
		}
		b := a.Clone()
		c, _ := New(propConfig, nil)
		type op struct {
			f  FieldID
			st Stamp
			dt float64
		}
		var ops []op
		for range rapid.IntRange(1, 8).Draw(t, "ops") {
			f := FieldID(rapid.IntRange(0, a.NumFields()-1).Draw(t, "field"))
			spec := a.Spec(f)
			ops = append(ops, op{f, drawStamp(t, spec.Min, spec.Max), rapid.Float64Range(0, 5).Draw(t, "dt")})
		}
		for _, s := range []*Space{a, b, c} {
			for _, o := range ops {
				if err := s.Stamp(o.f, o.st); err != nil {
					t.Fatal(err)
				}
				if err := s.Step(o.dt); err != nil {
					t.Fatal(err)
				}
			}
		}
		if ha, hb, hc := a.Hash(), b.Hash(), c.Hash(); ha != hb || ha != hc {
			t.Fatalf("hashes differ: %x %x %x", ha, hb, hc)
		}
	})
}
