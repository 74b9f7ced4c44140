package arena

import (
	"math"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/rng"
	"github.com/tidebreak/tidebreak/go/core/statehash"
)

// The state list: every field of a World's dynamic state, named once, in
// one place. World.Hash, World.Save and World.Load all walk it, so the hash
// and the save cannot drift apart; TestStateListCoversStructs fails when a
// struct field is in neither the list nor the exclusion list beside it.
//
// The walk order is the hash order (it reproduces the hash that was written
// by hand before the list existed, word for word) and the order of the keys
// in a saved state. Each field carries its wire name (snake_case, the name
// readers use; docs/replay.md lists them), what it is for (fieldFlags) and
// the range Load accepts.

// fieldFlags says what a listed field is for.
type fieldFlags uint8

const (
	// hashed fields are written into the state hash.
	hashed fieldFlags = 1 << iota
	// saved fields are written by Save and restored by Load.
	saved
	// static fields are saved for readers but fixed by the package: Load
	// checks that the blob holds the World's own value and restores
	// nothing.
	static
)

// dynamic is a field that is hashed, saved and restored.
const dynamic = hashed | saved

// huge bounds the magnitude of float fields without a tighter physical
// range: far beyond any battle, yet small enough that no arithmetic on it
// overflows and no observation scaled from it overflows a float32.
const huge = 1e15

// stateVisitor is one use of the state list other than the hash: the
// encoder, the decoder or a test's inventory. name is the wire name (""
// for array elements); lo and hi bound what Load accepts.
type stateVisitor interface {
	// open and close bracket a nested object; array and end a fixed-length
	// array; slice and end a variable-length one, whose length (at most
	// max) it returns: a decoder returns the blob's.
	open(name string)
	close()
	array(name string, n int)
	slice(name string, n, max int) int
	end()

	int(name string, p *int, f fieldFlags, lo, hi int)
	int8(name string, p *int8, f fieldFlags, lo, hi int)
	uint8(name string, p *uint8, f fieldFlags, lo, hi int)
	uint32(name string, p *uint32, f fieldFlags, lo, hi int)
	uint64(name string, p *uint64, f fieldFlags)
	float(name string, p *float64, f fieldFlags, lo, hi float64)
	bool(name string, p *bool, f fieldFlags)
	string(name string, p *string, f fieldFlags)
	// stream is a generator state; Load rejects an all-zero one.
	stream(name string, p *rng.Stream, f fieldFlags)
	// space is a coupled World's field space (fs nil when uncoupled):
	// hashed as its own hash, saved as its MarshalBinary encoding.
	space(name string, fs *fieldState)
	// derived is a value computed from the state for readers: saved,
	// checked for shape and otherwise ignored by Load.
	derived(name string, w *World)
}

// stateWalker carries one walk of the state list. The hash runs inline in
// it (Hash is called every tick when a World records its log, so it must
// cost little more than hand-written code); every other use goes to its
// visitor.
type stateWalker struct {
	hash bool
	h    statehash.Hasher
	v    stateVisitor
	// scratch holds values that are not fields (the layout version, a
	// projectile's slot) so that visiting them allocates nothing.
	scratch int
}

func (w *stateWalker) hashing() bool { return w.hash }

func (w *stateWalker) open(name string) {
	if !w.hash {
		w.v.open(name)
	}
}

func (w *stateWalker) close() {
	if !w.hash {
		w.v.close()
	}
}

func (w *stateWalker) array(name string, n int) {
	if !w.hash {
		w.v.array(name, n)
	}
}

func (w *stateWalker) slice(name string, n, max int) int {
	if w.hash {
		return n
	}
	return w.v.slice(name, n, max)
}

func (w *stateWalker) end() {
	if !w.hash {
		w.v.end()
	}
}

// value visits an integer that is not a field (the layout version, a
// projectile's slot): Load checks it (static) and restores nothing.
func (w *stateWalker) value(name string, x int, f fieldFlags) {
	if !w.hash {
		tmp := x
		w.v.int(name, &tmp, f, x, x)
	} else if f&hashed != 0 {
		w.h.Int(x)
	}
}

func (w *stateWalker) int(name string, p *int, f fieldFlags, lo, hi int) {
	if !w.hash {
		w.v.int(name, p, f, lo, hi)
	} else if f&hashed != 0 {
		w.h.Int(*p)
	}
}

func (w *stateWalker) int8(name string, p *int8, f fieldFlags, lo, hi int) {
	if !w.hash {
		w.v.int8(name, p, f, lo, hi)
	} else if f&hashed != 0 {
		w.h.Int(int(*p))
	}
}

func (w *stateWalker) uint8(name string, p *uint8, f fieldFlags, lo, hi int) {
	if !w.hash {
		w.v.uint8(name, p, f, lo, hi)
	} else if f&hashed != 0 {
		w.h.Int(int(*p))
	}
}

func (w *stateWalker) uint32(name string, p *uint32, f fieldFlags, lo, hi int) {
	if !w.hash {
		w.v.uint32(name, p, f, lo, hi)
	} else if f&hashed != 0 {
		w.h.Uint64(uint64(*p))
	}
}

func (w *stateWalker) uint64(name string, p *uint64, f fieldFlags) {
	if !w.hash {
		w.v.uint64(name, p, f)
	} else if f&hashed != 0 {
		w.h.Uint64(*p)
	}
}

func (w *stateWalker) float(name string, p *float64, f fieldFlags, lo, hi float64) {
	if !w.hash {
		w.v.float(name, p, f, lo, hi)
	} else if f&hashed != 0 {
		w.h.Float64(*p)
	}
}

func (w *stateWalker) bool(name string, p *bool, f fieldFlags) {
	if !w.hash {
		w.v.bool(name, p, f)
	} else if f&hashed != 0 {
		w.h.Bool(*p)
	}
}

func (w *stateWalker) string(name string, p *string, f fieldFlags) {
	if !w.hash {
		w.v.string(name, p, f)
	} else if f&hashed != 0 {
		w.h.String(*p)
	}
}

func (w *stateWalker) stream(name string, p *rng.Stream, f fieldFlags) {
	if !w.hash {
		w.v.stream(name, p, f)
	} else if f&hashed != 0 {
		for _, x := range p.S {
			w.h.Uint64(x)
		}
	}
}

func (w *stateWalker) space(name string, fs *fieldState) {
	if !w.hash {
		w.v.space(name, fs)
	} else if fs != nil {
		w.h.Uint64(fs.space.Hash())
	}
}

func (w *stateWalker) derived(name string, world *World) {
	if !w.hash {
		w.v.derived(name, world)
	}
}

// stateVersion is the version of the saved-state layout; Load reads only
// this one.
const stateVersion = 3

// walkState visits the World's state in hash order.
func (w *World) walkState(v *stateWalker) {
	n := len(w.Ships)
	v.value("version", stateVersion, static)
	v.string("battle_id", &w.Pkg.BattleID, static)
	v.uint64("seed", &w.Seed, dynamic)
	v.int("tick", &w.Tick, dynamic, 0, w.MaxTicks)
	v.bool("done", &w.done, dynamic)
	v.bool("truncated", &w.truncated, dynamic)
	v.int("winner", &w.winner, dynamic, -1, len(w.Teams)-1)
	// The current phases follow from the seed; Load recomputes them.
	v.float("", &w.env.phase[0], hashed, 0, 2*math.Pi)
	v.float("", &w.env.phase[1], hashed, 0, 2*math.Pi)
	v.uint64("trace_seq", &w.traceSeq, saved)
	v.int("transitions", &w.counters.transitions, saved, 0, math.MaxInt32)
	v.int("collisions", &w.counters.collisions, saved, 0, math.MaxInt32)
	v.array("ships", n)
	for i := range w.Ships {
		v.open("")
		w.walkShip(v, &w.Ships[i])
		v.close()
	}
	v.end()
	if !v.hashing() { // saved only: the hash skips the loops
		v.array("last_action", n)
		for i := range w.lastAction {
			v.array("", ActionSize)
			for k := range w.lastAction[i] {
				v.float("", &w.lastAction[i][k], saved, -1, 1)
			}
			v.end()
		}
		v.end()
		w.walkLog(v)
		v.uint64("init_hash", &w.initHash, saved)
	}
	w.walkProjectiles(v)
	v.space("fields", w.fields)
	v.derived("noise", w)
}

// walkShip visits one ship.
func (w *World) walkShip(v *stateWalker, s *Ship) {
	n := len(w.Ships)
	v.uint32("id", (*uint32)(&s.ID), hashed|static, 1, n)
	v.int("team", &s.Team, static, 0, len(w.Teams)-1)
	v.int8("class", &s.Class, static, 0, len(classIndex)-1)
	v.open("kinematics")
	b := &w.Pkg.Map.Bounds
	v.float("x", &s.Kin.Pos.X, dynamic, b.MinX, b.MaxX)
	v.float("y", &s.Kin.Pos.Y, dynamic, b.MinY, b.MaxY)
	v.float("heading", &s.Kin.Heading, dynamic, -math.Pi, math.Pi)
	top := w.topSpeed(s)
	v.float("speed", &s.Kin.Speed, dynamic, -top, top)
	v.close()
	v.uint8("layer", (*uint8)(&s.Layer), dynamic, int(Surface), int(Submerged))
	v.open("transition")
	t := &s.Trans
	v.bool("active", &t.Active, dynamic)
	v.uint8("from", (*uint8)(&t.From), dynamic, int(Surface), int(Submerged))
	v.uint8("to", (*uint8)(&t.To), dynamic, int(Surface), int(Submerged))
	v.float("elapsed", &t.Elapsed, dynamic, 0, huge)
	v.float("duration", &t.Duration, dynamic, 0, huge)
	v.float("hp_at_start", &t.HPAtStart, dynamic, 0, s.MaxHP)
	v.close()
	v.float("hp", &s.HP, dynamic, 0, s.MaxHP)
	v.float("max_hp", &s.MaxHP, static, 0, math.MaxFloat64)
	v.uint8("status", (*uint8)(&s.Status), dynamic, int(StatusActive), int(StatusSurrendered))
	v.float("throttle", &s.Throttle, dynamic, -1, 1)
	v.float("rudder", &s.Rudder, dynamic, -1, 1)
	v.open("control")
	c := &s.Control
	v.uint8("kind", (*uint8)(&c.Kind), static, 0, int(numControllers)-1)
	v.stream("stream", &c.Stream, dynamic)
	v.int("waypoint", &c.Waypoint, dynamic, 0, math.MaxInt32)
	v.int("hold_left", &c.HoldLeft, dynamic, -math.MaxInt32, math.MaxInt32)
	v.array("hold", ActionSize)
	for k := range c.Hold {
		v.float("", &c.Hold[k], dynamic, -1, 1)
	}
	v.end()
	v.float("datum_x", &c.Datum.X, dynamic, -huge, huge)
	v.float("datum_y", &c.Datum.Y, dynamic, -huge, huge)
	v.int("datum_tick", &c.DatumTick, dynamic, -1, w.Tick)
	v.float("threat_x", &c.ThreatPos.X, dynamic, -huge, huge)
	v.float("threat_y", &c.ThreatPos.Y, dynamic, -huge, huge)
	v.int("threat_tick", &c.ThreatTick, dynamic, neverTick, w.Tick)
	v.float("evade", &c.Evade, dynamic, -math.Pi, math.Pi)
	v.int("evade_left", &c.EvadeLeft, dynamic, 0, evadeHold)
	v.int("last_ping", &c.LastPing, dynamic, neverTick, w.Tick)
	v.int("search", &c.Search, dynamic, 0, math.MaxInt32)
	v.close()
	v.float("morale", &s.Morale, dynamic, 0, 1)
	v.float("fuel_used", &s.FuelUsed, dynamic, 0, huge)
	v.int("collisions", &s.Collisions, dynamic, 0, math.MaxInt32)
	v.array("mounts", len(s.Mounts))
	for m := range s.Mounts {
		mt := &s.Mounts[m]
		v.open("")
		v.uint8("kind", (*uint8)(&mt.Kind), static, 0, int(numWeaponKinds)-1)
		v.int("ammo", &mt.Ammo, dynamic, 0, mt.AmmoStart)
		v.int("ammo_start", &mt.AmmoStart, static, 0, math.MaxInt32)
		v.int("cooldown", &mt.Cooldown, dynamic, 0, mt.Reload)
		v.int("reload", &mt.Reload, static, 1, math.MaxInt32)
		v.int("fired", &mt.Fired, dynamic, 0, math.MaxInt32)
		v.close()
	}
	v.end()
	v.array("first_mount", int(numWeaponKinds))
	for k := range s.Mount {
		v.int8("", &s.Mount[k], static, -1, len(s.Mounts)-1)
	}
	v.end()
	v.open("crits")
	v.int("mobility", &s.Crits.Mobility, dynamic, 0, math.MaxInt32)
	v.int("weapons", &s.Crits.Weapons, dynamic, 0, math.MaxInt32)
	v.int("sensors", &s.Crits.Sensors, dynamic, 0, math.MaxInt32)
	v.int("fire", &s.Crits.Fire, dynamic, 0, math.MaxInt32)
	v.close()
	v.array("tracks", n)
	i := int(s.ID - 1)
	if v.hashing() {
		// Every slot, read from the shared tables (tracks.go).
		next := 0
		for it := w.tracks(i); it.next(); {
			for ; next < it.j; next++ {
				v.h.Int(-1) // an empty slot: its quality
			}
			w.slotScratch = it.track() // (a local would escape through the visitor)
			w.walkTrack(v, &w.slotScratch)
			next = it.j + 1
		}
		for ; next < n; next++ {
			v.h.Int(-1)
		}
	} else {
		tab := w.stateTracks(i) // the full table, for the encoder or the decoder
		for j := range tab {
			v.open("")
			w.walkTrack(v, &tab[j])
			v.close()
		}
	}
	v.end()
	v.open("threat")
	v.bool("heard", &s.Threat.Heard, dynamic)
	v.float("bearing", &s.Threat.Bearing, dynamic, -math.Pi, math.Pi)
	v.float("range", &s.Threat.Range, dynamic, 0, huge)
	v.float("x", &s.Threat.Pos.X, dynamic, -huge, huge)
	v.float("y", &s.Threat.Pos.Y, dynamic, -huge, huge)
	v.bool("tracked", &s.Threat.Tracked, dynamic)
	v.float("course", &s.Threat.Course, dynamic, -math.Pi, math.Pi)
	v.close()
	v.stream("sensor_stream", &s.Sensor, dynamic)
	v.stream("damage_stream", &s.Damage, dynamic)
	v.int("ping_cooldown", &s.PingCD, dynamic, 0, math.MaxInt32)
	v.int("pinged", &s.Pinged, dynamic, 0, math.MaxInt32)
	v.bool("ping_now", &s.PingNow, dynamic)
	v.int("blinded", &s.Blinded, dynamic, 0, math.MaxInt32)
	v.bool("detected", &s.Detected, dynamic)
	v.int("hits", &s.Hits, dynamic, 0, math.MaxInt32)
	v.int("shots_fired", &s.ShotsFired, dynamic, 0, math.MaxInt32)
	v.int("wasted", &s.Wasted, dynamic, 0, math.MaxInt32)
	v.int("kills", &s.Kills, dynamic, 0, math.MaxInt32)
	v.uint32("killed_by", (*uint32)(&s.KilledBy), dynamic, 0, n)
	v.float("hazard_damage", &s.HazardDamage, dynamic, 0, huge)
	v.int("contact", &s.Contact, dynamic, -1, n-1)
	v.float("contact_range", &s.ContactRange, dynamic, 0, huge)
}

// walkTrack visits one track slot; the hash stops after the quality of an
// empty slot (-1).
func (w *World) walkTrack(v *stateWalker, t *Track) {
	v.int8("quality", &t.Quality, dynamic, -1, 3)
	if t.Quality < 0 && v.hashing() {
		return
	}
	v.int8("layer", &t.Layer, dynamic, -1, 2)
	v.int8("class", &t.Class, dynamic, -1, len(classIndex)-1)
	v.bool("hostile", &t.Hostile, dynamic)
	v.bool("fresh", &t.Fresh, dynamic)
	v.uint8("sources", &t.Sources, dynamic, 0, 1<<(Link+1)-1)
	v.float("x", &t.Pos.X, dynamic, -huge, huge)
	v.float("y", &t.Pos.Y, dynamic, -huge, huge)
	v.float("vx", &t.Vel.X, dynamic, -huge, huge)
	v.float("vy", &t.Vel.Y, dynamic, -huge, huge)
	v.float("err", &t.Err, dynamic, 0, huge)
	v.int("updated", &t.Updated, dynamic, 0, w.Tick)
}

// walkProjectiles visits the projectile pool. Dead slots are saved (their
// positions decide where the next launch goes) but not hashed; the hash
// writes each live projectile's slot index before it.
func (w *World) walkProjectiles(v *stateWalker) {
	n := v.slice("projectiles", len(w.projectiles), w.maxProjectiles())
	w.projectiles = resize(w.projectiles, n)
	for i := range w.projectiles {
		p := &w.projectiles[i]
		if v.hashing() && !p.Alive {
			continue
		}
		v.value("", i, hashed)
		v.open("")
		w.walkProjectile(v, p)
		v.close()
	}
	v.end()
}

// walkProjectile visits one projectile. Speed, damage, blast radius,
// guidance and the direction vector follow from its kind, its owner and its
// heading; Load recomputes them (see projectileSpec).
func (w *World) walkProjectile(v *stateWalker, p *Projectile) {
	n := len(w.Ships)
	v.bool("alive", &p.Alive, saved)
	v.uint8("kind", (*uint8)(&p.Kind), dynamic, 0, int(numWeaponKinds)-1)
	v.int("owner", &p.Owner, dynamic, 0, n-1)
	v.float("x", &p.Pos.X, dynamic, -huge, huge)
	v.float("y", &p.Pos.Y, dynamic, -huge, huge)
	v.float("heading", &p.Heading, dynamic, -math.Pi, math.Pi)
	v.float("run", &p.Run, dynamic, 0, huge)
	v.float("max_run", &p.MaxRun, saved, 0, huge)
	v.float("aim_x", &p.Aim.X, saved, -huge, huge)
	v.float("aim_y", &p.Aim.Y, saved, -huge, huge)
	v.bool("seeking", &p.Seeking, dynamic)
	v.int("target", &p.Target, dynamic, -1, n-1)
	v.uint64("trace", &p.Trace, saved)
	v.uint64("cause", &p.Cause, saved)
}

// walkLog visits the action log and the per-tick hashes (kept with
// Options.RecordLog, empty otherwise).
func (w *World) walkLog(v *stateWalker) {
	maxLog := 0
	if w.Opts.RecordLog {
		maxLog = max(0, w.Tick) * len(w.Ships)
	}
	n := v.slice("log", len(w.log), maxLog)
	w.log = resize(w.log, n)
	for i := range w.log {
		r := &w.log[i]
		v.open("")
		v.int("tick", &r.Tick, saved, 0, w.MaxTicks)
		v.string("ship_id", &r.ShipID, saved)
		v.array("action", ActionSize)
		for k := range r.Action {
			v.float("", &r.Action[k], saved, -1, 1)
		}
		v.end()
		v.close()
	}
	v.end()
	maxHashes := 0
	if w.Opts.RecordLog {
		maxHashes = max(0, w.Tick)
	}
	n = v.slice("tick_hashes", len(w.tickHashes), maxHashes)
	w.tickHashes = resize(w.tickHashes, n)
	for i := range w.tickHashes {
		v.uint64("", &w.tickHashes[i], saved)
	}
	v.end()
}

// topSpeed is the fastest a ship can ever go in this battle: its hull's
// top speed with every speed-bonus zone at once.
func (w *World) topSpeed(s *Ship) float64 {
	bonus := 1.0
	for i := range w.env.zones {
		if z := &w.env.zones[i]; z.kind == contract.ZoneSpeedBonus {
			bonus += 0.5 * max(0, z.intensity)
		}
	}
	return s.Spec.Hull.MaxSpeed * bonus * (1 + 1e-9)
}

// maxProjectiles bounds the projectile pool: every launch spends a round,
// so no more than the rounds carried can be in flight, plus the pool's
// initial slack.
func (w *World) maxProjectiles() int {
	n := 4*len(w.Ships) + 16
	for i := range w.Ships {
		for m := range w.Ships[i].Mounts {
			n += max(0, w.Ships[i].Mounts[m].AmmoStart)
		}
	}
	return n
}

// resize returns s with length n, reusing its array when it is big enough.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return append(s[:cap(s)], make([]T, n-cap(s))...)[:n]
	}
	return s[:n]
}
