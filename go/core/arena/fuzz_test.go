package arena

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite the checked-in seed corpus of FuzzWorldLoad")

// fuzzTargets are the Worlds FuzzWorldLoad loads into: a fleet battle with
// two agents (observations to check) and a coupled duel (a field space in
// the state).
func fuzzTargets(t testing.TB) []*World {
	t.Helper()
	fleet := loadScenario(t, "fleet_4v4")
	fleet.Ships[0].Controller, fleet.Ships[4].Controller = "agent", "agent"
	a, err := New(fleet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	duel := loadScenario(t, "duel")
	duel.Ships[0].Controller = "agent"
	cfg := DefaultFieldsConfig()
	b, err := New(duel, Options{Fields: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	return []*World{a, b}
}

// fuzzSeeds returns states of the fuzz targets: at the start, mid-battle
// with projectiles in flight, and at the end.
func fuzzSeeds(t testing.TB) [][]byte {
	var seeds [][]byte
	for _, w := range fuzzTargets(t) {
		acts := make([]float32, len(w.Agents)*ActionSize)
		for i := range w.Agents {
			acts[i*ActionSize+ActThrottle], acts[i*ActionSize+ActFireGun], acts[i*ActionSize+ActFireTorpedo] = 1, 1, 1
		}
		for _, ticks := range []int{0, 90, 100000} {
			for k := 0; k < ticks && !w.done; k++ {
				if err := w.Step(acts); err != nil {
					t.Fatal(err)
				}
			}
			data, err := w.Save()
			if err != nil {
				t.Fatal(err)
			}
			seeds = append(seeds, data)
		}
	}
	return seeds
}

// TestWriteFuzzCorpus writes the seed corpus of FuzzWorldLoad under
// testdata/fuzz (go test -run TestWriteFuzzCorpus -update-corpus).
func TestWriteFuzzCorpus(t *testing.T) {
	if !*updateCorpus {
		t.Skip("rewrites testdata/fuzz with -update-corpus")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzWorldLoad")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, s := range fuzzSeeds(t) {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("state-%d", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzWorldLoad feeds World.Load mutated states. A refused state must leave
// the World unchanged; an accepted one must save back to itself (same
// hash), and stepping it must neither panic nor hang nor produce a
// non-finite observation or reward.
//
// Its seeds are the states fuzzSeeds makes now (so they follow the layout)
// and the ones checked in under testdata/fuzz.
func FuzzWorldLoad(f *testing.F) {
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"version":2}`))
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	targets := fuzzTargets(f)
	twins := fuzzTargets(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for k, w := range targets {
			before := w.Hash()
			if err := w.Load(data); err != nil {
				if w.Hash() != before {
					t.Fatalf("target %d: a refused state changed the World", k)
				}
				continue
			}
			again, err := w.Save()
			if err != nil {
				t.Fatalf("target %d: an accepted state does not save: %v", k, err)
			}
			if err := twins[k].Load(again); err != nil || twins[k].Hash() != w.Hash() {
				t.Fatalf("target %d: an accepted state does not load back (%v)", k, err)
			}
			checkStepsFinite(t, w, 5)
		}
	})
}

// checkStepsFinite observes w and steps it up to n ticks, requiring finite
// observations and rewards.
func checkStepsFinite(t *testing.T, w *World, n int) {
	t.Helper()
	obs := make([]float32, len(w.Agents)*w.ObsSize())
	mask := make([]float32, len(w.Agents)*MaskSize)
	acts := make([]float32, len(w.Agents)*ActionSize)
	for k := 0; ; k++ {
		if err := w.Observe(obs, mask); err != nil {
			t.Fatal(err)
		}
		for i, v := range obs {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("tick %d: observation %d is %v", w.Tick, i, v)
			}
		}
		for i, v := range w.Rewards() {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("tick %d: reward term %d is %v", w.Tick, i, v)
			}
		}
		if done, _ := w.Done(); done || k == n {
			return
		}
		if err := w.Step(acts); err != nil {
			t.Fatal(err)
		}
	}
}
