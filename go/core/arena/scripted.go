package arena

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// The scripted combat controllers (aggressive, stalker, expert) share one
// engine: each tick a ship reads its own state, its track table (its own
// sensors and the team datalink) and the torpedo its sonar hears, never
// another ship's ground truth, and picks a mode: torpedo evasion, search or
// engagement. A doctrine sets how it does each, so the three differ in
// skill, not in the information they use. Every ship plays to its class:
// submarines fight with torpedoes from depth, surface combatants with guns
// against ships on the surface and ASW mortars against submarines, and
// unarmed ships keep to their course and run from danger.

// doctrine is how a scripted controller fights.
type doctrine struct {
	// Search.
	searchThrottle float64 // surface ships' throttle while searching
	subSearch      float64 // submarines' throttle while searching (sprint legs)
	drift          float64 // throttle of the drift legs of sprint-and-drift (0: no drift legs)
	subDriftOnly   bool    // surface ships search without drift legs
	pingEvery      int     // surface ships: ticks between pings while searching (0: never)
	subPingEvery   int     // submarines: ticks between pings while searching (0: never) …
	pingAfter      int     // … once this many ticks passed without a contact
	pingContact    bool    // submarines keep pinging at that rate with a contact too
	// Engagement.
	gunRange   float64 // surface ships close to this fraction of gun range …
	gunMax     float64 // … but at most this range (m)
	torpRange  float64 // submarines close to this range of surface ships (m) …
	subRange   float64 // … and of submarines …
	torpQuiet  float64 // … at this throttle once within twice that range (0: full speed)
	subStandOf float64 // submarines turn away from surface ships closer than this (0: never)
	circle     bool    // surface ships circle at their range instead of slowing
	weave      float64 // heading weave amplitude (rad) while closing or circling
	// Fire control.
	gunOpen     float64 // undisciplined gunnery opens fire inside this fraction of gun range
	discipline  bool    // fire only with a firing solution likely to hit
	gunP        float64 // disciplined gunnery: least hit probability per shell, scaled by ammo
	torpFire    float64 // fire torpedoes inside this range of surface ships (m) …
	subFire     float64 // … and of submarines …
	exposedFire float64 // … or this range when exposed (see exposed)
	loudExposes bool    // a submarine that must be pinging counts as exposure
	salvo       int     // torpedoes kept running at once
	solvePing   bool    // submarines ping to refine a poor torpedo solution on a surface ship …
	solveSub    bool    // … and on a submarine
	// Torpedo evasion.
	evade       float64 // submarines evade torpedoes heard within this range (m) …
	evadeSfc    float64 // … and surface ships within this one
	evadeAll    bool    // evade even when the own weapons could answer
	evadeCPA    bool    // ignore torpedoes whose course passes clear of the ship
	evadeCPASfc bool    // … on surface ships only
	evadeBias   float64 // lean the evasion toward the own target by this much (0: straight across)
	waitFix     bool    // a new nearest torpedo is not evaded before two fixes give its course
	aswWeave    float64 // weave amplitude (rad) closing on a submarine
}

var doctrines = [numControllers]doctrine{
	// aggressive: a loud, fast hunter that pings as it goes, closes in and
	// fires whatever can fire (guns inside 70 % of their range, torpedoes
	// with a recent track), and turns across torpedoes it hears.
	ControllerAggressive: {
		searchThrottle: 0.7, subSearch: 1, pingEvery: 12, subPingEvery: 12, pingContact: true,
		gunRange: 0.5, gunMax: 3000, torpRange: 2000, subRange: 1500,
		gunOpen: 0.7, torpFire: 3000, subFire: 2500, exposedFire: 4000, salvo: 2,
		evade: 3000, evadeSfc: 3000, evadeAll: true, evadeCPASfc: true, waitFix: true,
	},
	// stalker: a quiet ambusher. It searches by sprint-and-drift, listens,
	// pings only after a long fruitless search, approaches slowly, fires
	// from a stand-off range with a solution and evades every torpedo it
	// hears.
	ControllerStalker: {
		searchThrottle: 0.7, subSearch: 1, drift: 0.45, subDriftOnly: true, pingEvery: 30, subPingEvery: 60, pingAfter: 150,
		gunRange: 0.45, gunMax: 3600, torpRange: 2500, subRange: 1300, torpQuiet: 0.45, subStandOf: 1800,
		discipline: true, gunP: 0.8, torpFire: 3500, subFire: 1800, salvo: 2, solvePing: true,
		evade: 3000, evadeSfc: 3000, evadeAll: true, evadeBias: 0.6,
	},
	// expert: the whole kit. Sprint-and-drift and pings where they pay,
	// weaving approaches, circling gunnery, fire discipline, pings for a
	// torpedo solution, stand-off from ASW ships and early torpedo
	// evasion.
	ControllerExpert: {
		searchThrottle: 0.8, subSearch: 1, drift: 0.45, subDriftOnly: true, pingEvery: 10, subPingEvery: 60, pingAfter: 150,
		gunRange: 0.4, gunMax: 3600, torpRange: 2200, subRange: 1500, torpQuiet: 0.45, subStandOf: 1800,
		circle: true, weave: 0.5, aswWeave: 0.5,
		discipline: true, gunP: 0.6, torpFire: 2500, subFire: 2000, salvo: 2, solvePing: true, solveSub: true, loudExposes: true,
		evade: 3000, evadeSfc: 3000, evadeAll: true, evadeCPA: true,
	},
}

// Engine constants.
const (
	datumTicks      = 90     // a lost contact's last position is searched for this long
	sprintTicks     = 50     // sprint leg of sprint-and-drift
	driftTicks      = 20     // drift leg
	evadeHold       = 12     // ticks an evasion heading is held after the torpedo was last heard
	homingRange     = 450.0  // a torpedo this close and on our line is homing: no use evading
	clearCPA        = 700.0  // a torpedo whose course passes further off than this is no threat
	torpedoSpeedMin = 10.0   // two torpedo fixes a tick apart further apart than this …
	torpedoSpeedMax = 50.0   // … and closer than this are one torpedo's run
	exposedTicks    = 120    // a ship that heard a torpedo or pinged this recently is known to the enemy
	loudRange       = 1500.0 // a submarine heard at fire-control quality beyond this is pinging
	aswFirePass     = 600.0  // surface ships run an ASW attack to pass this close
	unarmedFlee     = 4000.0 // unarmed ships turn away from hostiles this close
	unarmedCruise   = 0.6    // unarmed ships' throttle
	searchReach     = 1500.0 // how close a search point must be approached
	escortScreen    = 1500.0 // escorts screen this far ahead of the ships they escort
	aheadCos        = 0.7071 // cos 45°: the map's centre lies ahead within this angle
	solutionWindow  = 3      // a firing solution needs a track updated this recently (ticks)
	weavePeriod     = 24.0   // ticks of one weave cycle
	hullGuess       = 22.0   // hull radius assumed for an unknown target (m)
)

// kit is what a ship's spec lets its controller do.
type kit struct {
	sub      bool // can submerge
	gun, asw bool
	torp     bool
	sonar    bool
}

func (w *World) kitOf(s *Ship) kit {
	return kit{sub: s.Spec.Capabilities.CanSubmerge,
		gun: s.Mount[Gun] >= 0, torp: s.Mount[Torpedo] >= 0, asw: s.Mount[ASW] >= 0,
		sonar: slices.Contains(w.kinds[s.ID-1], Sonar)}
}

func (k kit) armed() bool { return k.gun || k.torp || k.asw }

// numArms is the number of kit.arms values.
const numArms = 8

// arms numbers the kit's weapons (what canEngage depends on): bit 0 gun,
// 1 ASW, 2 torpedo.
func (k kit) arms() int { return b2i(k.gun) | b2i(k.asw)<<1 | b2i(k.torp)<<2 }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// armsKit is a kit with the weapons that arms numbers.
func armsKit(a int) kit { return kit{gun: a&1 != 0, asw: a&2 != 0, torp: a&4 != 0} }

// canEngage reports whether the kit has a weapon for a target in layer
// (-1: unknown layer, which any weapon might engage).
func (k kit) canEngage(layer int8) bool {
	switch {
	case k.torp:
		return true
	case layer < 0 || layer == 2:
		return k.gun || k.asw
	case layer == 0:
		return k.gun
	}
	return k.asw
}

// bestContact is the index of the most useful hostile track (quality, then
// range), or -1.
func (w *World) bestContact(s *Ship) int {
	return w.bestEngageable(s, kit{torp: true})
}

// bestEngageable is bestContact among the tracks the kit can engage.
func (w *World) bestEngageable(s *Ship, k kit) int {
	return w.bestTrack(s, true, &k)
}

// nearestHostile is the index of the nearest hostile track of any quality, or -1.
func (w *World) nearestHostile(s *Ship) (int, float64) {
	best, bestR := w.nearestTrack(s, true, nil)
	return best, dmath.Sqrt(bestR)
}

func dist2(a, b r2.Vec) float64 {
	d := r2.Sub(a, b)
	return float64(d.X*d.X) + float64(d.Y*d.Y)
}

func dot(a, b r2.Vec) float64 { return float64(a.X*b.X) + float64(a.Y*b.Y) }

func (w *World) mapCentre() r2.Vec {
	b := &w.Pkg.Map.Bounds
	return r2.Vec{X: (b.MinX + b.MaxX) / 2, Y: (b.MinY + b.MaxY) / 2}
}

// controlDoctrine runs the aggressive, stalker and expert controllers.
func (w *World) controlDoctrine(s *Ship, c *Command, d *doctrine) {
	k := w.kitOf(s)
	cs := &s.Control
	if k.sub && s.Layer == Surface && !s.Trans.Active {
		c.Action[ActLayer] = 1 // submarines fight from depth
	}
	j := w.bestEngageable(s, k)
	if j >= 0 && w.contact(s, j).Quality >= 1 {
		cs.Search = 0
		if tr := w.contact(s, j); tr.Fresh {
			cs.Datum, cs.DatumTick = tr.Pos, w.Tick
		}
	} else {
		cs.Search++
	}
	w.fireControl(s, c, k, d, j)
	w.sonarControl(s, c, k, d, j)
	if w.evade(s, c, k, d, j) {
		return
	}
	switch {
	case !k.armed():
		w.sail(s, c)
	case j < 0 || w.contact(s, j).Quality == 0:
		w.search(s, c, k, d, j)
	case k.torp:
		w.torpedoAttack(s, c, d, j)
	case w.contact(s, j).Layer == 1 || (w.contact(s, j).Layer == 2 && !k.gun):
		w.aswAttack(s, c, d, j)
	default:
		w.gunAttack(s, c, d, j)
	}
}

// fireControl sets the fire actions for a ship whose best contact is j
// (bestEngageable). Undisciplined doctrines fire every weapon that can
// (torpedoes inside torpFire with at most salvo running); disciplined ones
// fire only with a solution likely to hit.
func (w *World) fireControl(s *Ship, c *Command, k kit, d *doctrine, j int) {
	if k.gun {
		if t := w.weaponTarget(s, Gun, j); d.discipline {
			c.Action[ActFireGun] = w.fireIf(w.gunSolution(s, t) >= w.gunThreshold(s, d))
		} else {
			c.Action[ActFireGun] = w.fireIf(w.gunInside(s, t, d.gunOpen))
		}
	}
	if k.asw {
		c.Action[ActFireASW] = w.fireIf(!d.discipline || w.aswSolution(s, w.weaponTarget(s, ASW, j)))
	}
	if k.torp && w.torpedoesRunning(s) < d.salvo {
		c.Action[ActFireTorpedo] = w.fireIf(w.torpedoSolution(s, d, w.weaponTarget(s, Torpedo, j)))
	}
}

// weaponTarget is target(s, kind) for a ship that mounts the weapon and
// whose best contact is j (bestEngageable for its kit): -1 without the
// search when that contact is below the quality the weapon needs. Every
// track the weapon may target is one the kit can engage (kit.canEngage,
// TestKitEngagesWhatItsWeaponsHit) and at most of the best contact's
// quality, the highest of those.
func (w *World) weaponTarget(s *Ship, kind WeaponKind, j int) int {
	if j < 0 || w.contact(s, j).Quality < minQuality[kind] {
		return -1
	}
	return w.target(s, kind)
}

func (w *World) fireIf(ok bool) float64 {
	if ok {
		return 1
	}
	return 0
}

// gunSolution estimates the chance that a shell fired now at the gun's
// target j (target(s, Gun)) hits: the lateral miss combines the gun's dispersion (crew and sea
// state), the track's position error and its velocity error over the
// shell's flight.
func (w *World) gunSolution(s *Ship, j int) float64 {
	if j < 0 {
		return 0
	}
	slot := *w.contact(s, j)
	tr := &slot
	spec := s.Mounts[s.Mount[Gun]].Spec
	r := dmath.Sqrt(dist2(tr.Pos, s.Kin.Pos))
	sigma := float64((dispersionBaseDeg + dispersionSkillDeg*(1-s.Spec.Crew.Gunnery)) *
		(1 + dispersionSeaPerStep*float64(w.env.weather.SeaState)) * math.Pi / 180)
	flight := r / spec.Projectile.Speed
	lat := float64(r * sigma)
	vel := float64(float64(tr.Err*velNoiseFrac) * flight)
	miss := dmath.Sqrt(float64(lat*lat) + float64(tr.Err*tr.Err) + float64(vel*vel))
	return min(1, float64(0.8*hullGuess)/max(miss, 1))
}

// gunThreshold is the least hit chance a disciplined gunner fires at: the
// hits still needed to sink a ship like its own (its hp less the damage
// its hits did, per shell) spread over the shells left, times the
// doctrine's gunP, within [0.05, 0.25].
func (w *World) gunThreshold(s *Ship, d *doctrine) float64 {
	mt := &s.Mounts[s.Mount[Gun]]
	dmg := mt.Spec.Projectile.Damage
	need := max(1, (s.MaxHP-float64(float64(s.Hits)*dmg))/dmg)
	return dmath.Clamp(float64(d.gunP*need)/float64(max(mt.Ammo, 1)), 0.05, 0.25)
}

// gunInside reports whether the gun's target j (target(s, Gun)) is inside
// frac of its range.
func (w *World) gunInside(s *Ship, j int, frac float64) bool {
	if j < 0 {
		return false
	}
	r := float64(frac * s.Mounts[s.Mount[Gun]].Spec.Range)
	return dist2(w.contact(s, j).Pos, s.Kin.Pos) <= float64(r*r)
}

// aswSolution reports whether an ASW charge fired now would likely burst on
// its target j (target(s, ASW)): the charge flies to the track's position, so the track's
// error and the target's run during the flight must fit inside the blast.
func (w *World) aswSolution(s *Ship, j int) bool {
	if j < 0 {
		return false
	}
	slot := *w.contact(s, j)
	tr := &slot
	if w.Tick-tr.Updated > solutionWindow {
		return false
	}
	p := &s.Mounts[s.Mount[ASW]].Spec.Projectile
	flight := dmath.Sqrt(dist2(tr.Pos, s.Kin.Pos)) / p.Speed
	run := float64(dmath.Hypot(tr.Vel.X, tr.Vel.Y) * flight)
	return dmath.Hypot(tr.Err, run) < p.BlastRadius+hullGuess
}

// torpedoSolution reports whether to fire a torpedo now at the torpedo's
// target j (target(s, Torpedo)). Every doctrine waits until the target is inside torpFire; a
// disciplined one also wants a fresh track whose position and velocity
// errors, carried over the run, keep the target inside the seeker's cone
// when it switches on.
func (w *World) torpedoSolution(s *Ship, d *doctrine, j int) bool {
	if j < 0 {
		return false
	}
	slot := *w.contact(s, j)
	tr := &slot
	r := dmath.Sqrt(dist2(tr.Pos, s.Kin.Pos))
	if r > d.fireRange(tr.Layer, w.exposed(s, d)) {
		return false
	}
	if !d.discipline {
		return w.Tick-tr.Updated <= 5
	}
	if w.Tick-tr.Updated > solutionWindow {
		return false
	}
	return w.torpedoMiss(s, tr, r) < w.seekerWidth(s)
}

// fireRange is the range inside which torpedoes are fired at a target in
// layer: a submarine is stalked to subFire unless the ship is exposed.
func (d *doctrine) fireRange(layer int8, exposed bool) float64 {
	switch {
	case layer == 0:
		return d.torpFire
	case exposed:
		return max(d.subFire, d.exposedFire)
	}
	return d.subFire
}

// exposed reports whether the ship must assume the enemy knows where it
// is: it heard a hostile torpedo within the last exposedTicks, or it hears
// a submarine so loud, without a ping of its own, that the submarine must
// be pinging.
func (w *World) exposed(s *Ship, d *doctrine) bool {
	if w.Tick-s.Control.ThreatTick < exposedTicks {
		return true
	}
	if !d.loudExposes || w.Tick-s.Control.LastPing <= pingTicks {
		return false
	}
	for it := w.tracks(int(s.ID - 1)); it.next(); {
		if tr := it.tr; tr.Hostile && tr.Quality >= 2 && tr.Layer == 1 &&
			tr.Sources&(1<<Sonar) != 0 && it.fresh() && dist2(tr.Pos, s.Kin.Pos) > loudRange*loudRange {
			return true
		}
	}
	return false
}

// torpedoMiss is the expected distance between a torpedo's lead point and
// the target, from the track's errors over the run.
func (w *World) torpedoMiss(s *Ship, tr *Track, r float64) float64 {
	spec := s.Mounts[s.Mount[Torpedo]].Spec
	run := r / spec.Projectile.Speed
	return float64(tr.Err * (1 + float64(velNoiseFrac*run)))
}

// seekerWidth is the half-width of the torpedo seeker's cone where it
// switches on (m): a lead point off by more than this may be missed.
func (w *World) seekerWidth(s *Ship) float64 {
	g := &s.Mounts[s.Mount[Torpedo]].Spec.Projectile.Guidance
	sin, _ := dmath.SinCos(g.SeekerCone / 2)
	return float64(float64(torpedoEnableFrac*g.SeekerRange) * sin * 2)
}

// evade turns away from a torpedo the ship hears running at it and holds
// the evasion for a while after it was last heard. The torpedo's track
// comes from two successive bearings and ranges; the ship turns across
// it, away from the side it is on, or, once the torpedo is close on its
// line (its seeker holds the ship), runs straight away from it. It reports
// whether it set the ship's course.
func (w *World) evade(s *Ship, c *Command, k kit, d *doctrine, j int) bool {
	cs := &s.Control
	if s.Threat.Heard {
		sin, cos := dmath.SinCos(s.Threat.Bearing)
		p := r2.Vec{X: s.Kin.Pos.X + float64(cos*s.Threat.Range), Y: s.Kin.Pos.Y + float64(sin*s.Threat.Range)}
		off := r2.Sub(s.Kin.Pos, p)
		dir := r2.Scale(1/max(s.Threat.Range, 1), off) // assume it runs at us …
		tracked, other := false, false
		if cs.ThreatTick == w.Tick-1 { // … unless two fixes a tick apart give its course
			v := r2.Sub(p, cs.ThreatPos)
			speed := dmath.Hypot(v.X, v.Y)
			tracked = speed > torpedoSpeedMin && speed < torpedoSpeedMax
			other = !tracked // another torpedo is now the nearest: its course is not known yet
			if tracked {
				dir = r2.Scale(1/speed, v)
			}
		}
		cs.ThreatPos, cs.ThreatTick = p, w.Tick
		n := r2.Vec{X: -dir.Y, Y: dir.X}
		lat := dot(off, n)
		within := d.evade
		if !k.sub {
			within = d.evadeSfc
		}
		// A torpedo whose course passes clear is not evaded; an evasion
		// under way goes on until the ship is twice as far off its course.
		clearance := clearCPA
		if cs.EvadeLeft > 0 {
			clearance = 2 * clearCPA
		}
		clear := (d.evadeCPA || d.evadeCPASfc && !k.sub) && tracked && abs(lat) >= clearance
		if clear {
			cs.EvadeLeft = 0
		}
		inbound := dot(off, dir) > 0 && !clear
		switch {
		case !inbound || s.Threat.Range >= within || !(d.evadeAll || !w.canAnswer(s, k, j)):
		case other && d.waitFix:
		default:
			if lat < 0 || (lat == 0 && dot(n, s.Kin.Dir()) < 0) {
				n = r2.Scale(-1, n)
			}
			if d.evadeBias > 0 && j >= 0 {
				// Across its course, leaning toward the own target when that
				// lies up the torpedo's track (where it came from), so that
				// the evasion also closes the range.
				t := r2.Sub(w.contact(s, j).Pos, s.Kin.Pos)
				t = r2.Scale(d.evadeBias/max(dmath.Hypot(t.X, t.Y), 1), t)
				if dot(t, dir) < 0 {
					n = r2.Add(n, t)
				}
			}
			cs.Evade, cs.EvadeLeft = dmath.Atan2(n.Y, n.X), evadeHold
			if d.evadeAll && tracked && s.Threat.Range < homingRange && abs(lat) < float64(0.3*s.Threat.Range) {
				cs.EvadeLeft = 0 // it has us and will not be outrun: carry on the fight
			}
		}
	}
	if cs.EvadeLeft <= 0 {
		return false
	}
	cs.EvadeLeft--
	c.Action[ActThrottle] = 1
	c.Action[ActRudder] = steerToward(s.Kin.Heading, cs.Evade)
	return true
}

// canAnswer reports whether the ship is inside the range at which it
// would engage its contact j: an aggressive ship in its own firing
// position does not turn away.
func (w *World) canAnswer(s *Ship, k kit, j int) bool {
	if j < 0 || w.contact(s, j).Quality < 1 {
		return false
	}
	slot := *w.contact(s, j)
	tr := &slot
	r := dmath.Sqrt(dist2(tr.Pos, s.Kin.Pos))
	for kind := WeaponKind(0); kind < numWeaponKinds; kind++ {
		if m := s.Mount[kind]; m >= 0 && layerOK(kind, tr.Layer) &&
			r <= float64(0.5*s.Mounts[m].Spec.Range) {
			return true
		}
	}
	return false
}

// search hunts for a contact: toward a Q0 cue or the last known position
// of a lost contact, else along the search plan. Submarines of a drifting
// doctrine sprint and drift (the drift leg is slow enough not to deafen
// their sonar); pings go out when the doctrine says they are worth it.
func (w *World) search(s *Ship, c *Command, k kit, d *doctrine, j int) {
	cs := &s.Control
	var goal r2.Vec
	switch {
	case j >= 0:
		goal = w.contact(s, j).Pos
	case cs.DatumTick >= 0 && w.Tick-cs.DatumTick < datumTicks:
		goal = cs.Datum
		if dist2(goal, s.Kin.Pos) < float64(searchReach*searchReach)/4 {
			cs.DatumTick = -1 // reached it: back to the plan
		}
	default:
		goal = w.searchPoint(s)
		if p, ok := w.screenPoint(s, k); ok {
			goal = p
		}
	}
	throttle := d.searchThrottle
	if k.sub {
		throttle = d.subSearch
	}
	if d.drift > 0 && (k.sub || !d.subDriftOnly) && (w.Tick+int(s.ID)*17)%(sprintTicks+driftTicks) >= sprintTicks {
		throttle = d.drift
		if !k.sub {
			throttle = max(d.drift, 0.3)
		}
	}
	c.Action[ActThrottle] = throttle
	c.Action[ActRudder] = steerToward(s.Kin.Heading, bearingTo(s.Kin.Pos, goal))
}

// screenPoint is where an armed surface ship screens the unarmed ships of
// its team: escortScreen ahead of their mean position along its ordered
// course. ok is false when the team has no unarmed ship in action.
func (w *World) screenPoint(s *Ship, k kit) (p r2.Vec, ok bool) {
	if k.sub {
		return p, false
	}
	n := 0
	for _, i := range w.Teams[s.Team].Ships {
		m := &w.Ships[i]
		if m.Alive() && m.Mount == [numWeaponKinds]int8{-1, -1, -1} {
			p = r2.Add(p, m.Kin.Pos)
			n++
		}
	}
	if n == 0 {
		return p, false
	}
	sin, cos := dmath.SinCos(w.starts[s.ID-1][2])
	p = r2.Scale(1/float64(n), p)
	return r2.Vec{X: p.X + float64(escortScreen*cos), Y: p.Y + float64(escortScreen*sin)}, true
}

// sonarControl sends the pings: on the doctrine's cadence while searching
// (submarines only after a while without contacts, and with contacts too
// where the doctrine says so); surface ships over a submarine contact
// inside sonar range to keep its track fresh for the mortar; submarines to
// refine a torpedo solution that is too poor to fire.
func (w *World) sonarControl(s *Ship, c *Command, k kit, d *doctrine, j int) {
	if !k.sonar {
		return
	}
	cs := &s.Control
	contact := j >= 0 && w.contact(s, j).Quality >= 1
	since := w.Tick - cs.LastPing
	switch {
	case k.sub:
		if d.subPingEvery > 0 && since >= d.subPingEvery && cs.Search >= d.pingAfter && (!contact || d.pingContact) {
			w.ping(s, c)
		}
		if contact && (d.solvePing && w.contact(s, j).Layer == 0 || d.solveSub && w.contact(s, j).Layer != 0) && c.Action[ActFireTorpedo] == 0 && w.torpedoesRunning(s) < d.salvo &&
			w.canFire(s, Torpedo) && dist2(w.contact(s, j).Pos, s.Kin.Pos) < float64(d.torpFire*d.torpFire) {
			w.ping(s, c)
		}
	case !contact:
		if d.pingEvery > 0 && since >= d.pingEvery {
			w.ping(s, c)
		}
	case w.contact(s, j).Layer != 0 && k.asw:
		slot := *w.contact(s, j)
		tr := &slot
		stale := tr.Quality < 2 || (d.discipline && w.Tick-tr.Updated > 2)
		if stale && dist2(tr.Pos, s.Kin.Pos) < float64(w.sonarRange(s)*w.sonarRange(s)) {
			w.ping(s, c)
		}
	}
}

func (w *World) ping(s *Ship, c *Command) {
	if w.canPing(s) {
		c.Action[ActPing] = 1
		s.Control.LastPing = w.Tick
	}
}

// weaved adds the doctrine's weave to a bearing.
func (w *World) weaved(s *Ship, d *doctrine, bearing float64) float64 {
	return w.weave(s, d.weave, bearing)
}

// weave swings a bearing by up to amp radians, one cycle every weavePeriod ticks.
func (w *World) weave(s *Ship, amp, bearing float64) float64 {
	if amp == 0 {
		return bearing
	}
	phase := float64(2*math.Pi) * float64((w.Tick+int(s.ID)*7)%int(weavePeriod)) / weavePeriod
	return dmath.WrapAngle(bearing + float64(amp*dmath.Sin(phase)))
}

// gunAttack fights a surface contact with the gun: close to the doctrine's
// range, then slow down (aggressive) or circle it (expert), weaving.
func (w *World) gunAttack(s *Ship, c *Command, d *doctrine, j int) {
	slot := *w.contact(s, j)
	tr := &slot
	dv := r2.Sub(tr.Pos, s.Kin.Pos)
	r := dmath.Hypot(dv.X, dv.Y)
	toward := dmath.Atan2(dv.Y, dv.X)
	want := w.engageRange(s, d, tr.Layer)
	c.Action[ActThrottle] = 1
	switch {
	case r > want:
		c.Action[ActRudder] = steerToward(s.Kin.Heading, w.weaved(s, d, toward))
	case !d.circle:
		c.Action[ActThrottle] = 0.4
		c.Action[ActRudder] = steerToward(s.Kin.Heading, toward)
	default:
		// Circle: the beam bearing nearer the own heading, pulled in or out
		// to hold the range.
		side := 1.0
		if dmath.WrapAngle(s.Kin.Heading-toward) < 0 {
			side = -1
		}
		correction := dmath.Clamp((r-float64(0.75*want))/want, -0.5, 0.5)
		beam := dmath.WrapAngle(toward + float64(side*(math.Pi/2-correction)))
		c.Action[ActRudder] = steerToward(s.Kin.Heading, w.weaved(s, d, beam))
	}
}

// engageRange is how close a ship wants to be to a target in layer.
func (w *World) engageRange(s *Ship, d *doctrine, layer int8) float64 {
	if m := s.Mount[Gun]; m >= 0 && layer != 1 {
		return min(d.gunMax, float64(d.gunRange*s.Mounts[m].Spec.Range))
	}
	if m := s.Mount[ASW]; m >= 0 {
		return float64(0.5 * s.Mounts[m].Spec.Range)
	}
	return 1000
}

// aswAttack runs a surface ship over a submarine contact: at full speed to
// its position, pinging whenever allowed inside sonar range so that the
// track is fresh for the mortar; an undisciplined one slows down over it.
func (w *World) aswAttack(s *Ship, c *Command, d *doctrine, j int) {
	slot := *w.contact(s, j)
	tr := &slot
	dv := r2.Sub(tr.Pos, s.Kin.Pos)
	r := dmath.Hypot(dv.X, dv.Y)
	heading := dmath.Atan2(dv.Y, dv.X)
	if r > 2*aswFirePass {
		heading = w.weave(s, d.aswWeave, heading) // spoil its torpedoes' lead
	}
	c.Action[ActThrottle] = 1
	c.Action[ActRudder] = steerToward(s.Kin.Heading, heading)
	switch {
	case !d.discipline && r < w.engageRange(s, d, tr.Layer):
		c.Action[ActThrottle] = 0.4
	case d.discipline && r < aswFirePass:
		c.Action[ActThrottle] = 0.6 // pass over it, slowly enough to turn back
	}
}

// torpedoAttack brings a submarine to its firing range: quietly inside
// twice that range, turning across the target once there, and away from
// surface ships that come closer than the doctrine's stand-off (they carry
// ASW mortars). A solution-pinging doctrine pings when the torpedo
// solution is too poor to fire and the range is short.
func (w *World) torpedoAttack(s *Ship, c *Command, d *doctrine, j int) {
	slot := *w.contact(s, j)
	tr := &slot
	dv := r2.Sub(tr.Pos, s.Kin.Pos)
	r := dmath.Hypot(dv.X, dv.Y)
	toward := dmath.Atan2(dv.Y, dv.X)
	want := d.torpRange
	quiet := d.torpQuiet > 0 && tr.Layer != 0 && !(d.loudExposes && w.exposed(s, d))
	if tr.Layer != 0 {
		want = d.subRange
	}
	c.Action[ActThrottle] = 1
	switch {
	case d.subStandOf > 0 && tr.Layer == 0 && r < d.subStandOf:
		c.Action[ActRudder] = steerToward(s.Kin.Heading, dmath.WrapAngle(toward+math.Pi))
	case r > want:
		if quiet && r < max(2*want, 3000) {
			c.Action[ActThrottle] = d.torpQuiet
		}
		c.Action[ActRudder] = steerToward(s.Kin.Heading, toward)
	case d.torpQuiet > 0:
		if quiet {
			c.Action[ActThrottle] = d.torpQuiet
		}
		side := 1.0
		if dmath.WrapAngle(s.Kin.Heading-toward) < 0 {
			side = -1
		}
		c.Action[ActRudder] = steerToward(s.Kin.Heading, dmath.WrapAngle(toward+float64(side*math.Pi/2)))
	default:
		c.Action[ActThrottle] = 0.4
		c.Action[ActRudder] = steerToward(s.Kin.Heading, toward)
	}
}

// sail keeps an unarmed ship on its search plan at cruising speed, turned
// away from hostile contacts that come close.
func (w *World) sail(s *Ship, c *Command) {
	c.Action[ActThrottle] = unarmedCruise
	heading := bearingTo(s.Kin.Pos, w.searchPoint(s))
	if j, r := w.nearestHostile(s); j >= 0 && r < unarmedFlee {
		heading = dmath.WrapAngle(bearingTo(s.Kin.Pos, w.contact(s, j).Pos) + math.Pi)
		c.Action[ActThrottle] = 1
	}
	c.Action[ActRudder] = steerToward(s.Kin.Heading, heading)
}

// torpedoesRunning counts a ship's torpedoes still in the water that may
// yet hit: those whose seeker has not switched on, or holds a target (the
// launcher follows its own torpedoes, as wire guidance would tell it).
func (w *World) torpedoesRunning(s *Ship) int { return w.liveTorpedoes(int(s.ID - 1)) }

// searchPoint is the current point of the ship's search plan: first ahead
// along its ordered course (its start heading) to 1.5 km short
// of the far edge of the map, then a circuit through the map's centre and
// the centres of its four quadrants. It moves on when within searchReach of
// the point.
func (w *World) searchPoint(s *Ship) r2.Vec {
	b := &w.Pkg.Map.Bounds
	var p r2.Vec
	if k := s.Control.Waypoint; k == 0 {
		p = w.aheadPoint(s)
	} else {
		fx := [5]float64{0.5, 0.25, 0.75, 0.75, 0.25}
		fy := [5]float64{0.5, 0.25, 0.25, 0.75, 0.75}
		k = (k - 1) % 5
		p = r2.Vec{X: b.MinX + float64(fx[k]*(b.MaxX-b.MinX)), Y: b.MinY + float64(fy[k]*(b.MaxY-b.MinY))}
	}
	if dist2(p, s.Kin.Pos) < searchReach*searchReach {
		s.Control.Waypoint++
	}
	return p
}

// aheadPoint is the first leg's end: from the ship's start along its start
// heading, or through the map's centre when that lies within 45° of it, to
// searchReach short of the edge of the map. (The start, not the package's
// initial state: a concrete package from scenarios.package has the
// randomised start as its initial state and must play the same battle.)
func (w *World) aheadPoint(s *Ship) r2.Vec {
	b := &w.Pkg.Map.Bounds
	st := &w.starts[s.ID-1]
	sin, cos := dmath.SinCos(st[2])
	x0, y0 := st[0], st[1]
	if c := r2.Sub(w.mapCentre(), r2.Vec{X: x0, Y: y0}); dot(c, c) > 1 {
		// Through the map's centre when that lies roughly ahead: the start
		// heading is randomised, the way across the map is not.
		c = r2.Scale(1/dmath.Hypot(c.X, c.Y), c)
		if float64(c.X*cos)+float64(c.Y*sin) > aheadCos {
			sin, cos = c.Y, c.X
		}
	}
	t := math.Inf(1)
	if cos > 1e-9 {
		t = min(t, (b.MaxX-searchReach-x0)/cos)
	} else if cos < -1e-9 {
		t = min(t, (b.MinX+searchReach-x0)/cos)
	}
	if sin > 1e-9 {
		t = min(t, (b.MaxY-searchReach-y0)/sin)
	} else if sin < -1e-9 {
		t = min(t, (b.MinY+searchReach-y0)/sin)
	}
	t = max(t, 0)
	return r2.Vec{X: x0 + float64(cos*t), Y: y0 + float64(sin*t)}
}

func bearingTo(from, to r2.Vec) float64 {
	d := r2.Sub(to, from)
	return dmath.Atan2(d.Y, d.X)
}
