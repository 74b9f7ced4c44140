package arena

import (
	"math/bits"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/dmath"
	"github.com/tidebreak/tidebreak/go/core/geom"
)

// Projectile is a shell, torpedo or ASW charge in flight.
type Projectile struct {
	Alive   bool
	Kind    WeaponKind
	Owner   int // ship index of the launcher
	Pos     r2.Vec
	Heading float64
	Speed   float64
	Damage  float64
	Blast   float64
	Run     float64 // distance travelled
	MaxRun  float64
	Aim     r2.Vec // torpedo lead point; ASW burst point
	Homing  contract.Guidance
	Seeking bool
	Target  int // ship a torpedo's seeker holds, -1 for none
	Trace   uint64
	Cause   uint64
	Dir     r2.Vec // (cos, sin) of Heading
}

func (p *Projectile) setHeading(h float64) {
	p.Heading = h
	sin, cos := dmath.SinCos(h)
	p.Dir = r2.Vec{X: cos, Y: sin}
}

// addProjectile reuses the first dead slot or appends (allocation only when
// the pool grows beyond its high-water mark). Slots below w.freeFrom are
// known to be in use: launches come one after another in resolveFire, which
// resets it, and nothing dies in between.
func (w *World) addProjectile(p Projectile) {
	w.projGen++
	for i := w.freeFrom; i < len(w.projectiles); i++ {
		if !w.projectiles[i].Alive {
			w.projectiles[i] = p
			w.freeFrom = i + 1
			return
		}
	}
	w.projectiles = append(w.projectiles, p)
	w.freeFrom = len(w.projectiles)
}

// sink ends projectile p (hit, burst or run out).
func (w *World) sink(p *Projectile) {
	p.Alive = false
	w.projGen++
}

// countRunning forgets the torpedo counts (Reset, Load).
func (w *World) countRunning() { w.projGen++ }

// liveTorpedoes counts ship i's torpedoes in the water whose seeker has not
// switched on or holds a target. The counts of every ship are taken in one
// pass over the projectiles and kept until a projectile is launched, sinks,
// or changes its seeker's state (projGen).
func (w *World) liveTorpedoes(i int) int {
	if w.runningGen != w.projGen || w.runningGen == 0 {
		clear(w.running)
		for k := range w.projectiles {
			if p := &w.projectiles[k]; p.Alive && p.Kind == Torpedo && (!p.Seeking || p.Target >= 0) {
				w.running[p.Owner]++
			}
		}
		w.projGen++
		w.runningGen = w.projGen
	}
	return int(w.running[i])
}

// moveProjectiles advances every projectile one substep and resolves hits:
// while the ships glide, those that take the substeps one by one (apart
// lists them in w.stepwise, in index order; flyOnce moves the others).
func (w *World) moveProjectiles(dt float64) {
	if w.gliding {
		for _, i := range w.stepwise {
			w.moveProjectile(int(i), dt)
		}
		return
	}
	for i := range w.projectiles {
		w.moveProjectile(i, dt)
	}
}

// moveProjectile advances projectile i, if in flight, one substep and
// resolves its hits.
func (w *World) moveProjectile(i int, dt float64) {
	p := &w.projectiles[i]
	if !p.Alive {
		return
	}
	if p.Kind == Torpedo {
		w.steerTorpedo(p, dt)
	}
	from := p.advance(dt)
	quiet := w.gliding && w.flight[i] == flightQuiet // no ship within reach this tick (apart)
	switch p.Kind {
	case Gun:
		switch {
		case quiet:
		case w.gliding && len(w.Ships) <= indexShips:
			w.shellHitNear(p, from, w.shellNear[i])
		default:
			w.shellHit(p, from)
		}
	case Torpedo:
		if !quiet {
			w.torpedoHit(p)
		}
	case ASW:
		if p.Run >= p.MaxRun {
			w.burst(p)
		}
	}
	if p.Alive && p.Run >= p.MaxRun {
		w.expire(p)
	}
}

// advance moves p on by one substep of dt seconds along its heading (an
// ASW charge no further than its burst point) and returns where it was.
func (p *Projectile) advance(dt float64) (from r2.Vec) {
	step := float64(p.Speed * dt)
	if p.Kind == ASW {
		step = min(step, p.MaxRun-p.Run)
	}
	from = p.Pos
	p.Pos = r2.Vec{X: p.Pos.X + float64(p.Dir.X*step), Y: p.Pos.Y + float64(p.Dir.Y*step)}
	p.Run += step
	return from
}

// runsOn reports whether shell p's run stays short of MaxRun, where it
// runs out, through n more substeps of dt seconds, adding them up as
// advance does.
func (p *Projectile) runsOn(dt float64, n int) bool {
	step, run := float64(p.Speed*dt), p.Run
	if step >= 0 && run+float64(float64(n)*step)+1 < p.MaxRun {
		return true // (each sum is at most run + n·step, give or take a rounding a metre covers)
	}
	for range n {
		if run += step; run >= p.MaxRun {
			return false
		}
	}
	return true
}

// expire ends a projectile that hit nothing: a wasted shot.
func (w *World) expire(p *Projectile) {
	w.sink(p)
	o := &w.Ships[p.Owner]
	o.Wasted++
	o.Tick.Wasted++
	w.emit(Event{Kind: EventWasted, Source: o.ID, Trace: w.nextTrace(), Cause: p.Trace, Value: float64(p.Kind)})
}

// shellHit: a shell hits the first surfaced ship (not its own) whose hull
// its path this substep passes through.
func (w *World) shellHit(p *Projectile, from r2.Vec) {
	reach := geom.Norm(r2.Sub(p.Pos, from)) + w.maxRadius
	hit := -1
	w.shipGrid().query(p.Pos, reach, func(j int) bool {
		t := &w.Ships[j]
		if j == p.Owner || !onSurface(t) || (hit >= 0 && j > hit) {
			return true
		}
		if passes(from, p.Pos, t.Kin.Pos, t.Spec.Hull.Radius) {
			hit = j
		}
		return true
	})
	if hit >= 0 {
		w.projectileHits(p, hit, p.Damage)
	}
}

// shellHitNear is shellHit while the ships glide, among the ships in near
// (nearShell: every ship the shell can reach in this tick) that the grid
// it would have searched indexes (w.members, fixed by the substep's first
// search: a ship sunk since stays a target, as in the grid): the first in
// index order whose hull the path passes through, which is the one
// shellHit finds.
func (w *World) shellHitNear(p *Projectile, from r2.Vec, near uint64) {
	if w.gridStale && !w.membersOK { // (the search would build the grid now)
		w.fixMembers()
	}
	for near &= w.members; near != 0; near &= near - 1 {
		j := bits.TrailingZeros64(near)
		t := &w.Ships[j]
		if !onSurface(t) {
			continue
		}
		if passes(from, p.Pos, t.Kin.Pos, t.Spec.Hull.Radius) {
			w.projectileHits(p, j, p.Damage)
			return
		}
	}
}

// passes reports whether a shell's path from a to b passes within r of c
// (a ship's hull, r finite): the point of the path closest to c is no
// further than r from it. It first rules out, without that point, a c
// further than r outside the path's bounding box along x or y (and a metre
// more, which covers the rounding of the point, within a rounding of the
// box): most of a shell's substeps.
func passes(a, b, c r2.Vec, r float64) bool {
	lx, hx, ly, hy := a.X, b.X, a.Y, b.Y
	if hx < lx {
		lx, hx = hx, lx
	}
	if hy < ly {
		ly, hy = hy, ly
	}
	if m := r + 1; !(c.X > lx-m && c.X < hx+m && c.Y > ly-m && c.Y < hy+m) {
		return false
	}
	return geom.Norm(r2.Sub(geom.ClosestOnSegment(c, a, b), c)) <= r
}

// steerTorpedo runs a torpedo toward its lead point; once the lead point
// is within seeker range the seeker switches on, acquires the nearest hostile
// in its cone and the torpedo homes at its turn rate.
//
// A torpedo is launched pointing at its lead point, so it needs no
// steering before the seeker is on; the seeker searches once per tick.
func (w *World) steerTorpedo(p *Projectile, dt float64) {
	if !p.Seeking {
		d := r2.Sub(p.Aim, p.Pos)
		enable := float64(torpedoEnableFrac * p.Homing.SeekerRange)
		if float64(d.X*d.X)+float64(d.Y*d.Y) > float64(enable*enable) {
			return
		}
		p.Seeking = true
		w.projGen++
	}
	if p.Target >= 0 && !w.Ships[p.Target].Alive() {
		p.Target = -1
		w.projGen++
	}
	if p.Target < 0 && w.substep == 0 {
		if p.Target = w.seek(p); p.Target >= 0 {
			w.projGen++
		}
	}
	if p.Target >= 0 {
		d := r2.Sub(w.Ships[p.Target].Kin.Pos, p.Pos)
		p.setHeading(turnToward(p.Heading, dmath.Atan2(d.Y, d.X), float64(p.Homing.TurnRate*dt)))
	}
}

// seek returns the nearest hostile ship inside the seeker's range and cone.
func (w *World) seek(p *Projectile) int {
	best, bestR := -1, 0.0
	team := w.Ships[p.Owner].Team
	w.shipGrid().query(p.Pos, p.Homing.SeekerRange, func(j int) bool {
		t := &w.Ships[j]
		if t.Team == team {
			return true
		}
		d := r2.Sub(t.Kin.Pos, p.Pos)
		r := geom.Norm(d)
		if r > p.Homing.SeekerRange || abs(dmath.WrapAngle(dmath.Atan2(d.Y, d.X)-p.Heading)) > p.Homing.SeekerCone/2 {
			return true
		}
		if best < 0 || r < bestR || (r == bestR && j < best) {
			best, bestR = j, r
		}
		return true
	})
	return best
}

func turnToward(heading, bearing, maxTurn float64) float64 {
	return dmath.WrapAngle(heading + dmath.Clamp(dmath.WrapAngle(bearing-heading), -maxTurn, maxTurn))
}

// torpedoHit: a torpedo hits any ship other than its launcher, in any
// layer, within the ship's radius plus a small slack.
func (w *World) torpedoHit(p *Projectile) {
	hit := -1
	w.shipGrid().query(p.Pos, w.maxRadius+torpedoHitSlack, func(j int) bool {
		t := &w.Ships[j]
		if j != p.Owner && (hit < 0 || j < hit) &&
			geom.Norm(r2.Sub(t.Kin.Pos, p.Pos)) <= t.Spec.Hull.Radius+torpedoHitSlack {
			hit = j
		}
		return true
	})
	if hit >= 0 {
		w.projectileHits(p, hit, p.Damage)
	}
}

// burst detonates an ASW charge at its aim point: full damage to every
// submerged or transitioning ship within the blast radius.
func (w *World) burst(p *Projectile) {
	hits := 0
	w.shipGrid().query(p.Pos, p.Blast+w.maxRadius, func(j int) bool {
		t := &w.Ships[j]
		if (t.Layer == Submerged || t.Trans.Active) &&
			geom.Norm(r2.Sub(t.Kin.Pos, p.Pos)) <= p.Blast+t.Spec.Hull.Radius {
			w.hit(p, j, p.Damage)
			hits++
		}
		return true
	})
	if hits > 0 {
		w.sink(p)
	}
}

// projectileHits ends a projectile and damages the ship it hit.
func (w *World) projectileHits(p *Projectile, j int, dmg float64) {
	w.sink(p)
	w.hit(p, j, dmg)
}

func (w *World) hit(p *Projectile, j int, dmg float64) {
	o := &w.Ships[p.Owner]
	o.Hits++
	trace := w.nextTrace()
	w.emit(Event{Kind: EventHit, Source: o.ID, Target: w.Ships[j].ID, Trace: trace, Cause: p.Trace, Value: dmg})
	w.damage(&w.Ships[j], dmg, o.ID, trace, damageWeapon)
}
