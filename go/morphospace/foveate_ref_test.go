package morphospace

import (
	"errors"
	"math"
	"testing"

	"pgregory.net/rapid"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// refFoveate is the implementation of Foveate that walked the tree once per
// shell and sector and classified every square on its own: the reference
// the shared walk must match bit for bit.
func (s *Space) refFoveate(f FieldID, x, y, z, heading float64, shells []float64, sectors int, out []float64) {
	q := refFovea{
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
}

// fovea accumulates the mean over one annular sector.
type refFovea struct {
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

// visit accumulates the tree under node n (address c).
func (q *refFovea) visit(n int32, c cell) {
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
func (q *refFovea) piece(v float64, r rect, cover int) {
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
func (q *refFovea) share(x, y float64) float64 {
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
func (q *refFovea) classify(r rect) int {
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

// sameBits reports the first index at which got and want differ in their
// bits, or -1.
func sameBits(got, want []float64) int {
	for i := range want {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			return i
		}
	}
	return -1
}

// drawFoveaSpace draws a world of random geometry with a few stamps and
// steps on the noise field, sometimes with uniform internal nodes (a tree
// the stamps and steps never leave, but a decoded state may hold).
func drawFoveaSpace(t *rapid.T) (*Space, FieldID) {
	level := rapid.IntRange(1, 8).Draw(t, "level")
	bands := 1 << rapid.IntRange(0, min(level, 3)).Draw(t, "bandsLog")
	size := rapid.SampledFrom([]float64{512, 1000, 3000, 12000, 7.3}).Draw(t, "size")
	s, err := New(Config{SizeX: size, SizeY: size * rapid.SampledFrom([]float64{1, 0.5, 1.7}).Draw(t, "aspect"),
		Depth: 40, Bands: bands, MaxLevel: level}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := s.Field(Noise)
	scale := size / 512
	for range rapid.IntRange(0, 5).Draw(t, "stamps") {
		st := drawStamp(t, 0, 200)
		st.Shape.A = Vec3{st.Shape.A.X * scale, st.Shape.A.Y * scale, st.Shape.A.Z}
		st.Shape.B = Vec3{st.Shape.B.X * scale, st.Shape.B.Y * scale, st.Shape.B.Z}
		st.Shape.Radius *= scale
		if err := s.Stamp(f, st); err != nil {
			t.Fatal(err)
		}
		if rapid.Bool().Draw(t, "step") {
			// A fine grid may refuse a long step (too many sub-steps):
			// the space is then unchanged, which serves as well.
			if err := s.Step(rapid.Float64Range(0.1, 2).Draw(t, "dt")); err != nil && !errors.Is(err, ErrInvalidArgument) {
				t.Fatal(err)
			}
		}
	}
	if rapid.IntRange(0, 4).Draw(t, "uniform") == 0 {
		// Split a leaf into equal children: an internal node with lo == hi.
		tr := &s.trees[f]
		n, l := int32(0), int32(0)
		for !tr.nodes[n].isLeaf() {
			n = tr.nodes[n].child + int32(rapid.IntRange(0, s.g.nchild(l)-1).Draw(t, "down"))
			l++
		}
		if l < s.g.maxLevel {
			tr.split(n, s.g.nchild(l))
			tr.settleAll(&s.g, 0, 0, -1)
			s.gen++ // as every method that changes a field does
		}
	}
	return s, f
}

// TestFoveateMatchesReference compares Foveate with the per-shell,
// per-sector walk bit for bit: random worlds, positions on and off the
// grid and the world, headings along the axes and diagonals (sector edges
// through cell corners), shells at cell distances, one sector and more
// than 64, more shells than one walk serves.
func TestFoveateMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, f := drawFoveaSpace(t)
		c := s.CellSize()
		w, h := s.cfg.SizeX, s.cfg.SizeY
		for range 4 {
			var x, y float64
			switch rapid.IntRange(0, 2).Draw(t, "posKind") {
			case 0: // a cell corner
				x = float64(rapid.IntRange(-1, 1<<s.g.maxLevel+1).Draw(t, "ix")) * c.X
				y = float64(rapid.IntRange(-1, 1<<s.g.maxLevel+1).Draw(t, "iy")) * c.Y
			case 1: // a cell centre
				x = (float64(rapid.IntRange(0, 1<<s.g.maxLevel-1).Draw(t, "ix")) + 0.5) * c.X
				y = (float64(rapid.IntRange(0, 1<<s.g.maxLevel-1).Draw(t, "iy")) + 0.5) * c.Y
			default:
				x = rapid.Float64Range(-0.2*w, 1.2*w).Draw(t, "x")
				y = rapid.Float64Range(-0.2*h, 1.2*h).Draw(t, "y")
			}
			z, heading, shells, sectors := drawFoveaQuery(t, c.X, w, []int{1, 2, 3, 4, 5, 8, 12, 64, 65, 130}, 0.01)
			got := make([]float64, len(shells)*sectors)
			want := make([]float64, len(shells)*sectors)
			if err := s.Foveate(f, x, y, z, heading, shells, sectors, got); err != nil {
				t.Fatal(err)
			}
			s.refFoveate(f, x, y, z, heading, shells, sectors, want)
			if i := sameBits(got, want); i >= 0 {
				t.Fatalf("value %d (shell %d, sector %d): got %v (%016x), want %v (%016x)", i, i/sectors, i%sectors,
					got[i], math.Float64bits(got[i]), want[i], math.Float64bits(want[i]))
			}
		}
	})
}

// drawFoveaQuery draws the rest of a foveation query: a depth, a heading
// (along an axis or diagonal half the time), a sector count from sectors
// and 1–9 shells whose widths are whole cells (of side cell) or at least
// minDR of the world's width w.
func drawFoveaQuery(t *rapid.T, cell, w float64, sectors []int, minDR float64) (z, heading float64, shells []float64, n int) {
	z = rapid.Float64Range(-5, 45).Draw(t, "z")
	heading = rapid.Float64Range(-7, 7).Draw(t, "heading")
	if rapid.Bool().Draw(t, "axisHeading") {
		heading = float64(rapid.IntRange(-8, 8).Draw(t, "eighths")) * math.Pi / 4
	}
	n = rapid.SampledFrom(sectors).Draw(t, "sectors")
	shells = make([]float64, rapid.IntRange(1, 9).Draw(t, "shells"))
	prev := 0.0
	for k := range shells {
		if rapid.Bool().Draw(t, "cellRadius") {
			shells[k] = prev + float64(rapid.IntRange(1, 8).Draw(t, "cells"))*cell
		} else {
			shells[k] = prev + rapid.Float64Range(minDR, 0.3).Draw(t, "dr")*w
		}
		prev = shells[k]
	}
	return z, heading, shells, n
}
