// Package golden pins the arena's behaviour: canonical scenarios must end
// in the checked-in state hashes, and two runs must agree bit for bit.
//
// A change that alters these hashes changes every seeded battle. Update
// them deliberately with `go test ./tests/go/golden -update` and say why
// in the commit message.
package golden

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/tidebreak/tidebreak/go/core/arena"
	"github.com/tidebreak/tidebreak/go/core/contract"
)

var update = flag.Bool("update", false, "rewrite the golden hash file")

var (
	root       = filepath.Join("..", "..", "..")
	scenarios  = filepath.Join(root, "src", "tidebreak", "scenarios", "data")
	goldenFile = filepath.Join(root, "tests", "testdata", "golden", "hashes.json")
)

// canonical lists the scenario runs whose hashes are pinned: name and seed.
var canonical = []struct {
	Scenario string
	Seed     uint64
}{
	{"duel", 1},
	{"duel", 42},
	{"gun_duel", 3},
	{"fleet_4v4", 7},
	{"stage4", 5},
	{"fleet_16v16", 1},
}

// Record is one pinned run: hashes at the start, after ticks 1, 10 and 100,
// and at the end.
type Record struct {
	Scenario  string            `json:"scenario"`
	Seed      uint64            `json:"seed"`
	Initial   string            `json:"initial"`
	Ticks     map[string]string `json:"ticks"`
	Final     string            `json:"final"`
	Duration  float64           `json:"duration_s"`
	ActionLog string            `json:"action_log_hash"`
}

func run(t *testing.T, name string, seed uint64) Record {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(scenarios, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := contract.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	pkg.Seed = seed
	w, err := arena.New(pkg, arena.Options{RecordLog: true})
	if err != nil {
		t.Fatal(err)
	}
	res := w.Run()
	ticks := map[string]string{}
	for _, k := range []int{1, 10, 100} {
		if k <= len(res.Replay.TickHashes) {
			ticks[itoa(k)] = res.Replay.TickHashes[k-1]
		}
	}
	return Record{Scenario: name, Seed: seed, Initial: res.Replay.InitialStateHash, Ticks: ticks,
		Final: res.Replay.FinalStateHash, Duration: res.DurationS, ActionLog: res.Replay.ActionLogHash}
}

func itoa(k int) string { b, _ := json.Marshal(k); return string(b) }

func TestGoldenHashes(t *testing.T) {
	var got []Record
	for _, c := range canonical {
		got = append(got, run(t, c.Scenario, c.Seed))
	}
	if *update {
		data, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(goldenFile, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", goldenFile)
		return
	}
	data, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	var want []Record
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(got) {
		t.Fatalf("golden file has %d runs, test has %d", len(want), len(got))
	}
	for i := range want {
		w, g := want[i], got[i]
		if w.Final != g.Final || w.Initial != g.Initial || w.ActionLog != g.ActionLog {
			t.Errorf("%s seed %d: initial %s final %s log %s; golden initial %s final %s log %s",
				g.Scenario, g.Seed, g.Initial, g.Final, g.ActionLog, w.Initial, w.Final, w.ActionLog)
		}
		for _, k := range []string{"1", "10", "100"} {
			if h, ok := w.Ticks[k]; ok && g.Ticks[k] != h {
				t.Errorf("%s seed %d: tick %s hash %s, golden %s (first divergence is at or before this tick)",
					g.Scenario, g.Seed, k, g.Ticks[k], h)
				break
			}
		}
	}
}

func TestTwoRunsIdentical(t *testing.T) {
	for _, c := range canonical {
		a, b := run(t, c.Scenario, c.Seed), run(t, c.Scenario, c.Seed)
		if a.Final != b.Final || a.ActionLog != b.ActionLog {
			t.Errorf("%s seed %d: two runs differ (%s vs %s)", c.Scenario, c.Seed, a.Final, b.Final)
		}
	}
}
