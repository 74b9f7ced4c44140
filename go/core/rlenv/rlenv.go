// Package rlenv runs arena worlds as reinforcement-learning environments
// over flat, caller-owned float32 buffers: one Batch of N envs built from
// one config, reset and stepped together. A single env is a Batch of one
// without autoreset. The C ABI (go/capi) is a thin layer over this package.
package rlenv

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"

	"github.com/tidebreak/tidebreak/go/core/arena"
	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/rng"
	"github.com/tidebreak/tidebreak/go/core/tblog"
)

// Error classes; the C ABI maps them to status codes. Errors returned by
// this package wrap one of them (test with errors.Is).
var (
	ErrArgument = errors.New("bad argument")
	ErrBuffer   = errors.New("wrong buffer size")
	ErrJSON     = errors.New("malformed JSON")
	ErrInvalid  = errors.New("invalid input")
	ErrState    = errors.New("not allowed in this state")
	ErrInternal = errors.New("internal error")
	// ErrInterrupted: SimulateContext's context ended the battle early.
	ErrInterrupted = errors.New("interrupted")
)

// Config is an env's configuration: a BattlePackage and options.
type Config struct {
	Package *contract.BattlePackage
	Options arena.Options
	// Autoreset is what a batch does with an env whose episode ended
	// (config key "autoreset_mode"; a single env never resets by itself).
	Autoreset AutoresetMode
}

// AutoresetMode is what Batch.Step does with an env whose episode ended.
// The three modes are Gymnasium's (gymnasium.vector.AutoresetMode).
type AutoresetMode int

const (
	// SameStep resets the env in the step that ended its episode: that
	// step's flags and rewards are the final tick's, the terminal
	// observation goes to Buffers.FinalObs and Obs holds the first
	// observation of the next episode. The default.
	SameStep AutoresetMode = iota
	// NextStep leaves the terminal observation in Obs and resets the env on
	// its next step instead of advancing it: that step ignores the env's
	// actions and writes its first observation, zero rewards and clear
	// flags.
	NextStep
	// Disabled never resets: stepping a batch with a finished env fails
	// until ResetSome (or Reset) starts it again.
	Disabled
)

// autoresetNames are the config spellings of the modes, in order.
var autoresetNames = [...]string{"same_step", "next_step", "disabled"}

// String returns the mode's config spelling ("same_step", ...).
func (m AutoresetMode) String() string {
	if m >= 0 && int(m) < len(autoresetNames) {
		return autoresetNames[m]
	}
	return fmt.Sprintf("AutoresetMode(%d)", int(m))
}

// ParseAutoresetMode reads a mode's config spelling; "" is SameStep.
func ParseAutoresetMode(s string) (AutoresetMode, error) {
	if s == "" {
		return SameStep, nil
	}
	for i, name := range autoresetNames {
		if s == name {
			return AutoresetMode(i), nil
		}
	}
	return 0, fmt.Errorf("%w: autoreset_mode must be one of same_step, next_step, disabled (got %q)", ErrInvalid, s)
}

func present(raw json.RawMessage) bool { return len(raw) > 0 && !bytes.Equal(raw, []byte("null")) }

// parseFields reads the MorphoSpace coupling: a "fields" block (the
// config's, else the package's) plus an optional "foveated" block, which
// turns coupling on with defaults when no "fields" block does.
func parseFields(fields, foveated json.RawMessage) (*arena.FieldsConfig, error) {
	var fc *arena.FieldsConfig
	if present(fields) {
		var err error
		if fc, err = arena.ParseFieldsConfig(fields); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
	}
	if present(foveated) {
		fv, err := arena.ParseFoveatedConfig(foveated)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		if fc == nil {
			d := arena.DefaultFieldsConfig()
			fc = &d
		}
		fc.Foveated = fv
	}
	return fc, nil
}

// ParseConfig reads an env config: {"package": {...}, "max_tracks": K,
// "fields": {...}, "foveated": {...}, "autoreset_mode": "same_step",
// "lenient": false} or a bare package
// (which may carry "fields"). Keys match exactly; unknown keys are errors
// unless "lenient" is true. A broken package is reported as ErrInvalid
// wrapping the contract's *ValidationError (ErrJSON for malformed JSON).
func ParseConfig(data []byte) (*Config, error) { return ParseConfigLog(data, nil) }

// ParseConfigLog is ParseConfig that logs the unknown keys a lenient config
// ignored, one warning each, to log (nil: nowhere).
func ParseConfigLog(data []byte, log tblog.Logger) (*Config, error) {
	in, err := parseInput(data, false, false)
	if err != nil {
		return nil, err
	}
	in.logWarnings(log)
	return in.cfg, nil
}

// Spec gives the sizes of each env in a batch.
type Spec struct {
	ObsSize, ActionSize, RewardTerms, MaskSize int
	Agents, NumEnvs, MaxTicks, Substeps        int
}

// Buffers are the caller's output buffers for a whole batch. FinalObs may
// be nil.
type Buffers struct {
	Obs, Mask, Rewards    []float32
	Terminated, Truncated []uint8
	FinalObs              []float32
}

// Batch is N independent envs from one config.
type Batch struct {
	worlds    []*arena.World
	seeds     []uint64
	spec      Spec
	autoreset AutoresetMode
	crew      *crew     // nil: Step works alone
	teacher   []float32 // the teacher's commands of the last Step; nil without a teacher
}

// NextSeed is the seed of the episode after one run with seed.
func NextSeed(seed uint64) uint64 {
	if s := rng.Derive(seed, rng.Label("episode")); s != 0 {
		return s
	}
	return 1
}

// NewBatch builds n envs. Each starts with the package's seed until Reset.
func NewBatch(cfg *Config, n int) (*Batch, error) {
	if n < 1 || n > 1<<16 {
		return nil, fmt.Errorf("%w: num_envs must be within [1, 65536] (got %d)", ErrArgument, n)
	}
	b := &Batch{worlds: make([]*arena.World, n), seeds: make([]uint64, n), autoreset: cfg.Autoreset}
	for i := range b.worlds {
		pkg := *cfg.Package // worlds share the immutable package contents
		w, err := arena.New(&pkg, cfg.Options)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		b.worlds[i] = w
		b.seeds[i] = pkg.Seed
	}
	w := b.worlds[0]
	b.spec = Spec{ObsSize: w.ObsSize(), ActionSize: arena.ActionSize, RewardTerms: arena.NumRewardTerms,
		MaskSize: arena.MaskSize, Agents: len(w.Agents), NumEnvs: n, MaxTicks: w.MaxTicks, Substeps: w.Substeps}
	if cfg.Options.Teacher != arena.ControllerIdle {
		b.teacher = make([]float32, n*b.spec.Agents*b.spec.ActionSize)
	}
	if workers := min(runtime.GOMAXPROCS(0), n/envsPerWorker); workers >= 2 {
		b.crew = newCrew(workers - 1)
	}
	return b, nil
}

// Close stops the batch's step workers; the batch must not be used after.
func (b *Batch) Close() {
	if b.crew != nil {
		b.crew.close()
		b.crew = nil
	}
}

// Spec returns the batch's sizes.
func (b *Batch) Spec() Spec { return b.spec }

// TeacherActions copies into dst the command the config's teacher gave
// each agent ship in the last Step (in the tick's control phase, after its
// sensing, as scripted ships decide), for the observation that step started
// from (ActionSize per agent, agents of env 0 first; zeros for an agent
// out of action, and for an env that Step reset instead of advancing).
// Before the first Step it holds zeros. It fails with ErrState when the
// config names no teacher.
func (b *Batch) TeacherActions(dst []float32) error {
	if b.teacher == nil {
		return fmt.Errorf("%w: the config names no teacher", ErrState)
	}
	if len(dst) != len(b.teacher) {
		return fmt.Errorf("%w: teacher buffer has %d floats, want %d (%d envs × %d agents × %d)", ErrBuffer,
			len(dst), len(b.teacher), b.spec.NumEnvs, b.spec.Agents, b.spec.ActionSize)
	}
	copy(dst, b.teacher)
	return nil
}

// World returns env i's world, for inspection.
func (b *Batch) World(i int) *arena.World { return b.worlds[i] }

// CheckBuffers reports the first buffer whose length is wrong.
func (b *Batch) CheckBuffers(buf *Buffers) error {
	return b.spec.CheckLengths(BufferLengths{
		Obs: int64(len(buf.Obs)), Mask: int64(len(buf.Mask)), Rewards: int64(len(buf.Rewards)),
		Terminated: int64(len(buf.Terminated)), Truncated: int64(len(buf.Truncated)),
		FinalObs: int64(len(buf.FinalObs)),
	})
}

// BufferLengths are the element counts of a set of Buffers, as a caller
// declares them (the C ABI checks them before it builds any slice).
type BufferLengths struct {
	Obs, Mask, Rewards, Terminated, Truncated, FinalObs int64
}

// CheckLengths reports the first buffer length that is not the one the
// spec requires (FinalObs may also be 0: none).
func (s Spec) CheckLengths(l BufferLengths) error {
	per := int64(s.NumEnvs) * int64(s.Agents)
	checks := []struct {
		name      string
		got, want int64
	}{
		{"obs", l.Obs, per * int64(s.ObsSize)},
		{"mask", l.Mask, per * int64(s.MaskSize)},
		{"rewards", l.Rewards, per * int64(s.RewardTerms)},
		{"terminated", l.Terminated, int64(s.NumEnvs)},
		{"truncated", l.Truncated, int64(s.NumEnvs)},
	}
	for _, c := range checks {
		if c.got != c.want {
			return fmt.Errorf("%w: %s buffer has %d elements, want %d", ErrBuffer, c.name, c.got, c.want)
		}
	}
	if want := per * int64(s.ObsSize); l.FinalObs != 0 && l.FinalObs != want {
		return fmt.Errorf("%w: final_obs buffer has %d elements, want %d or none", ErrBuffer, l.FinalObs, want)
	}
	return nil
}

// CheckActionsLength reports an actions length that is not NumEnvs ×
// Agents × ActionSize.
func (s Spec) CheckActionsLength(n int64) error {
	if want := int64(s.NumEnvs) * int64(s.Agents) * int64(s.ActionSize); n != want {
		return fmt.Errorf("%w: actions has %d values, want %d (%d envs × %d agents × %d)",
			ErrBuffer, n, want, s.NumEnvs, s.Agents, s.ActionSize)
	}
	return nil
}

// envSlices returns env i's part of the buffers.
func (b *Batch) envSlices(buf *Buffers, i int) (obs, mask, rew []float32) {
	s := b.spec
	o, m, r := s.Agents*s.ObsSize, s.Agents*s.MaskSize, s.Agents*s.RewardTerms
	return buf.Obs[i*o : (i+1)*o], buf.Mask[i*m : (i+1)*m], buf.Rewards[i*r : (i+1)*r]
}

// Reset resets every env: env i with seeds[i], or with the next seed of its
// sequence when seeds[i] is 0. It writes first observations and masks and
// clears rewards and flags.
func (b *Batch) Reset(seeds []uint64, buf *Buffers) error {
	return b.ResetSome(seeds, nil, buf)
}

// ResetSome resets the envs whose mask byte is not 0 (every env for a nil
// mask) as Reset does. The other envs keep their state, and their parts of
// the buffers are left as they are.
func (b *Batch) ResetSome(seeds []uint64, mask []uint8, buf *Buffers) error {
	if len(seeds) != len(b.worlds) {
		return fmt.Errorf("%w: %d seeds for %d envs", ErrArgument, len(seeds), len(b.worlds))
	}
	if mask != nil && len(mask) != len(b.worlds) {
		return fmt.Errorf("%w: reset mask has %d entries for %d envs", ErrArgument, len(mask), len(b.worlds))
	}
	if err := b.CheckBuffers(buf); err != nil {
		return err
	}
	for i, w := range b.worlds {
		if mask != nil && mask[i] == 0 {
			continue
		}
		seed := seeds[i]
		if seed == 0 {
			seed = NextSeed(b.seeds[i])
		}
		b.seeds[i] = seed
		w.Reset(seed)
		obs, mask, rew := b.envSlices(buf, i)
		if err := w.Observe(obs, mask); err != nil {
			return err
		}
		clear(rew)
		buf.Terminated[i], buf.Truncated[i] = 0, 0
	}
	return nil
}

// Observe writes every env's current observations and masks.
func (b *Batch) Observe(buf *Buffers) error {
	if err := b.CheckBuffers(buf); err != nil {
		return err
	}
	for i, w := range b.worlds {
		obs, mask, _ := b.envSlices(buf, i)
		if err := w.Observe(obs, mask); err != nil {
			return err
		}
	}
	return nil
}

// envsPerWorker is the fewest envs Step gives each goroutine, so batches
// from 64 envs are spread; below that, waking workers costs more than it
// saves.
const envsPerWorker = 32

// stepBlock is how many envs a worker takes from the shared counter at once.
const stepBlock = 8

// Step advances every env by one tick with actions (ActionSize per agent,
// agents of env 0 first). All input is checked before any env moves. With
// autoreset, an env whose episode ends is reset as the batch's
// AutoresetMode says (see the package C header for the conventions);
// without it (a single env), or in Disabled mode, stepping a finished env
// fails.
func (b *Batch) Step(actions []float32, buf *Buffers, autoreset bool) error {
	s := b.spec
	if err := s.CheckActionsLength(int64(len(actions))); err != nil {
		return err
	}
	if err := b.CheckBuffers(buf); err != nil {
		return err
	}
	per := s.Agents * s.ActionSize
	mode := b.autoreset
	if !autoreset {
		mode = Disabled
	}
	for i, w := range b.worlds {
		if err := w.CheckActions(actions[i*per : (i+1)*per]); err != nil {
			return fmt.Errorf("%w: env %d: %v", ErrArgument, i, err)
		}
		if done, _ := w.Done(); done && mode == Disabled {
			return fmt.Errorf("%w: env %d: the episode is over; reset before stepping", ErrState, i)
		}
	}
	n := len(b.worlds)
	if b.crew == nil || runtime.GOMAXPROCS(0) < 2 {
		for i := 0; i < n; i++ {
			b.stepOne(i, actions[i*per:(i+1)*per], buf, mode)
		}
		return nil
	}
	b.crew.do(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			b.stepOne(i, actions[i*per:(i+1)*per], buf, mode)
		}
	})
	return nil
}

func (b *Batch) stepOne(i int, actions []float32, buf *Buffers, mode AutoresetMode) {
	w := b.worlds[i]
	obs, mask, rew := b.envSlices(buf, i)
	if done, _ := w.Done(); done {
		// NextStep: the episode ended on the previous step. SameStep: only
		// reachable after a Load of a finished state. (Disabled: refused.)
		b.seeds[i] = NextSeed(b.seeds[i])
		w.Reset(b.seeds[i])
		if mode == NextStep {
			if b.teacher != nil {
				clear(b.teacherSlice(i))
			}
			clear(rew)
			buf.Terminated[i], buf.Truncated[i] = 0, 0
			_ = w.Observe(obs, mask)
			return
		}
	}
	_ = w.Advance(actions) // Step checked the actions and that the env is not done
	if b.teacher != nil {
		copy(b.teacherSlice(i), w.TeacherActions())
	}
	copy(rew, w.Rewards())
	done, trunc := w.Done()
	buf.Terminated[i] = boolByte(done && !trunc)
	buf.Truncated[i] = boolByte(trunc)
	if done && mode == SameStep {
		if buf.FinalObs != nil {
			o := b.spec.Agents * b.spec.ObsSize
			_ = w.Observe(buf.FinalObs[i*o:(i+1)*o], mask)
		}
		b.seeds[i] = NextSeed(b.seeds[i])
		w.Reset(b.seeds[i])
	}
	_ = w.Observe(obs, mask)
}

func (b *Batch) teacherSlice(i int) []float32 {
	per := b.spec.Agents * b.spec.ActionSize
	return b.teacher[i*per : (i+1)*per]
}

func boolByte(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// ParseSimulateInput reads a tb_simulate input (a package, or the envelope
// with "action_log" and "record") as Simulate does, without running it.
func ParseSimulateInput(input []byte) (*Config, error) {
	in, err := parseInput(input, true, false)
	if err != nil {
		return nil, err
	}
	return in.cfg, nil
}

// Simulate runs a whole battle and returns the BattleResult JSON. The
// input is a BattlePackage, or {"package": ..., "action_log": [...]} to
// replay a recorded battle (the log's commands replace the controllers'),
// with the config keys ParseConfig reads. With "record": false in that
// object the result's replay block holds no action log and no tick hashes
// (its initial and final state hashes are kept): the battle is the same,
// several times cheaper to run when only its outcome is wanted (a league
// plays thousands). Check accepts exactly the inputs Simulate runs.
func Simulate(input []byte) ([]byte, error) { return SimulateLog(input, nil) }

// SimulateLog is Simulate that logs the unknown keys a lenient input
// ignored, one warning each, to log (nil: nowhere).
func SimulateLog(input []byte, log tblog.Logger) ([]byte, error) {
	return SimulateContext(context.Background(), input, log)
}

// SimulateContext is SimulateLog that gives up when ctx is done (looking
// every few dozen ticks) with an error wrapping ErrInterrupted and ctx's
// error. The C ABI's tb_interrupt ends tb_simulate calls this way.
func SimulateContext(ctx context.Context, input []byte, log tblog.Logger) ([]byte, error) {
	in, err := parseInput(input, true, false)
	if err != nil {
		return nil, err
	}
	in.logWarnings(log)
	w, err := in.build()
	if err != nil {
		return nil, err
	}
	res, err := w.RunContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: battle %q stopped at tick %d: %v", ErrInterrupted, in.cfg.Package.BattleID, w.Tick, err)
	}
	out, err := json.Marshal(&res)
	if err != nil {
		return nil, fmt.Errorf("%w: encoding the result of battle %q: %v", ErrInternal, in.cfg.Package.BattleID, err)
	}
	return out, nil
}
