package morphospace

import (
	"fmt"
	"math"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// stepCache holds the finite-volume view of one tree: its leaves in
// pre-order and the faces between adjacent leaves. It is rebuilt only when
// the tree's topology changes, and its buffers are reused, so steps on a tree
// whose shape did not change allocate nothing.
type stepCache struct {
	valid bool
	topo  uint64

	// While build enumerates the leaves: the previous leaf addresses, and
	// whether the new ones agree with them so far.
	prev []cell
	same bool

	leafNode []int32   // pool index of each leaf
	leafCell []cell    // address of each leaf
	invVol   []float64 // 1 / volume of each leaf
	ord      []int32   // pool index → leaf ordinal (valid for leaves only)

	// Faces between leaves i (low side) and j (high side) along axis.
	fi, fj []int32
	axis   []uint8
	cond   []float64 // area / centre distance, m
	area   []float64 // m²

	// Per-step work buffers.
	steps         float64   // transport sub-steps of the prepared step
	vel, ai, aj   []float64 // per face
	vals, delta   []float64 // per leaf
	rate, cu, cvv []float64 // per leaf
}

// resize returns s with length n, reusing its storage when possible.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// build refreshes the cache of t if its topology changed. The faces
// depend only on the leaves' addresses in pre-order: when the changes left
// those as they were (a stamp's splits merged again by a step, say), the
// faces stand and only the leaves' pool indices are refreshed.
func (c *stepCache) build(g *geom, t *tree) {
	if c.valid && c.topo == t.topo {
		return
	}
	c.prev, c.same = c.leafCell, c.valid
	c.valid, c.topo = true, t.topo
	c.leafNode, c.leafCell, c.invVol = c.leafNode[:0], c.leafCell[:0], c.invVol[:0]
	c.ord = resize(c.ord, len(t.nodes))
	c.enumerate(g, t, 0, g.root())
	same := c.same && len(c.leafCell) == len(c.prev)
	c.prev = nil
	if same {
		return
	}
	c.fi, c.fj, c.axis, c.cond, c.area = c.fi[:0], c.fj[:0], c.axis[:0], c.cond[:0], c.area[:0]
	var path ancestors
	c.faces(g, t, 0, g.root(), &path)
}

// ancestors holds the nodes on the path from the root to a leaf, indexed
// by level, and their addresses.
type ancestors struct {
	node [MaxLevelLimit + 1]int32
	cell [MaxLevelLimit + 1]cell
}

// faces appends the faces of the leaves under n (address at) in pre-order,
// each leaf's along axes 0, 1, 2: the order of the leaves' ordinals.
// path holds n's ancestors.
func (c *stepCache) faces(g *geom, t *tree, n int32, at cell, path *ancestors) {
	if t.nodes[n].isLeaf() {
		i := c.ord[n]
		for a := range uint8(3) {
			c.neighbours(g, t, i, at, a, path)
		}
		return
	}
	path.node[at.l], path.cell[at.l] = n, at
	b := t.nodes[n].child
	for k := range g.nchild(at.l) {
		c.faces(g, t, b+int32(k), g.child(at, k), path)
	}
}

// enumerate lists the leaves under n in pre-order.
func (c *stepCache) enumerate(g *geom, t *tree, n int32, at cell) {
	if t.nodes[n].isLeaf() {
		i := len(c.leafNode)
		// (c.prev shares c.leafCell's storage: read slot i before the
		// append writes it.)
		if c.same && (i >= len(c.prev) || c.prev[i] != at) {
			c.same = false
		}
		c.ord[n] = int32(i)
		c.leafNode = append(c.leafNode, n)
		c.leafCell = append(c.leafCell, at)
		c.invVol = append(c.invVol, 1/g.volume(at.l))
		return
	}
	b := t.nodes[n].child
	for k := range g.nchild(at.l) {
		c.enumerate(g, t, b+int32(k), g.child(at, k))
	}
}

// neighbours appends the faces on the high side of leaf i (address lc,
// ancestors path) along axis a. Each face between two leaves is found
// exactly once: from the low-side leaf.
func (c *stepCache) neighbours(g *geom, t *tree, i int32, lc cell, a uint8, path *ancestors) {
	s, sz := g.sxy(lc.l), g.sz(lc.l)
	tx, ty, tz := lc.x, lc.y, lc.z
	switch a {
	case 0:
		tx += s
	case 1:
		ty += s
	default:
		tz += sz
	}
	if tx >= g.sxy(0) || ty >= g.sxy(0) || tz >= g.bands {
		return // closed boundary
	}
	// The search from the root passes through the nearest ancestor holding
	// the target point: start there.
	l := lc.l - 1
	for l > 0 && !path.cell[l].holds(g, tx, ty, tz) {
		l--
	}
	n, nc := locateFrom(g, t, path.node[l], path.cell[l], tx, ty, tz, lc.l)
	if t.nodes[n].isLeaf() {
		c.face(g, i, c.ord[n], lc, nc, a, lc)
		return
	}
	c.lowSide(g, t, i, lc, n, nc, a)
}

// lowSide appends a face from leaf i to every leaf under n touching n's low
// side along axis a.
func (c *stepCache) lowSide(g *geom, t *tree, i int32, lc cell, n int32, nc cell, a uint8) {
	if t.nodes[n].isLeaf() {
		c.face(g, i, c.ord[n], lc, nc, a, nc)
		return
	}
	b := t.nodes[n].child
	k8 := g.nchild(nc.l)
	for k := range k8 {
		if (a == 0 && k&1 != 0) || (a == 1 && k&2 != 0) || (a == 2 && k8 == 8 && k&4 != 0) {
			continue
		}
		c.lowSide(g, t, i, lc, b+int32(k), g.child(nc, k), a)
	}
}

// extent returns the size in metres of a level-l node along axis a.
func (g *geom) extent(l int32, a uint8) float64 {
	switch a {
	case 0:
		return float64(g.sxy(l)) * g.cx
	case 1:
		return float64(g.sxy(l)) * g.cy
	}
	return float64(g.sz(l)) * g.cz
}

// face appends the face between leaves i and j (addresses ci, cj) along
// axis a, whose area is the cross-section of the smaller cell small.
func (c *stepCache) face(g *geom, i, j int32, ci, cj cell, a uint8, small cell) {
	var area float64
	switch a {
	case 0:
		area = float64(g.extent(small.l, 1) * g.extent(small.l, 2))
	case 1:
		area = float64(g.extent(small.l, 0) * g.extent(small.l, 2))
	default:
		area = float64(g.extent(small.l, 0) * g.extent(small.l, 1))
	}
	d := (g.extent(ci.l, a) + g.extent(cj.l, a)) / 2
	c.fi = append(c.fi, i)
	c.fj = append(c.fj, j)
	c.axis = append(c.axis, a)
	c.area = append(c.area, area)
	c.cond = append(c.cond, area/d)
}

// locate returns the deepest node at level ≤ maxl containing the finest-grid
// point (x, y, z), and its address.
func locate(g *geom, t *tree, x, y, z int32, maxl int32) (int32, cell) {
	return locateFrom(g, t, 0, g.root(), x, y, z, maxl)
}

// holds reports whether node c contains the finest-grid point (x, y, z).
func (c cell) holds(g *geom, x, y, z int32) bool {
	s, sz := g.sxy(c.l), g.sz(c.l)
	return x >= c.x && x < c.x+s && y >= c.y && y < c.y+s && z >= c.z && z < c.z+sz
}

// locateFrom is locate starting at node n (address c), which contains the
// point.
func locateFrom(g *geom, t *tree, n int32, c cell, x, y, z int32, maxl int32) (int32, cell) {
	for c.l < maxl && !t.nodes[n].isLeaf() {
		h, hz := g.sxy(c.l)/2, g.sz(c.l)/2
		k := 0
		if x >= c.x+h {
			k |= 1
		}
		if y >= c.y+h {
			k |= 2
		}
		if g.nchild(c.l) == 8 && z >= c.z+hz {
			k |= 4
		}
		n, c = t.nodes[n].child+int32(k), g.child(c, k)
	}
	return n, c
}

// Step advances every field by dt seconds, in field order. Per field it
// applies, by operator splitting: transport (diffusion and upwind advection
// by the current at the start of the step, explicit finite volumes on the
// leaves, sub-stepped so that every cell stays a convex combination of its
// neighbours), then exact exponential decay toward the default,
// v ← d + (v − d)·exp(−k·dt), then clamping to the field range. Every dt ≥ 0
// is stable; the number of transport sub-steps is ⌈dt·r⌉, where r is the
// largest total exchange rate of any leaf (about 2·D·(2/dx² + 1/dz²) for
// uniform cells). Step never splits a node; afterwards sibling leaves that
// agree within MergeTol merge.
//
// A Step's work is bounded: the transport sub-steps of all fields together,
// each counted as the field's faces plus leaves, may not exceed
// MaxStepWork. Step checks this before changing anything and refuses a
// larger dt (ErrInvalidArgument): take several shorter steps instead.
func (s *Space) Step(dt float64) error {
	if !(dt >= 0) || math.IsInf(dt, 0) {
		return fmt.Errorf("morphospace: step: dt %g is not a finite non-negative duration: %w", dt, ErrInvalidArgument)
	}
	if dt == 0 {
		return nil
	}
	iu, iv, flowing := s.currents()
	for f := range s.trees {
		if flowing && s.reg.specs[f].Advect {
			s.faceVelocities(FieldID(f), iu, iv)
		}
	}
	work := 0.0
	for f := range s.trees {
		work += s.prepareField(FieldID(f), dt, flowing && s.reg.specs[f].Advect)
	}
	if work > MaxStepWork {
		return fmt.Errorf("morphospace: step: dt %g s takes %.3g sub-step updates, more than %d; take shorter steps: %w",
			dt, work, MaxStepWork, ErrInvalidArgument)
	}
	s.gen++
	for f := range s.trees {
		s.stepField(FieldID(f), dt, flowing && s.reg.specs[f].Advect)
	}
	return nil
}

// MaxStepWork bounds the work of one Space.Step (sub-steps × (faces +
// leaves), all fields together) and of one Grid.Step (sub-steps × cells):
// about a second of computation.
const MaxStepWork = 1 << 30

// currents returns the current fields and whether any current is non-zero.
func (s *Space) currents() (iu, iv FieldID, flowing bool) {
	iu, eu := s.reg.Lookup(CurrentU)
	iv, ev := s.reg.Lookup(CurrentV)
	if eu != nil || ev != nil {
		return -1, -1, false
	}
	ru, rv := &s.trees[iu].nodes[0], &s.trees[iv].nodes[0]
	still := ru.lo == 0 && ru.hi == 0 && rv.lo == 0 && rv.hi == 0
	return iu, iv, !still
}

// faceVelocities samples the current at every leaf centre of field f and
// stores the velocity normal to each face, the mean of the two sides.
func (s *Space) faceVelocities(f, iu, iv FieldID) {
	t := &s.trees[f]
	c := &t.cache
	c.build(&s.g, t)
	nl := len(c.leafNode)
	c.cu, c.cvv = resize(c.cu, nl), resize(c.cvv, nl)
	for i, lc := range c.leafCell {
		p := s.g.box(lc).center()
		c.cu[i] = s.At(iu, p.X, p.Y, p.Z)
		c.cvv[i] = s.At(iv, p.X, p.Y, p.Z)
	}
	c.vel = resize(c.vel, len(c.fi))
	for k := range c.fi {
		i, j := c.fi[k], c.fj[k]
		switch c.axis[k] {
		case 0:
			c.vel[k] = (c.cu[i] + c.cu[j]) / 2
		case 1:
			c.vel[k] = (c.cvv[i] + c.cvv[j]) / 2
		default:
			c.vel[k] = 0
		}
	}
}

// prepareField sets up field f's step by dt (its leaf values and exchange
// rates, and the number of transport sub-steps) without changing the field,
// and returns the work that stepField will do; advect says whether
// faceVelocities has prepared the current for it.
func (s *Space) prepareField(f FieldID, dt float64, advect bool) float64 {
	spec := &s.reg.specs[f]
	t := &s.trees[f]
	c := &t.cache
	c.steps = 0
	if spec.Diffusion == 0 && !advect {
		if spec.Decay == 0 {
			return 0
		}
		return float64(t.leaves)
	}
	c.build(&s.g, t)
	nl := len(c.leafNode)
	c.vals, c.delta, c.rate = resize(c.vals, nl), resize(c.delta, nl), resize(c.rate, nl)
	for i, n := range c.leafNode {
		c.vals[i] = t.nodes[n].mean
		c.delta[i] = 0
		c.rate[i] = 0
	}
	c.rates(spec.Diffusion, advect)
	maxRate := 0.0
	for _, r := range c.rate {
		maxRate = max(maxRate, r)
	}
	if maxRate == 0 {
		return float64(nl)
	}
	c.steps = math.Ceil(float64(dt * maxRate))
	return c.steps*float64(len(c.fi)+nl) + float64(nl)
}

// stepField advances field f by dt, as prepareField set it up.
func (s *Space) stepField(f FieldID, dt float64, advect bool) {
	spec := &s.reg.specs[f]
	t := &s.trees[f]
	if spec.Diffusion == 0 && spec.Decay == 0 && !advect {
		return
	}
	fac := 1.0
	if spec.Decay > 0 {
		fac = dmath.Exp(-float64(spec.Decay * dt))
	}
	if spec.Diffusion == 0 && !advect {
		s.decayTree(t, 0, 0, spec, fac)
		t.settleAll(&s.g, 0, 0, spec.MergeTol)
		return
	}
	c := &t.cache
	c.transport(dt)
	for i, n := range c.leafNode {
		v := c.vals[i]
		if fac != 1 {
			v = spec.Default + float64((v-spec.Default)*fac)
		}
		t.nodes[n].setValue(spec.clamp(v))
	}
	t.settleAll(&s.g, 0, 0, spec.MergeTol)
}

// rates computes each face's exchange coefficients (c.ai, c.aj, per unit
// time) and each leaf's total rate (c.rate).
func (c *stepCache) rates(diff float64, advect bool) {
	nf := len(c.fi)
	c.ai, c.aj = resize(c.ai, nf), resize(c.aj, nf)
	for k := range nf {
		i, j := c.fi[k], c.fj[k]
		di, dj := float64(diff*c.cond[k]), float64(diff*c.cond[k])
		if advect {
			// Upwind, advective form: the downstream cell relaxes toward the
			// upstream one at rate |v|·A/V.
			if v := c.vel[k]; v > 0 {
				dj += float64(v * c.area[k])
			} else if v < 0 {
				di -= float64(v * c.area[k])
			}
		}
		c.ai[k], c.aj[k] = float64(di*c.invVol[i]), float64(dj*c.invVol[j])
		c.rate[i] += c.ai[k]
		c.rate[j] += c.aj[k]
	}
}

// transport runs the c.steps explicit finite-volume sub-steps prepared by
// rates on c.vals.
func (c *stepCache) transport(dt float64) {
	if c.steps == 0 {
		return
	}
	nf := len(c.fi)
	steps := c.steps
	h := dt / steps
	for k := range nf {
		c.ai[k] = float64(c.ai[k] * h)
		c.aj[k] = float64(c.aj[k] * h)
	}
	vals, delta := c.vals, c.delta
	fi, fj, ai, aj := c.fi, c.fj[:nf], c.ai[:nf], c.aj[:nf]
	for range int(steps) {
		for k, i := range fi {
			j := fj[k]
			d := vals[j] - vals[i]
			delta[i] += float64(ai[k] * d)
			delta[j] -= float64(aj[k] * d)
		}
		for i := range vals {
			vals[i] += delta[i]
			delta[i] = 0
		}
	}
}

// decayTree applies the decay factor fac to every leaf under n.
func (s *Space) decayTree(t *tree, n int32, l int32, spec *FieldSpec, fac float64) {
	if t.nodes[n].isLeaf() {
		v := t.nodes[n].mean
		t.nodes[n].setValue(spec.clamp(spec.Default + float64((v-spec.Default)*fac)))
		return
	}
	b := t.nodes[n].child
	for k := range int32(s.g.nchild(l)) {
		s.decayTree(t, b+k, l+1, spec, fac)
	}
}
