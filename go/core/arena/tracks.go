package arena

import (
	"math"
	"math/bits"

	"gonum.org/v1/gonum/spatial/r2"
)

// Track tables.
//
// In the rules every ship holds one track slot per ship of the battle, and
// the datalink gives every member of a team the team's best track on each
// target (docs/rules.md). Kept that way the tables cost n² memory and n² work a
// tick, although after each datalink the members of a team hold nearly the
// same picture. So they are kept as:
//
//   - per team a picture: for every target the track the datalink last
//     shared (teamTracks.pic) and the member whose track it was (holder).
//     A living member's slot on a target other than itself reads the
//     picture's track, with the Link source bit unless the member is the
//     holder, fresh when it is the holder or saw the target itself this
//     tick (shipTracks.sensed);
//   - per ship the few slots that differ from that (shipTracks.priv: ties
//     that the datalink leaves alone, and whatever Load restored).
//
// A team of one ship has no datalink; its picture is its ship's table.
// Ageing and the datalink work on the picture once per team and on the
// ship's own detections and private slots, which gives the tracks of the
// full tables bit for bit (TestFleetHashesPinned). A member put out of
// action keeps its slots until the next ageing empties them (gone). In a
// linked team of up to maxTallied members the sensors also tally their
// sightings per target as they record them, and the datalink settles most
// targets from the tally (datalinkTallied).
//
// Slots are read through trackOf and eachTrack; trackTable writes a ship's
// full table (Save, Hash).

// heldTrack is a ship's slot on target j.
type heldTrack struct {
	j  int32
	tr Track
}

// shipTracks is a ship's part of the track tables.
type shipTracks struct {
	priv    []heldTrack // slots that differ from the team picture, by target
	next    []heldTrack // priv as the datalink rebuilds it (empty between datalinks)
	sensed  []sighting  // this tick's own detections, by target
	member  int32       // the ship's position in its team's member list
	sensing bool        // the ship's sensors worked this tick
	gone    bool        // out of action since the last ageing: every slot empty
	// freshHostile: the ship holds a fresh Q1+ hostile track (derived,
	// for the contact reward term).
	freshHostile bool
}

// teamTracks is a team's picture and the datalink's scratch.
type teamTracks struct {
	linked bool      // two or more members: the datalink runs
	pic    []Track   // per target: the shared track (Quality -1: none)
	holder []int32   // per target: ship index whose track pic is, -1
	alive  []int32   // living members this tick, in member order
	rank   []int32   // per ship index: position in alive (members only)
	deaf   []int32   // living members whose sensors did not work this tick
	off    []int32   // per target: first special entry (len n+1); counts the sightings during sensing
	spec   []special // members' own tracks that may differ from the picture, by target
	gen    uint64    // counts changes of the picture (for idx)
	kept   uint64    // members given private slots by this datalink (keepPrivate), a bit per member position
	idx    picIndex  // derived: the picture by cell, for track queries
	// tallied: this tick's sightings are tallied per target as they are
	// recorded (tally), and the datalink settles most targets from the
	// tally alone (datalinkTallied); a linked team of at most 64 members.
	// The tally then says which members saw a target this tick (saw)
	// until resetTracks (Reset, Load) clears tallied.
	tallied bool
	tally   []tally // per target, this tick
	// Counts for tests: targets shared from their tally (the best
	// sighting, or the aged picture: shareAged), and gathered.
	fromTally, fromAged, gathered int
}

// tally is what a linked team's sightings of one target this tick add up
// to, counted as they are recorded (sightAll): which members saw it,
// the best sighting (highest quality, then smallest error, then member
// order), how many sightings tie with that best, and how many are Q2+.
type tally struct {
	seen uint64 // bit per member position (shipTracks.member)
	err  float64
	ship int32 // the best sighting's ship and its index in that ship's sensed
	k    int32
	q2   int32
	ties int32
	qual int8
}

// maxTallied is the largest linked team whose sightings are tallied: the
// members that saw a target are one bit each of tally.seen.
const maxTallied = 64

// special is a living member's slot on a target after sensing and ageing
// that is not simply the aged picture: an own detection, a private slot
// (aged), or a slot dropped because the target is out of action.
type special struct {
	m    int32
	rank int32
	tr   *Track    // a private slot (aged in place), or the sighting's track
	g    *sighting // the member's own detection; nil for a private slot
}

// newTrackState sizes the track tables for n ships.
func (w *World) newTrackState() {
	n := len(w.Ships)
	w.shipTr = make([]shipTracks, n)
	w.teamTr = make([]teamTracks, len(w.Teams))
	for t := range w.Teams {
		tt := &w.teamTr[t]
		tt.linked = len(w.Teams[t].Ships) >= 2
		tt.pic = make([]Track, n)
		tt.holder = make([]int32, n)
		tt.rank = make([]int32, n)
		tt.off = make([]int32, n+1)
		if tt.linked && len(w.Teams[t].Ships) <= maxTallied {
			tt.tally = make([]tally, n)
		}
		for p, m := range w.Teams[t].Ships {
			w.shipTr[m].member = int32(p)
		}
	}
	w.resetTracks()
}

// resetTracks empties every slot.
func (w *World) resetTracks() {
	for i := range w.shipTr {
		st := &w.shipTr[i]
		st.priv, st.next, st.sensed = st.priv[:0], st.next[:0], st.sensed[:0]
		st.sensing, st.gone, st.freshHostile = false, false, false
	}
	for t := range w.teamTr {
		tt := &w.teamTr[t]
		tt.gen++
		tt.tallied = false // (until sense: the sightings may come from Load)
		for j := range tt.pic {
			tt.pic[j] = Track{Quality: -1}
			tt.holder[j] = -1
		}
	}
}

// noTrack is an empty slot.
var noTrack = Track{Quality: -1}

// lookup returns the entry for target j in a slice sorted by target.
func lookup(hs []heldTrack, j int) *heldTrack {
	lo, hi := 0, len(hs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(hs[m].j) < j {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(hs) && int(hs[lo].j) == j {
		return &hs[lo]
	}
	return nil
}

// sightingIndex is where target j is, or would go, in sightings sorted by target.
func sightingIndex(gs []sighting, j int) int {
	lo, hi := 0, len(gs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(gs[m].j) < j {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// saw reports whether sightings (sorted by target) include target j.
func saw(gs []sighting, j int) bool {
	k := sightingIndex(gs, j)
	return k < len(gs) && int(gs[k].j) == j
}

// sightingOf returns the sighting of target j in sightings sorted by
// target, which must hold one.
func sightingOf(gs []sighting, j int) *sighting {
	return &gs[sightingIndex(gs, j)]
}

// trackOf returns ship i's slot on ship j.
func (w *World) trackOf(i, j int) Track {
	var tr Track
	w.trackInto(i, j, &tr)
	return tr
}

// trackInto writes ship i's slot on ship j into dst (trackOf without
// copying the slot through return values).
func (w *World) trackInto(i, j int, dst *Track) {
	st := &w.shipTr[i]
	if st.gone {
		*dst = noTrack
		return
	}
	if len(st.priv) > 0 {
		if p := lookup(st.priv, j); p != nil {
			*dst = p.tr
			return
		}
	}
	if i == j {
		*dst = noTrack
		return
	}
	// Living ship i's slot on target j ≠ i read from its team's picture.
	tt := &w.teamTr[w.Ships[i].Team]
	if tt.pic[j].Quality < 0 {
		*dst = noTrack
		return
	}
	*dst = tt.pic[j]
	if !tt.linked {
		return // the ship's own table, Fresh included
	}
	switch {
	case int(tt.holder[j]) == i:
		dst.Fresh = true
	case tt.tallied:
		// Whether ship i saw j this tick: a bit of the target's tally
		// while the tally holds this tick's sightings (from sense on,
		// until resetTracks), else a search of its sightings.
		dst.Sources |= 1 << Link
		dst.Fresh = tt.tally[j].seen&(1<<uint(st.member)) != 0
	default:
		dst.Sources |= 1 << Link
		dst.Fresh = saw(st.sensed, j)
	}
}

// trackIter walks a ship's occupied slots (Quality ≥ 0) in target order:
//
//	for it := w.tracks(i); it.next(); {
//		use(it.j, it.tr.Pos, it.fresh(), it.track())
//	}
//
// it.tr points into the tables and must not be written; its Fresh and
// Sources are the picture's, not the ship's: read those with fresh() and
// track(), which returns the slot as the ship holds it.
type trackIter struct {
	tt   *teamTracks
	st   *shipTracks
	pic  []Track
	priv []heldTrack
	i, j int
	p, q int    // next private slot, next own detection
	own  bool   // it.tr is a private slot
	tr   *Track // the current slot
}

// tracks returns an iterator over ship i's occupied slots.
func (w *World) tracks(i int) trackIter {
	st := &w.shipTr[i]
	tt := &w.teamTr[w.Ships[i].Team]
	it := trackIter{tt: tt, st: st, pic: tt.pic, priv: st.priv, i: i, j: -1}
	if st.gone {
		it.pic, it.priv = nil, nil
	}
	return it
}

// next moves to the next occupied slot and reports whether there is one.
// (Small enough to inline; a ship with private slots takes nextMerge.)
func (it *trackIter) next() bool {
	if it.p < len(it.priv) {
		return it.nextMerge()
	}
	it.own = false
	pic := it.pic
	for j := it.j + 1; j < len(pic); j++ {
		if pic[j].Quality >= 0 && j != it.i {
			it.j, it.tr = j, &pic[j]
			return true
		}
	}
	it.j = len(pic)
	return false
}

// nextMerge is next while private slots remain.
func (it *trackIter) nextMerge() bool {
	pic := it.pic
	for it.j++; it.j < len(pic); it.j++ {
		j := it.j
		if it.p < len(it.priv) && int(it.priv[it.p].j) == j {
			it.tr, it.own = &it.priv[it.p].tr, true
			it.p++
			if it.tr.Quality >= 0 {
				return true
			}
			continue
		}
		if pic[j].Quality >= 0 && j != it.i {
			it.tr, it.own = &pic[j], false
			return true
		}
	}
	return false
}

// fresh reports whether the current slot was updated this tick.
func (it *trackIter) fresh() bool {
	if it.own || !it.tt.linked {
		return it.tr.Fresh
	}
	if int(it.tt.holder[it.j]) == it.i {
		return true
	}
	sensed := it.st.sensed
	for it.q < len(sensed) && int(sensed[it.q].j) < it.j {
		it.q++
	}
	return it.q < len(sensed) && int(sensed[it.q].j) == it.j
}

// track returns the current slot as the ship holds it.
func (it *trackIter) track() Track {
	tr := *it.tr
	if !it.own && it.tt.linked {
		tr.Fresh = it.fresh()
		if int(it.tt.holder[it.j]) != it.i {
			tr.Sources |= 1 << Link
		}
	}
	return tr
}

// plain returns ship i's table when it is its team's picture as is (a team
// of one ship, no private slot), so that a reader may scan it directly,
// skipping slot i and empty slots: the duel's case, where the iterator's
// calls would cost more than the scan.
func (w *World) plain(i int) ([]Track, bool) {
	tt, st := &w.teamTr[w.Ships[i].Team], &w.shipTr[i]
	if tt.linked || len(st.priv) > 0 || st.gone {
		return nil, false
	}
	return tt.pic, true
}

// eachTrack calls fn with every occupied slot of ship i, in target order,
// until fn returns false.
func (w *World) eachTrack(i int, fn func(j int, tr Track) bool) {
	for it := w.tracks(i); it.next(); {
		if !fn(it.j, it.track()) {
			return
		}
	}
}

// trackTable writes ship i's full table (one slot per ship) into dst,
// growing it as needed, and returns it.
func (w *World) trackTable(i int, dst []Track) []Track {
	n := len(w.Ships)
	if cap(dst) < n {
		dst = make([]Track, n)
	}
	dst = dst[:n]
	for j := range dst {
		dst[j] = noTrack
	}
	w.eachTrack(i, func(j int, tr Track) bool {
		dst[j] = tr
		return true
	})
	return dst
}

// stateTracks returns ship i's full table for a walk of the state list
// that is not the hash (tracks.go keeps no such table): Save encodes it,
// Load decodes into it (in Load's scratch World) and restore hands the
// tables to loadTracks. The tables live until the walk's end (Save) or
// the scratch World's (Load).
func (w *World) stateTracks(i int) []Track {
	if w.stateTabs == nil {
		w.stateTabs = make([][]Track, len(w.Ships))
	}
	if w.stateTabs[i] == nil {
		w.stateTabs[i] = w.trackTable(i, nil)
	}
	return w.stateTabs[i]
}

// loadTracks replaces the track state with full tables (Load): every
// occupied slot becomes a private one, and the next datalink folds them
// back into the team pictures. (A team of one ship takes its table as its
// picture.)
func (w *World) loadTracks(tables [][]Track) {
	w.resetTracks() // a new picture generation
	for i, tab := range tables {
		tt := &w.teamTr[w.Ships[i].Team]
		st := &w.shipTr[i]
		if !tt.linked {
			copy(tt.pic, tab)
			for j := range tab {
				if tab[j].Fresh && tab[j].Quality >= 0 {
					st.sensed = append(st.sensed, sighting{j: int32(j), tr: tab[j]})
				}
			}
			continue
		}
		for j := range tab {
			if tab[j].Quality >= 0 {
				st.priv = append(st.priv, heldTrack{j: int32(j), tr: tab[j]})
				if tab[j].Fresh {
					st.sensed = append(st.sensed, sighting{j: int32(j), tr: tab[j]})
				}
			}
		}
	}
	for i := range w.Ships {
		w.shipTr[i].freshHostile = false
		w.eachTrack(i, func(_ int, tr Track) bool {
			if tr.Fresh && tr.Quality >= 1 && tr.Hostile {
				w.shipTr[i].freshHostile = true
				return false
			}
			return true
		})
	}
}

// sameTrack reports whether two slots hold the same bits.
func sameTrack(a, b *Track) bool {
	eq := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
	return a.Quality == b.Quality && a.Layer == b.Layer && a.Class == b.Class && a.Hostile == b.Hostile &&
		a.Fresh == b.Fresh && a.Sources == b.Sources && a.Updated == b.Updated &&
		eq(a.Pos.X, b.Pos.X) && eq(a.Pos.Y, b.Pos.Y) && eq(a.Vel.X, b.Vel.X) && eq(a.Vel.Y, b.Vel.Y) && eq(a.Err, b.Err)
}

// age extrapolates a slot not updated this tick by one tick, grows its
// error, and empties it past the timeout.
func (w *World) age(tr *Track, timeout int) {
	tr.Fresh = false
	if tr.Quality < 0 {
		return
	}
	if w.Tick-tr.Updated > timeout {
		tr.Quality = -1
		return
	}
	tr.Pos = r2.Add(tr.Pos, tr.Vel)
	tr.Err += w.rules.TrackErrorGrowthMS
}

// updateTracks is the second half of the sensor phase for every team:
// own detections are merged in, the other slots aged (and emptied for
// ships put out of action), then the datalink shares the team's best
// track on every target, and ships seen by a hostile Q1+ track that is
// fresh are marked Detected.
func (w *World) updateTracks() {
	timeout := int(math.Ceil(w.rules.TrackTimeoutS))
	for t := range w.Teams {
		w.teamTr[t].gen++
		switch {
		case w.teamTr[t].tallied:
			w.datalinkTallied(t, timeout)
		case w.teamTr[t].linked:
			w.datalink(t, timeout)
		default:
			w.soloTracks(t, timeout)
		}
	}
}

// soloTracks updates the table of a team of one ship (no datalink).
func (w *World) soloTracks(t, timeout int) {
	members := w.Teams[t].Ships
	if len(members) == 0 {
		return
	}
	m := members[0]
	tt, st := &w.teamTr[t], &w.shipTr[m]
	if !w.Ships[m].Alive() {
		if !st.gone {
			for j := range tt.pic {
				tt.pic[j].Quality = -1
			}
			st.gone = true
		}
		return
	}
	k := 0
	for j := range tt.pic {
		tr := &tt.pic[j]
		if k < len(st.sensed) && int(st.sensed[k].j) == j {
			*tr = *w.settle(&st.sensed[k], t)
			k++
			if tr.Quality >= 1 && tr.Hostile {
				w.Ships[j].Detected = true
				st.freshHostile = true
			}
			continue
		}
		if tr.Quality < 0 {
			continue
		}
		if st.sensing && !w.Ships[j].Alive() {
			tr.Quality = -1 // out of action: no longer a contact
			continue
		}
		w.age(tr, timeout)
	}
}

// datalink updates a linked team's picture and its members' slots.
//
// The rules, per target: every living member's slot is its own detection
// this tick, or empty when its sensors worked and the target is out of
// action, or else its slot aged. The team's best slot (highest quality,
// then smallest error, then member order) is shared, at Q3 when two
// members saw the target at Q2+ this tick; every living member other than
// the target takes it unless its own slot is as good (same quality and
// error). The holder of the best slot counts it as fresh.
//
// Most members' slots before the datalink are the aged picture (the bulk);
// the others (specials) are collected per target first.
func (w *World) datalink(t, timeout int) {
	tt := &w.teamTr[t]
	n := len(w.Ships)
	w.linkMembers(t)
	// Age the picture (what every bulk slot is, up to the Link bit).
	for j := range tt.pic {
		w.age(&tt.pic[j], timeout)
	}
	// Specials, counted per target, then placed in member order. The
	// sightings are counted already (sightAll, into off[j+1], cleared
	// by sense); a private slot counts unless a sighting replaces it.
	for _, m := range tt.alive {
		st := &w.shipTr[m]
		a := 0
		for b := range st.priv {
			j := st.priv[b].j
			for a < len(st.sensed) && st.sensed[a].j < j {
				a++
			}
			if a < len(st.sensed) && st.sensed[a].j == j {
				continue // the detection replaces the private slot
			}
			tt.off[j+1]++
		}
	}
	for j := 0; j < n; j++ {
		tt.off[j+1] += tt.off[j]
	}
	total := int(tt.off[n])
	if cap(tt.spec) < total {
		tt.spec = make([]special, total, 2*total)
	}
	tt.spec = tt.spec[:total]
	spec, off := tt.spec, tt.off
	for r, m := range tt.alive {
		st := &w.shipTr[m]
		if len(st.priv) == 0 { // (most members: the sightings alone)
			for a := range st.sensed {
				h := &st.sensed[a]
				spec[off[h.j]] = special{m: m, rank: int32(r), tr: &h.tr, g: h}
				off[h.j]++
			}
			continue
		}
		a, b := 0, 0
		for a < len(st.sensed) || b < len(st.priv) {
			switch {
			case b == len(st.priv) || (a < len(st.sensed) && st.sensed[a].j <= st.priv[b].j):
				h := &st.sensed[a] // fresh (sightAll)
				if b < len(st.priv) && st.priv[b].j == h.j {
					b++
				}
				a++
				tt.spec[tt.off[h.j]] = special{m: m, rank: int32(r), tr: &h.tr, g: h}
				tt.off[h.j]++
			default:
				h := &st.priv[b] // priv is rebuilt below: age it in place
				b++
				if st.sensing && !w.Ships[h.j].Alive() {
					h.tr.Quality = -1 // out of action: no longer a contact
				}
				w.age(&h.tr, timeout)
				tt.spec[tt.off[h.j]] = special{m: m, rank: int32(r), tr: &h.tr}
				tt.off[h.j]++
			}
		}
	}
	// off[j] now ends target j's run: shift back to starts.
	copy(tt.off[1:], tt.off[:n])
	tt.off[0] = 0
	for j := 0; j < n; j++ {
		w.shareTarget(t, j, tt.spec[tt.off[j]:tt.off[j+1]])
	}
	for _, m := range tt.alive {
		st := &w.shipTr[m]
		st.priv, st.next = st.next, st.priv[:0]
	}
}

// linkMembers lists team t's living members (tt.alive, with their ranks)
// and those of them whose sensors did not work this tick (tt.deaf);
// members put out of action lose their slots. It returns the living
// members and those of them that hold private slots, a bit per member
// position (of the first 64).
func (w *World) linkMembers(t int) (living, held uint64) {
	tt := &w.teamTr[t]
	tt.alive, tt.deaf = tt.alive[:0], tt.deaf[:0]
	for p, m := range w.Teams[t].Ships {
		st := &w.shipTr[m]
		if !w.Ships[m].Alive() {
			if !st.gone {
				st.gone = true
				st.priv, st.sensed = st.priv[:0], st.sensed[:0]
			}
			continue
		}
		tt.rank[m] = int32(len(tt.alive))
		tt.alive = append(tt.alive, int32(m))
		if !st.sensing {
			tt.deaf = append(tt.deaf, int32(m))
		}
		living |= 1 << uint(p)
		if len(st.priv) > 0 {
			held |= 1 << uint(p)
		}
	}
	return living, held
}

// datalinkTallied is datalink for a team whose sightings were tallied
// per target (tally): a target that no member holds a private slot on,
// whose best sighting ties with no other and beats the bulk's aged slot,
// or whose aged slot beats every sighting, is settled from its tally
// alone (shareTallied): the sightings that are not shared all take the
// shared slot. Other targets collect their specials (gather) and take
// shareTarget's general way.
//
// Most members hold no private slot before or after: only those that do
// (held, and kept by keepPrivate) are visited for them.
func (w *World) datalinkTallied(t, timeout int) {
	tt := &w.teamTr[t]
	members := w.Teams[t].Ships
	living, held := w.linkMembers(t)
	// Private slots that no sighting replaces are aged in place (priv is
	// rebuilt below, into next, which is empty) and counted per target in
	// off (cleared by sense).
	for b := held; b != 0; b &= b - 1 {
		st := &w.shipTr[members[bits.TrailingZeros64(b)]]
		a := 0
		for b := range st.priv {
			h := &st.priv[b]
			for a < len(st.sensed) && st.sensed[a].j < h.j {
				a++
			}
			if a < len(st.sensed) && st.sensed[a].j == h.j {
				continue // the detection replaces the private slot
			}
			if st.sensing && !w.Ships[h.j].Alive() {
				h.tr.Quality = -1 // out of action: no longer a contact
			}
			w.age(&h.tr, timeout)
			tt.off[h.j]++
		}
	}
	tt.kept = 0
	var fresh uint64 // members holding a fresh Q1+ hostile slot (shareTallied)
	// (In locals, resliced to one length: the loop checks no bounds and
	// does not reload the slices from tt after each call.)
	pic, tally, off := tt.pic, tt.tally[:len(tt.pic)], tt.off[:len(tt.pic)]
	for j := range pic {
		w.age(&pic[j], timeout)
		tl := &tally[j]
		if off[j] == 0 {
			if tl.seen == 0 {
				if pic[j].Quality < 0 {
					tt.holder[j] = -1
				} else {
					w.shareTarget(t, j, nil)
				}
				continue
			}
			if f, ok := w.shareTallied(tt, t, j, tl, living); ok {
				fresh |= f
				continue
			}
		}
		tt.gathered++
		w.shareTarget(t, j, w.gather(t, j, tl, held))
	}
	for ; fresh != 0; fresh &= fresh - 1 {
		w.shipTr[members[bits.TrailingZeros64(fresh)]].freshHostile = true
	}
	for b := held | tt.kept; b != 0; b &= b - 1 {
		st := &w.shipTr[members[bits.TrailingZeros64(b)]]
		st.priv, st.next = st.next, st.priv[:0]
	}
}

// shareTallied runs the datalink of team t (tables tt, which the caller
// has at hand) for a target j that no member holds a private slot on and
// that some member saw, from the target's tally, when the rules leave one
// outcome. It returns the members whose
// slot on j is now a fresh Q1+ hostile track, and false, having changed
// nothing, when the target needs shareTarget: a dead target, a tie with
// the best sighting, or an aged slot exactly as good as it.
//
// When the best sighting beats the bulk's aged slot (or there is no bulk),
// it is shared (at Q3 when two members saw j at Q2+) and every other
// sighting is worse than the shared slot, so its member takes the picture.
// When the aged slot beats every sighting, shareAged shares it.
func (w *World) shareTallied(tt *teamTracks, t, j int, tl *tally, living uint64) (uint64, bool) {
	tgt := &w.Ships[j]
	if !tgt.Alive() {
		return 0, false
	}
	q := tl.qual
	if tl.q2 >= 2 {
		q = 3 // corroborated
	}
	if aged := &tt.pic[j]; aged.Quality >= 0 {
		bulk := living &^ tl.seen // members whose slot is the aged picture
		if tgt.Team == t {
			bulk &^= 1 << uint(w.shipTr[j].member)
		}
		if bulk != 0 && !(tl.qual > aged.Quality || (tl.qual == aged.Quality && tl.err < aged.Err)) {
			if tl.qual == aged.Quality && tl.err == aged.Err {
				return 0, false // the aged slot ties with the best sighting
			}
			return w.shareAged(t, j, tl, bulk), true
		}
	}
	if tl.ties > 0 && q == tl.qual {
		return 0, false // another sighting is as good as the shared slot
	}
	var fresh uint64
	if q >= 1 && tgt.Team != t {
		tgt.Detected = true
		fresh = tl.seen
	}
	tt.holder[j] = tl.ship
	tt.fromTally++
	// (Last, with little live across the call.)
	shared := &tt.pic[j]
	*shared = *w.settle(&w.shipTr[tl.ship].sensed[tl.k], t)
	shared.Quality, shared.Fresh = q, false
	return fresh, true
}

// shareAged is shareTallied for a target whose aged picture, held by the
// members in bulk (a bit per member position, some set), beats every
// sighting of it. The best slot is then the first bulk member's (as good
// as the others', and first in member order), which is the aged picture
// (Link bit aside), shared at Q3 when two members saw j at Q2+. No
// sighting is kept: each is worse than the shared slot, and is never
// settled. The other bulk members' slots read the same as the picture
// says, Link bit included; only the old holder's own slot, when it stays
// in the bulk without being the first, lacks the Link bit the picture
// gives it, and is kept as a private slot unless the shared slot beats it
// (shareTarget's last step).
func (w *World) shareAged(t, j int, tl *tally, bulk uint64) uint64 {
	tt := &w.teamTr[t]
	members := w.Teams[t].Ships
	first := int32(members[bits.TrailingZeros64(bulk)])
	old := tt.holder[j]
	aged := tt.pic[j]
	shared := &tt.pic[j]
	if first != old {
		shared.Sources |= 1 << Link
	}
	if tl.q2 >= 2 {
		shared.Quality = 3 // corroborated
	}
	tt.holder[j] = first
	tt.fromAged++
	if old >= 0 && old != first && shared.Quality == aged.Quality && aged.Sources&(1<<Link) == 0 &&
		w.Ships[old].Team == t && bulk&(1<<uint(w.shipTr[old].member)) != 0 {
		w.keepPrivate(old, j, &aged)
	}
	if shared.Quality >= 1 && w.Ships[j].Team != t {
		w.Ships[j].Detected = true
		return tl.seen | 1<<uint(w.shipTr[first].member)
	}
	return 0
}

// gather collects team t's specials on target j in member order (tally
// tl): each living member's sighting of j, or else its private slot. Only
// the members that saw j or hold private slots (held) may have one, a bit
// per member position each; every such member is living.
func (w *World) gather(t, j int, tl *tally, held uint64) []special {
	tt := &w.teamTr[t]
	members := w.Teams[t].Ships
	sp := tt.spec[:0]
	for b := tl.seen | held; b != 0; b &= b - 1 {
		p := bits.TrailingZeros64(b)
		m := members[p]
		st := &w.shipTr[m]
		if tl.seen&(1<<uint(p)) != 0 {
			g := sightingOf(st.sensed, j)
			sp = append(sp, special{m: int32(m), rank: tt.rank[m], tr: &g.tr, g: g})
		} else if h := lookup(st.priv, j); h != nil {
			sp = append(sp, special{m: int32(m), rank: tt.rank[m], tr: &h.tr})
		}
	}
	tt.spec = sp
	return sp
}

// shareTarget runs the datalink of team t for target j, whose specials
// are sp.
func (w *World) shareTarget(t, j int, sp []special) {
	tt := &w.teamTr[t]
	aged := tt.pic[j] // the bulk's slot (Link bit aside)
	oldHolder := tt.holder[j]
	if aged.Quality < 0 && len(sp) == 0 {
		tt.holder[j] = -1
		return
	}
	live := w.Ships[j].Alive()
	// The first bulk member: living, not the target, not a special, and
	// (with the target out of action) deaf — members whose sensors worked
	// emptied their slot.
	bulkRank, bulk := int32(-1), int32(-1)
	// (Every living member a special, with a target not of the team: no bulk.)
	if aged.Quality >= 0 && !(live && len(sp) == len(tt.alive) && w.Ships[j].Team != t) {
		if live {
			// Specials are in rank order, one per member: walk the
			// ranks and the specials together.
			k := 0
			for r := range tt.alive {
				if k < len(sp) && int(sp[k].rank) == r {
					k++
					continue
				}
				if m := tt.alive[r]; int(m) != j {
					bulkRank, bulk = int32(r), m
					break
				}
			}
		} else {
			k := 0
			for _, m := range tt.deaf {
				r := tt.rank[m]
				for k < len(sp) && sp[k].rank < r {
					k++
				}
				if int(m) == j || (k < len(sp) && sp[k].rank == r) {
					continue
				}
				bulkRank, bulk = r, m
				break
			}
		}
	}
	bulkSlot := func(m int32) Track {
		tr := aged
		if m != oldHolder {
			tr.Sources |= 1 << Link
		}
		return tr
	}
	// The best slot, in member order.
	// (better reads quality and error only: a sighting is settled once it
	// is kept.)
	best := int32(-1)
	var bestTr *Track
	var bestG *sighting
	q2 := 0
	bulkTr := bulkSlot(bulk)
	bestQ, bestErr := int8(-1), 0.0 // bestTr's (better's keys, in registers)
	consider := func(m int32, tr *Track, g *sighting) {
		if q := tr.Quality; q >= 0 && (best < 0 || q > bestQ || (q == bestQ && tr.Err < bestErr)) {
			best, bestTr, bestG, bestQ, bestErr = m, tr, g, q, tr.Err
		}
	}
	bulkDone := bulk < 0
	for k := range sp {
		e := &sp[k]
		if !bulkDone && bulkRank < e.rank {
			consider(bulk, &bulkTr, nil)
			bulkDone = true
		}
		consider(e.m, e.tr, e.g)
		if e.g != nil && e.tr.Quality >= 2 {
			q2++
		}
	}
	if !bulkDone {
		consider(bulk, &bulkTr, nil)
	}
	if best < 0 {
		tt.pic[j], tt.holder[j] = noTrack, -1
		for k := range sp { // only a target's own slot on itself survives (Load)
			if e := &sp[k]; int(e.m) == j && e.tr.Quality >= 0 {
				w.keepPrivate(e.m, j, e.tr)
			}
		}
		return
	}
	if bestG != nil {
		w.settle(bestG, t)
	}
	shared := *bestTr
	if q2 >= 2 {
		shared.Quality = 3
	}
	shared.Fresh = false
	tt.pic[j], tt.holder[j] = shared, best
	hostile := w.Ships[j].Team != t
	if shared.Quality >= 1 && hostile {
		w.Ships[j].Detected = true
		w.shipTr[best].freshHostile = true
	}
	// A member's slot after the datalink as the picture says it.
	after := func(m int32, sensed bool) Track {
		tr := shared
		if m != best {
			tr.Sources |= 1 << Link
		}
		tr.Fresh = m == best || sensed
		return tr
	}
	for k := range sp {
		e := &sp[k]
		if int(e.m) == j {
			if e.tr.Quality >= 0 {
				w.keepPrivate(e.m, j, e.tr) // the datalink never writes a ship's slot on itself
			}
			continue
		}
		sensed := e.g != nil
		if e.m == best || better(&shared, e.tr) {
			if sensed && shared.Quality >= 1 && hostile {
				w.shipTr[e.m].freshHostile = true
			}
			continue // takes the shared slot: what the picture says
		}
		if sensed {
			w.settle(e.g, t) // kept: a tie
			if e.tr.Quality >= 1 && hostile {
				w.shipTr[e.m].freshHostile = true
			}
		}
		if a := after(e.m, sensed); !sameTrack(e.tr, &a) {
			w.keepPrivate(e.m, j, e.tr)
		}
	}
	if bulk < 0 {
		return
	}
	// The bulk: every member but the old holder holds the same slot; a tie
	// with the shared slot keeps it, which the picture reads right unless
	// the bits differ.
	common := bulkSlot(-2)
	if !better(&shared, &common) {
		if a := after(-2, false); !sameTrack(&common, &a) {
			w.eachBulk(t, j, live, sp, func(m int32) {
				if m != best && m != oldHolder {
					w.keepPrivate(m, j, &common)
				}
			})
		}
	}
	if oldHolder >= 0 && oldHolder != best && w.inBulk(t, j, live, sp, oldHolder) {
		own := bulkSlot(oldHolder)
		if !better(&shared, &own) {
			if a := after(oldHolder, false); !sameTrack(&own, &a) {
				w.keepPrivate(oldHolder, j, &own)
			}
		}
	}
}

// keepPrivate records ship m's slot on j as differing from the picture.
// Targets come in order, so each ship's list stays sorted.
func (w *World) keepPrivate(m int32, j int, tr *Track) {
	st := &w.shipTr[m]
	st.next = append(st.next, heldTrack{j: int32(j), tr: *tr})
	w.teamTr[w.Ships[m].Team].kept |= 1 << uint(st.member)
}

// inBulk reports whether living member m's slot on j was the aged picture.
func (w *World) inBulk(t, j int, live bool, sp []special, m int32) bool {
	if int(m) == j || !w.Ships[m].Alive() || w.Ships[m].Team != t || (!live && w.shipTr[m].sensing) {
		return false
	}
	for k := range sp {
		if sp[k].m == m {
			return false
		}
	}
	return true
}

// eachBulk calls fn for every bulk member of target j, in member order.
func (w *World) eachBulk(t, j int, live bool, sp []special, fn func(m int32)) {
	tt := &w.teamTr[t]
	pool := tt.alive
	if !live {
		pool = tt.deaf
	}
	k := 0
	for _, m := range pool {
		r := tt.rank[m]
		for k < len(sp) && sp[k].rank < r {
			k++
		}
		if int(m) == j || (k < len(sp) && sp[k].rank == r) {
			continue
		}
		fn(m)
	}
}

// setTrack overwrites ship i's slot on j (tests plant tracks with it).
func (w *World) setTrack(i, j int, tr Track) {
	tt, st := &w.teamTr[w.Ships[i].Team], &w.shipTr[i]
	st.gone = false
	tt.gen++
	if !tt.linked {
		tt.pic[j] = tr
		return
	}
	if p := lookup(st.priv, j); p != nil {
		p.tr = tr
		return
	}
	k := 0
	for k < len(st.priv) && int(st.priv[k].j) < j {
		k++
	}
	st.priv = append(st.priv, heldTrack{})
	copy(st.priv[k+1:], st.priv[k:])
	st.priv[k] = heldTrack{j: int32(j), tr: tr}
}
