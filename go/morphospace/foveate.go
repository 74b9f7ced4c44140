package morphospace

import (
	"fmt"
	"math"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// Foveate writes into out the foveated observation of field f around the
// point (x, y) in the depth band containing z: the area-weighted mean of the
// field over each annular sector of a polar grid centred there.
//
// Shell k is the annulus shells[k−1] ≤ r < shells[k] (shells[−1] = 0), so
// shells holds strictly increasing outer radii in metres. Sector j of
// sectors is the wedge of angular width 2π/sectors centred on the direction
// heading + j·2π/sectors (radians counter-clockwise from +x), so sector 0
// looks straight ahead. out[k·sectors + j] receives the mean over shell k,
// sector j; it must have room for len(shells)·sectors values.
//
// Each mean is exact over tree nodes lying wholly inside a sector; a uniform
// node crossed by a sector boundary is cut into squares down to a size of
// max(finest cell / 4, min(shell width, outer arc) / 32) and the remaining
// squares are assigned by their centres (split evenly when a centre lies on
// a sector edge). Parts of a sector outside the world
// are ignored; a sector wholly outside reads the field default. Foveate does
// not allocate.
func (s *Space) Foveate(f FieldID, x, y, z, heading float64, shells []float64, sectors int, out []float64) error {
	if err := s.checkField(f); err != nil {
		return err
	}
	if sectors < 1 {
		return fmt.Errorf("morphospace: foveate: sectors %d < 1: %w", sectors, ErrInvalidArgument)
	}
	if len(shells) == 0 {
		return fmt.Errorf("morphospace: foveate: no shells: %w", ErrInvalidArgument)
	}
	if len(out) < len(shells)*sectors {
		return fmt.Errorf("morphospace: foveate: out has %d values, need %d: %w", len(out), len(shells)*sectors, ErrInvalidArgument)
	}
	prev := 0.0
	for k, r := range shells {
		if !(r > prev) || math.IsInf(r, 0) {
			return fmt.Errorf("morphospace: foveate: shell %d radius %g is not finite and above %g: %w", k, r, prev, ErrInvalidArgument)
		}
		prev = r
	}
	for _, v := range [...]float64{x, y, z, heading} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("morphospace: foveate: non-finite position or heading: %w", ErrInvalidArgument)
		}
	}
	q := fovea{
		s: s, t: &s.trees[f], ox: x, oy: y,
		iz:    gridIndex(z, s.g.cz, s.g.bands),
		wedge: sectors > 1,
	}
	half := math.Pi / float64(sectors)
	rin := 0.0
	for k, rout := range shells {
		q.rin2, q.rout2 = sq(rin), sq(rout)
		arc := float64(rout * (2 * half))
		q.res = max(min(s.g.cx, s.g.cy)/4, min(rout-rin, arc)/32)
		for j := range sectors {
			phi := heading + float64(float64(j)*(2*half))
			q.e1y, q.e1x = dmath.SinCos(phi - half)
			q.e2y, q.e2x = dmath.SinCos(phi + half)
			q.sumVA, q.sumA = 0, 0
			q.visit(0, s.g.root())
			v := s.reg.specs[f].Default
			if q.sumA > 0 {
				v = q.sumVA / q.sumA
			}
			out[k*sectors+j] = v
		}
		rin = rout
	}
	return nil
}

// fovea accumulates the mean over one annular sector.
type fovea struct {
	s           *Space
	t           *tree
	ox, oy      float64 // centre of the polar grid
	iz          int32   // depth band
	rin2, rout2 float64 // squared radii of the shell
	wedge       bool    // false when one sector covers the full circle
	e1x, e1y    float64 // unit vector of the sector's clockwise edge
	e2x, e2y    float64 // unit vector of its counter-clockwise edge
	res         float64 // smallest square cut from a uniform node
	sumVA, sumA float64
}

// rect is a horizontal rectangle relative to the centre of the polar grid.
type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) area() float64 { return float64((r.x1 - r.x0) * (r.y1 - r.y0)) }

// visit accumulates the tree under node n (address c).
func (q *fovea) visit(n int32, c cell) {
	g := &q.s.g
	if q.iz < c.z || q.iz >= c.z+g.sz(c.l) {
		return
	}
	b := g.box(c)
	r := rect{b.Min.X - q.ox, b.Min.Y - q.oy, b.Max.X - q.ox, b.Max.Y - q.oy}
	cover := q.classify(r)
	if cover == outside {
		return
	}
	nd := &q.t.nodes[n]
	if nd.isLeaf() || nd.lo == nd.hi {
		q.piece(nd.mean, r, cover)
		return
	}
	ch := nd.child
	for k := range g.nchild(c.l) {
		q.visit(ch+int32(k), g.child(c, k))
	}
}

// piece accumulates a rectangle of uniform value v whose coverage is cover,
// cutting it into quarters while it straddles the sector boundary.
func (q *fovea) piece(v float64, r rect, cover int) {
	switch {
	case cover == outside:
		return
	case cover == inside:
	case r.x1-r.x0 <= q.res && r.y1-r.y0 <= q.res:
		if w := q.share((r.x0+r.x1)/2, (r.y0+r.y1)/2); w > 0 {
			a := float64(w * r.area())
			q.sumVA += float64(v * a)
			q.sumA += a
		}
		return
	default:
		mx, my := (r.x0+r.x1)/2, (r.y0+r.y1)/2
		for _, sub := range [4]rect{{r.x0, r.y0, mx, my}, {mx, r.y0, r.x1, my}, {r.x0, my, mx, r.y1}, {mx, my, r.x1, r.y1}} {
			q.piece(v, sub, q.classify(sub))
		}
		return
	}
	a := r.area()
	q.sumVA += float64(v * a)
	q.sumA += a
}

// share returns the part of a resolution-limit square centred on (x, y),
// relative to the centre, that is counted in the sector: 1 inside, 0 outside,
// and a half for each sector edge the centre lies on (within rounding), so
// that squares centred on an edge are split evenly between its two sides.
func (q *fovea) share(x, y float64) float64 {
	r2 := sq(x) + sq(y)
	eps := 1e-12 * r2
	if r2 < q.rin2-eps || r2 > q.rout2+eps {
		return 0
	}
	w := 1.0
	if r2 < q.rin2+eps && q.rin2 > 0 || r2 > q.rout2-eps {
		w = 0.5
	}
	if !q.wedge {
		return w
	}
	eps = 1e-12 * (abs(x) + abs(y))
	for _, c := range [2]float64{float64(q.e1x*y) - float64(q.e1y*x), float64(x*q.e2y) - float64(y*q.e2x)} {
		switch {
		case c < -eps:
			return 0
		case c <= eps:
			w /= 2
		}
	}
	return w
}

// classify returns whether r lies inside, outside or across the sector. The
// wedge is the intersection of two half-planes (its angle is at most π), so
// r is outside when all its corners miss one of them and inside when all its
// corners are in both and it lies within the annulus.
func (q *fovea) classify(r rect) int {
	dmin2 := sq(gap(0, r.x0, r.x1)) + sq(gap(0, r.y0, r.y1))
	dmax2 := sq(max(abs(r.x0), abs(r.x1))) + sq(max(abs(r.y0), abs(r.y1)))
	if dmin2 >= q.rout2 || dmax2 <= q.rin2 {
		return outside
	}
	radial := dmin2 >= q.rin2 && dmax2 <= q.rout2
	if !q.wedge {
		if radial {
			return inside
		}
		return partial
	}
	in1, in2 := 0, 0
	for _, p := range [4][2]float64{{r.x0, r.y0}, {r.x1, r.y0}, {r.x0, r.y1}, {r.x1, r.y1}} {
		if float64(q.e1x*p[1])-float64(q.e1y*p[0]) >= 0 {
			in1++
		}
		if float64(p[0]*q.e2y)-float64(p[1]*q.e2x) > 0 {
			in2++
		}
	}
	switch {
	case in1 == 0 || in2 == 0:
		return outside
	case radial && in1 == 4 && in2 == 4:
		return inside
	}
	return partial
}
