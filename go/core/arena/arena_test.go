package arena

import (
	"math"
	"os"
	"testing"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
)

// onePackage returns a single-ship package in open water with one "agent".
func onePackage(t testing.TB, mutate func(p *contract.BattlePackage)) *contract.BattlePackage {
	t.Helper()
	p := contract.DefaultPackage()
	p.BattleID = "test"
	p.Seed = 1
	p.Teams = []contract.Team{{TeamID: "a"}}
	s := contract.DefaultShip()
	s.ShipID, s.TeamID, s.Controller = "s1", "a", "agent"
	s.InitialState.X, s.InitialState.Y = 10000, 10000
	p.Ships = []contract.Ship{s}
	p.Map.Weather.SeaState = 0
	if mutate != nil {
		mutate(&p)
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("test package invalid: %v", err)
	}
	return &p
}

func newWorld(t testing.TB, p *contract.BattlePackage) *World {
	t.Helper()
	w, err := New(p, Options{RecordLog: true})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func stepN(t testing.TB, w *World, n int, action [ActionSize]float32) {
	t.Helper()
	acts := make([]float32, 0, len(w.Agents)*ActionSize)
	for range w.Agents {
		acts = append(acts, action[:]...)
	}
	for i := 0; i < n; i++ {
		if err := w.Step(acts); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFullThrottleReachesCappedMaxSpeed(t *testing.T) {
	tests := []struct{ seaState int }{{0}, {3}, {6}}
	for _, tt := range tests {
		p := onePackage(t, func(p *contract.BattlePackage) { p.Map.Weather.SeaState = tt.seaState })
		w := newWorld(t, p)
		h := p.Ships[0].Hull
		want := h.MaxSpeed * (1 - 0.03*float64(tt.seaState))
		// Acceleration-limited: max speed is reached after want/accel seconds.
		secs := int(math.Ceil(want / h.Acceleration))
		stepN(t, w, secs-1, [ActionSize]float32{1})
		if got := w.Ships[0].Kin.Speed; got >= want {
			t.Errorf("sea %d: speed %v already at cap %v after %d s", tt.seaState, got, want, secs-1)
		}
		stepN(t, w, 1, [ActionSize]float32{1})
		if got := w.Ships[0].Kin.Speed; math.Abs(got-want) > 1e-9 {
			t.Errorf("sea %d: speed %v after %d s, want %v", tt.seaState, got, secs, want)
		}
		stepN(t, w, 20, [ActionSize]float32{1})
		if got := w.Ships[0].Kin.Speed; math.Abs(got-want) > 1e-9 {
			t.Errorf("sea %d: speed %v exceeds cap %v", tt.seaState, got, want)
		}
	}
}

func TestReverseIsHalfSpeed(t *testing.T) {
	w := newWorld(t, onePackage(t, nil))
	stepN(t, w, 60, [ActionSize]float32{-1})
	if got, want := w.Ships[0].Kin.Speed, -0.5*w.Ships[0].Spec.Hull.MaxSpeed; math.Abs(got-want) > 1e-9 {
		t.Errorf("astern speed %v, want %v", got, want)
	}
}

func TestNoPivotingInPlace(t *testing.T) {
	w := newWorld(t, onePackage(t, nil))
	h0 := w.Ships[0].Kin.Heading
	stepN(t, w, 10, [ActionSize]float32{0, 1})
	if w.Ships[0].Kin.Heading != h0 {
		t.Errorf("a stopped ship turned from %v to %v", h0, w.Ships[0].Kin.Heading)
	}
	stepN(t, w, 30, [ActionSize]float32{1, 1})
	if w.Ships[0].Kin.Heading <= h0 {
		t.Errorf("positive rudder should turn to port (CCW): heading %v", w.Ships[0].Kin.Heading)
	}
}

func TestDriftInOneMetrePerSecondCurrent(t *testing.T) {
	p := onePackage(t, func(p *contract.BattlePackage) {
		p.Map.Currents = &contract.Currents{Kind: contract.CurrentsAnalytic, BaseVector: contract.Vec2{1, 0}}
	})
	w := newWorld(t, p)
	x0 := w.Ships[0].Kin.Pos.X
	stepN(t, w, 60, [ActionSize]float32{})
	if got := w.Ships[0].Kin.Pos.X - x0; math.Abs(got-60) > 1e-6 {
		t.Errorf("drift over a minute = %v m, want 60", got)
	}
}

func TestBoundsAreWalls(t *testing.T) {
	p := onePackage(t, func(p *contract.BattlePackage) {
		p.Ships[0].InitialState.X = 19900
	})
	w := newWorld(t, p)
	stepN(t, w, 120, [ActionSize]float32{1})
	r := p.Ships[0].Hull.Radius
	if x := w.Ships[0].Kin.Pos.X; x > p.Map.Bounds.MaxX-r {
		t.Errorf("ship at x=%v went through the wall at %v", x, p.Map.Bounds.MaxX)
	}
}

func TestCannotCrossPolygonIsland(t *testing.T) {
	p := onePackage(t, func(p *contract.BattlePackage) {
		p.Map.Obstacles = []contract.Obstacle{{
			Shape:    contract.Shape{Kind: contract.ShapePolygon, Vertices: []contract.Vec2{{0, -1000}, {400, -1000}, {400, 1000}, {0, 1000}}},
			Position: contract.Vec2{11000, 10000}, Material: contract.MaterialSolid, Intensity: 1,
		}}
	})
	w := newWorld(t, p)
	stepN(t, w, 300, [ActionSize]float32{1})
	s := &w.Ships[0]
	if x := s.Kin.Pos.X; x > 11000-s.Spec.Hull.Radius+1e-6 {
		t.Errorf("ship reached x=%v, inside or beyond the island starting at 11000", x)
	}
	if s.Collisions == 0 || s.HP >= s.MaxHP {
		t.Errorf("ramming the island should count a collision and cost hp (collisions %d, hp %v)", s.Collisions, s.HP)
	}
}

func TestDiveTakesDiveTime(t *testing.T) {
	p := onePackage(t, func(p *contract.BattlePackage) {
		p.Ships[0].Capabilities.CanSubmerge = true
		p.Ships[0].Capabilities.DiveTimeS = 30
	})
	w := newWorld(t, p)
	stepN(t, w, 1, [ActionSize]float32{0, 0, 0, 0, 0, 1})
	stepN(t, w, 28, [ActionSize]float32{})
	if w.Ships[0].Layer != Surface || !w.Ships[0].Trans.Active {
		t.Fatalf("after 29 s the dive should still be under way")
	}
	stepN(t, w, 1, [ActionSize]float32{})
	if w.Ships[0].Layer != Submerged || w.Ships[0].Trans.Active {
		t.Fatalf("after 30 s the ship should be submerged (layer %v, active %v)", w.Ships[0].Layer, w.Ships[0].Trans.Active)
	}
}

func TestShallowsForbidDiving(t *testing.T) {
	p := onePackage(t, func(p *contract.BattlePackage) {
		p.Ships[0].Capabilities.CanSubmerge = true
		p.Map.Terrain.Regions = []contract.TerrainRegion{{
			Shape: contract.Shape{Kind: contract.ShapeCircle, Radius: 500}, Position: contract.Vec2{10000, 10000},
			DepthClass: contract.DepthShallows}}
	})
	w := newWorld(t, p)
	stepN(t, w, 40, [ActionSize]float32{0, 0, 0, 0, 0, 1})
	if w.Ships[0].Layer != Surface || w.Ships[0].Trans.Active {
		t.Fatal("a ship in the shallows must not dive")
	}
}

func TestActionsRejected(t *testing.T) {
	w := newWorld(t, onePackage(t, nil))
	nan := float32(math.NaN())
	for _, acts := range [][]float32{
		{0, 0, 0},
		{nan, 0, 0, 0, 0, 0, 0},
		{0, 2, 0, 0, 0, 0, 0},
	} {
		if err := w.Step(acts); err == nil {
			t.Errorf("Step(%v) should fail", acts)
		}
	}
}

func TestSaveLoadContinuesIdentically(t *testing.T) {
	w := newWorld(t, loadDuel(t))
	stepN(t, w, 50, [ActionSize]float32{})
	state, err := w.Save()
	if err != nil {
		t.Fatal(err)
	}
	clone := newWorld(t, loadDuel(t))
	if err := clone.Load(state); err != nil {
		t.Fatal(err)
	}
	if clone.Hash() != w.Hash() {
		t.Fatal("restored state hashes differently")
	}
	stepN(t, w, 100, [ActionSize]float32{})
	stepN(t, clone, 100, [ActionSize]float32{})
	if clone.Hash() != w.Hash() {
		t.Fatal("restored world diverged")
	}
	if err := clone.Load([]byte(`{"version":1,"battle_id":"other"}`)); err == nil {
		t.Fatal("loading another battle's state should fail")
	}
}

func loadDuel(t testing.TB) *contract.BattlePackage {
	t.Helper()
	data, err := os.ReadFile("../../../src/tidebreak/scenarios/data/duel.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := contract.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunIsDeterministic(t *testing.T) {
	a := newWorld(t, loadDuel(t)).Run()
	b := newWorld(t, loadDuel(t)).Run()
	if a.Replay.FinalStateHash != b.Replay.FinalStateHash || len(a.Replay.TickHashes) != int(a.DurationS) {
		t.Fatalf("two runs differ: %s vs %s", a.Replay.FinalStateHash, b.Replay.FinalStateHash)
	}
	w := newWorld(t, loadDuel(t))
	w.Reset(2)
	if c := w.Run(); c.Replay.FinalStateHash == a.Replay.FinalStateHash {
		t.Fatal("a different seed should give a different battle")
	}
}

func TestStepAllocatesNothing(t *testing.T) {
	w, err := New(loadDuel(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	acts := []float32{}
	stepN(t, w, 5, [ActionSize]float32{})
	allocs := testing.AllocsPerRun(100, func() {
		if err := w.Step(acts); err != nil {
			w.Reset(1)
		}
	})
	if allocs != 0 {
		t.Fatalf("a tick allocates %v times, want 0", allocs)
	}
}

func TestPlaybackReproducesAndDetectsChanges(t *testing.T) {
	p := loadDuel(t)
	orig := newWorld(t, p).Run()
	w, err := New(loadDuel(t), Options{RecordLog: true, Playback: orig.Replay.ActionLog})
	if err != nil {
		t.Fatal(err)
	}
	again := w.Run()
	if again.Replay.FinalStateHash != orig.Replay.FinalStateHash {
		t.Fatalf("playing the log back gives %s, the original %s", again.Replay.FinalStateHash, orig.Replay.FinalStateHash)
	}
	if len(orig.Replay.ActionLog) < 3 {
		t.Fatalf("the duel should log several commands, got %d", len(orig.Replay.ActionLog))
	}
	changed := append([]contract.ActionRecord(nil), orig.Replay.ActionLog...)
	k := len(changed) / 2
	changed[k].Action[ActThrottle] -= 0.5 * sign(changed[k].Action[ActThrottle])
	if w, err = New(loadDuel(t), Options{RecordLog: true, Playback: changed}); err != nil {
		t.Fatal(err)
	}
	diff := w.Run()
	first := -1
	for i := range orig.Replay.TickHashes {
		if i >= len(diff.Replay.TickHashes) || diff.Replay.TickHashes[i] != orig.Replay.TickHashes[i] {
			first = i + 1
			break
		}
	}
	if first != changed[k].Tick+1 {
		t.Fatalf("first differing tick %d, want %d (the changed record's tick)", first, changed[k].Tick+1)
	}
	bad := []contract.ActionRecord{{Tick: 0, ShipID: "ghost"}}
	if _, err := New(loadDuel(t), Options{Playback: bad}); err == nil {
		t.Fatal("a log naming an unknown ship must be rejected")
	}
}

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}

func TestEmptyTeamEndsTheBattleCleanly(t *testing.T) {
	p := onePackage(t, func(p *contract.BattlePackage) {
		p.Teams = append(p.Teams, contract.Team{TeamID: "empty"})
	})
	r := newWorld(t, p).Run()
	if r.WinnerTeamID == nil || *r.WinnerTeamID != "a" || r.DurationS != 1 {
		t.Fatalf("the only team with ships wins at once; got winner %v after %v s", r.WinnerTeamID, r.DurationS)
	}
	for _, team := range r.Teams {
		if team.MoraleDelta != team.MoraleDelta || team.MoraleDelta < -0.3 || team.MoraleDelta > 0.2 {
			t.Errorf("team %s morale_delta %v", team.TeamID, team.MoraleDelta)
		}
	}
}

func vec(x, y float64) r2.Vec { return r2.Vec{X: x, Y: y} }
