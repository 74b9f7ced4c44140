package morphospace

import (
	"math"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// Sub-cells of one shell-sector in FoveateSampled: radial rings × angular
// wedges, each read at one sample point.
const (
	sampledRings  = 2
	sampledWedges = 2
)

// FoveateSampled writes into out a sampled foveated observation of field f
// around the point (x, y) in the depth band containing z: for each annular
// sector of the polar grid that Foveate uses (the same shells, sectors and
// layout of out), a weighted mean of the field read at a few points of the
// sector from the tree's level means, a mip pyramid of the field that the
// tree keeps anyway. It is Foveate's cheap counterpart: its cost does not
// grow with the area of a sector (about 4 reads per value).
//
// Each shell-sector is split into 2 rings of equal width by 2 wedges of
// equal angle. The point of a sub-cell lies at its mid radius (r₀+r₁)/2 on
// its mid bearing: wedge m of sector j lies at a = (j + (m+½)/2 − ½)·2π/
// sectors from the heading, and its direction is the unit vector
// (cos a, sin a) turned by (cos heading, sin heading) with unfused
// products. Its weight is r₁² − r₀² (proportional to its
// area). A point (px, py) in the world reads the mean of the tree node at
// level L in cell (⌊px·k_x⌋, ⌊py·k_y⌋), k = 2^L / world size rounded once
// (at most 2^L − 1), or of the shallower leaf holding it, where L is the
// coarsest level no
// shallower than the first level whose nodes are one band thick whose node
// side s = max(cell x, cell y)·2^(MaxLevel−L) has s² ≤ (shell width / 2) ×
// (mid radius × wedge angle): the node is about as large as the sub-cell,
// so each read is a box-filtered value and the far shells see a coarse
// field, the near ones a fine one. Points outside the world are left out;
// a shell-sector all of whose points lie outside reads the field default.
// The mean is Σ w·v / Σ w, summed in ring-major, wedge-minor order.
//
// The node means are memoized per field, band and level (levels with at
// most 4^8 nodes; deeper ones are read by descending the tree): a cell is
// read from the tree once after each change of the Space, so a Space
// stepped once and observed many times pays for few descents. The result
// does not depend on the memo. FoveateSampled does not allocate once it has
// served a call for the same fields, bands and levels. Errors are those of
// Foveate.
func (s *Space) FoveateSampled(f FieldID, x, y, z, heading float64, shells []float64, sectors int, out []float64) error {
	if err := s.checkFoveate(f, x, y, z, heading, shells, sectors, out); err != nil {
		return err
	}
	if s.fovS == nil {
		s.fovS = new(sampledCache)
	}
	q := s.fovS
	q.directions(sectors)
	q.levelsFor(s, shells, sectors)
	hs, hc := dmath.SinCos(heading)
	// The bearings turned by the heading, once for every shell.
	q.rot = resize(q.rot, len(q.dir))
	for i, d := range q.dir {
		q.rot[i] = sampledDir{c: float64(hc*d.c) - float64(hs*d.s), s: float64(hs*d.c) + float64(hc*d.s)}
	}
	g := &s.g
	t := &s.trees[f]
	iz := gridIndex(z, g.cz, g.bands)
	def := s.reg.specs[f].Default
	rin := 0.0
	for k, rout := range shells {
		l := q.lv[k]
		ras := q.raster(s, f, iz, l)
		// The level-l node holding a point: the finest cell index
		// ⌊p / cell⌋ shifted right by sh is ⌊p / (cell·2^sh)⌋ (scaling by
		// a power of two is exact), clamped as gridIndex clamps.
		dr := (rout - rin) / sampledRings
		var rs, ws [sampledRings]float64
		for i := range sampledRings {
			r0 := rin + float64(float64(i)*dr)
			r1 := r0 + dr
			rs[i], ws[i] = (r0+r1)/2, sq(r1)-sq(r0)
		}
		q.shell(s, t, ras, out[k*sectors:k*sectors+sectors], x, y, iz, l, rs, ws, def)
		rin = rout
	}
	return nil
}

// shell writes into row the values of one shell whose rings have mid
// radii rs and weights ws, reading level l (from ras, or the tree t when
// ras is nil).
func (q *sampledCache) shell(s *Space, t *tree, ras *levelRaster, row []float64, x, y float64, iz, l int32,
	rs, ws [sampledRings]float64, def float64) {
	g := &s.g
	sizeX, sizeY := s.cfg.SizeX, s.cfg.SizeY
	gen := s.gen + 1
	// The level-l cell of a point: ⌊p·(2^l / size)⌋, the factor rounded
	// once (a product, not a quotient, per point), at most 2^l − 1.
	sh := g.maxLevel - l
	nl := int32(1) << l
	kx, ky := float64(nl)/sizeX, float64(nl)/sizeY
	rot := q.rot[:len(row)*sampledWedges]
	for j := range row {
		sumW, sumWV := 0.0, 0.0
		dirs := rot[j*sampledWedges : j*sampledWedges+sampledWedges]
		for i := range sampledRings {
			r, w := rs[i], ws[i]
			for m := range sampledWedges {
				px, py := x+float64(r*dirs[m].c), y+float64(r*dirs[m].s)
				if !(px >= 0 && px < sizeX && py >= 0 && py < sizeY) {
					continue
				}
				ix, iy := int32(float64(px*kx)), int32(float64(py*ky))
				if ix >= nl {
					ix = nl - 1
				}
				if iy >= nl {
					iy = nl - 1
				}
				var v float64
				if ras != nil {
					c := &ras.cells[int(iy)*int(nl)+int(ix)]
					if v = c.v; c.tag != gen {
						v = ras.fill(s, t, c, ix, iy)
					}
				} else {
					v = deepRead(g, t, ix<<sh, iy<<sh, iz, l)
				}
				sumW += w
				sumWV += float64(w * v)
			}
		}
		v := def
		if sumW > 0 {
			v = sumWV / sumW
		}
		row[j] = v
	}
}

// deepRead is the mean of the level-l node (or shallower leaf) holding the
// finest-grid point (x, y, z), for levels too deep to memoize. It is kept
// out of line so that the sample loop keeps its registers.
//
//go:noinline
func deepRead(g *geom, t *tree, x, y, z, l int32) float64 {
	return t.nodes[locateNode(g, t, x, y, z, l)].mean
}

// sampledLevel returns the level FoveateSampled reads for the shell from
// rin to rout cut into sectors sectors.
func (s *Space) sampledLevel(rin, rout float64, sectors int) int32 {
	g := &s.g
	lmin := int32(0)
	for g.sz(lmin) > 1 {
		lmin++
	}
	angle := 2 * math.Pi / float64(sectors*sampledWedges)
	area := float64((rout-rin)/sampledRings) * float64((rin+rout)/2*angle)
	side := max(g.cx, g.cy)
	l := g.maxLevel
	for l > lmin && sq(float64(side*2)) <= area {
		side *= 2
		l--
	}
	return l
}

// levelsFor fills q.lv with the level of each shell, unless q.lv already
// holds those of the same shells and sectors.
func (q *sampledCache) levelsFor(s *Space, shells []float64, sectors int) {
	if q.lvSectors == sectors && len(q.shells) == len(shells) && len(q.lv) == len(shells) {
		same := true
		for k, r := range shells {
			same = same && q.shells[k] == r
		}
		if same {
			return
		}
	}
	q.lvSectors = sectors
	q.shells = append(q.shells[:0], shells...)
	q.lv = resize(q.lv, len(shells))
	rin := 0.0
	for k, rout := range shells {
		q.lv[k] = s.sampledLevel(rin, rout, sectors)
		rin = rout
	}
}

// sampledDir is the unrotated unit vector of a wedge's mid bearing.
type sampledDir struct{ c, s float64 }

// sampledCache is FoveateSampled's scratch: the wedge directions of the
// last sector count, and the level rasters.
type sampledCache struct {
	sectors   int
	dir       []sampledDir // unrotated, per sector and wedge
	rot       []sampledDir // turned by the heading of the current call
	shells    []float64    // the shells of lv
	lvSectors int          // the sector count of lv
	lv        []int32      // the level each shell reads (sampledLevel)
	ras       []levelRaster
}

// levelRaster memoizes the means of the level-l nodes of field f in
// band iz (a shallower leaf's value in each node it covers), x fastest.
type levelRaster struct {
	f     FieldID
	iz    int32
	l     int32
	used  uint64 // the Space's generation when last used
	cells []rasterCell
}

// rasterCell is a node mean as of the Space's generation tag − 1.
type rasterCell struct {
	v   float64
	tag uint64
}

// fill reads the mean of the level-r.l node (or shallower leaf) of t
// holding level-r.l cell (ix, iy) in band r.iz into raster cell c.
func (r *levelRaster) fill(s *Space, t *tree, c *rasterCell, ix, iy int32) float64 {
	sh := s.g.maxLevel - r.l
	n := locateNode(&s.g, t, ix<<sh, iy<<sh, r.iz, r.l)
	*c = rasterCell{v: t.nodes[n].mean, tag: s.gen + 1}
	return c.v
}

// maxRasterLevel is the deepest level FoveateSampled rasterizes.
const maxRasterLevel = 8

// maxRasters bounds the rasters a Space keeps.
const maxRasters = 16

// directions fills q.dir for sectors sectors: wedge m of sector j has mid
// bearing (j + (m + 1/2)/wedges − 1/2)·2π/sectors.
func (q *sampledCache) directions(sectors int) {
	if q.sectors == sectors && len(q.dir) == sectors*sampledWedges {
		return
	}
	q.sectors = sectors
	q.dir = resize(q.dir, sectors*sampledWedges)
	for j := range sectors {
		for m := range sampledWedges {
			a := sampledBearing(j, m, sectors)
			sn, cs := dmath.SinCos(a)
			q.dir[j*sampledWedges+m] = sampledDir{c: cs, s: sn}
		}
	}
}

// sampledBearing is the mid bearing of wedge m of sector j, relative to
// the heading.
func sampledBearing(j, m, sectors int) float64 {
	u := float64(j) + (float64(m)+0.5)/sampledWedges - 0.5
	return float64(u*(2*math.Pi)) / float64(sectors)
}

// raster returns the level-l raster of field f in band iz, or nil when l
// is too deep to rasterize.
func (q *sampledCache) raster(s *Space, f FieldID, iz, l int32) *levelRaster {
	if l > maxRasterLevel {
		return nil
	}
	for i := range q.ras {
		if r := &q.ras[i]; r.f == f && r.iz == iz && r.l == l {
			r.used = s.gen
			return r
		}
	}
	var r *levelRaster
	if len(q.ras) < maxRasters {
		q.ras = append(q.ras, levelRaster{})
		r = &q.ras[len(q.ras)-1]
	} else {
		r = &q.ras[0] // the least recently used
		for i := range q.ras {
			if q.ras[i].used < r.used {
				r = &q.ras[i]
			}
		}
	}
	*r = levelRaster{f: f, iz: iz, l: l, used: s.gen, cells: resize(r.cells, 1<<(2*l))}
	clear(r.cells)
	return r
}
