package morphospace

// Vec3 is a point or extent in world metres: X east, Y north, Z depth below
// the surface (positive down).
type Vec3 struct{ X, Y, Z float64 }

// Box is the axis-aligned box [Min, Max) in world metres.
type Box struct{ Min, Max Vec3 }

// sq returns x², rounded so that it cannot fuse with a following addition.
func sq(x float64) float64 { return float64(x * x) }

// abs returns |x|.
func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// empty reports whether b has no volume.
func (b Box) empty() bool {
	return !(b.Min.X < b.Max.X && b.Min.Y < b.Max.Y && b.Min.Z < b.Max.Z)
}

// volume returns the volume of b in m³ (0 when empty).
func (b Box) volume() float64 {
	if b.empty() {
		return 0
	}
	return float64(float64((b.Max.X-b.Min.X)*(b.Max.Y-b.Min.Y)) * (b.Max.Z - b.Min.Z))
}

// intersect returns the intersection of b and o (possibly empty).
func (b Box) intersect(o Box) Box {
	return Box{
		Min: Vec3{max(b.Min.X, o.Min.X), max(b.Min.Y, o.Min.Y), max(b.Min.Z, o.Min.Z)},
		Max: Vec3{min(b.Max.X, o.Max.X), min(b.Max.Y, o.Max.Y), min(b.Max.Z, o.Max.Z)},
	}
}

// center returns the centre of b.
func (b Box) center() Vec3 {
	return Vec3{(b.Min.X + b.Max.X) / 2, (b.Min.Y + b.Max.Y) / 2, (b.Min.Z + b.Max.Z) / 2}
}

// dist2 returns the squared distance from p to the nearest point of b.
func (b Box) dist2(p Vec3) float64 {
	return sq(gap(p.X, b.Min.X, b.Max.X)) + sq(gap(p.Y, b.Min.Y, b.Max.Y)) + sq(gap(p.Z, b.Min.Z, b.Max.Z))
}

// far2 returns the squared distance from p to the farthest corner of b.
func (b Box) far2(p Vec3) float64 {
	return sq(max(abs(p.X-b.Min.X), abs(p.X-b.Max.X))) +
		sq(max(abs(p.Y-b.Min.Y), abs(p.Y-b.Max.Y))) +
		sq(max(abs(p.Z-b.Min.Z), abs(p.Z-b.Max.Z)))
}

// gap returns the distance from x to the interval [lo, hi].
func gap(x, lo, hi float64) float64 {
	if x < lo {
		return lo - x
	}
	if x > hi {
		return x - hi
	}
	return 0
}

// corner returns corner k (bit 0: x, bit 1: y, bit 2: z) of b.
func (b Box) corner(k int) Vec3 {
	c := b.Min
	if k&1 != 0 {
		c.X = b.Max.X
	}
	if k&2 != 0 {
		c.Y = b.Max.Y
	}
	if k&4 != 0 {
		c.Z = b.Max.Z
	}
	return c
}

// cell addresses a tree node: its level and the integer coordinates of its
// low corner, x and y in finest cells and z in depth bands.
type cell struct{ l, x, y, z int32 }

// geom holds the integer geometry shared by all trees of a Space.
type geom struct {
	maxLevel   int32
	bands      int32
	cx, cy, cz float64 // finest cell size in metres
}

// sxy returns the x and y extent of a level-l node in finest cells.
func (g *geom) sxy(l int32) int32 { return 1 << (g.maxLevel - l) }

// sz returns the z extent of a level-l node in bands.
func (g *geom) sz(l int32) int32 { return max(1, g.bands>>l) }

// nchild returns the number of children of a split level-l node.
func (g *geom) nchild(l int32) int {
	if g.sz(l) > 1 {
		return 8
	}
	return 4
}

// child returns the address of child k (bit 0: x, bit 1: y, bit 2: z) of c.
func (g *geom) child(c cell, k int) cell {
	h := g.sxy(c.l) / 2
	hz := g.sz(c.l) / 2
	return cell{c.l + 1, c.x + int32(k&1)*h, c.y + int32(k>>1&1)*h, c.z + int32(k>>2&1)*hz}
}

// box returns the metre box of c.
func (g *geom) box(c cell) Box {
	s, sz := g.sxy(c.l), g.sz(c.l)
	return Box{
		Min: Vec3{float64(c.x) * g.cx, float64(c.y) * g.cy, float64(c.z) * g.cz},
		Max: Vec3{float64(c.x+s) * g.cx, float64(c.y+s) * g.cy, float64(c.z+sz) * g.cz},
	}
}

// volume returns the volume in m³ of a level-l node.
func (g *geom) volume(l int32) float64 {
	s := float64(g.sxy(l))
	return float64(float64(float64(s*g.cx)*float64(s*g.cy)) * float64(float64(g.sz(l))*g.cz))
}

// root returns the address of the root node.
func (g *geom) root() cell { return cell{} }
