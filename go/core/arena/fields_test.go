package arena

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/tidebreak/tidebreak/go/core/contract"
)

// coupledDuel is the duel with both ships driven by the test ("agent"): the
// corvette lies stopped and listens (no pings), the submarine runs across
// its bow at a fixed throttle, about 3.5 km off, so range barely changes
// and only the submarine's speed differs between runs.
func coupledDuel(t testing.TB, throttle float64) *contract.BattlePackage {
	p := loadDuel(t)
	p.Ships[0].Controller = "agent"
	p.Ships[0].InitialState.Speed = 0
	p.Ships[1].Controller = "agent"
	p.Ships[1].InitialState.X = 6000
	p.Ships[1].InitialState.Y = 3000
	p.Ships[1].InitialState.Heading = math.Pi / 2
	p.Ships[1].InitialState.Speed = throttle * p.Ships[1].Hull.MaxSpeed
	return p
}

func coupledWorld(t testing.TB, p *contract.BattlePackage, cfg FieldsConfig) *World {
	t.Helper()
	w, err := New(p, Options{Fields: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// firstDetection steps w with the submarine at a constant throttle and
// returns the first tick at which the corvette holds a Q1+ track on it, or
// limit if it never does.
func firstDetection(t testing.TB, w *World, throttle float32, limit int) int {
	acts := make([]float32, 2*ActionSize)
	acts[ActionSize+ActThrottle] = throttle
	for w.Tick < limit {
		if err := w.Step(acts); err != nil {
			t.Fatal(err)
		}
		if w.trackOf(0, 1).Quality >= 1 {
			return w.Tick
		}
	}
	return limit
}

func TestCoupledQuietSubmarineIsDetectedLater(t *testing.T) {
	const limit = 300
	slowTotal, fastTotal := 0, 0
	for seed := uint64(1); seed <= 6; seed++ {
		ticks := [2]int{}
		for k, thr := range [2]float32{0.2, 1} {
			w := coupledWorld(t, coupledDuel(t, float64(thr)), DefaultFieldsConfig())
			w.Reset(seed)
			ticks[k] = firstDetection(t, w, thr, limit)
		}
		t.Logf("seed %d: slow first detected at tick %d, fast at %d", seed, ticks[0], ticks[1])
		if ticks[0] < ticks[1] {
			t.Errorf("seed %d: the slow submarine was detected first (%d < %d)", seed, ticks[0], ticks[1])
		}
		slowTotal += ticks[0]
		fastTotal += ticks[1]
	}
	if slowTotal <= fastTotal {
		t.Fatalf("slow submarines were not detected later overall (%d vs %d ticks)", slowTotal, fastTotal)
	}
}

func TestCoupledStormRaisesNoiseFloor(t *testing.T) {
	p := coupledDuel(t, 0)
	p.Randomize = nil
	calm := coupledWorld(t, p, DefaultFieldsConfig())
	cfg := DefaultFieldsConfig()
	st := defaultStorm()
	// The cell starts 6 km south of the corvette and runs north at 40 m/s:
	// over the corvette at tick 150, gone by tick 300. Stamped every 30
	// ticks, it is pictured 1.2 km apart from one phase to the next.
	st.Start = contract.Vec2{2500, 0}
	st.Velocity = contract.Vec2{0, 40}
	cfg.Storm = &st
	stormy := coupledWorld(t, p, cfg)
	var base, peak, after, sea float64
	for tick := 1; tick <= 320; tick++ {
		stepN(t, calm, 1, [ActionSize]float32{})
		stepN(t, stormy, 1, [ActionSize]float32{})
		a, b := calm.ambientNoise(&calm.Ships[0]), stormy.ambientNoise(&stormy.Ships[0])
		switch {
		case tick == 10:
			base = a
			if math.Abs(b-a) > 0.5 {
				t.Fatalf("tick 10: storm still far off but ambient %v differs from calm %v", b, a)
			}
		case tick >= 120 && tick <= 180:
			// The fields show the storm where it was at the last phase
			// (every step_every ticks): its peak over the corvette falls
			// somewhere in its passage.
			peak = max(peak, b)
			sea = max(sea, stormy.seaStateAt(stormy.Ships[0].Kin.Pos))
		case tick == 320:
			after = b
		}
	}
	if sea < 6 {
		t.Errorf("sea state under the storm peaked at %v, want ≥ 6", sea)
	}
	t.Logf("ambient at the corvette: calm %.1f dB, storm overhead %.1f dB, after it passed %.1f dB", base, peak, after)
	if peak < base+15 {
		t.Fatalf("the storm overhead raised ambient noise only from %.1f to %.1f dB", base, peak)
	}
	if after > base+1 {
		t.Fatalf("ambient noise stayed at %.1f dB after the storm passed (calm %.1f)", after, base)
	}
}

func TestCoupledDeterministicSaveLoadAndAllocFree(t *testing.T) {
	p := loadDuel(t)
	cfg := DefaultFieldsConfig()
	st := defaultStorm()
	st.Start, st.Velocity = contract.Vec2{6000, 0}, contract.Vec2{0, 20}
	cfg.Storm = &st
	cfg.CurrentsFromField = true
	cfg.Foveated = &FoveatedConfig{Field: "noise", Shells: []float64{500, 1500, 4000}, Sectors: 8}
	a, b := coupledWorld(t, p, cfg), coupledWorld(t, loadDuel(t), cfg)
	plain := newWorld(t, loadDuel(t))
	if a.ObsSize() != ObsSizeFoveated(8, 3, 8) || plain.ObsSize() != ObsSize(8) {
		t.Fatalf("obs sizes %d / %d", a.ObsSize(), plain.ObsSize())
	}
	stepN(t, a, 40, [ActionSize]float32{})
	stepN(t, b, 40, [ActionSize]float32{})
	if a.Hash() != b.Hash() {
		t.Fatal("two coupled worlds diverged")
	}
	plain.Reset(a.Seed)
	stepN(t, plain, 40, [ActionSize]float32{})
	if plain.Hash() == a.Hash() {
		t.Fatal("coupled and uncoupled worlds hash alike")
	}
	state, err := a.Save()
	if err != nil {
		t.Fatal(err)
	}
	c := coupledWorld(t, loadDuel(t), cfg)
	if err := c.Load(state); err != nil {
		t.Fatal(err)
	}
	if c.Hash() != a.Hash() {
		t.Fatal("loaded coupled world hashes differently")
	}
	if err := plain.Load(state); err == nil {
		t.Fatal("an uncoupled world accepted a coupled state")
	}
	stepN(t, a, 30, [ActionSize]float32{})
	stepN(t, c, 30, [ActionSize]float32{})
	if c.Hash() != a.Hash() {
		t.Fatal("loaded coupled world diverged")
	}
	obs := make([]float32, a.ObsSize()*len(a.Agents))
	mask := make([]float32, MaskSize*len(a.Agents))
	sameObs := func(what string, x, y *World) {
		t.Helper()
		ox, oy := make([]float32, len(obs)), make([]float32, len(obs))
		if err := x.Observe(ox, mask); err != nil {
			t.Fatal(err)
		}
		if err := y.Observe(oy, mask); err != nil {
			t.Fatal(err)
		}
		for i := range ox {
			if math.Float32bits(ox[i]) != math.Float32bits(oy[i]) {
				t.Fatalf("%s: observation %d is %v, want %v", what, i, oy[i], ox[i])
			}
		}
	}
	// The field space's caches (step faces, the fovea's scratch) start
	// afresh in a loaded world and after a reset: both go on as the
	// original and a fresh world do.
	sameObs("loaded coupled world", a, c)
	b.Reset(a.Seed)
	fresh := coupledWorld(t, loadDuel(t), cfg)
	fresh.Reset(a.Seed)
	stepN(t, b, 60, [ActionSize]float32{})
	stepN(t, fresh, 60, [ActionSize]float32{})
	if b.Hash() != fresh.Hash() {
		t.Fatal("a coupled world reset mid-battle diverged from a fresh one")
	}
	sameObs("coupled world reset mid-battle", fresh, b)
	if err := a.Observe(obs, mask); err != nil {
		t.Fatal(err)
	}
	// Allocation-free after warm-up: step (with observations) for a while
	// so the node pools and face lists reach their high-water marks.
	acts := []float32{}
	for range 100 {
		if err := a.Step(acts); err != nil {
			break
		}
		_ = a.Observe(obs, mask)
	}
	if done, _ := a.Done(); done {
		t.Skip("battle ended during warm-up")
	}
	allocs := testing.AllocsPerRun(50, func() {
		if err := a.Step(acts); err == nil {
			_ = a.Observe(obs, mask)
		}
	})
	if allocs != 0 {
		t.Fatalf("a coupled tick allocates %v times, want 0", allocs)
	}
}

func TestParseFieldsConfig(t *testing.T) {
	c, err := ParseFieldsConfig([]byte(`{"storm": {"start": [1, 2]}, "max_level": 6}`))
	if err != nil || c.MaxLevel != 6 || c.Storm == nil || c.Storm.RadiusM != defaultStorm().RadiusM || c.Storm.Start[1] != 2 {
		t.Fatalf("%+v %v", c, err)
	}
	for _, bad := range []string{`{"max_level": 0}`, `{"bands": 3}`, `{"storm": {"radius_m": -1}}`,
		`{"step_every": 0}`, `{"step_every": 61}`, `{"step_every": 2.5}`,
		`{"storm": {"sea_state": 12}}`, `{"foveated": {"field": "noise", "shells": [5, 1], "sectors": 4}}`, `[]`} {
		if _, err := ParseFieldsConfig([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
	if _, err := New(loadDuel(t), Options{Fields: &FieldsConfig{}}); err == nil {
		t.Error("a zero FieldsConfig was accepted")
	}
	cfg := DefaultFieldsConfig()
	cfg.Foveated = &FoveatedConfig{Field: "oil", Shells: []float64{100}, Sectors: 2}
	if _, err := New(loadDuel(t), Options{Fields: &cfg}); err == nil || !bytes.Contains([]byte(err.Error()), []byte("oil")) {
		t.Errorf("unknown foveated field: %v", err)
	}
}

func TestFieldsKeysMatchExactly(t *testing.T) {
	cases := []struct {
		name, block string
		parse       func([]byte) error
		want        string // "" when the block is accepted
	}{
		{"documented keys", `{"max_level": 7, "storm": {"radius_m": 3000}, "foveated": {"field": "noise", "shells": [500], "sectors": 4}}`, fieldsErr, ""},
		{"case variant", `{"MAX_LEVEL": 7}`, fieldsErr, `fields.MAX_LEVEL: unknown field; did you mean "max_level"?`},
		{"misspelt", `{"max_levle": 7}`, fieldsErr, `fields.max_levle: unknown field; did you mean "max_level"?`},
		{"both spellings", `{"max_level": 7, "Max_Level": 3}`, fieldsErr, `fields.Max_Level: unknown field`},
		{"in the storm", `{"storm": {"Radius_M": 3000}}`, fieldsErr, `fields.storm.Radius_M: unknown field; did you mean "radius_m"?`},
		{"in foveated", `{"foveated": {"shells": [500], "Sectors": 4}}`, fieldsErr, `fields.foveated.Sectors: unknown field; did you mean "sectors"?`},
		{"foveated block", `{"shells": [500], "sector": 4}`, foveatedErr, `foveated.sector: unknown field; did you mean "sectors"?`},
		{"unrelated key", `{"colour": "blue"}`, fieldsErr, `fields.colour: unknown field`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.parse([]byte(tc.block))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("%s refused: %v", tc.block, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("%s: got %v, want an error containing %q", tc.block, err, tc.want)
			}
		})
	}
}

func fieldsErr(b []byte) error   { _, err := ParseFieldsConfig(b); return err }
func foveatedErr(b []byte) error { _, err := ParseFoveatedConfig(b); return err }

func TestCoupledSaveCarriesANoisePicture(t *testing.T) {
	w := coupledWorld(t, loadDuel(t), DefaultFieldsConfig())
	stepN(t, w, 20, [ActionSize]float32{})
	data, err := w.Save()
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Noise *NoiseGrid `json:"noise"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if s.Noise == nil || len(s.Noise.Values) != noiseGridCells || len(s.Noise.Values[0]) != noiseGridCells {
		t.Fatalf("a coupled state should carry a %d×%d noise picture", noiseGridCells, noiseGridCells)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, row := range s.Noise.Values {
		for _, v := range row {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if !(hi > lo) {
		t.Fatalf("ships stamp noise, so the picture should not be flat (all %v dB)", lo)
	}
	plain := newWorld(t, loadDuel(t))
	if data, _ := plain.Save(); !bytes.Contains(data, []byte(`"noise":null`)) {
		t.Fatal("an uncoupled state carries no noise picture (null)")
	}
}

// TestFieldsStepOnTheirCadence checks step_every: the field space changes
// only on ticks that are multiples of it (a storm moves and every phase
// restamps it), and stepping every tick changes it every tick.
func TestFieldsStepOnTheirCadence(t *testing.T) {
	for _, k := range []int{1, 7, defaultStepEvery} {
		cfg := DefaultFieldsConfig()
		cfg.StepEvery = k
		st := defaultStorm()
		st.Start, st.Velocity = contract.Vec2{6000, 2000}, contract.Vec2{0, 15}
		cfg.Storm = &st
		w := coupledWorld(t, allAgents(loadDuel(t)), cfg)
		prev := w.fields.space.Hash()
		for range 3*k + 2 {
			tick := w.Tick
			stepN(t, w, 1, [ActionSize]float32{ActThrottle: 0.5})
			h := w.fields.space.Hash()
			if changed := h != prev; changed != (tick%k == 0) {
				t.Fatalf("step_every %d: tick %d changed the fields: %v", k, tick, changed)
			}
			prev = h
		}
	}
}

// TestLoudEventsStampBetweenPhases checks that a ping or a change of
// layer, which may be over before the next phase, reaches the noise field
// at once: the ship's own cell is louder than in a quiet twin until the
// next phase, while the quiet twin's fields hold.
func TestLoudEventsStampBetweenPhases(t *testing.T) {
	for _, tc := range []struct {
		name string
		ship int
		act  int
		v    float32
		on   func(s *Ship) bool
	}{
		{"corvette pings", 0, ActPing, 1, func(s *Ship) bool { return s.Pinged > 0 }},
		{"submarine surfaces", 1, ActLayer, -1, func(s *Ship) bool { return s.Trans.Active }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			quiet := coupledWorld(t, allAgents(loadDuel(t)), DefaultFieldsConfig())
			loud := coupledWorld(t, allAgents(loadDuel(t)), DefaultFieldsConfig())
			stepN(t, quiet, 5, [ActionSize]float32{})
			stepN(t, loud, 5, [ActionSize]float32{})
			acts := make([]float32, 2*ActionSize)
			acts[tc.ship*ActionSize+tc.act] = tc.v
			if err := loud.Step(acts); err != nil {
				t.Fatal(err)
			}
			stepN(t, quiet, 1, [ActionSize]float32{})
			if !tc.on(&loud.Ships[tc.ship]) {
				t.Fatal("the event did not start")
			}
			held := quiet.fields.space.Hash()
			for quiet.Tick < defaultStepEvery {
				stepN(t, quiet, 1, [ActionSize]float32{})
				stepN(t, loud, 1, [ActionSize]float32{})
				q, l := quiet.fieldNoise(&quiet.Ships[tc.ship]), loud.fieldNoise(&loud.Ships[tc.ship])
				if !(l > q+10) {
					t.Fatalf("tick %d: noise at the loud ship %.1f dB, quiet twin %.1f dB", loud.Tick, l, q)
				}
			}
			if quiet.fields.space.Hash() != held {
				t.Fatal("the quiet world's fields changed between phases")
			}
		})
	}
}

// TestFoveaTracksTheAreaMean checks what the coupled observation's fovea
// means: on a coupled duel under a storm, with both ships under way,
// Space.FoveateSampled (what the observation reads) follows Space.Foveate's
// exact area mean over the same shells and sectors closely. (Measured at
// issue 18: a mean difference of 0.23 dB, correlation 0.996, for values
// spread 4.9 dB.)
func TestFoveaTracksTheAreaMean(t *testing.T) {
	cfg := DefaultFieldsConfig()
	cfg.StepEvery = 1
	st := defaultStorm()
	st.Start, st.Velocity = contract.Vec2{6000, 0}, contract.Vec2{0, 20}
	cfg.Storm = &st
	shells := []float64{500, 1500, 4000}
	cfg.Foveated = &FoveatedConfig{Field: "noise", Shells: shells, Sectors: 8}
	w := coupledWorld(t, allAgents(loadDuel(t)), cfg)
	acts := make([]float32, 2*ActionSize)
	acts[ActThrottle], acts[ActRudder], acts[ActionSize+ActThrottle], acts[ActionSize+ActRudder] = 0.6, 0.1, 0.6, 0.1
	f := w.fields
	exact, sampled := make([]float64, 24), make([]float64, 24)
	var sumAbs, sa, sa2, sb, sb2, sab, n float64
	for range 200 {
		if err := w.Step(acts); err != nil {
			t.Fatal(err)
		}
		for i := range w.Ships {
			s := &w.Ships[i]
			x, y, z := s.Kin.Pos.X-f.ox, s.Kin.Pos.Y-f.oy, f.depth(s)
			if err := f.space.Foveate(f.fov, x, y, z, s.Kin.Heading, shells, 8, exact); err != nil {
				t.Fatal(err)
			}
			if err := f.space.FoveateSampled(f.fov, x, y, z, s.Kin.Heading, shells, 8, sampled); err != nil {
				t.Fatal(err)
			}
			for k, a := range exact {
				b := sampled[k]
				sumAbs += math.Abs(a - b)
				sa, sa2, sb, sb2, sab, n = sa+a, sa2+a*a, sb+b, sb2+b*b, sab+a*b, n+1
			}
		}
	}
	ma, mb := sa/n, sb/n
	va, vb := sa2/n-ma*ma, sb2/n-mb*mb
	corr := (sab/n - ma*mb) / math.Sqrt(va*vb)
	t.Logf("mean |exact − sampled| %.2f dB, exact values spread %.2f dB, correlation %.4f", sumAbs/n, math.Sqrt(va), corr)
	if !(va > 1) {
		t.Fatalf("the fovea saw a flat field (spread %.2f dB): nothing to compare", math.Sqrt(va))
	}
	if sumAbs/n > 1 || corr < 0.98 {
		t.Fatalf("the sampled fovea strays from the area mean: mean difference %.2f dB, correlation %.4f", sumAbs/n, corr)
	}
}
