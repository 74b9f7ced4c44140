package arena

import (
	"math"
	"os"
	"testing"

	"github.com/tidebreak/tidebreak/go/core/contract"
)

// twoShips is a blue "shooter" and a red "target" on a calm, clear map.
func twoShips(t testing.TB, shooter, target contract.Ship, dx float64) *contract.BattlePackage {
	t.Helper()
	p := contract.DefaultPackage()
	p.BattleID, p.Seed = "combat", 3
	p.Teams = []contract.Team{{TeamID: "blue"}, {TeamID: "red"}}
	p.Map.Weather = contract.Weather{SeaState: 0, VisibilityKm: 20, Precipitation: contract.PrecipNone}
	shooter.ShipID, shooter.TeamID = "shooter", "blue"
	shooter.InitialState.X, shooter.InitialState.Y = 5000, 10000
	target.ShipID, target.TeamID = "target", "red"
	target.InitialState.X, target.InitialState.Y = 5000+dx, 10000
	target.InitialState.Heading = math.Pi / 2
	p.Ships = []contract.Ship{shooter, target}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return &p
}

func corvette(controller string) contract.Ship {
	s := contract.DefaultShip()
	s.Controller = controller
	s.Sensors = []contract.Sensor{contract.DefaultSensor("radar"), contract.DefaultSensor("visual"), contract.DefaultSensor("sonar")}
	s.Weapons = []contract.Weapon{contract.DefaultWeapon("gun"), contract.DefaultWeapon("asw")}
	s.Crew.Morale = 1
	return s
}

func submarine(controller string) contract.Ship {
	s := contract.DefaultShip()
	s.Controller = controller
	s.Capabilities.CanSubmerge = true
	s.InitialState.Layer = contract.LayerSubmerged
	s.Sensors = []contract.Sensor{contract.DefaultSensor("sonar")}
	s.Weapons = []contract.Weapon{contract.DefaultWeapon("torpedo")}
	s.Crew.Morale = 1
	return s
}

// fireAll is an agent action that fires every weapon and does nothing else.
var fireAll = [ActionSize]float32{0, 0, 1, 1, 1, 0, 0}

func TestGunNeverHitsASubmergedShip(t *testing.T) {
	p := twoShips(t, corvette("agent"), submarine("idle"), 1500)
	w := newWorld(t, p)
	// Give the corvette a perfect track on the submerged target, as if a
	// datalink handed it over, and order it to fire every tick.
	for tick := 0; tick < 120; tick++ {
		w.setTrack(0, 1, Track{Quality: 3, Layer: 0, Class: 1, Hostile: true, Pos: w.Ships[1].Kin.Pos, Updated: w.Tick})
		w.Ships[0].Crits.Sensors = 2 // keep the sonar from correcting the planted track
		stepN(t, w, 1, [ActionSize]float32{0, 0, 1})
	}
	if w.Ships[0].Mounts[0].Fired == 0 {
		t.Fatal("the test must make the gun fire")
	}
	if hp := w.Ships[1].HP; hp != w.Ships[1].MaxHP {
		t.Fatalf("a submerged ship took gun damage: hp %v", hp)
	}
}

func TestTorpedoHitsAStationaryTargetInSeekerRange(t *testing.T) {
	sub := submarine("agent")
	p := twoShips(t, sub, corvette("idle"), 1200)
	p.Ships[1].InitialState.Speed = 0
	w := newWorld(t, p)
	stepN(t, w, 5, [ActionSize]float32{}) // let the sonar build a track
	if w.trackOf(0, 1).Quality < 1 {
		t.Fatalf("the submarine should hear a corvette 1.2 km away (track quality %d)", w.trackOf(0, 1).Quality)
	}
	stepN(t, w, 1, [ActionSize]float32{0, 0, 0, 1})
	if w.Ships[0].Mounts[0].Fired != 1 {
		t.Fatal("the torpedo did not fire")
	}
	stepN(t, w, 90, [ActionSize]float32{})
	if w.Ships[0].Hits != 1 || w.Ships[1].HP >= w.Ships[1].MaxHP {
		t.Fatalf("the torpedo missed a stationary target (hits %d, target hp %v)", w.Ships[0].Hits, w.Ships[1].HP)
	}
}

func TestTorpedoesFireOnlyWhenSubmerged(t *testing.T) {
	sub := submarine("agent")
	sub.InitialState.Layer = contract.LayerSurface
	w := newWorld(t, twoShips(t, sub, corvette("idle"), 1200))
	stepN(t, w, 10, [ActionSize]float32{0, 0, 0, 1})
	if w.Ships[0].Mounts[0].Fired != 0 {
		t.Fatal("a surfaced submarine fired a torpedo")
	}
}

func TestRadarDoesNotSeeASubmergedSub(t *testing.T) {
	c := corvette("agent")
	c.Sensors = []contract.Sensor{contract.DefaultSensor("radar"), contract.DefaultSensor("visual")}
	w := newWorld(t, twoShips(t, c, submarine("idle"), 2000))
	stepN(t, w, 20, [ActionSize]float32{})
	if q := w.trackOf(0, 1).Quality; q >= 0 {
		t.Fatalf("radar and visual hold a Q%d track on a submerged submarine", q)
	}
	// The same submarine on the surface is seen at once.
	s := submarine("idle")
	s.InitialState.Layer = contract.LayerSurface
	w = newWorld(t, twoShips(t, c, s, 2000))
	stepN(t, w, 2, [ActionSize]float32{})
	if q := w.trackOf(0, 1).Quality; q < 2 {
		t.Fatalf("radar should hold a fire-control track on a surfaced submarine at 2 km, got Q%d", q)
	}
}

func TestHiddenSubmarineLeavesNoTraceInTheObservation(t *testing.T) {
	c := corvette("agent")
	c.Sensors = []contract.Sensor{contract.DefaultSensor("radar"), contract.DefaultSensor("visual")}
	sub := submarine("idle")
	obsOf := func(dx float64) []float32 {
		w := newWorld(t, twoShips(t, c, sub, dx))
		stepN(t, w, 30, [ActionSize]float32{})
		obs := make([]float32, w.ObsSize())
		if err := w.Observe(obs, make([]float32, MaskSize)); err != nil {
			t.Fatal(err)
		}
		return obs
	}
	near, far := obsOf(800), obsOf(9000)
	for i := range near {
		if near[i] != far[i] {
			t.Fatalf("observation index %d differs with the hidden submarine 0.8 km vs 9 km away", i)
		}
	}
	tracks := near[ObsOwnSize : ObsOwnSize+8*TrackSize]
	for i, v := range tracks {
		if v != 0 {
			t.Fatalf("track block index %d is %v with no contact", i, v)
		}
	}
}

func TestActiveSonarMakesThePingerAudible(t *testing.T) {
	// A quiet, stopped corvette 3.5 km away is below the submarine's
	// passive threshold; after it pings, the submarine hears it.
	c := corvette("agent")
	c.InitialState.Speed = 0
	sub := submarine("idle")
	sub.Sensors[0].NoiseFloor = 10
	w := newWorld(t, twoShips(t, c, sub, 3500))
	quiet := 0
	for i := 0; i < 20; i++ {
		stepN(t, w, 1, [ActionSize]float32{})
		if w.trackOf(1, 0).Fresh {
			quiet++
		}
	}
	if quiet > 2 {
		t.Fatalf("the submarine heard the quiet corvette on %d of 20 ticks", quiet)
	}
	stepN(t, w, 1, [ActionSize]float32{0, 0, 0, 0, 0, 0, 1})
	stepN(t, w, 1, [ActionSize]float32{})
	if tr := w.trackOf(1, 0); !tr.Fresh || tr.Quality < 1 {
		t.Fatalf("the ping should make the corvette audible (track Q%d fresh %v)", tr.Quality, tr.Fresh)
	}
}

func TestCritDurationsShrinkWithEngineering(t *testing.T) {
	duration := func(engineering float64) int {
		p := onePackage(t, func(p *contract.BattlePackage) {
			p.Ships[0].Crew.Engineering = engineering
			p.Rules.CritChance = 1
		})
		w := newWorld(t, p)
		s := &w.Ships[0]
		w.damage(s, 1, 0, 0, damageWeapon)
		return max(s.Crits.Mobility, s.Crits.Weapons, s.Crits.Sensors, s.Crits.Fire)
	}
	low, high := duration(0), duration(1)
	if low != 30 || high != 15 {
		t.Fatalf("crit lasts %d ticks with engineering 0 and %d with 1, want 30 and 15", low, high)
	}
}

func TestSurrenderBelowThirtyPercentAndLowMorale(t *testing.T) {
	tests := []struct {
		class    string
		hp       float64
		morale   float64
		want     Status
		wantFate string
	}{
		{contract.ClassM, 25, 0.2, StatusSurrendered, contract.FateCaptured},
		{contract.ClassM, 35, 0.2, StatusActive, contract.FateOperational},
		{contract.ClassM, 25, 0.4, StatusActive, contract.FateOperational},
		{contract.ClassS, 25, 0.2, StatusDestroyed, contract.FateDestroyed},
	}
	for _, tt := range tests {
		p := onePackage(t, func(p *contract.BattlePackage) {
			p.Ships[0].Class = tt.class
			p.Ships[0].Crew.Morale = tt.morale
			p.Rules.MoraleLossPerDamage = 0
			p.Rules.CritChance = 0
		})
		w := newWorld(t, p)
		s := &w.Ships[0]
		w.damage(s, s.MaxHP-tt.hp, 0, 0, damageWeapon)
		if s.Status != tt.want {
			t.Errorf("class %s hp %v morale %v: status %v, want %v", tt.class, tt.hp, tt.morale, s.Status, tt.want)
		}
		out := w.Result().Ships[0]
		if out.Fate != tt.wantFate {
			t.Errorf("class %s hp %v morale %v: fate %s, want %s", tt.class, tt.hp, tt.morale, out.Fate, tt.wantFate)
		}
		if tt.want == StatusSurrendered && (out.CaptureMethod == nil || *out.CaptureMethod != contract.CaptureSurrendered) {
			t.Errorf("a surrendered ship's capture_method must be SURRENDERED")
		}
	}
}

func TestFatesByClass(t *testing.T) {
	for _, tt := range []struct {
		class string
		want  []Status
	}{
		{contract.ClassS, []Status{StatusDestroyed}},
		{contract.ClassL, []Status{StatusDisabled}},
		{contract.ClassXL, []Status{StatusDisabled}},
		{contract.ClassM, []Status{StatusDestroyed, StatusDisabled}},
	} {
		seen := map[Status]bool{}
		for seed := uint64(1); seed <= 40; seed++ {
			p := onePackage(t, func(p *contract.BattlePackage) { p.Ships[0].Class = tt.class; p.Seed = seed })
			w := newWorld(t, p)
			w.damage(&w.Ships[0], 1000, 0, 0, damageWeapon)
			seen[w.Ships[0].Status] = true
		}
		for _, s := range tt.want {
			if !seen[s] {
				t.Errorf("class %s never ended %v at 0 hp (saw %v)", tt.class, s, seen)
			}
		}
		if len(seen) != len(tt.want) {
			t.Errorf("class %s ended %v, want only %v", tt.class, seen, tt.want)
		}
	}
}

func TestTransitionAbortsOnHeavyDamage(t *testing.T) {
	p := onePackage(t, func(p *contract.BattlePackage) {
		p.Ships[0].Capabilities.CanSubmerge = true
		p.Rules.CritChance = 0
	})
	w := newWorld(t, p)
	stepN(t, w, 1, [ActionSize]float32{0, 0, 0, 0, 0, 1})
	if !w.Ships[0].Trans.Active {
		t.Fatal("the dive should have started")
	}
	w.damage(&w.Ships[0], 16, 0, 0, damageWeapon)
	stepN(t, w, 1, [ActionSize]float32{})
	if w.Ships[0].Trans.Active || w.Ships[0].Layer != Surface {
		t.Fatal("16 % damage during a dive must abort it back to the surface")
	}
}

func TestHazardZoneDamagesSmallSurfaceCraft(t *testing.T) {
	for _, class := range []string{contract.ClassS, contract.ClassM} {
		p := onePackage(t, func(p *contract.BattlePackage) {
			p.Ships[0].Class = class
			p.Ships[0].Crew.Morale = 1
			p.Map.Zones = []contract.Zone{{Shape: contract.Shape{Kind: contract.ShapeCircle, Radius: 500},
				Position: contract.Vec2{10000, 10000}, ModifierType: contract.ZoneHazard, Intensity: 1}}
		})
		w := newWorld(t, p)
		stepN(t, w, 5, [ActionSize]float32{})
		lost := w.Ships[0].MaxHP - w.Ships[0].HP
		if class == contract.ClassS && lost != 10 {
			t.Errorf("class S lost %v hp in 5 ticks of a hazard zone, want 10", lost)
		}
		if class == contract.ClassM && lost != 0 {
			t.Errorf("class M lost %v hp to a hazard zone", lost)
		}
	}
}

func TestShipsCollide(t *testing.T) {
	a := contract.DefaultShip()
	a.Controller = "agent"
	a.Hull.HP = 1000
	b := contract.DefaultShip()
	b.Controller = "idle"
	b.Hull.HP = 1000
	p := twoShips(t, a, b, 300)
	w := newWorld(t, p)
	stepN(t, w, 60, [ActionSize]float32{1})
	d := w.Ships[1].Kin.Pos.X - w.Ships[0].Kin.Pos.X
	if d < 40-1e-6 {
		t.Fatalf("ships overlap: centres %v m apart, radii sum to 40", d)
	}
	if w.Ships[0].Collisions == 0 || w.Ships[1].HP >= w.Ships[1].MaxHP {
		t.Fatal("a ramming should count a collision and damage both ships")
	}
}

func TestGridCurrentsInterpolate(t *testing.T) {
	p := onePackage(t, func(p *contract.BattlePackage) {
		p.Map.Bounds = contract.Bounds{MaxX: 2000, MaxY: 2000}
		p.Ships[0].InitialState.X, p.Ships[0].InitialState.Y = 500, 500
		p.Map.Currents = &contract.Currents{Kind: contract.CurrentsGrid, CellSize: 1000,
			Cells: [][]contract.Vec2{{{0, 0}, {2, 0}}, {{0, 2}, {2, 2}}}}
	})
	w := newWorld(t, p)
	for _, tt := range []struct{ x, y, u, v float64 }{
		{500, 500, 0, 0}, {1500, 500, 2, 0}, {1000, 1000, 1, 1}, {1250, 500, 1.5, 0}, {-100, 3000, 0, 2},
	} {
		c := w.env.current(vec(tt.x, tt.y))
		if math.Abs(c.X-tt.u) > 1e-12 || math.Abs(c.Y-tt.v) > 1e-12 {
			t.Errorf("current at (%v, %v) = %v, want (%v, %v)", tt.x, tt.y, c, tt.u, tt.v)
		}
	}
}

func loadScenario(t testing.TB, name string) *contract.BattlePackage {
	t.Helper()
	data, err := os.ReadFile("../../../src/tidebreak/scenarios/data/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := contract.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFleetTickAllocatesNothing(t *testing.T) {
	w, err := New(loadScenario(t, "fleet_16v16"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	stepN(t, w, 200, [ActionSize]float32{})
	allocs := testing.AllocsPerRun(100, func() {
		if err := w.Step(nil); err != nil {
			w.Reset(w.Seed)
		}
	})
	if allocs != 0 {
		t.Fatalf("a fleet_16v16 tick allocates %v times, want 0", allocs)
	}
}

func TestRoutFractionEndsTheBattle(t *testing.T) {
	build := func(rout float64) *World {
		p := contract.DefaultPackage()
		p.BattleID, p.Seed = "rout", 1
		p.Rules.RoutFraction = rout
		p.Teams = []contract.Team{{TeamID: "blue"}, {TeamID: "red"}}
		for i := 0; i < 4; i++ {
			s := contract.DefaultShip()
			s.ShipID = string(rune('a' + i))
			s.TeamID = p.Teams[i%2].TeamID
			s.InitialState.X, s.InitialState.Y = 2000+float64(i)*3000, 5000
			p.Ships = append(p.Ships, s)
		}
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		return newWorld(t, &p)
	}
	for _, tt := range []struct {
		rout float64
		done bool
	}{{1, false}, {0.5, true}} {
		w := build(tt.rout)
		w.damage(&w.Ships[1], 1000, w.Ships[0].ID, 0, damageCollision) // one of red's two ships
		stepN(t, w, 1, [ActionSize]float32{})
		done, truncated := w.Done()
		if done != tt.done || truncated {
			t.Fatalf("rout_fraction %v: done %v truncated %v after red lost half its ships, want done %v",
				tt.rout, done, truncated, tt.done)
		}
		if tt.done && w.Winner() != 0 {
			t.Fatalf("blue should win when red is routed, winner %d", w.Winner())
		}
	}
}

// TestArcSensorSeesOnlyWithinItsArc gives the shooter one radar with a
// 120° arc about its heading: a target within it is tracked by radar
// (which misses one draw in twenty), the same target outside it only by
// the ESM hearing its radar. (An observer with an arc sensor takes
// sightPairs' general way, detectEvery.)
func TestArcSensorSeesOnlyWithinItsArc(t *testing.T) {
	for _, tt := range []struct {
		heading float64
		radar   bool
	}{{0, true}, {math.Pi / 4, true}, {-math.Pi / 4, true}, {math.Pi / 2, false}, {math.Pi, false}} {
		c := corvette("idle")
		arc := math.Pi * 2 / 3
		c.Sensors = []contract.Sensor{contract.DefaultSensor("radar")}
		c.Sensors[0].Arc = &arc
		c.InitialState.Heading = tt.heading
		w := newWorld(t, twoShips(t, c, corvette("idle"), 3000))
		byRadar := 0
		for range 10 {
			stepN(t, w, 1, [ActionSize]float32{})
			tr := w.trackOf(0, 1)
			if tr.Sources&(1<<Radar) != 0 && tr.Quality >= 1 {
				byRadar++
			} else if tr.Quality != 0 || tr.Sources != 1<<ESM {
				t.Errorf("heading %.2f, tick %d: track %+v, want radar's or the ESM's Q0 cue", tt.heading, w.Tick, tr)
			}
		}
		if got := byRadar > 5; got != tt.radar || (!tt.radar && byRadar > 0) {
			t.Errorf("heading %.2f: radar tracked the target %d ticks in 10, want within the arc: %v", tt.heading, byRadar, tt.radar)
		}
	}
}
