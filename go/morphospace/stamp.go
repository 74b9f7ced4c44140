package morphospace

import (
	"fmt"
	"math"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// stampSamples is the number of sample points per axis used to estimate how
// much of a partly covered leaf a stamp covers.
const stampSamples = 4

// Stamp applies st to field f. Nodes split only where the shape partly covers
// them (or its falloff varies across them) and the change would vary across
// the node by more than the field's SplitTol, down to MaxLevel; a leaf that
// cannot or need not split takes the blend weighted by the mean falloff
// weight over the part it covers, estimated on a 4×4×4 grid of sample points.
// Nor does a leaf split where the split would take the Space past its
// MaxLeaves, or once the stamp has created MaxLeaves leaves: a stamp's work
// is bounded by the leaf budget.
// A shape too small to hit any sample still reaches the cell holding its
// centre, weighted by the ratio of the shape's volume to the cell's.
// Cells outside the shape are untouched.
func (s *Space) Stamp(f FieldID, st Stamp) error {
	if err := s.checkField(f); err != nil {
		return err
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("morphospace: stamp on field %q: %s: %w", s.reg.specs[f].Name, fmt.Sprintf(format, args...), ErrInvalidArgument)
	}
	if err := st.Shape.validate(); err != nil {
		return bad("%v", err)
	}
	if math.IsNaN(st.Value) || math.IsInf(st.Value, 0) {
		return bad("value %g is not finite", st.Value)
	}
	if st.Blend > Lerp {
		return bad("unknown blend mode %d", st.Blend)
	}
	if st.Blend == Lerp && !(st.Alpha >= 0 && st.Alpha <= 1) {
		return bad("lerp alpha %g is outside [0, 1]", st.Alpha)
	}
	if st.Falloff.Kind > Smooth {
		return bad("unknown falloff kind %d", st.Falloff.Kind)
	}
	if !(st.Falloff.Inner >= 0 && st.Falloff.Inner < 1) {
		return bad("falloff inner %g is outside [0, 1)", st.Falloff.Inner)
	}
	if st.MaxLevel < 0 {
		return bad("max level %d is negative", st.MaxLevel)
	}
	if st.Samples < 0 || st.Samples > stampSamples {
		return bad("samples %d is outside [0, %d]", st.Samples, stampSamples)
	}
	s.gen++
	p := stamper{s: s, t: &s.trees[f], spec: &s.reg.specs[f], st: &st, shapeVol: st.Shape.volume(), maxLevel: s.g.maxLevel}
	if st.MaxLevel > 0 {
		p.maxLevel = min(p.maxLevel, int32(min(st.MaxLevel, MaxLevelLimit)))
	}
	if p.samples = st.Samples; p.samples == 0 {
		p.samples = stampSamples
	}
	p.visit(0, s.g.root())
	return nil
}

// stamper carries one stamp through the tree.
type stamper struct {
	s        *Space
	t        *tree
	spec     *FieldSpec
	st       *Stamp
	shapeVol float64
	maxLevel int32 // deepest level this stamp splits to
	samples  int   // sample points per axis of a partly covered leaf
	grown    int   // leaves this stamp has created
}

// visit applies the stamp to the subtree at node n with address c.
func (p *stamper) visit(n int32, c cell) {
	g := &p.s.g
	b := g.box(c)
	cover, tlo, thi := p.st.Shape.classify(b)
	if cover == outside {
		return
	}
	fo := p.st.Falloff
	whi := fo.weight(tlo)
	wlo := 0.0
	if cover == inside {
		wlo = fo.weight(thi)
	}
	t := p.t
	if !t.nodes[n].isLeaf() {
		if cover == inside && wlo == 1 && p.st.overwrites() {
			t.collapse(g, n, c.l, p.spec.clamp(p.st.Value))
			return
		}
		p.children(n, c)
		return
	}
	old := t.nodes[n].mean
	d := p.st.target(old) - old
	if abs(d)*(whi-wlo) > p.spec.SplitTol && c.l < p.maxLevel && p.room(g.nchild(c.l)) {
		t.split(n, g.nchild(c.l))
		p.children(n, c)
		return
	}
	var w float64
	switch {
	case wlo == whi:
		w = whi
	case cover == inside:
		w = fo.weight(p.st.Shape.t(b.center()))
	default:
		w = p.sampledWeight(b)
	}
	if w > 0 {
		t.nodes[n].setValue(p.spec.clamp(old + float64(w*d)))
	}
}

// room reports whether a leaf may split into nc: the Space stays within its
// leaf budget, and so do the leaves this stamp has created in all (leaves
// merge again as a stamp moves on, so the budget on live leaves alone would
// not bound its work).
func (p *stamper) room(nc int) bool {
	budget := p.s.cfg.maxLeaves()
	if p.grown+nc-1 > budget || p.s.totalLeaves()+nc-1 > budget {
		return false
	}
	p.grown += nc - 1
	return true
}

// children visits the children of internal node n and settles n.
func (p *stamper) children(n int32, c cell) {
	g := &p.s.g
	b := p.t.nodes[n].child
	for k := range g.nchild(c.l) {
		p.visit(b+int32(k), g.child(c, k))
	}
	p.t.settle(g, n, c.l, p.spec.MergeTol)
}

// sampledWeight estimates the mean stamp weight over the box b of a partly
// covered leaf.
func (p *stamper) sampledWeight(b Box) float64 {
	n := p.samples
	// The sample coordinates along each axis, as the triple loop over
	// Vec3{x, y, z} computed them.
	var xs, ys, zs [stampSamples]float64
	for i := range n {
		f := (float64(i) + 0.5) / float64(n)
		xs[i] = b.Min.X + float64(f*(b.Max.X-b.Min.X))
		ys[i] = b.Min.Y + float64(f*(b.Max.Y-b.Min.Y))
		zs[i] = b.Min.Z + float64(f*(b.Max.Z-b.Min.Z))
	}
	sum := 0.0
	if sh := &p.st.Shape; sh.Kind == Sphere {
		// Shape.t of a sphere is Sqrt(dist2)/Radius with dist2 summed x, y,
		// z: the squared offsets per axis are the same products, so the
		// sums keep their bits.
		var dx, dy, dz [stampSamples]float64
		for i := range n {
			dx[i], dy[i], dz[i] = sq(xs[i]-sh.A.X), sq(ys[i]-sh.A.Y), sq(zs[i]-sh.A.Z)
		}
		// A sample farther than R²·(1 + 2⁻³⁰) has t > 1 however the square
		// root and the division round: weight 0, and adding +0 to the sum
		// (never −0: weights are ≥ 0) changes no bit, so it is skipped.
		far := float64(sh.Radius*sh.Radius) * (1 + 0x1p-30)
		for k := range n {
			for j := range n {
				for i := range n {
					if d2 := dx[i] + dy[j] + dz[k]; d2 <= far {
						sum += p.st.Falloff.weight(dmath.Sqrt(d2) / sh.Radius)
					}
				}
			}
		}
	} else {
		for k := range n {
			for j := range n {
				for i := range n {
					sum += p.st.Falloff.weight(sh.t(Vec3{xs[i], ys[j], zs[k]}))
				}
			}
		}
	}
	if sum == 0 {
		a := p.st.Shape.anchor()
		if a.X >= b.Min.X && a.X < b.Max.X && a.Y >= b.Min.Y && a.Y < b.Max.Y && a.Z >= b.Min.Z && a.Z < b.Max.Z {
			return min(1, p.shapeVol/b.volume())
		}
		return 0
	}
	return sum / float64(n*n*n)
}
