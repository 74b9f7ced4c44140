package rlenv

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tidebreak/tidebreak/go/core/arena"
	"github.com/tidebreak/tidebreak/go/core/contract"
)

// fuzzBudget bounds the battles the fuzz target plays: a mutated package
// with a long time limit or many ships is valid but slow, and bounding such
// packages is the contract's job (its documented limits), not the replay
// reader's. Inputs beyond it are skipped.
const (
	fuzzMaxTicks = 120
	fuzzMaxShips = 8
)

// fuzzDeadline is how long one input may take: longer is a hang.
const fuzzDeadline = 10 * time.Second

// simulateWithin runs Simulate and fails the test, keeping the input, if
// it has not returned within d.
func simulateWithin(t *testing.T, data []byte, d time.Duration) ([]byte, error) {
	type answer struct {
		out []byte
		err error
	}
	done := make(chan answer, 1)
	go func() {
		out, err := Simulate(data)
		done <- answer{out, err}
	}()
	select {
	case a := <-done:
		return a.out, a.err
	case <-time.After(d):
		t.Fatalf("Simulate ran for more than %v on %q", d, data)
		return nil, nil
	}
}

// fuzzSeeds are tb_simulate inputs: a short gun duel as a bare package,
// and in the replay form with the log its own run wrote and with an empty
// one. testdata/fuzz/FuzzSimulateReplay holds more (logs a reader must
// refuse: unknown ships, ticks out of order or past the limit, values out of
// range, a log that is not a list).
func fuzzSeeds(f *testing.F) [][]byte {
	f.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "src", "tidebreak", "scenarios", "data", "gun_duel.json"))
	if err != nil {
		f.Fatal(err)
	}
	var pkg map[string]any
	if err := json.Unmarshal(raw, &pkg); err != nil {
		f.Fatal(err)
	}
	pkg["time_limit_s"] = 60
	bare, _ := json.Marshal(pkg)
	out, err := Simulate(bare)
	if err != nil {
		f.Fatal(err)
	}
	var res contract.BattleResult
	if err := json.Unmarshal(out, &res); err != nil {
		f.Fatal(err)
	}
	replay, _ := json.Marshal(map[string]any{"package": pkg, "action_log": res.Replay.ActionLog})
	return [][]byte{bare, replay, []byte(`{"package": ` + string(bare) + `, "action_log": []}`),
		[]byte(`{"package": ` + string(bare) + `, "record": false}`)}
}

// FuzzSimulateReplay feeds tb_simulate's input — a BattlePackage or its
// replay form {"package", "action_log"} — to Simulate. Whatever the bytes,
// it must return a BattleResult or an error of one of the documented
// classes, never panic; and a result replayed from its own action log must
// end in the same state (one played with "record": false must hold no log
// and no tick hashes).
func FuzzSimulateReplay(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if cfg, err := ParseSimulateInput(data); err == nil &&
			(cfg.Package.TimeLimitS > fuzzMaxTicks || len(cfg.Package.Ships) > fuzzMaxShips) {
			t.Skip("beyond the fuzz budget (long or large battle)")
		}
		out, err := simulateWithin(t, data, fuzzDeadline)
		if err != nil {
			if !errors.Is(err, ErrJSON) && !errors.Is(err, ErrInvalid) {
				t.Fatalf("Simulate: error of no documented class: %v", err)
			}
			return
		}
		var res contract.BattleResult
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("Simulate returned a result that does not decode: %v", err)
		}
		cfg, err := ParseSimulateInput(data) // as Simulate parsed it
		if err != nil {
			t.Fatalf("Simulate accepted what ParseSimulateInput refuses: %v", err)
		}
		var opt struct {
			Record *bool `json:"record"`
		}
		if json.Unmarshal(data, &opt) == nil && opt.Record != nil && !*opt.Record {
			// Played without the record: nothing to replay, and nothing recorded.
			if len(res.Replay.ActionLog) != 0 || len(res.Replay.TickHashes) != 0 {
				t.Fatalf("a result without the record holds %d log records and %d tick hashes",
					len(res.Replay.ActionLog), len(res.Replay.TickHashes))
			}
			return
		}
		log := res.Replay.ActionLog
		if log == nil {
			log = []contract.ActionRecord{}
		}
		w, err := arena.New(cfg.Package, arena.Options{RecordLog: true, Playback: log, Fields: cfg.Options.Fields})
		if err != nil {
			t.Fatalf("the result's own action log does not load: %v", err)
		}
		res2 := w.Run()
		if res2.Replay.FinalStateHash != res.Replay.FinalStateHash {
			t.Fatalf("the replay of the result's own log ends in %s, the run in %s",
				res2.Replay.FinalStateHash, res.Replay.FinalStateHash)
		}
	})
}
