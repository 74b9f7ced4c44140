package morphospace

import (
	"fmt"
	"math"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// ShapeKind selects the geometry of a Shape.
type ShapeKind uint8

// Shape kinds.
const (
	Sphere  ShapeKind = iota + 1 // ball of Radius around A
	Cuboid                       // axis-aligned box [A, B]
	Capsule                      // points within Radius of the segment A–B
)

// String returns the lower-case name of k.
func (k ShapeKind) String() string {
	switch k {
	case Sphere:
		return "sphere"
	case Cuboid:
		return "box"
	case Capsule:
		return "capsule"
	}
	return fmt.Sprintf("ShapeKind(%d)", uint8(k))
}

// A Shape is the region a Stamp writes into. Build one with SphereShape,
// BoxShape or CapsuleShape. Every shape has a normalized distance t(p) that is
// 0 at its core and 1 on its surface; Falloff maps t to a weight.
type Shape struct {
	Kind   ShapeKind
	A, B   Vec3    // sphere: centre A; box: corners A ≤ B; capsule: segment A–B
	Radius float64 // sphere and capsule radius in metres
}

// SphereShape returns the ball of radius r around c. Its t is |p−c|/r.
func SphereShape(c Vec3, r float64) Shape { return Shape{Kind: Sphere, A: c, Radius: r} }

// BoxShape returns the axis-aligned box b. Its t is the largest of the
// per-axis distances from the centre divided by the half-extents.
func BoxShape(b Box) Shape { return Shape{Kind: Cuboid, A: b.Min, B: b.Max} }

// CapsuleShape returns the points within r of the segment a–b (a swept
// sphere, e.g. a ship's wake). Its t is the distance to the segment over r.
func CapsuleShape(a, b Vec3, r float64) Shape { return Shape{Kind: Capsule, A: a, B: b, Radius: r} }

// validate reports a malformed shape.
func (s Shape) validate() error {
	for _, v := range []float64{s.A.X, s.A.Y, s.A.Z, s.B.X, s.B.Y, s.B.Z, s.Radius} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%v: non-finite coordinate", s.Kind)
		}
	}
	switch s.Kind {
	case Sphere, Capsule:
		if !(s.Radius > 0) {
			return fmt.Errorf("%v: radius %g is not positive", s.Kind, s.Radius)
		}
	case Cuboid:
		if !(s.A.X < s.B.X && s.A.Y < s.B.Y && s.A.Z < s.B.Z) {
			return fmt.Errorf("box: min %v is not below max %v on every axis", s.A, s.B)
		}
	default:
		return fmt.Errorf("unknown shape kind %d", s.Kind)
	}
	return nil
}

// bounds returns the axis-aligned bounding box of s.
func (s Shape) bounds() Box {
	switch s.Kind {
	case Cuboid:
		return Box{s.A, s.B}
	case Sphere:
		r := Vec3{s.Radius, s.Radius, s.Radius}
		return Box{sub(s.A, r), add(s.A, r)}
	default:
		r := s.Radius
		return Box{
			Min: Vec3{min(s.A.X, s.B.X) - r, min(s.A.Y, s.B.Y) - r, min(s.A.Z, s.B.Z) - r},
			Max: Vec3{max(s.A.X, s.B.X) + r, max(s.A.Y, s.B.Y) + r, max(s.A.Z, s.B.Z) + r},
		}
	}
}

// volume returns the volume of s in m³.
func (s Shape) volume() float64 {
	switch s.Kind {
	case Cuboid:
		return Box{s.A, s.B}.volume()
	case Sphere:
		return float64(4.0/3.0*math.Pi) * float64(float64(s.Radius*s.Radius)*s.Radius)
	default:
		r := s.Radius
		l := dmath.Sqrt(dist2(s.A, s.B))
		return float64(float64(math.Pi*float64(r*r))*l) + float64(4.0/3.0*math.Pi)*float64(float64(r*r)*r)
	}
}

// anchor returns a point that always lies inside s.
func (s Shape) anchor() Vec3 {
	if s.Kind == Sphere {
		return s.A
	}
	return Vec3{(s.A.X + s.B.X) / 2, (s.A.Y + s.B.Y) / 2, (s.A.Z + s.B.Z) / 2}
}

// t returns the normalized distance of p: below 1 inside, 1 on the surface.
func (s Shape) t(p Vec3) float64 {
	switch s.Kind {
	case Sphere:
		return dmath.Sqrt(dist2(p, s.A)) / s.Radius
	case Cuboid:
		return s.boxT(p)
	default:
		return dmath.Sqrt(segDist2(p, s.A, s.B)) / s.Radius
	}
}

// boxT is t for a Cuboid.
func (s Shape) boxT(p Vec3) float64 {
	tx := abs(p.X-(s.A.X+s.B.X)/2) / ((s.B.X - s.A.X) / 2)
	ty := abs(p.Y-(s.A.Y+s.B.Y)/2) / ((s.B.Y - s.A.Y) / 2)
	tz := abs(p.Z-(s.A.Z+s.B.Z)/2) / ((s.B.Z - s.A.Z) / 2)
	return max(tx, ty, tz)
}

// Coverage of a node by a shape.
const (
	outside = iota
	partial
	inside
)

// classify returns how s covers the node box b, and bounds tlo ≤ t ≤ thi on
// the normalized distance over the part of b inside s. inside and outside are
// exact (up to rounding); a box that merely touches s is outside.
func (s Shape) classify(b Box) (cover int, tlo, thi float64) {
	switch s.Kind {
	case Sphere:
		d2, f2 := b.dist2(s.A), b.far2(s.A)
		r2 := sq(s.Radius)
		if d2 >= r2 {
			return outside, 1, 1
		}
		tlo = dmath.Sqrt(d2) / s.Radius
		if f2 <= r2 {
			return inside, tlo, dmath.Sqrt(f2) / s.Radius
		}
		return partial, tlo, 1
	case Cuboid:
		if b.Max.X <= s.A.X || b.Min.X >= s.B.X || b.Max.Y <= s.A.Y || b.Min.Y >= s.B.Y ||
			b.Max.Z <= s.A.Z || b.Min.Z >= s.B.Z {
			return outside, 1, 1
		}
		c := Vec3{(s.A.X + s.B.X) / 2, (s.A.Y + s.B.Y) / 2, (s.A.Z + s.B.Z) / 2}
		h := Vec3{(s.B.X - s.A.X) / 2, (s.B.Y - s.A.Y) / 2, (s.B.Z - s.A.Z) / 2}
		tlo = max(gap(c.X, b.Min.X, b.Max.X)/h.X, gap(c.Y, b.Min.Y, b.Max.Y)/h.Y, gap(c.Z, b.Min.Z, b.Max.Z)/h.Z)
		if b.Min.X >= s.A.X && b.Max.X <= s.B.X && b.Min.Y >= s.A.Y && b.Max.Y <= s.B.Y &&
			b.Min.Z >= s.A.Z && b.Max.Z <= s.B.Z {
			thi = max(max(abs(b.Min.X-c.X), abs(b.Max.X-c.X))/h.X,
				max(abs(b.Min.Y-c.Y), abs(b.Max.Y-c.Y))/h.Y,
				max(abs(b.Min.Z-c.Z), abs(b.Max.Z-c.Z))/h.Z)
			return inside, tlo, thi
		}
		return partial, tlo, 1
	default:
		r2 := sq(s.Radius)
		d2 := segBoxDist2(s.A, s.B, b)
		if d2 >= r2 {
			return outside, 1, 1
		}
		tlo = dmath.Sqrt(d2) / s.Radius
		f2 := 0.0 // distance to a segment is convex: its maximum is at a corner
		for k := range 8 {
			f2 = max(f2, segDist2(b.corner(k), s.A, s.B))
		}
		if f2 <= r2 {
			return inside, tlo, dmath.Sqrt(f2) / s.Radius
		}
		return partial, tlo, 1
	}
}

func add(a, b Vec3) Vec3 { return Vec3{a.X + b.X, a.Y + b.Y, a.Z + b.Z} }
func sub(a, b Vec3) Vec3 { return Vec3{a.X - b.X, a.Y - b.Y, a.Z - b.Z} }

// dot returns a·b without fused operations.
func dot(a, b Vec3) float64 { return float64(a.X*b.X) + float64(a.Y*b.Y) + float64(a.Z*b.Z) }

// dist2 returns |a−b|².
func dist2(a, b Vec3) float64 { return sq(a.X-b.X) + sq(a.Y-b.Y) + sq(a.Z-b.Z) }

// lerp3 returns a + t(b−a).
func lerp3(a, b Vec3, t float64) Vec3 {
	return Vec3{a.X + float64(t*(b.X-a.X)), a.Y + float64(t*(b.Y-a.Y)), a.Z + float64(t*(b.Z-a.Z))}
}

// segDist2 returns the squared distance from p to the segment a–b.
func segDist2(p, a, b Vec3) float64 {
	ab := sub(b, a)
	l2 := dot(ab, ab)
	if l2 == 0 {
		return dist2(p, a)
	}
	t := min(1, max(0, dot(sub(p, a), ab)/l2))
	return dist2(p, lerp3(a, b, t))
}

// segBoxDist2 returns the squared distance between the segment a–b and the
// box b. The distance from a point of the segment to a convex box is convex
// along the segment, so a golden-section search finds its minimum.
func segBoxDist2(a, b Vec3, box Box) float64 {
	f := func(t float64) float64 { return box.dist2(lerp3(a, b, t)) }
	const invPhi = 0.6180339887498949
	lo, hi := 0.0, 1.0
	x1, x2 := hi-invPhi*(hi-lo), lo+invPhi*(hi-lo)
	f1, f2 := f(x1), f(x2)
	for range 48 {
		if f1 == 0 || f2 == 0 {
			return 0
		}
		if f1 < f2 {
			hi, x2, f2 = x2, x1, f1
			x1 = hi - float64(invPhi*(hi-lo))
			f1 = f(x1)
		} else {
			lo, x1, f1 = x1, x2, f2
			x2 = lo + float64(invPhi*(hi-lo))
			f2 = f(x2)
		}
	}
	return min(f1, f2, f(0), f(1))
}
