package morphospace

import (
	"math"
	"math/bits"
)

// At returns the value of field f at the point (x, y, z) in metres. Points
// outside the world are clamped onto its boundary. At panics if f is not a
// field of s.
func (s *Space) At(f FieldID, x, y, z float64) float64 {
	t := &s.trees[f]
	g := &s.g
	ix := gridIndex(x, g.cx, g.sxy(0))
	iy := gridIndex(y, g.cy, g.sxy(0))
	iz := gridIndex(z, g.cz, g.bands)
	n := locateNode(g, t, ix, iy, iz, g.maxLevel)
	return t.nodes[n].mean
}

// gridIndex returns the index of the cell of size h holding coordinate v,
// clamped to [0, n).
func gridIndex(v, h float64, n int32) int32 {
	i := math.Floor(v / h)
	if !(i >= 0) { // also catches NaN
		return 0
	}
	if i >= float64(n) {
		return n - 1
	}
	return int32(i)
}

// Budget bounds the work of a Volume query.
type Budget struct {
	// Variance: a node whose cached variance is at most this is summarized
	// by its cached mean instead of being descended. Zero descends until the
	// values are uniform.
	Variance float64
	// MinSize: a node whose horizontal cell size (metres, along x) is at most
	// this is summarized by its mean. Zero descends to the leaves.
	MinSize float64
}

// Volume returns the volume-weighted mean of field f over the part of box b
// inside the world, or the field default when that part is empty. It
// descends the tree only into nodes that overlap b, and stops at leaves,
// at nodes whose variance is within budget.Variance, and at nodes no larger
// than budget.MinSize. A node that only partly overlaps b and is summarized
// contributes its mean over its overlap; the error this causes is bounded by
// the budget. Volume panics if f is not a field of s.
func (s *Space) Volume(f FieldID, b Box, budget Budget) float64 {
	b = b.intersect(s.Bounds())
	if b.empty() {
		return s.reg.specs[f].Default
	}
	q := volumeQuery{s: s, t: &s.trees[f], b: b, budget: budget}
	q.visit(0, s.g.root())
	if q.vol == 0 {
		return s.reg.specs[f].Default
	}
	return q.sum / q.vol
}

// volumeQuery accumulates a Volume query.
type volumeQuery struct {
	s        *Space
	t        *tree
	b        Box
	budget   Budget
	sum, vol float64
}

func (q *volumeQuery) visit(n int32, c cell) {
	g := &q.s.g
	ov := g.box(c).intersect(q.b).volume()
	if ov == 0 {
		return
	}
	nd := &q.t.nodes[n]
	if nd.isLeaf() || nd.lo == nd.hi || nd.variance <= q.budget.Variance || g.extent(c.l, 0) <= q.budget.MinSize {
		q.sum += float64(nd.mean * ov)
		q.vol += ov
		return
	}
	b := nd.child
	for k := range g.nchild(c.l) {
		q.visit(b+int32(k), g.child(c, k))
	}
}

// locateNode returns the deepest node at level ≤ maxl holding the
// finest-grid point (x, y, z): the node locate finds, by the bits of the
// coordinates (a child's x half is bit maxLevel−l−1 of x; its z half, while
// nodes span several bands, bit log₂(bands)−l−1 of z) instead of cell
// arithmetic.
func locateNode(g *geom, t *tree, x, y, z int32, maxl int32) int32 {
	zb := int32(bits.TrailingZeros32(uint32(g.bands))) // nodes above level zb span several bands
	n := int32(0)
	for l := int32(0); l < maxl; l++ {
		c := t.nodes[n].child
		if c == noChild {
			break
		}
		sh := g.maxLevel - l - 1
		k := x>>sh&1 | (y>>sh&1)<<1
		if l < zb {
			k |= (z >> (zb - l - 1) & 1) << 2
		}
		n = c + k
	}
	return n
}
