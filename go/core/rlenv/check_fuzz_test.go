package rlenv

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/tblog"
)

// FuzzCheck feeds package documents to Check (tb_package_parse) and to the
// parsing Simulate does, and requires that neither panics, that a check
// finishes quickly, and that both give the same verdict: Check accepts an
// input exactly when Simulate would run it, and refuses it with the problems
// Simulate's error names. The seed corpus is the shared package corpus
// (tests/testdata/packages) plus the cases in testdata/fuzz/FuzzCheck.
//
// make test runs it for a few seconds; the CI fuzz job runs it longer:
//
//	go test ./go/core/rlenv -run '^$' -fuzz FuzzCheck -fuzztime 5m
func FuzzCheck(f *testing.F) {
	for _, dir := range []string{"valid", "invalid"} {
		files, _ := filepath.Glob(filepath.Join("..", "..", "..", "tests", "testdata", "packages", dir, "*.json"))
		for _, name := range files {
			if data, err := os.ReadFile(name); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		r := Check(data, false, false)
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Check took %v", d)
		}
		in, err := parseInput(data, true, false)
		if err == nil {
			w, berr := in.build()
			if berr == nil {
				if w.MaxTicks > 86400 {
					t.Fatalf("accepted a battle of %d ticks", w.MaxTicks)
				}
			}
			err = berr
		}
		if r.OK != (err == nil) {
			t.Fatalf("Check ok=%v, Simulate's parse err=%v", r.OK, err)
		}
		if err != nil {
			want := strings.TrimPrefix(strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "), ErrJSON.Error()+": ")
			if got := (&contract.ValidationError{Problems: r.Problems}).Error(); got != want {
				t.Fatalf("Check's problems %q, Simulate's error %q", got, want)
			}
			var se *contract.SyntaxError
			if !errors.Is(err, ErrJSON) && errors.As(err, &se) {
				t.Fatalf("a syntax error not classed as ErrJSON: %v", err)
			}
			return
		}
		if _, err := json.Marshal(r.Package); err != nil {
			t.Fatalf("the accepted package does not encode: %v", err)
		}
	})
}

// A lenient input's ignored keys reach the engine's log, one warning each.
func TestLenientKeysAreLogged(t *testing.T) {
	ring := tblog.NewRing(16, nil)
	pkg := `{"battle_id": "b", "seed": 1, "time_limit_s": 5, "teams": [{"team_id": "t"}],
		"ships": [{"ship_id": "s", "team_id": "t", "controler": "patrol"}]}`
	if _, err := SimulateLog([]byte(pkg), ring); err == nil {
		t.Fatal("strict Simulate accepted an unknown key")
	}
	if _, err := SimulateLog([]byte(`{"package": `+pkg+`, "lenient": true, "max_trakcs": 3}`), ring); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range ring.Drain() {
		got = append(got, r.Source+": "+r.Message)
	}
	want := []string{
		`contract: max_trakcs: unknown field ignored (lenient mode); did you mean "max_tracks"?`,
		`contract: ships[0].controler: unknown field ignored (lenient mode); did you mean "controller"?`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("logged %q, want %q", got, want)
	}
}
