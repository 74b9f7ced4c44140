package rlenv

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/tidebreak/tidebreak/go/core/arena"
)

func duelConfig(t testing.TB) *Config {
	t.Helper()
	data, err := os.ReadFile("../../../src/tidebreak/scenarios/data/duel.json")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), `"controller": "aggressive"`, `"controller": "agent"`, 1)
	cfg, err := ParseConfig([]byte(`{"package": ` + text + `, "max_tracks": 4}`))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func newBuffers(s Spec, final bool) *Buffers {
	per := s.NumEnvs * s.Agents
	b := &Buffers{
		Obs: make([]float32, per*s.ObsSize), Mask: make([]float32, per*s.MaskSize),
		Rewards:    make([]float32, per*s.RewardTerms),
		Terminated: make([]uint8, s.NumEnvs), Truncated: make([]uint8, s.NumEnvs),
	}
	if final {
		b.FinalObs = make([]float32, per*s.ObsSize)
	}
	return b
}

// TestBatchEqualsSingles steps a batch with autoreset and the same number of
// single envs reset by hand, and requires identical buffers every tick,
// across an autoreset.
// TestBatchEqualsSingles steps a batch with autoreset next to batches of
// one, env by env: the same observations, rewards and flags every tick,
// across episode ends. The 128-env batch runs on its crew of workers.
func TestBatchEqualsSingles(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	for _, n := range []int{3, 128} {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) { batchEqualsSingles(t, n) })
	}
}

func batchEqualsSingles(t *testing.T, n int) {
	cfg := duelConfig(t)
	batch, err := NewBatch(cfg, n)
	if err != nil {
		t.Fatal(err)
	}
	defer batch.Close()
	if want := n >= 2*envsPerWorker; (batch.crew != nil) != want {
		t.Fatalf("batch of %d: crew %v, want %v", n, batch.crew != nil, want)
	}
	bb := newBuffers(batch.Spec(), true)
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = uint64(11 * (i + 1))
	}
	if err := batch.Reset(seeds, bb); err != nil {
		t.Fatal(err)
	}
	singles, sb := newSingles(t, cfg, seeds)
	s := batch.Spec()
	actions := make([]float32, n*s.ActionSize)
	for tick := 0; tick < 650; tick++ {
		for i := range actions {
			actions[i] = float32((tick*7+i*13)%200)/100 - 1
		}
		if err := batch.Step(actions, bb, true); err != nil {
			t.Fatal(err)
		}
		for i := range singles {
			if err := singles[i].Step(actions[i*s.ActionSize:(i+1)*s.ActionSize], sb[i], false); err != nil {
				t.Fatal(err)
			}
			o, r := s.ObsSize, s.RewardTerms
			done := sb[i].Terminated[0] == 1 || sb[i].Truncated[0] == 1
			if bb.Terminated[i] != sb[i].Terminated[0] || bb.Truncated[i] != sb[i].Truncated[0] {
				t.Fatalf("tick %d env %d: flags differ", tick, i)
			}
			if !equal(bb.Rewards[i*r:(i+1)*r], sb[i].Rewards) {
				t.Fatalf("tick %d env %d: reward terms differ", tick, i)
			}
			if done {
				if !equal(bb.FinalObs[i*o:(i+1)*o], sb[i].Obs) {
					t.Fatalf("tick %d env %d: final_obs differs from the single env's last obs", tick, i)
				}
				if err := singles[i].Reset([]uint64{0}, sb[i]); err != nil {
					t.Fatal(err)
				}
			}
			if !equal(bb.Obs[i*o:(i+1)*o], sb[i].Obs) {
				t.Fatalf("tick %d env %d: obs differ", tick, i)
			}
		}
	}
}

// TestAutoresetModesEqualSingles steps a batch in each autoreset mode next to
// batches of one reset by hand as the mode says, and requires the same
// buffers every tick across episode ends.
func TestAutoresetModesEqualSingles(t *testing.T) {
	for _, mode := range []AutoresetMode{NextStep, Disabled} {
		t.Run(mode.String(), func(t *testing.T) { autoresetEqualsSingles(t, mode) })
	}
}

func autoresetEqualsSingles(t *testing.T, mode AutoresetMode) {
	const n = 3
	cfg := duelConfig(t)
	short := *cfg.Package
	short.TimeLimitS = 7 // ends every 7 ticks
	cfg = &Config{Package: &short, Options: cfg.Options, Autoreset: mode}
	batch, err := NewBatch(cfg, n)
	if err != nil {
		t.Fatal(err)
	}
	defer batch.Close()
	bb := newBuffers(batch.Spec(), false)
	seeds := []uint64{5, 6, 7}
	if err := batch.Reset(seeds, bb); err != nil {
		t.Fatal(err)
	}
	singles, sb := newSingles(t, cfg, seeds)
	ended := make([]bool, n)
	s := batch.Spec()
	o, r := s.ObsSize, s.RewardTerms
	actions := make([]float32, n*s.ActionSize)
	for tick := 0; tick < 30; tick++ {
		for i := range actions {
			actions[i] = float32((tick*7+i*13)%200)/100 - 1
		}
		if mode == Disabled && tick > 0 && (ended[0] || ended[1] || ended[2]) {
			if err := batch.Step(actions, bb, true); !errors.Is(err, ErrState) {
				t.Fatalf("tick %d: stepping a finished env gave %v, want ErrState", tick, err)
			}
			mask := make([]uint8, n)
			for i := range mask {
				mask[i] = boolByte(ended[i])
			}
			before := append([]float32(nil), bb.Obs...)
			if err := batch.ResetSome(make([]uint64, n), mask, bb); err != nil {
				t.Fatal(err)
			}
			for i := range singles {
				if !ended[i] && !equal(bb.Obs[i*o:(i+1)*o], before[i*o:(i+1)*o]) {
					t.Fatalf("tick %d env %d: ResetSome touched an env outside its mask", tick, i)
				}
			}
		}
		if err := batch.Step(actions, bb, true); err != nil {
			t.Fatal(err)
		}
		for i := range singles {
			if ended[i] {
				if err := singles[i].Reset([]uint64{0}, sb[i]); err != nil {
					t.Fatal(err)
				}
				ended[i] = false
				if mode == Disabled { // reset above; this step advanced it
					if err := singles[i].Step(actions[i*s.ActionSize:(i+1)*s.ActionSize], sb[i], false); err != nil {
						t.Fatal(err)
					}
				}
			} else if err := singles[i].Step(actions[i*s.ActionSize:(i+1)*s.ActionSize], sb[i], false); err != nil {
				t.Fatal(err)
			}
			ended[i] = sb[i].Terminated[0] == 1 || sb[i].Truncated[0] == 1
			if bb.Terminated[i] != sb[i].Terminated[0] || bb.Truncated[i] != sb[i].Truncated[0] {
				t.Fatalf("tick %d env %d: flags differ", tick, i)
			}
			if !equal(bb.Rewards[i*r:(i+1)*r], sb[i].Rewards) {
				t.Fatalf("tick %d env %d: reward terms differ", tick, i)
			}
			if !equal(bb.Obs[i*o:(i+1)*o], sb[i].Obs) {
				t.Fatalf("tick %d env %d: obs differ", tick, i)
			}
		}
	}
}

func TestParseAutoresetMode(t *testing.T) {
	tests := []struct {
		in   string
		want AutoresetMode
		ok   bool
	}{
		{"", SameStep, true},
		{"same_step", SameStep, true},
		{"next_step", NextStep, true},
		{"disabled", Disabled, true},
		{"NEXT_STEP", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseAutoresetMode(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("ParseAutoresetMode(%q) = %v, %v", tt.in, got, err)
		}
		if !tt.ok && (!errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "same_step, next_step, disabled")) {
			t.Errorf("ParseAutoresetMode(%q): error %v should list the modes", tt.in, err)
		}
	}
	data, err := os.ReadFile("../../../src/tidebreak/scenarios/data/duel.json")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig([]byte(`{"package": ` + string(data) + `, "autoreset_mode": "next_step"}`))
	if err != nil || cfg.Autoreset != NextStep {
		t.Fatalf("autoreset_mode next_step: %v, %v", cfg, err)
	}
	_, err = ParseConfig([]byte(`{"package": ` + string(data) + `, "autoreset_mode": "sometimes"}`))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `(got "sometimes")`) {
		t.Fatalf("a bad autoreset_mode: %v", err)
	}
}

// newSingles builds a batch of one per seed, each reset with its seed.
func newSingles(t *testing.T, cfg *Config, seeds []uint64) ([]*Batch, []*Buffers) {
	t.Helper()
	singles := make([]*Batch, len(seeds))
	sb := make([]*Buffers, len(seeds))
	for i := range singles {
		var err error
		if singles[i], err = NewBatch(cfg, 1); err != nil {
			t.Fatal(err)
		}
		sb[i] = newBuffers(singles[i].Spec(), false)
		if err := singles[i].Reset(seeds[i:i+1], sb[i]); err != nil {
			t.Fatal(err)
		}
	}
	return singles, sb
}

func equal(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestErrorsAreClassified(t *testing.T) {
	cfg := duelConfig(t)
	b, _ := NewBatch(cfg, 2)
	buf := newBuffers(b.Spec(), false)
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"short obs", b.Reset([]uint64{1, 2}, &Buffers{Obs: buf.Obs[:3], Mask: buf.Mask, Rewards: buf.Rewards,
			Terminated: buf.Terminated, Truncated: buf.Truncated}), ErrBuffer},
		{"seed count", b.Reset([]uint64{1}, buf), ErrArgument},
		{"action length", b.Step(make([]float32, 3), buf, true), ErrBuffer},
		{"NaN action", b.Step(nanActions(2*arena.ActionSize), buf, true), ErrArgument},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, tt.want) {
			t.Errorf("%s: error %v, want class %v", tt.name, tt.err, tt.want)
		}
	}
	if _, err := ParseConfig([]byte(`{"package": {`)); !errors.Is(err, ErrJSON) {
		t.Errorf("malformed config: %v", err)
	}
	if _, err := ParseConfig([]byte(`{"package": {"battle_id": "x"}}`)); !errors.Is(err, ErrInvalid) {
		t.Errorf("invalid package: %v", err)
	}
}

func nanActions(n int) []float32 {
	a := make([]float32, n)
	var zero float32
	a[0] = zero / zero
	return a
}

func BenchmarkBatchStep256(b *testing.B) {
	cfg := duelConfig(b)
	batch, _ := NewBatch(cfg, 256)
	buf := newBuffers(batch.Spec(), true)
	_ = batch.Reset(make([]uint64, 256), buf)
	actions := make([]float32, 256*arena.ActionSize)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := batch.Step(actions, buf, true); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*256)/b.Elapsed().Seconds(), "env-steps/s")
}

func TestFieldsConfig(t *testing.T) {
	data, err := os.ReadFile("../../../src/tidebreak/scenarios/data/duel.json")
	if err != nil {
		t.Fatal(err)
	}
	pkg := strings.Replace(string(data), `"controller": "aggressive"`, `"controller": "agent"`, 1)
	plain, err := ParseConfig([]byte(pkg))
	if err != nil || plain.Options.Fields != nil {
		t.Fatalf("a plain package turned coupling on: %v", err)
	}
	// A "fields" extension inside the package.
	ext := strings.Replace(pkg, `"battle_id"`, `"fields": {"max_level": 5, "storm": {"start": [0, 0]}}, "battle_id"`, 1)
	cfg, err := ParseConfig([]byte(ext))
	if err != nil || cfg.Options.Fields == nil || cfg.Options.Fields.MaxLevel != 5 || cfg.Options.Fields.Storm == nil {
		t.Fatalf("package extension: %+v %v", cfg, err)
	}
	// "foveated" alone turns coupling on with defaults and grows the obs.
	cfg, err = ParseConfig([]byte(`{"package": ` + pkg + `, "max_tracks": 4, "foveated": {"field": "noise", "shells": [500, 2000], "sectors": 4}}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewBatch(cfg, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := b.Spec().ObsSize, arena.ObsSizeFoveated(4, 2, 4); got != want {
		t.Fatalf("obs size %d, want %d", got, want)
	}
	buf := newBuffers(b.Spec(), true)
	if err := b.Reset([]uint64{3, 3}, buf); err != nil {
		t.Fatal(err)
	}
	acts := make([]float32, 2*b.Spec().Agents*arena.ActionSize)
	for range 20 {
		if err := b.Step(acts, buf, true); err != nil {
			t.Fatal(err)
		}
	}
	if b.World(0).Hash() != b.World(1).Hash() {
		t.Fatal("coupled envs with equal seeds diverged")
	}
	state, err := b.Save(0)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Load(1, state); err != nil || b.World(1).Hash() != b.World(0).Hash() {
		t.Fatalf("load: %v", err)
	}
	for _, bad := range []string{`"fields": {"max_level": 99}`, `"foveated": {"shells": []}`, `"fields": {"foveated": {"field": "nope", "shells": [1], "sectors": 1}}`} {
		_, err := ParseConfig([]byte(`{"package": ` + pkg + `, ` + bad + `}`))
		if err == nil {
			if c, _ := ParseConfig([]byte(`{"package": ` + pkg + `, ` + bad + `}`)); c != nil {
				if _, err = NewBatch(c, 1); err == nil {
					t.Errorf("%s: accepted", bad)
				}
			}
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v is not ErrInvalid", bad, err)
		}
	}
	if _, err := Simulate([]byte(ext)); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkSimulateDuelJSON is tb_simulate's work: parse the package JSON,
// run the whole duel with recording, encode the result JSON.
func BenchmarkSimulateDuelJSON(b *testing.B) {
	data, err := os.ReadFile("../../../src/tidebreak/scenarios/data/duel.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Simulate(data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSimulateWithoutRecording plays the same battles with and without the
// replay record: the same winner, length and final state; no log and no
// tick hashes without it.
func TestSimulateWithoutRecording(t *testing.T) {
	data, err := os.ReadFile("../../../src/tidebreak/scenarios/data/duel.json")
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		Winner   *string `json:"winner_team_id"`
		Duration float64 `json:"duration_s"`
		Replay   struct {
			Final      string            `json:"final_state_hash"`
			Log        []json.RawMessage `json:"action_log"`
			TickHashes []string          `json:"tick_hashes"`
		} `json:"replay"`
	}
	for _, seed := range []int{1, 2, 3} {
		pkg := strings.Replace(string(data), `"seed": 1,`, fmt.Sprintf(`"seed": %d,`, seed), 1)
		var with, without result
		for _, c := range []struct {
			input string
			out   *result
		}{{pkg, &with}, {`{"package": ` + pkg + `, "record": false}`, &without}} {
			raw, err := Simulate([]byte(c.input))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, c.out); err != nil {
				t.Fatal(err)
			}
		}
		if (with.Winner == nil) != (without.Winner == nil) || (with.Winner != nil && *with.Winner != *without.Winner) ||
			with.Duration != without.Duration || with.Replay.Final != without.Replay.Final {
			t.Errorf("seed %d: the battle differs without the record", seed)
		}
		if len(with.Replay.TickHashes) != int(with.Duration) || len(without.Replay.TickHashes) != 0 || len(without.Replay.Log) != 0 {
			t.Errorf("seed %d: %d and %d tick hashes, %d log records without the record", seed,
				len(with.Replay.TickHashes), len(without.Replay.TickHashes), len(without.Replay.Log))
		}
	}
	if _, err := Simulate([]byte(`{"package": ` + string(data) + `, "record": "no"}`)); !errors.Is(err, ErrInvalid) {
		t.Errorf(`"record": "no" gave %v, want ErrInvalid`, err)
	}
}

// TestBatchTeacher: a batch whose config names a teacher reports, after each
// step, a command per env within the action bounds, zeros before the first
// step, the same advice as a single env of the same seed, and ErrState or
// ErrBuffer for a batch without a teacher or a wrong buffer.
func TestBatchTeacher(t *testing.T) {
	cfg := duelConfig(t)
	cfg.Options.Teacher = arena.ControllerExpert
	const n = 3
	b, err := NewBatch(cfg, n)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	buf := newBuffers(b.Spec(), true)
	seeds := []uint64{11, 12, 13}
	if err := b.Reset(seeds, buf); err != nil {
		t.Fatal(err)
	}
	got := make([]float32, n*b.Spec().Agents*arena.ActionSize)
	if err := b.TeacherActions(got); err != nil {
		t.Fatal(err)
	}
	for _, v := range got {
		if v != 0 {
			t.Fatalf("teacher actions before the first step: %v, want zeros", got)
		}
	}
	if err := b.TeacherActions(got[1:]); !errors.Is(err, ErrBuffer) {
		t.Fatalf("short buffer: %v, want ErrBuffer", err)
	}
	one, err := NewBatch(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	oneBuf := newBuffers(one.Spec(), true)
	if err := one.Reset(seeds[2:], oneBuf); err != nil {
		t.Fatal(err)
	}
	oneGot := make([]float32, arena.ActionSize)
	actions := make([]float32, len(got))
	nonzero := 0
	for step := 0; step < 200; step++ {
		if err := b.Step(actions, buf, true); err != nil {
			t.Fatal(err)
		}
		if err := one.Step(actions[:arena.ActionSize], oneBuf, true); err != nil {
			t.Fatal(err)
		}
		if err := b.TeacherActions(got); err != nil {
			t.Fatal(err)
		}
		if err := one.TeacherActions(oneGot); err != nil {
			t.Fatal(err)
		}
		for k, v := range got {
			if !(v >= -1 && v <= 1) {
				t.Fatalf("step %d: teacher action %d = %v, outside [-1, 1]", step, k, v)
			}
			if v != 0 {
				nonzero++
			}
		}
		if !slices.Equal(oneGot, got[2*arena.ActionSize:]) {
			t.Fatalf("step %d: env 2's advice %v differs from a single env's %v", step, got[2*arena.ActionSize:], oneGot)
		}
	}
	if nonzero == 0 {
		t.Fatal("the expert never advised anything in 200 steps")
	}
	cfg.Options.Teacher = arena.ControllerIdle
	plain, err := NewBatch(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if err := plain.TeacherActions(oneGot); !errors.Is(err, ErrState) {
		t.Fatalf("no teacher: %v, want ErrState", err)
	}
	for _, c := range []struct{ doc, want string }{
		{`"teacher": "expert"`, ""},
		{`"teacher": "idle"`, "teacher: must be one of aggressive, stalker, expert"},
		{`"teacher": 3`, "teacher: must be one of"},
		{`"teachr": "expert"`, `did you mean "teacher"`},
	} {
		data, err := os.ReadFile("../../../src/tidebreak/scenarios/data/duel.json")
		if err != nil {
			t.Fatal(err)
		}
		_, err = ParseConfig([]byte(`{"package": ` + string(data) + `, ` + c.doc + `}`))
		if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: error %v, want %q", c.doc, err, c.want)
		}
	}
}
