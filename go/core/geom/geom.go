// Package geom holds the 2-D shape tests the arena needs: whether a point or
// a circle touches a circle or a polygon, and the nearest point on a shape's
// boundary. Vectors are gonum's r2.Vec, whose arithmetic is plain + − ×.
package geom

import (
	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// Shape is a circle (Radius > 0, no vertices) or a simple polygon
// (three or more vertices, Radius 0), in world coordinates.
type Shape struct {
	Center   r2.Vec
	Radius   float64
	Vertices []r2.Vec
	// Min and Max bound the shape, for quick rejection.
	Min, Max r2.Vec
}

// Circle returns a circle shape.
func Circle(center r2.Vec, radius float64) Shape {
	return Shape{Center: center, Radius: radius,
		Min: r2.Vec{X: center.X - radius, Y: center.Y - radius},
		Max: r2.Vec{X: center.X + radius, Y: center.Y + radius}}
}

// Polygon returns a polygon shape with vertices offset by origin.
func Polygon(origin r2.Vec, vertices []r2.Vec) Shape {
	s := Shape{Center: origin, Vertices: make([]r2.Vec, len(vertices))}
	for i, v := range vertices {
		p := r2.Add(origin, v)
		s.Vertices[i] = p
		if i == 0 {
			s.Min, s.Max = p, p
		}
		s.Min = r2.Vec{X: min(s.Min.X, p.X), Y: min(s.Min.Y, p.Y)}
		s.Max = r2.Vec{X: max(s.Max.X, p.X), Y: max(s.Max.Y, p.Y)}
	}
	return s
}

// IsPolygon reports whether s is a polygon.
func (s *Shape) IsPolygon() bool { return len(s.Vertices) > 0 }

// Contains reports whether p lies inside s (boundary included for circles).
func (s *Shape) Contains(p r2.Vec) bool {
	if p.X < s.Min.X || p.X > s.Max.X || p.Y < s.Min.Y || p.Y > s.Max.Y {
		return false
	}
	if !s.IsPolygon() {
		d := r2.Sub(p, s.Center)
		return dot(d, d) <= s.Radius*s.Radius
	}
	// Even-odd ray casting toward +x.
	in := false
	v := s.Vertices
	for i, j := 0, len(v)-1; i < len(v); j, i = i, i+1 {
		a, b := v[i], v[j]
		if (a.Y > p.Y) != (b.Y > p.Y) {
			x := a.X + float64((p.Y-a.Y)*(b.X-a.X))/(b.Y-a.Y)
			if p.X < x {
				in = !in
			}
		}
	}
	return in
}

// Overlaps reports whether a circle at c with radius r touches s, and if so
// the unit normal pointing from s toward c and the penetration depth.
func (s *Shape) Overlaps(c r2.Vec, r float64) (normal r2.Vec, depth float64, ok bool) {
	if c.X+r < s.Min.X || c.X-r > s.Max.X || c.Y+r < s.Min.Y || c.Y-r > s.Max.Y {
		return r2.Vec{}, 0, false
	}
	if !s.IsPolygon() {
		d := r2.Sub(c, s.Center)
		dist := dmath.Sqrt(dot(d, d))
		if dist >= s.Radius+r {
			return r2.Vec{}, 0, false
		}
		if dist == 0 {
			return r2.Vec{X: 1}, s.Radius + r, true
		}
		return r2.Scale(1/dist, d), s.Radius + r - dist, true
	}
	nearest, dist := s.nearestEdgePoint(c)
	inside := s.Contains(c)
	if !inside && dist >= r {
		return r2.Vec{}, 0, false
	}
	d := r2.Sub(c, nearest)
	if dist == 0 {
		return r2.Vec{X: 1}, r, true
	}
	n := r2.Scale(1/dist, d)
	if inside {
		return r2.Scale(-1, n), r + dist, true
	}
	return n, r - dist, true
}

// nearestEdgePoint returns the point on the polygon's boundary nearest p and
// its distance.
func (s *Shape) nearestEdgePoint(p r2.Vec) (r2.Vec, float64) {
	v := s.Vertices
	best := v[0]
	bestD2 := -1.0
	for i, j := 0, len(v)-1; i < len(v); j, i = i, i+1 {
		q := ClosestOnSegment(p, v[j], v[i])
		d := r2.Sub(p, q)
		if d2 := dot(d, d); bestD2 < 0 || d2 < bestD2 {
			best, bestD2 = q, d2
		}
	}
	return best, dmath.Sqrt(bestD2)
}

// ClosestOnSegment returns the point of segment ab nearest p.
func ClosestOnSegment(p, a, b r2.Vec) r2.Vec {
	ab := r2.Sub(b, a)
	l2 := dot(ab, ab)
	if l2 == 0 {
		return a
	}
	t := dot(r2.Sub(p, a), ab) / l2
	t = dmath.Clamp(t, 0, 1)
	return r2.Add(a, r2.Scale(t, ab))
}

// dot is the dot product with each product rounded, so it cannot fuse.
func dot(a, b r2.Vec) float64 { return float64(a.X*b.X) + float64(a.Y*b.Y) }

// Dot is the dot product of a and b, rounded product by product.
func Dot(a, b r2.Vec) float64 { return dot(a, b) }

// Norm is the length of v.
func Norm(v r2.Vec) float64 { return dmath.Sqrt(dot(v, v)) }
