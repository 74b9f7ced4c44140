package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidebreak/tidebreak/go/core/arena"
	"github.com/tidebreak/tidebreak/go/core/contract"
)

const root = "../../.."

// The checked-in models.py and docs tables are what the Go contract says
// today: change a default, a bound or a field and this fails until
// `make generate` has been run.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	outs, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		have, err := os.ReadFile(filepath.Join(root, o.path))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(have, o.data) {
			t.Errorf("%s is stale: run make generate (go run ./go/cmd/contractgen)", o.path)
		}
	}
}

// A default or a bound changed in Go reaches the Python model, the docs
// table and the Limits table with nothing edited by hand.
func TestChangedDefaultAndBoundReachEveryOutput(t *testing.T) {
	d := contract.Describe(arena.ControllerNames())
	for i := range d.Types {
		if d.Types[i].Name != "Hull" {
			continue
		}
		for j := range d.Types[i].Fields {
			f := &d.Types[i].Fields[j]
			if f.Name == "max_speed" {
				f.Default = json.RawMessage("17.5")
				r := *f.Range
				r.Hi, r.HiText = 2500, "2500"
				f.Range = &r
			}
		}
	}
	outs, err := generateFrom(d, root)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"src/tidebreak/contracts/models.py": "max_speed: Num = Field(default=17.5, gt=0.0, le=2500.0",
		"docs/contracts.md":                 "| `max_speed` | number | `17.5` | (0, 2500] |",
		"docs/trust.md":                     "| `ships[].hull.max_speed` | within (0, 2500] |",
	}
	for _, o := range outs {
		if w, ok := want[o.path]; ok && !strings.Contains(string(o.data), w) {
			t.Errorf("%s lacks %q", o.path, w)
		}
		delete(want, o.path)
	}
	if len(want) > 0 {
		t.Errorf("not generated: %v", want)
	}
}
