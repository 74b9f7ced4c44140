package arena

import (
	"math"

	"gonum.org/v1/gonum/spatial/r2"
)

// grid is a uniform-grid spatial index over the map. Entries are sorted by
// cell key (row-major), so a query walks a few contiguous key ranges found
// by binary search: no per-cell arrays, nothing allocated after the first
// build, and ships that barely move keep the array nearly sorted, so the
// insertion sort that rebuilds it runs in about linear time.
type grid struct {
	minX, minY float64
	cell       float64
	cols, rows int
	keys       []int32  // sorted cell keys
	items      []int32  // ship index of each key
	occ        []uint64 // bit per cell holding an active ship (built grids)
	// rowAt[cy] is the position in keys of row cy's first cell (rows+1
	// entries) when the builder asked for it (indexRows: the sensor grid,
	// queried once per ship per tick); empty otherwise. query's search
	// for a row's cells then spans that row's keys only, not all of them.
	rowAt []int32
}

func newGrid(minX, minY, maxX, maxY, cell float64) grid {
	return grid{minX: minX, minY: minY, cell: cell,
		cols: int(math.Ceil((maxX-minX)/cell)) + 1, rows: int(math.Ceil((maxY-minY)/cell)) + 1}
}

func (g *grid) cellOf(p r2.Vec) (int, int) {
	return clampCell((p.X-g.minX)/g.cell, g.cols), clampCell((p.Y-g.minY)/g.cell, g.rows)
}

// clampCell is min(max(⌊v⌋, 0), n-1): truncation equals the floor once v
// is clamped below at 0.
func clampCell(v float64, n int) int {
	switch {
	case !(v > 0): // (NaN too)
		return 0
	case v >= float64(n-1):
		return n - 1
	}
	return int(v)
}

// build indexes the active ships; the previous order is the starting point.
func (g *grid) build(ships []Ship) { g.index(ships, 0, false) }

// buildMembers indexes the ships in members (a bit each, up to 64 ships),
// active or not.
func (g *grid) buildMembers(ships []Ship, members uint64) { g.index(ships, members, true) }

// index is build, with the ships in members taken as the active ones if
// masked.
func (g *grid) index(ships []Ship, members uint64, masked bool) {
	g.rowAt = g.rowAt[:0] // (indexRows rebuilds it)
	active := func(i int) bool {
		if masked {
			return members>>uint(i)&1 != 0
		}
		return ships[i].Alive()
	}
	if len(ships) <= bruteForceShips {
		// Small battles: queries visit every ship in index order, so only
		// liveness is recorded (key -1: inactive).
		if cap(g.keys) < len(ships) {
			g.keys = make([]int32, len(ships))
		}
		g.keys = g.keys[:len(ships)]
		for k := range ships {
			g.keys[k] = 0
			if !active(k) {
				g.keys[k] = -1
			}
		}
		return
	}
	if cap(g.items) < len(ships) {
		g.items = make([]int32, 0, len(ships))
		g.keys = make([]int32, 0, len(ships))
	}
	if len(g.items) == 0 || len(g.items) > len(ships) {
		g.items = g.items[:0]
		for i := range ships {
			g.items = append(g.items, int32(i))
		}
	}
	// Keep every ship (inactive ones get key -1 and sort first, never matched).
	for len(g.items) < len(ships) {
		g.items = append(g.items, int32(len(g.items)))
	}
	if g.occ == nil {
		g.occ = make([]uint64, (g.cols*g.rows+63)/64)
	}
	for _, key := range g.keys { // the previous build's cells
		if key >= 0 {
			g.occ[key>>6] = 0
		}
	}
	g.keys = g.keys[:len(g.items)]
	for k, i := range g.items {
		key := int32(-1)
		if active(int(i)) {
			key = g.key(&ships[i])
		}
		g.keys[k] = key
		if key >= 0 {
			g.occ[key>>6] |= 1 << (key & 63)
		}
	}
	for a := 1; a < len(g.keys); a++ {
		key, item := g.keys[a], g.items[a]
		b := a - 1
		for b >= 0 && (g.keys[b] > key || (g.keys[b] == key && g.items[b] > item)) {
			g.keys[b+1], g.items[b+1] = g.keys[b], g.items[b]
			b--
		}
		g.keys[b+1], g.items[b+1] = key, item
	}
}

// key is the cell key of an active ship.
func (g *grid) key(s *Ship) int32 {
	cx, cy := g.cellOf(s.Kin.Pos)
	return int32(cy*g.cols + cx)
}

// bruteForceShips is the battle size up to which a query simply visits
// every active ship: cheaper than searching the grid.
const bruteForceShips = 12

// small reports whether the index covers a small battle, where query
// visits every ship that was active at build in index order.
func (g *grid) small() bool { return len(g.keys) <= bruteForceShips }

// indexed reports, in a small battle, whether ship i was active at build.
func (g *grid) indexed(i int) bool { return g.keys[i] >= 0 }

// query calls fn with the index of every active ship whose cell lies within
// radius of p's cell neighbourhood (or, in small battles, every active
// ship), in ascending (cell, index) order; fn returns false to stop.
// Callers test the exact distance themselves. With rowAt built
// (indexRows) the search for a row's first cell spans that row's run of
// keys only (keys are sorted by cell): the same position as a search of
// every key, in fewer steps.
func (g *grid) query(p r2.Vec, radius float64, fn func(i int) bool) {
	if g.small() {
		for k, key := range g.keys {
			if key >= 0 && !fn(k) {
				return
			}
		}
		return
	}
	x0, y0 := g.cellOf(r2.Vec{X: p.X - radius, Y: p.Y - radius})
	x1, y1 := g.cellOf(r2.Vec{X: p.X + radius, Y: p.Y + radius})
	for cy := y0; cy <= y1; cy++ {
		lo, hi := int32(cy*g.cols+x0), int32(cy*g.cols+x1)
		if !g.occupied(lo, hi) {
			continue
		}
		from, to := 0, len(g.keys)
		if len(g.rowAt) > 0 {
			from, to = int(g.rowAt[cy]), int(g.rowAt[cy+1])
		}
		for k := g.lowerBound(lo, from, to); k < len(g.keys) && g.keys[k] <= hi; k++ {
			if !fn(int(g.items[k])) {
				return
			}
		}
	}
}

// indexRows builds rowAt for a built grid of more than bruteForceShips
// ships (inactive ones hold key -1 and sort first, before row 0's start).
func (g *grid) indexRows() {
	if g.small() {
		return
	}
	if cap(g.rowAt) < g.rows+1 {
		g.rowAt = make([]int32, g.rows+1)
	}
	g.rowAt = g.rowAt[:g.rows+1]
	k := 0
	for cy := 0; cy <= g.rows; cy++ {
		start := int32(cy * g.cols) // (row g.rows: past every key)
		for k < len(g.keys) && g.keys[k] < start {
			k++
		}
		g.rowAt[cy] = int32(k)
	}
}

// occupied reports whether any cell with a key in [lo, hi] holds a ship:
// most queries (a shell's path over open water) end here.
func (g *grid) occupied(lo, hi int32) bool {
	for w := lo >> 6; w <= hi>>6; w++ {
		word := g.occ[w]
		if w == lo>>6 {
			word &= ^uint64(0) << (lo & 63)
		}
		if w == hi>>6 {
			word &= ^uint64(0) >> (63 - hi&63)
		}
		if word != 0 {
			return true
		}
	}
	return false
}

// lowerBound is the position of the first key at or above key, for a key
// known to lie, if anywhere, among keys[lo:hi] (sorted keys: its position
// is then in [lo, hi]).
func (g *grid) lowerBound(key int32, lo, hi int) int {
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if g.keys[m] < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
