package morphospace

// noChild marks a leaf.
const noChild = -1

// node is one tree node. Children are stored contiguously in the pool,
// starting at child; a leaf's value is its mean.
type node struct {
	child    int32   // index of the first child, or noChild
	mean     float64 // volume-weighted mean of the leaves beneath (the value of a leaf)
	variance float64 // volume-weighted variance of the leaves beneath
	lo, hi   float64 // minimum and maximum leaf value beneath
}

// isLeaf reports whether n has no children.
func (n *node) isLeaf() bool { return n.child == noChild }

// setValue makes n a leaf-valued node holding v.
func (n *node) setValue(v float64) {
	n.mean, n.variance, n.lo, n.hi = v, 0, v, v
}

// tree is the sparse tree of one field. Nodes live in a pool of blocks of
// eight slots (a split node with four children uses the first four); freed
// blocks are reused last-in first-out, so the pool layout is a deterministic
// function of the operation sequence. The pool layout never affects results:
// every traversal follows child order.
type tree struct {
	nodes  []node
	free   []int32 // first slots of free blocks
	leaves int
	topo   uint64 // incremented whenever the set of leaves changes
	cache  stepCache
}

// newTree returns a tree whose root is a single leaf holding v.
func newTree(v float64) tree {
	t := tree{nodes: make([]node, 1, 64), leaves: 1}
	t.nodes[0] = node{child: noChild}
	t.nodes[0].setValue(v)
	return t
}

// clone returns a deep copy of t without its step cache.
func (t *tree) clone() tree {
	return tree{
		nodes:  append([]node(nil), t.nodes...),
		free:   append([]int32(nil), t.free...),
		leaves: t.leaves,
		topo:   t.topo,
	}
}

// split turns leaf n into a parent of nc leaves that inherit its value.
func (t *tree) split(n int32, nc int) {
	var b int32
	if k := len(t.free); k > 0 {
		b = t.free[k-1]
		t.free = t.free[:k-1]
	} else {
		b = int32(len(t.nodes))
		t.nodes = append(t.nodes, make([]node, 8)...)
	}
	v := t.nodes[n].mean
	for k := range int32(nc) {
		t.nodes[b+k] = node{child: noChild}
		t.nodes[b+k].setValue(v)
	}
	t.nodes[n].child = b
	t.leaves += nc - 1
	t.topo++
}

// collapse frees every descendant of n and makes it a leaf holding v.
func (t *tree) collapse(g *geom, n int32, l int32, v float64) {
	if !t.nodes[n].isLeaf() {
		t.release(g, n, l)
		t.topo++
	}
	t.nodes[n].setValue(v)
}

// release frees the descendants of internal node n (at level l) and marks n
// a leaf, keeping the leaf count right.
func (t *tree) release(g *geom, n int32, l int32) {
	nc := g.nchild(l)
	b := t.nodes[n].child
	for k := range int32(nc) {
		if !t.nodes[b+k].isLeaf() {
			t.release(g, b+k, l+1)
		}
	}
	t.nodes[n].child = noChild
	t.free = append(t.free, b)
	t.leaves -= nc - 1
}

// pull recomputes the statistics of internal node n from its nc children,
// which all have the same volume, and reports whether they are all leaves.
func (t *tree) pull(n int32, nc int) (allLeaves bool) {
	b := t.nodes[n].child
	ch := t.nodes[b : b+int32(nc)]
	inv := 1 / float64(nc) // exact: nc is 4 or 8
	sum, lo, hi := 0.0, ch[0].lo, ch[0].hi
	allLeaves = true
	for i := range ch {
		sum += ch[i].mean
		lo, hi = min(lo, ch[i].lo), max(hi, ch[i].hi)
		allLeaves = allLeaves && ch[i].isLeaf()
	}
	mean := sum * inv
	v := 0.0
	for i := range ch {
		v += ch[i].variance + sq(ch[i].mean-mean)
	}
	p := &t.nodes[n]
	p.mean, p.variance, p.lo, p.hi = mean, v*inv, lo, hi
	return allLeaves
}

// settle recomputes statistics of internal node n at level l after its
// children changed, and merges them into n when they are leaves whose
// values agree within tol. The merged value is their mean, which keeps the
// integral of the field.
func (t *tree) settle(g *geom, n int32, l int32, tol float64) {
	nc := g.nchild(l)
	if t.pull(n, nc) && t.nodes[n].hi-t.nodes[n].lo <= tol {
		m := t.nodes[n].mean
		t.free = append(t.free, t.nodes[n].child)
		t.nodes[n].child = noChild
		t.nodes[n].setValue(min(max(m, t.nodes[n].lo), t.nodes[n].hi))
		t.leaves -= nc - 1
		t.topo++
	}
}

// settleAll refreshes the statistics of the whole subtree at n bottom-up,
// merging where the children agree within tol.
func (t *tree) settleAll(g *geom, n int32, l int32, tol float64) {
	if t.nodes[n].isLeaf() {
		v := t.nodes[n].mean
		t.nodes[n].setValue(v)
		return
	}
	b := t.nodes[n].child
	for k := range int32(g.nchild(l)) {
		t.settleAll(g, b+k, l+1, tol)
	}
	t.settle(g, n, l, tol)
}
