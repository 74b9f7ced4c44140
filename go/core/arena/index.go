package arena

import (
	"math"
	bits64 "math/bits"
	"slices"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// Spatial queries. The sensor phase finds the ships near each sensing ship
// in sgrid, a coarse copy of the collision grid rebuilt at the start of the
// phase; a query returns a superset of the ships within reach and the
// callers apply the same tests as before, to candidates in index order, so
// a tick visits pairs in the same order and draws the same random numbers
// as a loop over every ship. World.bruteForce (tests) turns every index
// off: TestIndexMatchesBruteForce plays battles both ways.

// indexShips is the battle size up to which nearShips visits every ship:
// cheaper than the grid query and the sort.
const indexShips = 64

// senseCell is the cell size (m) of sgrid for a battle whose longest sensor
// or radar-emission range is reach: a query then spans a few cells a side.
func senseCell(reach float64) float64 { return max(1000, reach/4) }

// nearShips returns ships whose positions may lie within radius of ship i,
// in index order: every active ship in a battle of up to indexShips ships
// (i included: the caller skips it), else the active ones other than i
// found in the grid. The slice is scratch, reused by the next call.
func (w *World) nearShips(i int, radius float64) []candidate {
	if w.bruteForce || len(w.Ships) <= indexShips {
		return w.active // (prepareSensing)
	}
	buf := w.near[:0]
	// The grid visits cells, not indices: mark the ships in a bitset and
	// read it in index order.
	bits := w.nearBits
	w.sgrid.query(w.Ships[i].Kin.Pos, radius, func(j int) bool {
		bits[j>>6] |= 1 << (j & 63)
		return true
	})
	bits[i>>6] &^= 1 << (i & 63)
	for k, word := range bits {
		for word != 0 {
			j := k<<6 | bits64.TrailingZeros64(word)
			word &= word - 1
			if w.Ships[j].Alive() {
				buf = append(buf, w.targets[j].candidate(j))
			}
		}
		bits[k] = 0
	}
	w.near = buf
	return buf
}

// indexTorpedoes lists the torpedoes in the water for the sensor phase
// (and notes which teams fired them), sorted by cell when there are many.
func (w *World) indexTorpedoes() {
	w.torps, w.torpTeams = w.torps[:0], 0
	for k := range w.projectiles {
		if p := &w.projectiles[k]; p.Alive && p.Kind == Torpedo {
			w.torps = append(w.torps, int32(k))
			w.torpTeams |= 1 << min(w.Ships[p.Owner].Team, 63)
		}
	}
	w.torpKeys = w.torpKeys[:0]
	if len(w.torps) <= w.indexTorps || w.bruteForce {
		return
	}
	for _, k := range w.torps {
		cx, cy := w.sgrid.cellOf(w.projectiles[k].Pos)
		w.torpKeys = append(w.torpKeys, int64(cy*w.sgrid.cols+cx)<<32|int64(k))
	}
	slices.Sort(w.torpKeys)
}

// indexTorps is the number of torpedoes up to which a hearing ship checks
// every one (World.indexTorps, which tests lower).
const indexTorps = 16

// nearTorpedoes returns the torpedoes in the water that may lie within
// radius of p, in projectile order. The slice is scratch.
func (w *World) nearTorpedoes(p r2.Vec, radius float64) []int32 {
	if len(w.torpKeys) == 0 {
		return w.torps
	}
	g := &w.sgrid
	x0, y0 := g.cellOf(r2.Vec{X: p.X - radius, Y: p.Y - radius})
	x1, y1 := g.cellOf(r2.Vec{X: p.X + radius, Y: p.Y + radius})
	buf := w.nearTorps[:0]
	for cy := y0; cy <= y1; cy++ {
		lo, hi := int64(cy*g.cols+x0)<<32, int64(cy*g.cols+x1+1)<<32
		k, _ := slices.BinarySearch(w.torpKeys, lo)
		for ; k < len(w.torpKeys) && w.torpKeys[k] < hi; k++ {
			buf = append(buf, int32(w.torpKeys[k]))
		}
	}
	slices.Sort(buf)
	w.nearTorps = buf
	return buf
}

// Track queries. In a battle of more than indexShips ships the readers of
// the track tables (weapon targeting, the scripted controllers' best
// contact, the contact reward term and the observation's nearest tracks)
// search a per-team index of the picture instead of every slot: the
// occupied slots of the picture by group (hostile tracks by quality, and
// friendly ones), each sorted by (cell, target). A ship's private slots
// override the picture's and are few: the queries check them one by one.
// Every query ranks with the same key as the scan it replaces, ties going
// to the lower target index, so the answer does not depend on the order
// of the search.

// Groups of the picture index.
const (
	groupFriendly = 4 // hostile tracks are grouped by quality, 0 to 3
	numGroups     = 5
	allGroups     = 1<<numGroups - 1
)

// trackCell is the cell size (m) of the track index: about one ship and
// a half per cell at the battle's mean density.
func trackCell(b *contract.Bounds, ships int) float64 {
	area := (b.MaxX - b.MinX) * (b.MaxY - b.MinY)
	return max(1000, 1.5*math.Sqrt(area/float64(max(ships, 1))))
}

// picIndex is a team picture's index; built lazily, at most once per
// picture (teamTracks.gen).
type picIndex struct {
	gen    uint64 // the picture generation it was built from (0: never)
	groups [numGroups][]int64
	count  int // occupied slots
	// In a battle of at most 64 ships the groups are bitsets of targets
	// instead (small), and a query visits every slot of its groups: the
	// queries rank independently of the order of the visits, and at that
	// size the scan costs less than the cells.
	small bool
	bits  [numGroups]uint64
	// The occupied slots of a small index by layer bucket (layerBucket),
	// and the union of the buckets each weapon kind may hit (layerOK) and
	// each kit's weapons may engage (kit.canEngage, by kit.arms): a query
	// masks a group with them instead of testing each slot's layer.
	layers [numLayerBuckets]uint64
	hits   [numWeaponKinds]uint64
	engage [numArms]uint64
}

// numLayerBuckets is the number of layerBucket values.
const numLayerBuckets = 5

// layerBucket sorts a track's layer into the classes layerOK and
// kit.canEngage tell apart: unknown (any negative value), surface,
// submerged, transitioning, and anything above (none in practice). Every
// layer of a bucket answers both as bucketLayer(bucket) does.
func layerBucket(layer int8) int { return int(min(max(layer, -1), 3)) + 1 }

// bucketLayer is a layer of bucket b.
func bucketLayer(b int) int8 { return int8(b - 1) }

// engageable returns the occupied slots of a small index whose layer kit k
// can engage (all of them for a nil kit).
func (x *picIndex) engageable(k *kit) uint64 {
	if k == nil {
		return x.layers[0] | x.layers[1] | x.layers[2] | x.layers[3] | x.layers[4]
	}
	return x.engage[k.arms()]
}

// has reports whether group g holds a slot.
func (x *picIndex) has(g int) bool {
	if x.small {
		return x.bits[g] != 0
	}
	return len(x.groups[g]) > 0
}

// each calls fn with every slot of the groups in mask (small indexes).
func (x *picIndex) each(mask int, fn func(j int)) {
	for g := range numGroups {
		if mask&(1<<g) == 0 {
			continue
		}
		for b := x.bits[g]; b != 0; b &= b - 1 {
			fn(bits64.TrailingZeros64(b))
		}
	}
}

// picGroup is the index group of an occupied picture slot.
func picGroup(tr *Track) int {
	if !tr.Hostile {
		return groupFriendly
	}
	return int(tr.Quality)
}

// useIndex reports whether track queries search the picture index.
func (w *World) useIndex() bool { return len(w.Ships) > bruteForceShips && !w.bruteForce }

// picIndexOf returns team t's picture index, brought up to date. (Small
// enough to inline: every track query asks, and the index is rebuilt at
// most once a tick.)
func (w *World) picIndexOf(t int) *picIndex {
	tt := &w.teamTr[t]
	if tt.idx.gen != tt.gen {
		w.buildPicIndex(tt)
	}
	return &tt.idx
}

// buildPicIndex rebuilds team picture tt's index.
func (w *World) buildPicIndex(tt *teamTracks) {
	x := &tt.idx
	x.gen, x.count = tt.gen, 0
	if x.small = len(tt.pic) <= 64; x.small {
		x.bits, x.layers, x.hits, x.engage = [numGroups]uint64{}, [numLayerBuckets]uint64{}, [numWeaponKinds]uint64{}, [numArms]uint64{}
		for j := range tt.pic {
			if tr := &tt.pic[j]; tr.Quality >= 0 {
				x.bits[picGroup(tr)] |= 1 << j
				x.layers[layerBucket(tr.Layer)] |= 1 << j
				x.count++
			}
		}
		for b, slots := range x.layers {
			if slots == 0 {
				continue
			}
			for k := range WeaponKind(numWeaponKinds) {
				if layerOK(k, bucketLayer(b)) {
					x.hits[k] |= slots
				}
			}
			for a := range x.engage {
				if armsKit(a).canEngage(bucketLayer(b)) {
					x.engage[a] |= slots
				}
			}
		}
		return
	}
	for g := range x.groups {
		x.groups[g] = x.groups[g][:0]
	}
	g := &w.tgrid
	for j := range tt.pic {
		tr := &tt.pic[j]
		if tr.Quality < 0 {
			continue
		}
		cx, cy := g.cellOf(tr.Pos)
		k := picGroup(tr)
		x.groups[k] = append(x.groups[k], int64(cy*g.cols+cx)<<32|int64(j))
		x.count++
	}
	for k := range x.groups {
		slices.Sort(x.groups[k])
	}
}

// cellRange calls fn with every entry of the groups in mask whose cell lies
// in columns [x0, x1] of row cy.
func (w *World) cellRange(x *picIndex, mask int, cy, x0, x1 int, fn func(j int)) {
	g := &w.tgrid
	if cy < 0 || cy >= g.rows {
		return
	}
	x0, x1 = max(x0, 0), min(x1, g.cols-1)
	if x0 > x1 {
		return
	}
	lo, hi := int64(cy*g.cols+x0)<<32, int64(cy*g.cols+x1+1)<<32
	for k := range numGroups {
		if mask&(1<<k) == 0 {
			continue
		}
		es := x.groups[k]
		i, _ := slices.BinarySearch(es, lo)
		for ; i < len(es) && es[i] < hi; i++ {
			fn(int(int32(es[i])))
		}
	}
}

// picSquare calls fn with every entry of the groups in mask whose cell
// overlaps the square of half-side r around p (a small index: every entry
// of the groups).
func (w *World) picSquare(x *picIndex, mask int, p r2.Vec, r float64, fn func(j int)) {
	if x.small {
		x.each(mask, fn)
		return
	}
	g := &w.tgrid
	x0, y0 := g.cellOf(r2.Vec{X: p.X - r, Y: p.Y - r})
	x1, y1 := g.cellOf(r2.Vec{X: p.X + r, Y: p.Y + r})
	for cy := y0; cy <= y1; cy++ {
		w.cellRange(x, mask, cy, x0, x1, fn)
	}
}

// picRings calls fn with every entry of the groups in mask, ring by ring
// of cells outward from p's cell, and after each ring asks more whether to
// go on, with a lower bound on the distance from p of anything in later
// rings. A small index visits every entry of the groups, without more.
func (w *World) picRings(x *picIndex, mask int, p r2.Vec, fn func(j int), more func(bound float64) bool) {
	if x.small {
		x.each(mask, fn)
		return
	}
	g := &w.tgrid
	cx, cy := g.cellOf(p)
	last := max(cx, g.cols-1-cx, cy, g.rows-1-cy)
	for k := 0; k <= last; k++ {
		if k == 0 {
			w.cellRange(x, mask, cy, cx, cx, fn)
		} else {
			w.cellRange(x, mask, cy-k, cx-k, cx+k, fn)
			w.cellRange(x, mask, cy+k, cx-k, cx+k, fn)
			for y := cy - k + 1; y <= cy+k-1; y++ {
				w.cellRange(x, mask, y, cx-k, cx-k, fn)
				w.cellRange(x, mask, y, cx+k, cx+k, fn)
			}
		}
		// Ring k+1 starts k cells beyond p's cell on some axis; a metre
		// of margin covers rounding in the callers' distances.
		if !more(float64(k)*g.cell - 1) {
			return
		}
	}
}

// overridden reports whether ship i's slot on j is not the picture's: a
// private slot, or its own.
func (w *World) overridden(i, j int) bool {
	return overriddenBy(w.shipTr[i].priv, i, j)
}

// overriddenBy is overridden for a ship i whose private slots are priv
// (most ships hold none: no search).
func overriddenBy(priv []heldTrack, i, j int) bool {
	return j == i || (len(priv) > 0 && lookup(priv, j) != nil)
}

// picSlots returns, for a small index, the targets whose slot ship i reads
// from the picture, as a bitset: every target but those overriddenBy priv
// (a query masks the groups with it).
func picSlots(priv []heldTrack, i int) uint64 {
	m := uint64(1) << i
	for p := range priv {
		m |= 1 << priv[p].j
	}
	return ^m
}

// picSlot is ship i's slot on j read from the picture, for a j that the
// index returned and overridden rejected.
func (w *World) picSlot(i, j int) *Track { return &w.teamTr[w.Ships[i].Team].pic[j] }

// targetIndexed is target for a battle with an index.
func (w *World) targetIndexed(s *Ship, k WeaponKind, reach float64) int {
	i := int(s.ID - 1)
	if w.shipTr[i].gone {
		return -1
	}
	x, priv := w.picIndexOf(s.Team), w.shipTr[i].priv
	if x.small {
		return w.targetSmall(s, x, k, reach)
	}
	for q := int8(3); q >= minQuality[k]; q-- {
		best, bestR := -1, 0.0
		try := func(j int, tr *Track) {
			if tr.Quality != q || !tr.Hostile || !layerOK(k, tr.Layer) {
				return
			}
			d := r2.Sub(tr.Pos, s.Kin.Pos)
			if abs(d.X) > reach || abs(d.Y) > reach {
				return
			}
			if r := dmath.Hypot(d.X, d.Y); r <= reach && (best < 0 || r < bestR || (r == bestR && j < best)) {
				best, bestR = j, r
			}
		}
		if x.has(int(q)) {
			w.picSquare(x, 1<<q, s.Kin.Pos, reach, func(j int) {
				if !w.overridden(i, j) {
					try(j, w.picSlot(i, j))
				}
			})
		}
		for p := range priv {
			try(int(priv[p].j), &priv[p].tr)
		}
		if best >= 0 {
			return best
		}
	}
	return -1
}

// targetSmall is targetIndexed with a small picture index, in one pass
// instead of one per quality (as bestTrackSmall): the private slots and
// the hostile groups' slots ranked by (quality, range, target), the order
// in which the passes, highest quality first, each nearest with ties to
// the lower target, would have found them.
func (w *World) targetSmall(s *Ship, x *picIndex, k WeaponKind, reach float64) int {
	i := int(s.ID - 1)
	b := newRankedTarget(k, reach, s.Kin.Pos)
	priv := w.shipTr[i].priv
	for p := range priv {
		if tr := &priv[p].tr; b.fits(tr) {
			b.rank(int(priv[p].j), tr)
		}
	}
	// A slot of hostile group g ≥ floor in a layer the weapon hits fits
	// but for the reach: the choice's quality is at most g while the
	// group's slots are ranked, so floor stays at most g.
	pic, hits := w.teamTr[s.Team].pic, x.hits[k]&picSlots(priv, i)
	for g := int8(3); g >= b.floor; g-- { // (a lower group cannot beat quality bestQ)
		for bs := x.bits[g] & hits; bs != 0; bs &= bs - 1 {
			if j := bits64.TrailingZeros64(bs); b.within(&pic[j]) {
				b.rank(j, &pic[j])
			}
		}
	}
	return b.best
}

// rankedTarget is targetSmall's choice so far.
type rankedTarget struct {
	best        int
	bestQ, minQ int8
	floor       int8  // max(minQ, bestQ): the lowest quality that may beat the choice
	span        uint8 // 3 - floor: the qualities that may, above floor
	k           WeaponKind
	bestD       r2.Vec  // the choice's offset from the shooter …
	bestS       float64 // … and its squared range (rangeSquare)
	reach       float64
	reach2      float64 // reachSquared(reach)
	at          r2.Vec  // the shooter's position
}

// newRankedTarget starts target's choice for a weapon of kind k with range
// reach at pos: none yet.
func newRankedTarget(k WeaponKind, reach float64, pos r2.Vec) rankedTarget {
	minQ := minQuality[k]
	return rankedTarget{best: -1, bestQ: -1, minQ: minQ, floor: minQ, span: uint8(3 - minQ), k: k,
		reach: reach, reach2: reachSquared(reach), at: pos}
}

// fits reports whether tr may beat the choice so far: hostile, of a
// quality the weapon needs and no lower than the choice's, in a layer it
// can hit, and within reach along both axes.
func (b *rankedTarget) fits(tr *Track) bool {
	return uint8(tr.Quality-b.floor) <= b.span && tr.Hostile && layerOK(b.k, tr.Layer) && b.within(tr)
}

// within reports whether tr lies within reach along both axes (the range
// is at least either offset: the test spares rank's Hypot). (Small enough
// to inline.)
func (b *rankedTarget) within(tr *Track) bool {
	return abs(tr.Pos.X-b.at.X) <= b.reach && abs(tr.Pos.Y-b.at.Y) <= b.reach
}

// rank makes track j (tr, which fits) the choice if it is within reach and
// beats it: higher quality, then nearer, then the lower target. The ranges
// are Hypot's, as target's; rank compares their squares where these
// decide (squareOrder) and takes the Hypots only where they do not.
func (b *rankedTarget) rank(j int, tr *Track) {
	d := r2.Sub(tr.Pos, b.at)
	s := rangeSquare(d)
	if o := squareOrder(s, b.reach2); o > 0 || (o == 0 && !(dmath.Hypot(d.X, d.Y) <= b.reach)) {
		return // out of reach
	}
	if tr.Quality == b.bestQ { // (it is at least bestQ)
		o := squareOrder(s, b.bestS)
		if o == 0 {
			o = cmpRange(dmath.Hypot(d.X, d.Y), dmath.Hypot(b.bestD.X, b.bestD.Y))
		}
		if o > 0 || (o == 0 && j > b.best) {
			return
		}
	}
	b.best, b.bestQ, b.bestD, b.bestS = j, tr.Quality, d, s
	b.floor = max(b.minQ, b.bestQ)
	b.span = uint8(3 - b.floor)
}

// rangeSquare is the square of offset d's length as rank rounds it.
func rangeSquare(d r2.Vec) float64 { return float64(d.X*d.X) + float64(d.Y*d.Y) }

// reachSquared is the rangeSquare of an offset of length reach, (reach, 0),
// whose Hypot is reach (NaN for a negative reach, which no range is
// within: squareOrder leaves it to Hypot).
func reachSquared(reach float64) float64 {
	if reach < 0 {
		return math.NaN()
	}
	return float64(reach * reach)
}

// squareOrder compares the ranges (Hypot) of two offsets by their
// rangeSquares sa and sb: -1 where the first is surely the shorter, 1
// where it is surely the longer, 0 where the squares do not decide. They
// decide when both lie in [2^-900, 2^900] and differ by more than a part
// in 2^30: a rangeSquare is then within 3 ulp of the exact square, and
// Hypot within one ulp of the exact range, errors far too small to swap
// ranges that far apart.
func squareOrder(sa, sb float64) int {
	const lo, hi, margin = 0x1p-900, 0x1p900, 0x1p-30
	switch {
	case !(sa >= lo && sa <= hi && sb >= lo && sb <= hi):
		return 0
	case sa < float64(sb*(1-margin)):
		return -1
	case sb < float64(sa*(1-margin)):
		return 1
	}
	return 0
}

// cmpRange is -1, 0 or 1 as range a is below, equal to or above b (1 for
// NaN: no choice).
func cmpRange(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a == b:
		return 0
	}
	return 1
}

// nearestIndexed returns ship i's nearest occupied slot among the picture
// groups in mask and the private slots that pass keep, by squared
// distance (dist2, or the Hypot with hypot set) then target index, and
// that distance; -1 for none.
func (w *World) nearestIndexed(i, mask int, hypot bool, keep func(tr *Track) bool) (int, float64) {
	if w.shipTr[i].gone {
		return -1, 0
	}
	s := &w.Ships[i]
	x, priv := w.picIndexOf(s.Team), w.shipTr[i].priv
	best, bestD := -1, 0.0
	try := func(j int, tr *Track) {
		if !keep(tr) {
			return
		}
		d := r2.Sub(tr.Pos, s.Kin.Pos)
		r := float64(d.X*d.X) + float64(d.Y*d.Y)
		if hypot {
			r = dmath.Hypot(d.X, d.Y)
		}
		if best < 0 || r < bestD || (r == bestD && j < best) {
			best, bestD = j, r
		}
	}
	for p := range priv {
		try(int(priv[p].j), &priv[p].tr)
	}
	any := false
	for g := range numGroups {
		any = any || (mask&(1<<g) != 0 && x.has(g))
	}
	if !any {
		return best, bestD
	}
	if x.small { // every slot of the groups, without a call per slot
		pic, own := w.teamTr[s.Team].pic, picSlots(priv, i)
		for g := range numGroups {
			if mask&(1<<g) == 0 {
				continue
			}
			for b := x.bits[g] & own; b != 0; b &= b - 1 {
				j := bits64.TrailingZeros64(b)
				try(j, &pic[j])
			}
		}
		return best, bestD
	}
	w.picRings(x, mask, s.Kin.Pos, func(j int) {
		if !w.overridden(i, j) {
			try(j, w.picSlot(i, j))
		}
	}, func(bound float64) bool {
		if best < 0 || bound <= 0 {
			return true
		}
		if hypot {
			return bound <= bestD
		}
		return float64(bound*bound) <= bestD
	})
	return best, bestD
}

// bestTrack returns the index of ship s's most useful track (highest
// quality, then smallest squared range, then lowest index) among its
// occupied slots that are hostile (if hostile) and that kit k can engage
// (k.canEngage of the track's layer; any track when k is nil), or -1. It is the scripted controllers' contact query: in a battle with
// an index it searches the picture's index quality by quality.
func (w *World) bestTrack(s *Ship, hostile bool, k *kit) int {
	i := int(s.ID - 1)
	if !w.useIndex() {
		best, bestQ, bestR := -1, int8(-1), 0.0
		visit := func(j int, tr *Track) {
			if (hostile && !tr.Hostile) || (k != nil && !k.canEngage(tr.Layer)) {
				return
			}
			r := dist2(tr.Pos, s.Kin.Pos)
			if tr.Quality > bestQ || (tr.Quality == bestQ && r < bestR) {
				best, bestQ, bestR = j, tr.Quality, r
			}
		}
		if pic, ok := w.plain(i); ok {
			for j := range pic {
				if pic[j].Quality >= 0 && j != i {
					visit(j, &pic[j])
				}
			}
			return best
		}
		for it := w.tracks(i); it.next(); {
			visit(it.j, it.tr)
		}
		return best
	}
	if w.shipTr[i].gone {
		return -1
	}
	if x := w.picIndexOf(s.Team); x.small {
		return w.bestTrackSmall(s, x, hostile, k)
	}
	for q := int8(3); q >= 0; q-- {
		mask := 1 << q
		if !hostile {
			mask |= 1 << groupFriendly
		}
		j, _ := w.nearestIndexed(i, mask, false, func(tr *Track) bool {
			return tr.Quality == q && (!hostile || tr.Hostile) && (k == nil || k.canEngage(tr.Layer))
		})
		if j >= 0 {
			return j
		}
	}
	return -1
}

// bestTrackSmall is bestTrack with a small picture index, in one pass
// instead of one nearestIndexed per quality: the private slots and the
// groups' slots ranked by (quality, squared range, target) — the order in
// which the passes, highest quality first, each nearest with ties to the
// lower target, would have found them. A slot counts at its own quality
// 0 to 3 (a hostile group's slot only at the group's quality, as the pass
// for that quality alone visits it).
func (w *World) bestTrackSmall(s *Ship, x *picIndex, hostile bool, k *kit) int {
	i := int(s.ID - 1)
	best, bestQ, bestD := -1, int8(-1), 0.0
	try := func(j int, tr *Track) {
		q := tr.Quality
		if q < 0 || q < bestQ || q > 3 || (hostile && !tr.Hostile) || (k != nil && !k.canEngage(tr.Layer)) {
			return
		}
		d := r2.Sub(tr.Pos, s.Kin.Pos)
		r := float64(d.X*d.X) + float64(d.Y*d.Y)
		if q > bestQ || r < bestD || (r == bestD && j < best) {
			best, bestQ, bestD = j, q, r
		}
	}
	priv := w.shipTr[i].priv
	for p := range priv {
		try(int(priv[p].j), &priv[p].tr)
	}
	// A slot of hostile group g (hostile, of quality g) in a layer the kit
	// can engage passes try's tests but for the rank: the choice's quality
	// is at most g while the group's slots are ranked.
	pic, own, engage := w.teamTr[s.Team].pic, picSlots(priv, i), x.engageable(k)
	at := s.Kin.Pos
	for g := 3; g >= 0 && g >= int(bestQ); g-- { // (a lower group cannot beat quality bestQ)
		for b := x.bits[g] & engage & own; b != 0; b &= b - 1 {
			j := bits64.TrailingZeros64(b)
			d := r2.Sub(pic[j].Pos, at)
			if r := float64(d.X*d.X) + float64(d.Y*d.Y); g > int(bestQ) || r < bestD || (r == bestD && j < best) {
				best, bestQ, bestD = j, int8(g), r
			}
		}
	}
	if !hostile { // (not used by the controllers: friendly slots of any quality)
		for b := x.bits[groupFriendly] & own; b != 0; b &= b - 1 {
			j := bits64.TrailingZeros64(b)
			try(j, &pic[j])
		}
	}
	return best
}

// nearestTrack returns the index of ship s's nearest occupied slot (by
// squared range, then index) among those that are hostile (if hostile)
// and pass keep (if not nil), and that squared range; -1 for none.
func (w *World) nearestTrack(s *Ship, hostile bool, keep func(tr *Track) bool) (int, float64) {
	i := int(s.ID - 1)
	ok := func(tr *Track) bool { return (!hostile || tr.Hostile) && (keep == nil || keep(tr)) }
	if !w.useIndex() {
		best, bestR := -1, 0.0
		visit := func(j int, tr *Track) {
			if !ok(tr) {
				return
			}
			if r := dist2(tr.Pos, s.Kin.Pos); best < 0 || r < bestR {
				best, bestR = j, r
			}
		}
		if pic, plain := w.plain(i); plain {
			for j := range pic {
				if pic[j].Quality >= 0 && j != i {
					visit(j, &pic[j])
				}
			}
			return best, bestR
		}
		for it := w.tracks(i); it.next(); {
			visit(it.j, it.tr)
		}
		return best, bestR
	}
	mask := 1<<groupFriendly - 1 // the hostile groups
	if !hostile {
		mask = allGroups
	}
	return w.nearestIndexed(i, mask, false, ok)
}

// nearestTracksIndexed writes into out (len K) the targets of ship i's K
// nearest occupied slots by squared distance then index, and returns how
// many there are.
func (w *World) nearestTracksIndexed(i int, out []int32) int {
	if w.shipTr[i].gone {
		return 0
	}
	s := &w.Ships[i]
	x, priv := w.picIndexOf(s.Team), w.shipTr[i].priv
	k := len(out)
	d2 := w.knnD[:0]
	n := 0
	try := func(j int, tr *Track) {
		if tr.Quality < 0 {
			return
		}
		d := r2.Sub(tr.Pos, s.Kin.Pos)
		r := float64(d.X*d.X) + float64(d.Y*d.Y)
		if n == k && (r > d2[n-1] || (r == d2[n-1] && int32(j) > out[n-1])) {
			return
		}
		// Insert in order.
		if n < k {
			n++
			d2 = d2[:n]
		}
		p := n - 1
		for p > 0 && (d2[p-1] > r || (d2[p-1] == r && out[p-1] > int32(j))) {
			d2[p], out[p] = d2[p-1], out[p-1]
			p--
		}
		d2[p], out[p] = r, int32(j)
	}
	for p := range priv {
		try(int(priv[p].j), &priv[p].tr)
	}
	if x.count > 0 {
		w.picRings(x, allGroups, s.Kin.Pos, func(j int) {
			if !w.overridden(i, j) {
				try(j, w.picSlot(i, j))
			}
		}, func(bound float64) bool {
			return n < k || bound <= 0 || float64(bound*bound) <= d2[n-1]
		})
	}
	w.knnD = d2
	return n
}
