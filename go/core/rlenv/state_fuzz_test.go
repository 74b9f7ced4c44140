package rlenv

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite the checked-in seed corpus of FuzzEnvLoad")

// envelope seals a world object as an env state with episode seed 9 (when
// the result is JSON that Seal can read; unsealed otherwise).
func envelope(world []byte) []byte {
	doc := []byte(`{"format":"` + StateFormat + `","version":` + strconv.Itoa(StateVersion) +
		`,"checksum":"` + string(zeroDigits[:]) + `","episode_seed":9,"world":`)
	doc = append(append(doc, world...), '}')
	if sealed, err := Seal(doc); err == nil {
		return sealed
	}
	return doc
}

// fleetStates returns fleet_4v4 states (the world objects) at ticks 0, 60
// and 400.
func fleetStates(t testing.TB) [][]byte {
	var out [][]byte
	for _, ticks := range []int{0, 60, 400} {
		b, _, state := fleetAfter(t, ticks)
		_, world, err := openState(state, b.World(0))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, bytes.Clone(world))
	}
	return out
}

// TestWriteFuzzCorpus writes the seed corpus of FuzzEnvLoad under
// testdata/fuzz (go test -run TestWriteFuzzCorpus -update-corpus).
func TestWriteFuzzCorpus(t *testing.T) {
	if !*updateCorpus {
		t.Skip("rewrites testdata/fuzz with -update-corpus")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzEnvLoad")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, w := range fleetStates(t) {
		for _, raw := range []bool{false, true} {
			data := w
			if raw {
				data = envelope(w)
			}
			body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\nbool(%v)\n", data, raw)
			name := fmt.Sprintf("world-%d-raw-%v", i, raw)
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// FuzzEnvLoad loads mutated states into a fleet_4v4 env through Batch.Load:
// raw blobs (the checksum must stop every mutation) and mutated world
// objects sealed with a valid checksum (the loader must check every value).
// An accepted state must step without panics and with finite
// observations, rewards and flags; a refused one leaves the env unchanged.
func FuzzEnvLoad(f *testing.F) {
	for _, w := range fleetStates(f) {
		f.Add(w, false)
		f.Add(envelope(w), true)
	}
	b, buf, _ := fleetAfter(f, 0)
	acts := make([]float32, b.Spec().Agents*b.Spec().ActionSize)
	f.Fuzz(func(t *testing.T, data []byte, raw bool) {
		if !raw {
			data = envelope(data)
		}
		before := b.World(0).Hash()
		if err := b.Load(0, data); err != nil {
			if b.World(0).Hash() != before {
				t.Fatal("a refused state changed the env")
			}
			return
		}
		for k := 0; k < 5; k++ {
			if done, _ := b.World(0).Done(); done {
				break
			}
			if err := b.Step(acts, buf, false); err != nil {
				t.Fatalf("step %d after an accepted load: %v", k, err)
			}
			for _, v := range append(append([]float32(nil), buf.Obs...), buf.Rewards...) {
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
					t.Fatalf("step %d after an accepted load: non-finite %v", k, v)
				}
			}
		}
	})
}
