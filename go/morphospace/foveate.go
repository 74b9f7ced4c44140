package morphospace

import (
	"fmt"
	"math"
	"math/bits"

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
// not allocate once the Space has served a first Foveate.
//
// One walk of the tree serves every shell and sector (in groups of
// fovShells × 64): see fovea for how it gives the bits of a walk per shell
// and sector.
//
// Its cost grows with the area of the sectors (about 1,450 area terms per
// call for 3 shells out to 4 km over 188 m cells): FoveateSampled reads the
// same polar grid at 4 points per value instead, as the arena's foveated
// observation does.
func (s *Space) Foveate(f FieldID, x, y, z, heading float64, shells []float64, sectors int, out []float64) error {
	if err := s.checkFoveate(f, x, y, z, heading, shells, sectors, out); err != nil {
		return err
	}
	if s.fov == nil {
		s.fov = new(fovea)
	}
	q := s.fov
	*q = fovea{
		t: &s.trees[f], g: &s.g, ox: x, oy: y,
		iz:    gridIndex(z, s.g.cz, s.g.bands),
		wedge: sectors > 1,
	}
	def := s.reg.specs[f].Default
	half := math.Pi / float64(sectors)
	for j0 := 0; j0 < sectors; j0 += 64 {
		q.nsec = min(64, sectors-j0)
		for j := range q.nsec {
			phi := heading + float64(float64(j0+j)*(2*half))
			q.e1y[j], q.e1x[j] = dmath.SinCos(phi - half)
			q.e2y[j], q.e2x[j] = dmath.SinCos(phi + half)
		}
		for k0 := 0; k0 < len(shells); k0 += fovShells {
			q.nsh = min(fovShells, len(shells)-k0)
			for k := range q.nsh {
				rin, rout := 0.0, shells[k0+k]
				if k0+k > 0 {
					rin = shells[k0+k-1]
				}
				arc := float64(rout * (2 * half))
				q.sh[k] = fovShell{rin2: sq(rin), rout2: sq(rout), res: max(min(s.g.cx, s.g.cy)/4, min(rout-rin, arc)/32)}
			}
			clear(q.sumVA[:q.nsh*64])
			clear(q.sumA[:q.nsh*64])
			q.walk()
			for k := range q.nsh {
				for j := range q.nsec {
					v := def
					if a := q.sumA[k*64+j]; a > 0 {
						v = q.sumVA[k*64+j] / a
					}
					out[(k0+k)*sectors+j0+j] = v
				}
			}
		}
	}
	return nil
}

// checkFoveate checks the arguments of Foveate and FoveateSampled.
func (s *Space) checkFoveate(f FieldID, x, y, z, heading float64, shells []float64, sectors int, out []float64) error {
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
	return nil
}

// fovShells is how many shells one walk of Foveate serves.
const fovShells = 4

// fovShell is one shell of a walk: its squared radii and the size of the
// smallest square cut from a uniform node.
type fovShell struct{ rin2, rout2, res float64 }

// fovea is one walk of Foveate over the tree for up to fovShells shells and
// 64 sectors (a "pair" is a shell and a sector). It visits the nodes of the
// depth band in child order, carrying for each shell the set of sectors
// that the node lies inside (a bit mask) and the set it straddles; a pair
// the node misses is dropped. Sums are kept per pair, and each pair's terms
// are added in the order of a walk for that pair alone, so each mean has
// the bits of the per-pair walk (kept in the tests as refFoveate).
//
// What a square is for a pair (outside, inside, straddling) is the test of
// the per-pair walk, evaluated once per square corner and sector instead of
// once per square and pair: a corner's side of a sector edge is a bit of
// the corner's mask. Two facts keep it exact. The tests are monotone in
// each coordinate (rounded products and differences are), so a square whose
// corners all lie on one side of an edge lies on that side whole, and so
// does every square inside it; and a square's distance bounds shrink
// inward. Hence a square inside (or outside) a pair has every sub-square
// inside (or outside) it too, which the per-pair walk would have found
// square by square; only the radial test is repeated for inherited pairs,
// since a degenerate square can sit exactly on a shell radius.
//
// A quarter cut from a straddling square that is down to the resolution
// of every shell left is not classified: each pair takes the share of its
// centre at once. The per-pair walk would have classified it and added
// its area (inside), nothing (outside) or the centre's share (straddling);
// the centre's share is 1 for a square inside and 0 for one outside,
// since its centre then lies at least about half the square's side, at
// least a quarter of the finest cell, from every sector edge and shell
// circle: far beyond the share's tolerance (10⁻¹² of the radius) and the
// rounding of the tests, for any world of at most 2^MaxLevelLimit cells
// a side. And w·area with w = 1 is the area, so each pair's terms keep
// their values and order.
type fovea struct {
	t           *tree
	g           *geom
	ox, oy      float64 // centre of the polar grid
	iz          int32   // depth band
	wedge       bool    // false when one sector covers the full circle
	nsec, nsh   int     // sectors and shells of this walk
	e1x, e1y    [64]float64
	e2x, e2y    [64]float64 // unit vectors of each sector's clockwise and counter-clockwise edge
	sh          [fovShells]fovShell
	sumVA, sumA [fovShells * 64]float64
}

// rect is a horizontal rectangle relative to the centre of the polar grid.
type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) area() float64 { return float64((r.x1 - r.x0) * (r.y1 - r.y0)) }

// pairs holds, per shell of a walk, the sectors a square lies inside and
// those it straddles; bit k of live is set when shell k has any.
type pairs struct {
	in, part [fovShells]uint64
	live     uint8
}

// corner is the side of every sector edge a point lies on: bit j of a is
// set when it is on the inner side of sector j's clockwise edge, bit j of
// b when on the inner side of its counter-clockwise edge.
type corner struct{ a, b uint64 }

// walk runs the walk from the root.
func (q *fovea) walk() {
	var p pairs
	all := uint64(1)<<q.nsec - 1
	if q.nsec == 64 {
		all = ^uint64(0)
	}
	for k := range q.nsh {
		p.part[k] = all
	}
	p.live = uint8(1)<<q.nsh - 1
	root := q.g.root()
	r := q.rect(root)
	var cs cgrid
	if q.wedge {
		cs[0], cs[1], cs[3], cs[4] = q.corner(r.x0, r.y0, all), q.corner(r.x1, r.y0, all), q.corner(r.x0, r.y1, all), q.corner(r.x1, r.y1, all)
	}
	if q.classify(r, &cs, 0, &p) {
		q.visit(0, root, r, &cs, 0, &p)
	}
}

// rect returns the rectangle of node c relative to the centre.
func (q *fovea) rect(c cell) rect {
	b := q.g.box(c)
	return rect{b.Min.X - q.ox, b.Min.Y - q.oy, b.Max.X - q.ox, b.Max.Y - q.oy}
}

// corner returns the mask of point (x, y) for the sectors in need.
func (q *fovea) corner(x, y float64, need uint64) corner {
	var c corner
	for need != 0 {
		j := bits.TrailingZeros64(need)
		need &= need - 1
		if float64(q.e1x[j]*y)-float64(q.e1y[j]*x) >= 0 {
			c.a |= 1 << j
		}
		if float64(x*q.e2y[j])-float64(y*q.e2x[j]) > 0 {
			c.b |= 1 << j
		}
	}
	return c
}

// cgrid holds the corners of a square's four quarters, three by three:
// index 3·row + column, from low y and low x. The corners of a square
// whose low-x low-y corner is at index b are at b, b+1, b+3 and b+4.
type cgrid [9]corner

// classify updates p, the pairs of the square's parent, for the square r
// with corners at b in cs: pairs it misses are dropped, straddled pairs it
// lies inside become inside. It reports whether any pair is left.
func (q *fovea) classify(r rect, cs *cgrid, b int, p *pairs) bool {
	dmin2 := sq(gap(0, r.x0, r.x1)) + sq(gap(0, r.y0, r.y1))
	dmax2 := sq(max(abs(r.x0), abs(r.x1))) + sq(max(abs(r.y0), abs(r.y1)))
	angIn, angOut := ^uint64(0), uint64(0)
	if q.wedge {
		c0, c1, c2, c3 := &cs[b], &cs[b+1], &cs[b+3], &cs[b+4]
		ea := c0.a | c1.a | c2.a | c3.a
		eb := c0.b | c1.b | c2.b | c3.b
		angOut = ^ea | ^eb
		angIn = c0.a & c1.a & c2.a & c3.a & c0.b & c1.b & c2.b & c3.b
	}
	for live := p.live; live != 0; live &= live - 1 {
		k := bits.TrailingZeros8(live) & (fovShells - 1)
		sh := &q.sh[k]
		if dmin2 >= sh.rout2 || dmax2 <= sh.rin2 {
			p.in[k], p.part[k] = 0, 0
			p.live &^= 1 << k
			continue
		}
		part := p.part[k] &^ angOut
		if dmin2 >= sh.rin2 && dmax2 <= sh.rout2 {
			p.in[k] |= part & angIn
			part &^= angIn
		}
		p.part[k] = part
		if p.in[k]|part == 0 {
			p.live &^= 1 << k
		}
	}
	return p.live != 0
}

// need returns the sectors straddled by any shell of p.
func (q *fovea) need(p *pairs) uint64 {
	n := uint64(0)
	for live := p.live; live != 0; live &= live - 1 {
		n |= p.part[bits.TrailingZeros8(live)&(fovShells-1)]
	}
	return n
}

// visit accumulates the tree under node n (address c, square r with
// corners at b in cs) for the pairs p, which r does not miss.
func (q *fovea) visit(n int32, c cell, r rect, cs *cgrid, b int, p *pairs) {
	nd := &q.t.nodes[n]
	if nd.isLeaf() || nd.lo == nd.hi {
		v := nd.mean
		q.whole(v, r, p)
		if q.need(p) != 0 {
			q.piece(v, r, cs, b, p)
		}
		return
	}
	g := q.g
	// The children in the band: the low or high z half of an eight-child
	// node, in child order (bit 0 x, bit 1 y).
	kz := 0
	if g.nchild(c.l) == 8 && q.iz >= c.z+g.sz(c.l)/2 {
		kz = 4
	}
	mid := g.child(c, kz|3)
	mx, my := float64(mid.x)*g.cx-q.ox, float64(mid.y)*g.cy-q.oy
	var u cgrid
	q.quarters(&u, r, mx, my, cs, b, p)
	var sp pairs // outside the loop, or escape analysis moves it to the heap
	for k := range 4 {
		sp = *p
		rk, bk := quarter(r, mx, my, k)
		if q.classify(rk, &u, bk, &sp) {
			q.visit(nd.child+int32(kz|k), g.child(c, kz|k), rk, &u, bk, &sp)
		}
	}
}

// quarter returns quarter k (bit 0: high x, bit 1: high y) of r split at
// (mx, my), and the index of its low corner in the quarters' cgrid.
func quarter(r rect, mx, my float64, k int) (rect, int) {
	if k&1 != 0 {
		r.x0 = mx
	} else {
		r.x1 = mx
	}
	if k&2 != 0 {
		r.y0 = my
	} else {
		r.y1 = my
	}
	return r, k>>1*3 + k&1
}

// quarters writes into u the corners of the quarters of r split at
// (mx, my), given the corners of r at b in cs and the pairs p it
// straddles.
func (q *fovea) quarters(u *cgrid, r rect, mx, my float64, cs *cgrid, b int, p *pairs) {
	u[0], u[2], u[6], u[8] = cs[b], cs[b+1], cs[b+3], cs[b+4]
	if q.wedge {
		need := q.need(p)
		u[1], u[3], u[4] = q.corner(mx, r.y0, need), q.corner(r.x0, my, need), q.corner(mx, my, need)
		u[5], u[7] = q.corner(r.x1, my, need), q.corner(mx, r.y1, need)
	}
}

// whole adds square r of uniform value v to every pair it lies inside.
func (q *fovea) whole(v float64, r rect, p *pairs) {
	var a float64
	have := false
	for live := p.live; live != 0; live &= live - 1 {
		k := bits.TrailingZeros8(live) & (fovShells - 1)
		for in := p.in[k]; in != 0; in &= in - 1 {
			if !have {
				a, have = r.area(), true
			}
			i := k*64 + bits.TrailingZeros64(in)
			q.sumVA[i] += float64(v * a)
			q.sumA[i] += a
		}
	}
}

// piece accumulates a square of uniform value v for the pairs it
// straddles: squares down to a shell's resolution are assigned by their
// centres, larger ones are cut into quarters.
func (q *fovea) piece(v float64, r rect, cs *cgrid, b int, p *pairs) {
	cut := false
	x, y := (r.x0+r.x1)/2, (r.y0+r.y1)/2
	wd, ht := r.x1-r.x0, r.y1-r.y0
	r2 := sq(x) + sq(y)
	epsA := 1e-12 * (abs(x) + abs(y))
	for live := p.live; live != 0; live &= live - 1 {
		k := bits.TrailingZeros8(live) & (fovShells - 1)
		part := p.part[k]
		if part == 0 {
			continue
		}
		if !(wd <= q.sh[k].res && ht <= q.sh[k].res) {
			cut = true
			continue
		}
		p.part[k] = 0
		wr := q.radialShare(k, r2)
		if wr == 0 {
			continue
		}
		area := r.area()
		for ; part != 0; part &= part - 1 {
			j := bits.TrailingZeros64(part)
			w := wr
			if q.wedge {
				w = q.angularShare(j, x, y, epsA, wr)
			}
			if w > 0 {
				a := float64(w * area)
				q.sumVA[k*64+j] += float64(v * a)
				q.sumA[k*64+j] += a
			}
		}
	}
	if !cut {
		return
	}
	// Only the straddled pairs of the shells still cutting go on.
	p.live = 0
	for k := range q.nsh {
		p.in[k] = 0
		if p.part[k] != 0 {
			p.live |= 1 << k
		}
	}
	mx, my := (r.x0+r.x1)/2, (r.y0+r.y1)/2
	var u cgrid
	corners := false
	var sp pairs // outside the loop, or escape analysis moves it to the heap
	for k := range 4 {
		sp = *p
		rk, bk := quarter(r, mx, my, k)
		if q.atRes(rk, &sp) {
			// Assigned by its centre for every pair left, with the share
			// that classifying it first would have given (see fovea).
			q.piece(v, rk, &u, bk, &sp)
			continue
		}
		if !corners {
			q.quarters(&u, r, mx, my, cs, b, p)
			corners = true
		}
		if q.classify(rk, &u, bk, &sp) {
			q.whole(v, rk, &sp)
			if q.need(&sp) != 0 {
				q.piece(v, rk, &u, bk, &sp)
			}
		}
	}
}

// atRes reports whether square r is down to the resolution of every shell
// with pairs in p.
func (q *fovea) atRes(r rect, p *pairs) bool {
	w, h := r.x1-r.x0, r.y1-r.y0
	for live := p.live; live != 0; live &= live - 1 {
		res := q.sh[bits.TrailingZeros8(live)&(fovShells-1)].res
		if !(w <= res && h <= res) {
			return false
		}
	}
	return true
}

// radialShare returns the radial part of the share of a resolution-limit
// square whose centre lies at squared distance r2 for shell k: 1 inside
// the annulus, 0 outside, a half when the centre lies on one of its
// circles (within rounding).
func (q *fovea) radialShare(k int, r2 float64) float64 {
	sh := &q.sh[k]
	eps := 1e-12 * r2
	if r2 < sh.rin2-eps || r2 > sh.rout2+eps {
		return 0
	}
	if r2 < sh.rin2+eps && sh.rin2 > 0 || r2 > sh.rout2-eps {
		return 0.5
	}
	return 1
}

// angularShare returns the share w of a resolution-limit square centred on
// (x, y) in sector j of a wedge, given its radial share: halved for each
// sector edge the centre lies on (within eps = 1e-12·(|x| + |y|)), 0
// outside the wedge.
func (q *fovea) angularShare(j int, x, y, eps, w float64) float64 {
	c := float64(q.e1x[j]*y) - float64(q.e1y[j]*x)
	switch {
	case c < -eps:
		return 0
	case c <= eps:
		w /= 2
	}
	c = float64(x*q.e2y[j]) - float64(y*q.e2x[j])
	switch {
	case c < -eps:
		return 0
	case c <= eps:
		w /= 2
	}
	return w
}
