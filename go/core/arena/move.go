package arena

import (
	"math"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// Movement constants (docs/rules.md, "Movement").
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

// motion is what a ship's movement substep needs that depends only on
// the ship's state between substeps: its speed cap, orders and hull. It is
// worked out for every substep, or once per tick when nothing can touch the
// ship during the tick (see substeps).
type motion struct {
	limit  float64 // speed cap ahead (m/s)
	astern float64 // speed cap astern, as a negative speed
	target float64 // ordered speed, before soft obstacles
	maxDV  float64 // largest change of speed in one substep
	full   float64 // speed at and above which the ship turns at its full rate
	rudder float64 // rudder × turn rate: the turn rate at full turn (rad/s)
	mass   float64 // tonnes, for fuel
	still  bool    // no current anywhere
	minX   float64 // the hull's centre stays within [minX, maxX] × [minY, maxY]
	maxX   float64
	minY   float64
	maxY   float64
	// clearWalls and clearWrap: no substep of this tick can meet a wall or
	// wrap the heading, so glideRun need not test (see clearance; false
	// when not known).
	clearWalls, clearWrap bool
}

// motionOf returns s's motion for substeps of dt seconds.
func (w *World) motionOf(s *Ship, dt float64) (m motion) {
	w.setMotion(&m, s, dt)
	return m
}

// setMotion sets *m to s's motion for substeps of dt seconds (motionOf).
func (w *World) setMotion(m *motion, s *Ship, dt float64) {
	h := &s.Spec.Hull
	b := &w.Pkg.Map.Bounds
	r := h.Radius
	limit := w.speedCap(s)
	target := float64(s.Throttle * limit)
	if s.Throttle < 0 {
		target = float64(target * reverseFactor)
	}
	m.limit, m.astern, m.target = limit, -float64(limit*reverseFactor), target
	m.maxDV, m.full = float64(h.Acceleration*dt), float64(turnFullSpeedFrac*h.MaxSpeed)
	m.rudder, m.mass, m.still = float64(s.Rudder*h.TurnRate), h.Mass, w.env.still()
	m.minX, m.maxX, m.minY, m.maxY = b.MinX+r, b.MaxX-r, b.MinY+r, b.MaxY-r
	m.clearWalls, m.clearWrap = false, false
}

// clearance notes in m whether ship s, gliding through this tick's
// substeps from where it is now, stays clear of the walls and of a wrap of
// its heading, given travel, the most it moves along either axis in the
// tick (apart). Where it stays strictly inside the walls, every clamp
// returns the position unchanged. Its heading turns by at most |rudder|·dt
// a substep: where that keeps it within ±3 (short of ±π), none wraps it.
// (A number that is not one fails both tests, and an ordered speed that
// is not one, which travel does not bound, fails the first.)
func (w *World) clearance(s *Ship, m *motion, travel float64) {
	p, r := s.Kin.Pos, travel
	m.clearWalls = m.target == m.target && m.minX < p.X-r && p.X+r < m.maxX && m.minY < p.Y-r && p.Y+r < m.maxY
	m.clearWrap = abs(s.Kin.Heading)+float64(float64(w.Substeps)*abs(float64(m.rudder*w.DT))) < 3
}

// move advances one ship by one substep: acceleration toward the ordered
// speed, speed-dependent turning, drift, walls and obstacles.
func (w *World) move(s *Ship, dt float64) {
	m := w.motionOf(s, dt)
	w.moveBy(s, &m, dt)
}

// moveBy is move with s's motion worked out already.
func (w *World) moveBy(s *Ship, m *motion, dt float64) {
	k := &s.Kin
	target := m.target
	for i := range w.obstacles {
		o := &w.obstacles[i]
		if !o.solid && o.shape.Contains(k.Pos) {
			target = float64(target * (1 - float64(softSlowdown*o.intensity)))
		}
	}
	k.Speed += dmath.Clamp(target-k.Speed, -m.maxDV, m.maxDV)
	if k.Speed > m.limit {
		k.Speed = m.limit // a cap that dropped (transition, sea state) binds at once
	} else if k.Speed < m.astern {
		k.Speed = m.astern
	}
	turn := 1.0 // at or above the full-turn speed the ratio below is ≥ 1 exactly: skip the division
	if abs(k.Speed) < m.full {
		turn = dmath.Clamp(abs(k.Speed)/m.full, 0, 1)
	}
	if k.Speed < 0 {
		turn = -turn
	}
	k.turn(float64(float64(m.rudder*turn) * dt))
	dir := k.dir // turn leaves it current
	if !k.dirOK || k.dirOf != k.Heading {
		dir = k.Dir()
	}
	sin, cos := dir.Y, dir.X
	var drift r2.Vec
	if !m.still {
		drift = w.env.current(k.Pos)
	}
	vel := r2.Vec{X: float64(cos*k.Speed) + drift.X, Y: float64(sin*k.Speed) + drift.Y}
	k.Pos = r2.Vec{X: k.Pos.X + float64(vel.X*dt), Y: k.Pos.Y + float64(vel.Y*dt)}
	w.addFuel(s, float64(float64(abs(k.Speed)*dt)*m.mass))
	k.Pos.X = dmath.Clamp(k.Pos.X, m.minX, m.maxX) // walls
	k.Pos.Y = dmath.Clamp(k.Pos.Y, m.minY, m.maxY)
	if len(w.obstacles) > 0 {
		w.hitObstacles(s, vel)
	}
}

// glide is moveBy repeated for every substep of the tick (len(trail) of
// them) in still water without obstacles, for a ship that nothing else
// touches meanwhile (see substeps). With record set it writes the position
// after each substep into trail.
//
// glideRun takes nearly every substep: all but those that need
// Kinematics.turn's SinCos (a turn too large to rotate by) or a wrap of
// the heading, which are rare; moveBy takes those itself.
// TestSubstepsApartMatchLockstep holds glide and lockstep together.
func (w *World) glide(s *Ship, m *motion, dt float64, trail []r2.Vec, record bool) {
	s.Kin.Dir() // glideRun starts from the cached direction
	for sub := 0; ; sub++ {
		if sub = glideRun(s, m, dt, trail, sub, record); sub == len(trail) {
			return
		}
		w.moveBy(s, m, dt) // (and moveBy leaves the direction current)
		if record {
			trail[sub] = s.Kin.Pos
		}
	}
}

// glideRun takes glide's substeps from sub on, up to the first that needs
// SinCos (a turn larger than maxRotate) or a wrap of the heading, and
// returns the number of the first it did not take (len(trail) when it took
// them all). It decides that before it moves the ship in that substep
// (having perhaps cached the rotation by its turn, as moveBy would). A new
// small turn it rotates by as Kinematics.turn does, caching its
// SinCosSmall. It does moveBy's and Kinematics.turn's arithmetic in their
// order, so it ends in the same bits. Its loop for a steady speed makes no
// call, so the compiler keeps the kinematics in registers there. It starts
// from s.Kin.dir, which must be current (Dir), and keeps it so.
func glideRun(s *Ship, m *motion, dt float64, trail []r2.Vec, sub int, record bool) int {
	k := &s.Kin
	pos, heading, speed, fuel := k.Pos, k.Heading, k.Speed, s.FuelUsed
	dir, rotated := k.dir, k.rotated
	// The cached rotation, the only one taken here: its turn is at most
	// maxRotate (turn caches no larger one).
	rotOK, rotOf, rotSin, rotCos := k.rotOK, k.rotOf, k.rotSin, k.rotCos
	// A substep's new speed, its turn and the fuel it burns depend on the
	// speed it starts from alone (m and dt hold). Once the speed comes out
	// unchanged, to the bit, every later substep starts from that speed
	// again: steady, and the three hold; the second loop takes those
	// substeps. (The order of glideRun's two stops does not matter: neither
	// changes anything.)
	steady, turning := false, false
	var dh, burn float64
	for ; sub < len(trail) && !steady; sub++ {
		v := speed + dmath.Clamp(m.target-speed, -m.maxDV, m.maxDV)
		if v > m.limit {
			v = m.limit
		} else if v < m.astern {
			v = m.astern
		}
		turn := 1.0
		if abs(v) < m.full {
			turn = dmath.Clamp(abs(v)/m.full, 0, 1)
		}
		if v < 0 {
			turn = -turn
		}
		dh = float64(float64(m.rudder*turn) * dt)
		turning = dh != 0
		if turning && (!rotOK || dh != rotOf) {
			if abs(dh) > maxRotate {
				break // SinCos for a large turn: moveBy's
			}
			// A new turn, as Kinematics.turn caches it. (A call in this
			// loop, which runs while the speed changes, and not in the
			// steady one below.)
			rotSin, rotCos = dmath.SinCosSmall(dh)
			rotOf, rotOK = dh, true
		}
		h := heading + dh
		if !m.clearWrap && !(h > -math.Pi && h <= math.Pi) {
			break // wrapNear would call dmath.WrapAngle
		}
		if turning {
			dir, rotated = rotate(dir, rotSin, rotCos), true
		}
		steady = math.Float64bits(v) == math.Float64bits(speed)
		speed, heading = v, h
		burn = float64(float64(float64(abs(speed)*dt)*m.mass) * fuelPerMetreTonne)
		if pos = glideStep(pos, dir, speed, dt); !m.clearWalls { // (else the clamps would return it unchanged)
			pos = m.walls(pos)
		}
		fuel += burn
		if record {
			trail[sub] = pos
		}
	}
	for ; sub < len(trail) && steady; sub++ {
		h := heading + dh
		if !m.clearWrap && !(h > -math.Pi && h <= math.Pi) {
			break // wrapNear would call dmath.WrapAngle
		}
		if turning {
			dir, rotated = rotate(dir, rotSin, rotCos), true
		}
		heading = h
		if pos = glideStep(pos, dir, speed, dt); !m.clearWalls { // (else the clamps would return it unchanged)
			pos = m.walls(pos)
		}
		fuel += burn
		if record {
			trail[sub] = pos
		}
	}
	k.Pos, k.Heading, k.Speed, s.FuelUsed = pos, heading, speed, fuel
	k.dir, k.dirOf, k.dirOK, k.rotated = dir, heading, true, rotated
	k.rotOK, k.rotOf, k.rotSin, k.rotCos = rotOK, rotOf, rotSin, rotCos
	return sub
}

// rotate turns the unit vector d by the angle whose sine and cosine are
// sin and cos (angle addition).
func rotate(d r2.Vec, sin, cos float64) r2.Vec {
	return r2.Vec{X: float64(d.X*cos) - float64(d.Y*sin), Y: float64(d.Y*cos) + float64(d.X*sin)}
}

// glideStep moves pos by a substep of dt at speed along dir in still
// water, as moveBy does (before the walls).
func glideStep(pos, dir r2.Vec, speed, dt float64) r2.Vec {
	var drift r2.Vec // moveBy adds the (zero) current too, which makes a -0 velocity +0
	vel := r2.Vec{X: float64(dir.X*speed) + drift.X, Y: float64(dir.Y*speed) + drift.Y}
	return r2.Vec{X: pos.X + float64(vel.X*dt), Y: pos.Y + float64(vel.Y*dt)}
}

// walls keeps pos within the walls.
func (m *motion) walls(pos r2.Vec) r2.Vec {
	return r2.Vec{X: dmath.Clamp(pos.X, m.minX, m.maxX), Y: dmath.Clamp(pos.Y, m.minY, m.maxY)}
}

// addFuel books fuel for distance travelled through the water.
func (w *World) addFuel(s *Ship, metreTonnes float64) {
	s.FuelUsed += float64(metreTonnes * fuelPerMetreTonne)
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

// substeps runs the tick's substeps: transitions and movement of every
// ship, then ship collisions and projectiles, substep by substep.
//
// When nothing can pass between the ships during the tick (apart), each
// ship runs all of its substeps in one go instead, and the projectiles
// follow, substep by substep. A ship's movement reads only its own state
// and the static map, so it does the same arithmetic in the same order
// either way and ends in the same bits. The projectiles, which can touch no
// ship in this tick, see each ship where it was after each substep's move,
// as in lockstep, and emit the same events in the same order (a shell that
// can reach no ship and does not run out in the tick moves through all its
// substeps at once: flyOnce). What is saved is the per-substep grid and
// collision passes, and the speed cap and orders worked out once per ship
// instead of once per substep.
func (w *World) substeps() {
	if ok, inFlight := w.apart(); ok {
		ns := w.Substeps
		for i := range w.Ships {
			s := &w.Ships[i]
			if !s.Alive() {
				continue
			}
			g := &w.glides[i]
			w.setMotion(&g.m, s, w.DT) // nothing changes it during the tick, unless a projectile hits the ship
			w.clearance(s, &g.m, w.travel[i])
			if inFlight {
				g.kin, g.fuel = s.Kin, s.FuelUsed
			}
			w.glide(s, &g.m, w.DT, w.trail[i*ns:(i+1)*ns], inFlight)
			if s.Trans.Active && !inFlight {
				for range ns {
					w.advanceTransition(s, w.DT) // runs on: adds dt, emits nothing
				}
			}
		}
		w.substep = ns - 1
		w.flyOnce()
		if !inFlight {
			w.gridStale = true // (built when next asked for: nothing reads it before)
			return
		}
		w.gliding, w.membersOK = true, false
		for sub := range ns {
			// Projectiles read where the ships are (seekers, homing, hit
			// tests): put them where they were after this substep's move.
			// A ship that a projectile has damaged moves substep by
			// substep from then on, as in lockstep (touch).
			for i := range w.Ships {
				s := &w.Ships[i]
				if !s.Alive() {
					continue
				}
				if s.Trans.Active {
					w.advanceTransition(s, w.DT) // a touched ship's may abort
				}
				if w.touched[i] {
					w.move(s, w.DT)
				} else {
					s.Kin.Pos = w.trail[i*ns+sub]
				}
			}
			w.gridStale = true // built when a projectile asks for it (shipGrid)
			if w.departures != w.membersAt {
				w.membersOK = false // (else the active ships are still the members)
			}
			w.substep = sub
			w.moveProjectiles(w.DT)
		}
		w.gliding = false // (the grid stays stale until asked for)
		if w.anyTouched {
			clear(w.touched)
			w.anyTouched = false
		}
		return
	}
	for sub := 0; sub < w.Substeps; sub++ {
		w.substep = sub
		for i := range w.Ships {
			s := &w.Ships[i]
			if !s.Alive() {
				continue
			}
			if s.Trans.Active {
				w.advanceTransition(s, w.DT)
			}
			w.move(s, w.DT)
		}
		w.grid.build(w.Ships) // the projectiles search it as built here, before the collisions
		w.gridStale = false
		w.collideShips()
		w.moveProjectiles(w.DT)
	}
}

// shipGrid returns the collision grid, built first if the ships have
// moved since it was last (gridStale).
//
// While the ships glide (up to 64 ships) it keeps the set of ships the
// grid indexes (members): a shell's search that skips the grid
// (shellHitNear) fixes that set at the moment it would have built it, and
// a later build in the same substep indexes that set, so that a ship sunk
// in between stays in it, as it would have. The set holds into the next
// substeps while no ship leaves the battle (w.departures).
func (w *World) shipGrid() *grid {
	if w.gridStale {
		switch {
		case w.gliding && w.membersOK:
			w.grid.buildMembers(w.Ships, w.members)
		case w.gliding && len(w.Ships) <= indexShips:
			w.grid.build(w.Ships)
			w.fixMembers()
		default:
			w.grid.build(w.Ships)
		}
		w.gridStale = false
	}
	return &w.grid
}

// glideStart is what substeps keeps of a ship at the start of a tick in
// which the ships glide: its motion, and with projectiles in flight its
// kinematics and fuel, enough to work out its exact state after any
// substep (touch).
type glideStart struct {
	kin  Kinematics
	fuel float64
	m    motion
}

// touch is called before anything changes ship s during the substeps
// (damage from a projectile). While the ships glide (substeps), s's
// kinematics hold its state at the end of the tick and its position that
// after the current substep; touch replays its glide up to the current
// substep, so that s holds exactly its state after it, and has s move
// substep by substep from then on, as lockstep would. Damage is the only
// thing a projectile changes in a ship that its movement reads (speed cap,
// transition, being in action).
func (w *World) touch(s *Ship) {
	i := int(s.ID - 1)
	if !w.gliding || w.touched[i] {
		return
	}
	g := &w.glides[i]
	s.Kin, s.FuelUsed = g.kin, g.fuel
	ns := w.Substeps
	w.glide(s, &g.m, w.DT, w.trail[i*ns:i*ns+w.substep+1], false)
	w.touched[i], w.anyTouched = true, true
	w.touchCount++
}

// apart reports whether this tick's substeps cannot couple the ships, so
// that substeps may move them one at a time: still water without
// obstacles, no transition that ends or aborts in the tick (each emits an
// event, whose order would change) and every pair of active ships too far
// apart to touch; above bruteForceShips ships a sort and sweep along x
// (touchingPair), and above indexShips the grid, finds the pairs to
// check. For each projectile in flight apart notes in w.flight how it takes
// the substeps: an inert one (see inert) without hit tests, which cannot
// find a ship, and an inert shell that does not run out in the tick all at
// once (flightOnce). It lists those in w.once and the others in
// w.stepwise, in index order; inFlight reports whether w.stepwise has any.
//
// A ship's speed changes by at most its acceleration × dt per substep, so
// in a tick of T seconds it travels at most T·(|speed| + acceleration·T)
// along either axis (walls only pull it back towards where it started); a
// metre of margin covers rounding.
func (w *World) apart() (ok, inFlight bool) {
	if w.lockstep || w.Substeps < 1 || len(w.obstacles) > 0 || !w.env.still() {
		return false, false
	}
	t := float64(w.Substeps) * w.DT
	w.maxTravel = 0
	for i := range w.Ships {
		a := &w.Ships[i]
		w.travel[i] = t*(abs(a.Kin.Speed)+a.Spec.Hull.Acceleration*t) + 1
		if !a.Alive() {
			continue
		}
		w.maxTravel = max(w.maxTravel, w.travel[i])
		if a.Trans.Active && !w.transitionContinues(a) {
			return false, false
		}
	}
	big := !w.grid.small()
	swept := big && len(w.Ships) <= indexShips
	w.xSorted = false
	switch {
	case swept:
		if w.touchingPair() {
			return false, false
		}
	case big:
		w.grid.build(w.Ships) // collisions may have moved ships since the last build
	}
	for i := range w.Ships {
		a := &w.Ships[i]
		if swept {
			break // (touchingPair has tested the pairs)
		}
		if !a.Alive() {
			continue
		}
		if big {
			reach := a.Spec.Hull.Radius + w.travel[i] + w.maxRadius + w.maxTravel
			close := false
			w.grid.query(a.Kin.Pos, reach, func(j int) bool {
				close = j > i && w.touches(a, i, j)
				return !close
			})
			if close {
				return false, false
			}
			continue
		}
		for j := i + 1; j < len(w.Ships); j++ {
			b := &w.Ships[j]
			if b.Alive() && w.gap(a.Kin.Pos, j) < a.Spec.Hull.Radius+w.travel[i]+b.Spec.Hull.Radius+w.travel[j] {
				return false, false
			}
		}
	}
	if n := len(w.projectiles); cap(w.flight) < n {
		w.flight = make([]flight, n, 2*n)
		w.shellNear = make([]uint64, n, 2*n)
		w.stepwise, w.once = make([]int32, 0, 2*n), make([]int32, 0, 2*n)
	}
	w.flight = w.flight[:len(w.projectiles)]
	w.shellNear = w.shellNear[:len(w.projectiles)]
	w.stepwise, w.once = w.stepwise[:0], w.once[:0]
	for i := range w.projectiles {
		p := &w.projectiles[i]
		if !p.Alive {
			continue
		}
		var inert bool
		if p.Kind == Gun && len(w.Ships) <= indexShips {
			// nearShell finds the ships inert looks for: a shell is inert
			// when it finds none.
			w.shellNear[i] = w.nearShell(p, t)
			inert = w.shellNear[i] == 0
		} else {
			inert = w.inert(p, t)
		}
		switch {
		case !inert:
			w.flight[i] = flightTested
		case p.Kind == Gun && p.runsOn(w.DT, w.Substeps):
			w.flight[i] = flightOnce
			w.once = append(w.once, int32(i))
			continue
		default:
			w.flight[i] = flightQuiet
		}
		w.stepwise = append(w.stepwise, int32(i))
	}
	return true, len(w.stepwise) > 0
}

// flight is how a projectile takes the substeps of a tick in which the
// ships glide (apart).
type flight uint8

const (
	flightTested flight = iota // substep by substep, with its hit tests
	flightQuiet                // substep by substep, without them: it can reach no ship (inert)
	flightOnce                 // as flightQuiet, all at once (flyOnce)
)

// flyOnce moves the shells that take this tick's substeps all at once
// (flightOnce, listed in w.once) through all of them. Each can reach no ship and does not
// run out in the tick: it changes nothing but itself, reads nothing that
// changes, and nothing reads it before the tick ends, so it ends in the
// same state as when it moves substep by substep among the others. A
// shell's step is the same in every substep, so are the products advance
// adds to its position, and flyOnce works them out once.
func (w *World) flyOnce() {
	for _, i := range w.once {
		p := &w.projectiles[i]
		step := float64(p.Speed * w.DT)
		dx, dy := float64(p.Dir.X*step), float64(p.Dir.Y*step)
		pos, run := p.Pos, p.Run
		for range w.Substeps {
			pos = r2.Vec{X: pos.X + dx, Y: pos.Y + dy}
			run += step
		}
		p.Pos, p.Run = pos, run
	}
}

// nearShell is the set of ships (a bit each, in a battle of up to 64
// ships) that shell p may hit in the next t seconds, by inert's test: the
// gliding substeps test only those (shellHitNear) instead of searching the
// collision grid. Like inert, it tests only the ships along x (alongX)
// where apart has sorted them by x.
func (w *World) nearShell(p *Projectile, t float64) uint64 {
	run := float64(p.Speed*t) + 1
	var near uint64
	add := func(j int) {
		if s := &w.Ships[j]; j != p.Owner && s.Alive() && w.gap(p.Pos, j) < run+w.travel[j]+s.Spec.Hull.Radius {
			near |= 1 << j
		}
	}
	if w.xSorted {
		r := run + w.maxTravel + w.maxRadius
		for _, j := range w.alongX(p.Pos.X, r) {
			if w.withinY(p.Pos, j, r) {
				add(int(j))
			}
		}
		return near
	}
	for j := range w.Ships {
		add(j)
	}
	return near
}

// alongX returns the ships of w.byX, the active ships, which touchingPair
// has sorted by x this tick (xSorted), whose x differs from x by less than r as gap works
// the difference out: a run of byX, since that difference, rounded, never
// decreases as the ship's x grows. A ship that gap puts closer to a point
// at x than r is among them, whatever its y.
func (w *World) alongX(x, r float64) []int32 {
	xs := w.xs
	lo, hi := 0, len(xs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if xs[m]-x > -r {
			hi = m
		} else {
			lo = m + 1
		}
	}
	end := lo
	for end < len(xs) && xs[end]-x < r {
		end++
	}
	return w.byX[lo:end]
}

// withinY reports whether ship j's y differs from p's by less than r, as
// gap works the difference out: a ship that gap puts closer to p than r
// passes, so that inert and nearShell may drop the others from a run along
// x before their own tests.
func (w *World) withinY(p r2.Vec, j int32, r float64) bool {
	return abs(w.Ships[j].Kin.Pos.Y-p.Y) < r
}

// fixMembers fixes the set of ships the collision grid indexes in this
// substep (shipGrid) at the active ones.
func (w *World) fixMembers() {
	w.members, w.membersOK, w.membersAt = w.activeMask(), true, w.departures
}

// activeMask is the set of active ships, a bit each (up to 64 ships).
func (w *World) activeMask() uint64 {
	var m uint64
	for i := range w.Ships {
		if w.Ships[i].Alive() {
			m |= 1 << i
		}
	}
	return m
}

// touchingPair reports whether two active ships might touch during the
// tick (touches), for apart in a battle of bruteForceShips to indexShips
// ships (above, ships laid out in columns share an x, which a sweep along
// x visits in bulk; the grid does better there): sort and sweep along x.
// The active ships are kept sorted by (x, index) in w.byX from tick to
// tick (insertion sort: ships move little, so about linear work), their x
// beside them in w.xs, and each is tested against those after it whose x lies
// within its reach plus the widest other one (a metre more for rounding);
// touches decides, for the lower index first, as the pairs in index order
// do. (A position that is not a number leaves the order undefined: then
// every pair is tested.)
func (w *World) touchingPair() bool {
	widest, active := 0.0, 0
	for i := range w.Ships {
		s := &w.Ships[i]
		if x := s.Kin.Pos.X; x != x {
			w.xSorted = false
			return w.touchingPairAll()
		}
		if s.Alive() {
			widest = max(widest, s.Spec.Hull.Radius+w.travel[i])
			active++
		}
	}
	// The order holds the active ships: drop those that have left the
	// battle since, keeping the others' order, or start again from index
	// order when one has joined it (Reset, Load).
	if n := len(w.Ships); cap(w.byX) < n {
		w.byX, w.xs = make([]int32, 0, n), make([]float64, 0, n)
	}
	ord, xs := w.byX[:0], w.xs[:0]
	for _, i := range w.byX {
		if s := &w.Ships[i]; s.Alive() {
			ord, xs = append(ord, i), append(xs, s.Kin.Pos.X)
		}
	}
	if len(ord) != active {
		ord, xs = ord[:0], xs[:0]
		for i := range w.Ships {
			if s := &w.Ships[i]; s.Alive() {
				ord, xs = append(ord, int32(i)), append(xs, s.Kin.Pos.X)
			}
		}
	}
	w.byX, w.xs = ord, xs
	for a := 1; a < len(ord); a++ {
		it, x := ord[a], xs[a]
		b := a - 1
		for ; b >= 0 && (xs[b] > x || (xs[b] == x && ord[b] > it)); b-- {
			ord[b+1], xs[b+1] = ord[b], xs[b]
		}
		ord[b+1], xs[b+1] = it, x
	}
	w.xSorted = true
	for a, i32 := range ord {
		i := int(i32)
		s := &w.Ships[i]
		x, reach := xs[a], s.Spec.Hull.Radius+w.travel[i]+widest+1
		for b, j32 := range ord[a+1:] {
			j := int(j32)
			t := &w.Ships[j]
			if xs[a+1+b]-x > reach {
				break // (and every ship after it)
			}
			if abs(t.Kin.Pos.Y-s.Kin.Pos.Y) > reach {
				continue
			}
			if (i < j && w.touches(s, i, j)) || (j < i && w.touches(t, j, i)) {
				return true
			}
		}
	}
	return false
}

// touchingPairAll is touchingPair testing every pair in index order.
func (w *World) touchingPairAll() bool {
	for i := range w.Ships {
		if a := &w.Ships[i]; a.Alive() {
			for j := i + 1; j < len(w.Ships); j++ {
				if w.Ships[j].Alive() && w.touches(a, i, j) {
					return true
				}
			}
		}
	}
	return false
}

// anyProjectile reports whether a projectile is in flight.
func (w *World) anyProjectile() bool {
	for k := range w.projectiles {
		if w.projectiles[k].Alive {
			return true
		}
	}
	return false
}

// touches reports whether active ships i (a) and j might come within reach
// of each other during the tick.
func (w *World) touches(a *Ship, i, j int) bool {
	b := &w.Ships[j]
	return w.gap(a.Kin.Pos, j) < a.Spec.Hull.Radius+w.travel[i]+b.Spec.Hull.Radius+w.travel[j]
}

// gap is the larger of the x and y distances from p to ship j.
func (w *World) gap(p r2.Vec, j int) float64 {
	q := w.Ships[j].Kin.Pos
	return max(abs(q.X-p.X), abs(q.Y-p.Y))
}

// inert reports whether projectile p cannot touch a ship in the next t
// seconds, so that no ship's movement depends on it within the tick: a
// shell or torpedo whose path, however it turns, stays clear of every
// active ship but its launcher, or an ASW charge that does not reach its
// burst point. (What it reads of the ships, their positions, substeps
// replays substep by substep.) It tests the ships that may be within
// reach: those along x (alongX) where apart has sorted them by x, those the
// grid finds above indexShips ships, and every ship in a small battle.
func (w *World) inert(p *Projectile, t float64) bool {
	run := float64(p.Speed*t) + 1 // the furthest it goes, with a metre of margin
	slack := 0.0
	switch p.Kind {
	case ASW:
		return p.Run+run < p.MaxRun
	case Torpedo:
		slack = torpedoHitSlack
	}
	near := func(j int) bool {
		s := &w.Ships[j]
		return j != p.Owner && s.Alive() && w.gap(p.Pos, j) < run+w.travel[j]+s.Spec.Hull.Radius+slack
	}
	if w.xSorted {
		r := run + w.maxTravel + w.maxRadius + slack
		for _, j := range w.alongX(p.Pos.X, r) {
			if w.withinY(p.Pos, j, r) && near(int(j)) {
				return false
			}
		}
		return true
	}
	if len(w.Ships) > indexShips { // (apart rebuilt the grid)
		hit := false
		w.grid.query(p.Pos, run+w.maxTravel+w.maxRadius+slack, func(j int) bool {
			hit = near(j)
			return !hit
		})
		return !hit
	}
	for j := range w.Ships {
		if near(j) {
			return false
		}
	}
	return true
}

// transitionContinues reports whether s's transition neither aborts nor
// completes during this tick's substeps (with no damage taken in them),
// adding up the elapsed time as advanceTransition does.
func (w *World) transitionContinues(s *Ship) bool {
	t := &s.Trans
	if t.HPAtStart-s.HP > float64(transitionAbortFrac*s.MaxHP) {
		return false
	}
	e := t.Elapsed
	for range w.Substeps {
		e += w.DT
		if e >= t.Duration {
			return false
		}
	}
	return true
}
