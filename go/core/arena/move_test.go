package arena

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/dmath"
	"github.com/tidebreak/tidebreak/go/core/geom"
	"github.com/tidebreak/tidebreak/go/core/rng"
)

// agentSeat makes the first ship with the given controller the agent.
func agentSeat(p *contract.BattlePackage, controller string) *contract.BattlePackage {
	for i := range p.Ships {
		if p.Ships[i].Controller == controller {
			p.Ships[i].Controller = "agent"
			break
		}
	}
	return p
}

// TestSubstepsApartMatchLockstep plays battles under random actions twice,
// once with the one-ship-at-a-time substeps allowed and once always in
// lockstep, and requires the same state hash and the same events after
// every tick. The cases include ships close enough to ram (both paths in
// one battle), submarines diving and surfacing (transitions), and fleets
// whose ships glide while shells, charges and torpedoes hit them (touch).
func TestSubstepsApartMatchLockstep(t *testing.T) {
	closeSubs := twoShips(t, submarine("agent"), submarine("stalker"), 120)
	closeSubs.Ships[1].Capabilities.CanSurface = true
	// Half-second substeps and quick rudders: turns too large to rotate by.
	coarse := agentSeat(loadScenario(t, "duel"), "aggressive")
	coarse.TimeStepS = 0.5
	for i := range coarse.Ships {
		coarse.Ships[i].Hull.TurnRate = 0.6
	}
	cases := []struct {
		name string
		pkg  *contract.BattlePackage
		// wantBoth: the battle must take both paths at least once.
		wantBoth bool
		ticks    int // 600 if 0
		// wantTouch: projectiles must hit gliding ships (touch).
		wantTouch bool
	}{
		{"duel", agentSeat(loadScenario(t, "duel"), "aggressive"), false, 0, false},
		{"sub_duel", agentSeat(loadScenario(t, "sub_duel"), "stalker"), false, 0, false},
		{"rammers", twoShips(t, corvette("agent"), corvette("aggressive"), 150), true, 0, false},
		{"close subs", closeSubs, true, 0, false},
		{"fleet_4v4", agentSeat(loadScenario(t, "fleet_4v4"), "aggressive"), false, 0, true},
		{"gun_duel", agentSeat(loadScenario(t, "gun_duel"), "aggressive"), false, 0, false},
		{"stage3", agentSeat(loadScenario(t, "stage3"), "aggressive"), false, 0, false},
		{"coarse substeps", coarse, false, 0, false},
		// Above bruteForceShips ships apart finds the close pairs with the grid.
		{"submarine melee", subFleet(80), true, 300, true},
		{"fleet_128v128", agentSeat(loadScenario(t, "fleet_128v128"), "aggressive"), true, 140, false},
		{"fleet_16v16", agentSeat(loadScenario(t, "fleet_16v16"), "aggressive"), false, 900, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fast, err := New(c.pkg, Options{}) // (no log: the test hashes itself)
			if err != nil {
				t.Fatal(err)
			}
			slow, _ := New(c.pkg, Options{})
			slow.lockstep = true
			r := rng.New(7)
			act := make([]float32, ActionSize*len(fast.Agents))
			apart, together := 0, 0
			ticks := c.ticks
			if ticks == 0 {
				ticks = 600
			}
			for tick := 0; tick < ticks; tick++ {
				for i := range act {
					act[i] = float32(r.Uniform(-1, 1))
				}
				if ok, _ := fast.apart(); ok {
					apart++
				} else {
					together++
				}
				errF, errS := fast.Step(act), slow.Step(act)
				if (errF == nil) != (errS == nil) {
					t.Fatalf("tick %d: errors differ: %v / %v", tick, errF, errS)
				}
				if hf, hs := fast.Hash(), slow.Hash(); hf != hs {
					t.Fatalf("tick %d: state hash %x, lockstep %x", tick, hf, hs)
				}
				ef, es := fast.Events(), slow.Events()
				if len(ef) != len(es) {
					t.Fatalf("tick %d: %d events, lockstep %d", tick, len(ef), len(es))
				}
				for i := range ef {
					if ef[i] != es[i] {
						t.Fatalf("tick %d: event %d is %+v, lockstep %+v", tick, i, ef[i], es[i])
					}
				}
				if done, _ := fast.Done(); done {
					fast.Reset(0)
					slow.Reset(0)
				}
			}
			t.Logf("apart %d ticks, together %d; %d ships touched while gliding", apart, together, fast.touchCount)
			if c.wantTouch && fast.touchCount == 0 {
				t.Errorf("no projectile hit a gliding ship; the case should have some")
			}
			if c.wantBoth && (apart == 0 || together == 0) {
				t.Errorf("took the apart path %d times and lockstep %d times; the case should take both", apart, together)
			}
		})
	}
}

// TestGlideMatchesMoveBy runs glide and moveBy, substep by substep, from
// the same states and requires the same bits: the position after every
// substep, the heading, speed, fuel and direction at the end. The states
// take every path of glide: ships holding their speed (glideRun's steady
// substeps), speeding up, slowing down and going astern, new and cached
// turns, turns too large to rotate by, headings that wrap across ±π, no
// turn at all, ships against the walls, and in half the trials the
// clearance substeps notes (no tests for walls or wraps where none can
// happen).
func TestGlideMatchesMoveBy(t *testing.T) {
	w := newWorld(t, twoShips(t, corvette("idle"), corvette("idle"), 3000))
	if len(w.obstacles) > 0 || !w.env.still() {
		t.Fatal("glide needs still water without obstacles")
	}
	same := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
	r := rng.New(11)
	trail := make([]r2.Vec, 20)
	wrapped, large, steady, clearWalls, walled := 0, 0, 0, 0, 0
	for trial := range 3000 {
		s := w.Ships[0]
		s.Kin = Kinematics{Pos: s.Kin.Pos, Heading: r.Uniform(-math.Pi, math.Pi), Speed: r.Uniform(-8, 16)}
		s.Throttle, s.Rudder, s.FuelUsed = r.Uniform(-1, 1), r.Uniform(-1, 1), r.Uniform(0, 10)
		switch trial % 6 {
		case 0: // near ±π, turning across it
			s.Kin.Heading = math.Copysign(math.Pi-r.Uniform(0, 0.05), s.Kin.Heading)
			s.Rudder = math.Copysign(r.Uniform(0.5, 1), s.Kin.Heading)
		case 1: // holding the ordered speed
			s.Kin.Speed = float64(s.Throttle * s.Spec.Hull.MaxSpeed)
			if s.Throttle < 0 {
				s.Kin.Speed = float64(s.Kin.Speed * reverseFactor)
			}
		case 2: // rudder amidships, stopped (the speed may be -0)
			s.Rudder, s.Throttle, s.Kin.Speed = 0, 0, math.Copysign(0, r.Uniform(-1, 1))
		case 3: // by a wall
			b, rad := w.Pkg.Map.Bounds, s.Spec.Hull.Radius
			s.Kin.Pos = r2.Vec{X: b.MinX + rad + r.Uniform(0, 30), Y: b.MaxY - rad - r.Uniform(0, 30)}
		}
		dt := []float64{0.1, 0.25, 0.5}[trial%3]
		n := int(math.Round(1 / dt))
		m := w.motionOf(&s, dt)
		if trial%5 == 0 { // a quick rudder: turns too large to rotate by
			m.rudder = r.Uniform(-1.5, 1.5)
		}
		if abs(float64(m.rudder*dt)) > maxRotate {
			large++
		}
		if trial%4 < 2 { // as substeps has it, with apart's bound on the ship's travel
			w.Substeps, w.DT = n, dt
			tick := float64(n) * dt
			w.clearance(&s, &m, tick*(abs(s.Kin.Speed)+s.Spec.Hull.Acceleration*tick)+1)
			if m.clearWalls {
				clearWalls++
			}
		}
		if rot := float64(m.rudder * dt); trial%4 == 0 && abs(rot) <= maxRotate { // a rotation left from the last tick
			s.Kin.rotOf, s.Kin.rotOK = rot, true
			s.Kin.rotSin, s.Kin.rotCos = dmath.SinCosSmall(s.Kin.rotOf)
		}
		a, b := s, s
		w.glide(&a, &m, dt, trail[:n], true)
		for sub := range n {
			h := b.Kin.Heading
			w.moveBy(&b, &m, dt)
			if abs(b.Kin.Heading-h) > math.Pi {
				wrapped++
			}
			if sub > 0 && b.Kin.Speed == s.Kin.Speed {
				steady++
			}
			if b.Kin.Pos.X == m.minX || b.Kin.Pos.Y == m.maxY {
				walled++
			}
			if p, q := trail[sub], b.Kin.Pos; !same(p.X, q.X) || !same(p.Y, q.Y) {
				t.Fatalf("trial %d, substep %d: glide's position %v, moveBy's %v", trial, sub, p, q)
			}
		}
		da, db := a.Kin.Dir(), b.Kin.Dir()
		if !same(a.Kin.Heading, b.Kin.Heading) || !same(a.Kin.Speed, b.Kin.Speed) || !same(a.FuelUsed, b.FuelUsed) ||
			!same(da.X, db.X) || !same(da.Y, db.Y) || a.Kin.Pos != b.Kin.Pos {
			t.Fatalf("trial %d: glide ends at %+v (fuel %v), moveBy at %+v (fuel %v)", trial, a.Kin, a.FuelUsed, b.Kin, b.FuelUsed)
		}
	}
	if wrapped == 0 || large == 0 || steady == 0 || clearWalls == 0 || walled == 0 {
		t.Errorf("paths untested: %d wraps, %d large turns, %d steady substeps, %d clear of the walls, %d at a wall",
			wrapped, large, steady, clearWalls, walled)
	}
}

func TestApart(t *testing.T) {
	for _, c := range []struct {
		name string
		dx   float64
		edit func(w *World)
		want bool
		// flight: how the last projectile, if in flight, takes the
		// substeps (apart notes it in w.flight).
		flight flight
	}{
		{"far", 3000, nil, true, 0},
		{"within reach", 42, nil, false, 0}, // hulls 2 × 20 m, each may travel 0.5 + 1 m
		{"far but fast", 250, func(w *World) { w.Ships[0].Kin.Speed = 240 }, false, 0},
		{"shell far off", 3000, func(w *World) { w.projectiles = append(w.projectiles, shell(w, 0, 1500, 300)) }, true, flightOnce},
		{"shell leaving its gun", 3000, func(w *World) { w.projectiles = append(w.projectiles, shell(w, 0, 0, 0)) }, true, flightOnce},
		{"shell far off, running out", 3000, func(w *World) {
			p := shell(w, 0, 1500, 300)
			p.Run = p.MaxRun - 100
			w.projectiles = append(w.projectiles, p)
		}, true, flightQuiet},
		{"shell about to hit", 3000, func(w *World) { w.projectiles = append(w.projectiles, shell(w, 0, 2850, 0)) }, true, flightTested},
		{"spent shell about to hit", 3000, func(w *World) {
			p := shell(w, 0, 2850, 0)
			p.Alive = false
			w.projectiles = append(w.projectiles, p)
		}, true, 0},
		{"torpedo homing, far off", 3000, func(w *World) {
			p := shell(w, 0, 1500, 300)
			p.Kind, p.Seeking, p.Target, p.Speed = Torpedo, true, 1, 20
			w.projectiles = append(w.projectiles, p)
		}, true, flightQuiet},
		{"torpedo homing, about to hit", 3000, func(w *World) {
			p := shell(w, 0, 2970, 0)
			p.Kind, p.Seeking, p.Target, p.Speed = Torpedo, true, 1, 20
			w.projectiles = append(w.projectiles, p)
		}, true, flightTested},
		{"ASW charge running", 3000, func(w *World) {
			p := shell(w, 0, 1500, 300)
			p.Kind, p.Run, p.MaxRun = ASW, 100, 400
			w.projectiles = append(w.projectiles, p)
		}, true, flightQuiet},
		{"ASW charge bursting", 3000, func(w *World) {
			p := shell(w, 0, 1500, 300)
			p.Kind, p.Run, p.MaxRun = ASW, 300, 400
			w.projectiles = append(w.projectiles, p)
		}, true, flightTested},
		{"dead neighbour", 42, func(w *World) { w.Ships[1].Status = StatusDestroyed }, true, 0},
		{"lockstep", 3000, func(w *World) { w.lockstep = true }, false, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, twoShips(t, corvette("idle"), corvette("idle"), c.dx))
			if c.edit != nil {
				c.edit(w)
			}
			got, inFlight := w.apart()
			if got != c.want {
				t.Errorf("apart() = %v, want %v", got, c.want)
			}
			k := len(w.projectiles) - 1
			if !got || k < 0 || !w.projectiles[k].Alive {
				return
			}
			if w.flight[k] != c.flight {
				t.Errorf("flight[%d] = %v, want %v", k, w.flight[k], c.flight)
			}
			if want := c.flight != flightOnce; inFlight != want {
				t.Errorf("inFlight = %v, want %v", inFlight, want)
			}
			list, name := w.stepwise, "stepwise"
			if c.flight == flightOnce {
				list, name = w.once, "once"
			}
			if len(list) != 1 || list[0] != int32(k) {
				t.Errorf("%s = %v, want [%d]", name, list, k)
			}
		})
	}
}

// shell is a live gun shell fired by ship owner, flying east at 150 m/s
// from (dx, dy) off the owner's position.
func shell(w *World, owner int, dx, dy float64) Projectile {
	o := w.Ships[owner].Kin.Pos
	return Projectile{Alive: true, Kind: Gun, Owner: owner, Pos: r2.Vec{X: o.X + dx, Y: o.Y + dy},
		Speed: 150, MaxRun: 6000, Dir: r2.Vec{X: 1}, Target: -1}
}

// TestAlongXMatchesEveryShip checks inert and nearShell, which test only
// the ships along x once apart has sorted them (alongX, withinY), against
// the same tests of every ship, for shells and torpedoes scattered over
// the fleet and placed at the edge of their reach of a ship along x or y,
// a hair inside and outside it.
func TestAlongXMatchesEveryShip(t *testing.T) {
	r := rng.New(9)
	for _, n := range []int{13, 32, 64} {
		w, err := New(idleFleet(n), Options{})
		if err != nil {
			t.Fatal(err)
		}
		tick := float64(w.Substeps) * w.DT
		inert, tested := 0, 0
		for trial := range 300 {
			w.maxTravel = 0
			for i := range w.Ships {
				s := &w.Ships[i]
				s.Kin.Pos = r2.Vec{X: r.Uniform(0, 20000), Y: r.Uniform(0, 20000)}
				s.Status = StatusActive
				if r.Float64() < 0.1 {
					s.Status = StatusDestroyed
				}
				w.travel[i] = r.Uniform(1, 30)
				if s.Alive() {
					w.maxTravel = max(w.maxTravel, w.travel[i])
				}
			}
			p := Projectile{Alive: true, Kind: Gun, Owner: r.Intn(n), Speed: r.Uniform(100, 900), Target: -1,
				Pos: r2.Vec{X: r.Uniform(0, 20000), Y: r.Uniform(0, 20000)}}
			if trial%2 == 0 {
				p.Kind, p.Speed = Torpedo, r.Uniform(10, 30)
			}
			if trial%3 != 2 { // at the edge of a ship's reach along x or y
				j := r.Intn(n)
				reach := float64(p.Speed*tick) + 1 + w.travel[j] + w.Ships[j].Spec.Hull.Radius
				if p.Kind == Torpedo {
					reach += torpedoHitSlack
				}
				q := w.Ships[j].Kin.Pos
				along, across := q.X, q.Y
				if trial%3 == 1 {
					along, across = q.Y, q.X
				}
				edge := along + math.Copysign(reach, r.Uniform(-1, 1))
				edge = []float64{math.Nextafter(edge, along), edge, math.Nextafter(edge, 2*edge-along)}[trial%9/3]
				p.Pos = r2.Vec{X: edge, Y: across + r.Uniform(-1, 1)}
				if trial%3 == 1 {
					p.Pos = r2.Vec{X: p.Pos.Y, Y: p.Pos.X}
				}
			}
			w.touchingPair()
			if !w.xSorted {
				t.Fatal("touchingPair left the ships unsorted")
			}
			gotInert, gotNear := w.inert(&p, tick), w.nearShell(&p, tick)
			w.xSorted = false // every ship
			wantInert, wantNear := w.inert(&p, tick), w.nearShell(&p, tick)
			if gotInert != wantInert || gotNear != wantNear {
				t.Fatalf("%d ships, trial %d: along x inert %v near %x, every ship %v %x", n, trial, gotInert, gotNear, wantInert, wantNear)
			}
			if wantInert {
				inert++
			} else {
				tested++
			}
		}
		if inert == 0 || tested == 0 {
			t.Errorf("%d ships: %d inert, %d not: one answer went untested", n, inert, tested)
		}
	}
}

// TestPassesMatchesClosestPoint checks passes, which rules out most hulls
// by the path's bounding box, against the closest point's distance alone:
// for paths short and long, in any direction or none, and hulls scattered
// about them, at the box's edge (r and a metre out, a hair either side)
// and at distance r from the path, a hair either side.
func TestPassesMatchesClosestPoint(t *testing.T) {
	r := rng.New(13)
	hits, misses := 0, 0
	for trial := range 20000 {
		a := r2.Vec{X: r.Uniform(-1e5, 1e5), Y: r.Uniform(-1e5, 1e5)}
		b := r2.Add(a, r2.Vec{X: r.Uniform(-100, 100), Y: r.Uniform(-100, 100)})
		switch trial % 4 {
		case 0: // standing still
			b = a
		case 1: // along an axis
			b.Y = a.Y
		}
		rad := r.Uniform(5, 60)
		c := r2.Add(a, r2.Vec{X: r.Uniform(-200, 200), Y: r.Uniform(-200, 200)})
		switch trial % 3 {
		case 0: // at the bounding box's edge, r and a metre out
			c.X = max(a.X, b.X) + rad + 1
		case 1: // at distance r from the path
			q := geom.ClosestOnSegment(c, a, b)
			if d := geom.Norm(r2.Sub(c, q)); d > 0 {
				c = r2.Add(q, r2.Scale(rad/d, r2.Sub(c, q)))
			}
		}
		c.X = []float64{math.Nextafter(c.X, math.Inf(-1)), c.X, math.Nextafter(c.X, math.Inf(1))}[trial%7%3]
		want := geom.Norm(r2.Sub(geom.ClosestOnSegment(c, a, b), c)) <= rad
		if got := passes(a, b, c, rad); got != want {
			t.Fatalf("trial %d: passes(%v, %v, %v, %v) = %v, want %v", trial, a, b, c, rad, got, want)
		}
		if want {
			hits++
		} else {
			misses++
		}
	}
	if hits == 0 || misses == 0 {
		t.Errorf("%d hits, %d misses: one answer went untested", hits, misses)
	}
}

// TestRunsOnMatchesSum checks runsOn, which answers most shells without
// adding up their steps, against the steps added up as advance adds them:
// for runs that end far from, at, and a hair either side of the end of
// the tick's last substep.
func TestRunsOnMatchesSum(t *testing.T) {
	r := rng.New(17)
	on, out := 0, 0
	for trial := range 20000 {
		n := []int{1, 4, 10}[trial%3]
		dt := 1 / float64(n)
		p := Projectile{Kind: Gun, Speed: r.Uniform(100, 900), Run: r.Uniform(0, 5000), MaxRun: 6000}
		q := p
		for range n {
			q.advance(dt)
		}
		switch trial % 4 { // the run ends where the tick does, or a hair either side
		case 1:
			p.MaxRun = q.Run
		case 2:
			p.MaxRun = math.Nextafter(q.Run, 0)
		case 3:
			p.MaxRun = math.Nextafter(q.Run, math.Inf(1))
		}
		want := true
		q = p
		for range n {
			if q.advance(dt); q.Run >= q.MaxRun {
				want = false
				break
			}
		}
		if got := p.runsOn(dt, n); got != want {
			t.Fatalf("trial %d: runsOn(%v, %d) of %+v = %v, want %v", trial, dt, n, p, got, want)
		}
		if want {
			on++
		} else {
			out++
		}
	}
	if on == 0 || out == 0 {
		t.Errorf("%d run on, %d run out: one answer went untested", on, out)
	}
}

// TestTouchingPairMatchesAllPairs checks apart's sort and sweep
// (touchingPair) against the test of every pair in index order, on fleets
// whose ships are scattered, bunched into pairs about as far apart as they
// could close, partly out of action, and moved between trials (so the
// kept order is only nearly sorted).
func TestTouchingPairMatchesAllPairs(t *testing.T) {
	r := rng.New(5)
	for _, n := range []int{13, 32, 64, 200} {
		w, err := New(idleFleet(n), Options{})
		if err != nil {
			t.Fatal(err)
		}
		touching := 0
		for trial := range 300 {
			for i := range w.Ships {
				s := &w.Ships[i]
				if trial%3 == 0 || r.Float64() < 0.3 {
					s.Kin.Pos = r2.Vec{X: r.Uniform(0, 40000), Y: r.Uniform(0, 40000)}
				}
				s.Kin.Speed = r.Uniform(-4, 16)
				s.Status = StatusActive
				if r.Float64() < 0.1 {
					s.Status = StatusDestroyed
				}
				w.travel[i] = 10*(abs(s.Kin.Speed)+s.Spec.Hull.Acceleration*10) + 1
			}
			// A pair about as far apart as the two could close.
			a, b := r.Intn(n), r.Intn(n)
			reach := w.Ships[a].Spec.Hull.Radius + w.travel[a] + w.Ships[b].Spec.Hull.Radius + w.travel[b]
			w.Ships[b].Kin.Pos = r2.Add(w.Ships[a].Kin.Pos, r2.Vec{X: reach * r.Uniform(0.98, 1.02), Y: reach * r.Uniform(-1, 1)})
			got, want := w.touchingPair(), w.touchingPairAll()
			if got != want {
				t.Fatalf("%d ships, trial %d: touchingPair %v, every pair %v", n, trial, got, want)
			}
			if want {
				touching++
			}
		}
		if touching == 0 || touching == 300 {
			t.Errorf("%d ships: %d of 300 trials had a touching pair: one answer went untested", n, touching)
		}
	}
}
