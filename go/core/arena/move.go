package arena

import (
	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// Movement constants (SPEC §6).
const (
	reverseFactor       = 0.5  // astern speed is half of ahead
	transitionSpeedCap  = 0.5  // speed cap while diving or surfacing
	turnFullSpeedFrac   = 0.3  // turn rate is full above this fraction of max speed
	transitionAbortFrac = 0.15 // damage (of max hp) that aborts a transition
	softSlowdown        = 0.5  // soft obstacle speed loss at intensity 1
	fuelPerMetreTonne   = 1e-6 // fuel units per metre per tonne of mass
)

func (w *World) canDive(s *Ship) bool {
	return s.Spec.Capabilities.CanSubmerge && !s.Trans.Active && s.Layer == Surface &&
		w.env.depthClass(s.Kin.Pos) != contract.DepthShallows
}

func (w *World) canSurface(s *Ship) bool {
	return s.Spec.Capabilities.CanSurface && !s.Trans.Active && s.Layer == Submerged
}

func (w *World) startTransition(s *Ship, to Layer, trace uint64) {
	d := s.Spec.Capabilities.DiveTimeS
	if to == Surface {
		d = s.Spec.Capabilities.SurfaceTimeS
	}
	s.Trans = Transition{Active: true, From: s.Layer, To: to,
		Duration: float64(d * w.env.transitionFactor()), HPAtStart: s.HP}
	w.counters.transitions++
	w.emit(Event{Kind: EventTransitionStart, Source: s.ID, Target: s.ID, Trace: trace, Value: float64(to)})
}

// advanceTransition moves a transition on by dt, completing or aborting it.
func (w *World) advanceTransition(s *Ship, dt float64) {
	t := &s.Trans
	if !t.Active {
		return
	}
	if t.HPAtStart-s.HP > float64(transitionAbortFrac*s.MaxHP) {
		t.Active = false
		s.Layer = t.From
		w.emit(Event{Kind: EventTransitionAbort, Source: s.ID, Target: s.ID, Trace: w.nextTrace(), Value: float64(t.From)})
		return
	}
	t.Elapsed += dt
	if t.Elapsed >= t.Duration {
		t.Active = false
		s.Layer = t.To
		w.emit(Event{Kind: EventTransitionDone, Source: s.ID, Target: s.ID, Trace: w.nextTrace(), Value: float64(t.To)})
	}
}

// speedCap is the highest speed a ship may make now.
func (w *World) speedCap(s *Ship) float64 {
	h := &s.Spec.Hull
	c := h.MaxSpeed
	if len(w.env.zones) > 0 {
		c = float64(h.MaxSpeed * w.env.speedBonus(s.Kin.Pos))
	}
	if s.Layer == Surface || s.Trans.Active {
		c = float64(c * w.env.surfaceSpeedFactor())
	}
	if s.Trans.Active {
		c = float64(c * transitionSpeedCap)
	}
	if s.Crits.Mobility > 0 {
		c = float64(c * w.rules.MobilitySpeedCap)
	}
	return c
}

// move advances one ship by one substep: acceleration toward the ordered
// speed, speed-dependent turning, drift, walls and obstacles.
func (w *World) move(s *Ship, dt float64) {
	h := &s.Spec.Hull
	k := &s.Kin
	limit := w.speedCap(s)
	target := float64(s.Throttle * limit)
	if s.Throttle < 0 {
		target = float64(target * reverseFactor)
	}
	for i := range w.obstacles {
		o := &w.obstacles[i]
		if !o.solid && o.shape.Contains(k.Pos) {
			target = float64(target * (1 - float64(softSlowdown*o.intensity)))
		}
	}
	maxDV := float64(h.Acceleration * dt)
	k.Speed += dmath.Clamp(target-k.Speed, -maxDV, maxDV)
	if k.Speed > limit {
		k.Speed = limit // a cap that dropped (transition, sea state) binds at once
	} else if k.Speed < -float64(limit*reverseFactor) {
		k.Speed = -float64(limit * reverseFactor)
	}
	turn := 1.0 // at or above the full-turn speed the ratio below is ≥ 1 exactly: skip the division
	if full := float64(turnFullSpeedFrac * h.MaxSpeed); abs(k.Speed) < full {
		turn = dmath.Clamp(abs(k.Speed)/full, 0, 1)
	}
	if k.Speed < 0 {
		turn = -turn
	}
	k.turn(float64(float64(float64(s.Rudder*h.TurnRate)*turn) * dt))
	dir := k.dir // turn leaves it current
	if !k.dirOK || k.dirOf != k.Heading {
		dir = k.Dir()
	}
	sin, cos := dir.Y, dir.X
	var drift r2.Vec
	if !w.env.still() {
		drift = w.env.current(k.Pos)
	}
	vel := r2.Vec{X: float64(cos*k.Speed) + drift.X, Y: float64(sin*k.Speed) + drift.Y}
	k.Pos = r2.Vec{X: k.Pos.X + float64(vel.X*dt), Y: k.Pos.Y + float64(vel.Y*dt)}
	w.addFuel(s, float64(float64(abs(k.Speed)*dt)*h.Mass))
	w.walls(s)
	if len(w.obstacles) > 0 {
		w.hitObstacles(s, vel)
	}
}

// addFuel books fuel for distance travelled through the water.
func (w *World) addFuel(s *Ship, metreTonnes float64) {
	s.FuelUsed += float64(metreTonnes * fuelPerMetreTonne)
}

// walls keeps the ship's hull inside the map bounds.
func (w *World) walls(s *Ship) {
	b := &w.Pkg.Map.Bounds
	r := s.Spec.Hull.Radius
	p := &s.Kin.Pos
	p.X = dmath.Clamp(p.X, b.MinX+r, b.MaxX-r)
	p.Y = dmath.Clamp(p.Y, b.MinY+r, b.MaxY-r)
}

// hitObstacles pushes a ship out of every solid obstacle it overlaps,
// keeps only the speed along the obstacle's surface, and costs hp in
// proportion to the closing speed.
func (w *World) hitObstacles(s *Ship, vel r2.Vec) {
	for i := range w.obstacles {
		o := &w.obstacles[i]
		if !o.solid {
			continue
		}
		n, depth, ok := o.shape.Overlaps(s.Kin.Pos, s.Spec.Hull.Radius)
		if !ok {
			continue
		}
		s.Kin.Pos = r2.Vec{X: s.Kin.Pos.X + float64(n.X*depth), Y: s.Kin.Pos.Y + float64(n.Y*depth)}
		closing := -(float64(vel.X*n.X) + float64(vel.Y*n.Y))
		if closing <= 0 {
			continue
		}
		dir := s.Kin.Dir()
		along := float64(dir.X*-n.Y) + float64(dir.Y*n.X) // heading · tangent
		s.Kin.Speed = float64(s.Kin.Speed * abs(along))
		w.collide(s, closing, EntityID(0))
	}
}

func (w *World) collide(s *Ship, closing float64, other EntityID) {
	trace := w.nextTrace()
	s.Collisions++
	s.Tick.Collisions++
	w.counters.collisions++
	w.emit(Event{Kind: EventCollision, Source: other, Target: s.ID, Trace: trace, Value: closing})
	w.damage(s, float64(w.rules.CollisionDamageMS*closing), 0, trace, damageCollision)
}

// sameDepth reports whether two ships can collide: both in one layer, or
// either of them between layers.
func sameDepth(a, b *Ship) bool {
	return a.Layer == b.Layer || a.Trans.Active || b.Trans.Active
}

// collideShips separates overlapping ships (found with the grid) and
// damages both in proportion to their closing speed.
func (w *World) collideShips() {
	if w.grid.small() {
		// What query would visit, in its order, without a call per ship.
		for i := range w.Ships {
			if a := &w.Ships[i]; a.Alive() {
				for j := i + 1; j < len(w.Ships); j++ {
					if w.grid.indexed(j) {
						w.collidePair(a, &w.Ships[j])
					}
				}
			}
		}
		return
	}
	for i := range w.Ships {
		a := &w.Ships[i]
		if !a.Alive() {
			continue
		}
		w.grid.query(a.Kin.Pos, a.Spec.Hull.Radius+w.maxRadius, func(j int) bool {
			if j > i {
				w.collidePair(a, &w.Ships[j])
			}
			return true
		})
	}
}

// collidePair separates ships a and b if their hulls overlap and, when
// they were closing, halves both speeds and damages both.
func (w *World) collidePair(a, b *Ship) {
	if !sameDepth(a, b) {
		return
	}
	reach := a.Spec.Hull.Radius + b.Spec.Hull.Radius
	d := r2.Sub(b.Kin.Pos, a.Kin.Pos)
	if abs(d.X) >= reach || abs(d.Y) >= reach {
		return // dist >= reach: no overlap, without the Hypot
	}
	dist := dmath.Hypot(d.X, d.Y)
	overlap := reach - dist
	if overlap <= 0 {
		return
	}
	n := r2.Vec{X: 1}
	if dist > 0 {
		n = r2.Scale(1/dist, d)
	}
	half := overlap / 2
	a.Kin.Pos = r2.Vec{X: a.Kin.Pos.X - float64(n.X*half), Y: a.Kin.Pos.Y - float64(n.Y*half)}
	b.Kin.Pos = r2.Vec{X: b.Kin.Pos.X + float64(n.X*half), Y: b.Kin.Pos.Y + float64(n.Y*half)}
	va, vb := velocity(a), velocity(b)
	closing := float64((va.X-vb.X)*n.X) + float64((va.Y-vb.Y)*n.Y)
	if closing > 0 {
		a.Kin.Speed = float64(a.Kin.Speed * 0.5)
		b.Kin.Speed = float64(b.Kin.Speed * 0.5)
		w.collide(a, closing, b.ID)
		w.collide(b, closing, a.ID)
	}
}

func velocity(s *Ship) r2.Vec {
	dir := s.Kin.Dir()
	return r2.Vec{X: float64(dir.X * s.Kin.Speed), Y: float64(dir.Y * s.Kin.Speed)}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
