package rlenv

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// fleetAfter returns a fleet_4v4 env (all ships scripted) stepped ticks
// times, and its saved state.
func fleetAfter(t testing.TB, ticks int) (*Batch, *Buffers, []byte) {
	t.Helper()
	data, err := os.ReadFile("../../../src/tidebreak/scenarios/data/fleet_4v4.json")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewBatch(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	buf := newBuffers(b.Spec(), false)
	if err := b.Reset([]uint64{7}, buf); err != nil {
		t.Fatal(err)
	}
	acts := make([]float32, b.Spec().Agents*b.Spec().ActionSize)
	for range ticks {
		if err := b.Step(acts, buf, false); err != nil {
			t.Fatal(err)
		}
	}
	state, err := b.Save(0)
	if err != nil {
		t.Fatal(err)
	}
	return b, buf, state
}

// edit decodes a state, lets change modify it and returns it sealed again
// (so that the checksum passes and the values are what is tested).
func edit(t testing.TB, state []byte, change func(doc map[string]any)) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(state))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	change(doc)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := Seal(out)
	if err != nil {
		t.Fatal(err)
	}
	return sealed
}

func ship(doc map[string]any, i int) map[string]any {
	return doc["world"].(map[string]any)["ships"].([]any)[i].(map[string]any)
}

// TestLoadRejectsBadStates pins the reproducers of loaded states that hung
// the next step, gave NaN observations or panicked: each is now refused
// with a message naming the field, and the env is unchanged.
func TestLoadRejectsBadStates(t *testing.T) {
	b, buf, state := fleetAfter(t, 60)
	before := b.World(0).Hash()
	for _, tc := range []struct {
		name   string
		change func(doc map[string]any)
		want   string
	}{
		{"sensor stream null", func(d map[string]any) { ship(d, 4)["sensor_stream"] = nil },
			"ships[4].sensor_stream: null, want an array"},
		{"sensor stream zero", func(d map[string]any) { ship(d, 4)["sensor_stream"] = []any{0, 0, 0, 0} },
			"ships[4].sensor_stream: an all-zero generator state"},
		{"old key name", func(d map[string]any) {
			ship(d, 4)["Sensor"] = map[string]any{"S": []any{0, 0, 0, 0}}
		}, `ships[4]."Sensor": unknown key`},
		{"renamed key", func(d map[string]any) {
			s := ship(d, 4)
			s["damage_streaM"] = s["damage_stream"]
			delete(s, "damage_stream")
		}, "ships[4].damage_stream: missing"},
		{"hp -1e308", func(d map[string]any) { ship(d, 4)["hp"] = -1e308 }, "ships[4].hp: -1e+308 is outside [0, "},
		{"hp nan-ish", func(d map[string]any) { ship(d, 4)["hp"] = json.Number("1e999") }, "ships[4].hp: 1e999 is out of range"},
		{"max_hp 0", func(d map[string]any) { ship(d, 4)["max_hp"] = 0 }, "ships[4].max_hp: 0, but this env's package gives"},
		{"reload 0", func(d map[string]any) {
			ship(d, 4)["mounts"].([]any)[0].(map[string]any)["reload"] = 0
		}, "ships[4].mounts[0].reload: 0, but this env's package gives"},
		{"class 127", func(d map[string]any) { ship(d, 4)["class"] = 127 }, "ships[4].class: 127, but this env's package gives"},
		{"control kind", func(d map[string]any) {
			ship(d, 4)["control"].(map[string]any)["kind"] = 99
		}, "ships[4].control.kind: 99, but"},
		{"heading", func(d map[string]any) {
			ship(d, 4)["kinematics"].(map[string]any)["heading"] = 7
		}, "ships[4].kinematics.heading: 7 is outside"},
		{"position off the map", func(d map[string]any) {
			ship(d, 4)["kinematics"].(map[string]any)["x"] = -1e9
		}, "ships[4].kinematics.x: -1e+09 is outside"},
		{"status", func(d map[string]any) { ship(d, 4)["status"] = 9 }, "ships[4].status: 9 is outside [0, 3]"},
		{"tracks short", func(d map[string]any) {
			s := ship(d, 4)
			s["tracks"] = s["tracks"].([]any)[:3]
		}, "ships[4].tracks: 3 elements, want 8"},
		{"contact", func(d map[string]any) { ship(d, 4)["contact"] = 8 }, "ships[4].contact: 8 is outside [-1, 7]"},
		{"tick", func(d map[string]any) { d["world"].(map[string]any)["tick"] = -1 }, "tick: -1 is outside"},
		{"float as int", func(d map[string]any) { d["world"].(map[string]any)["tick"] = 60.5 }, "tick: 60.5 is not an integer"},
		{"winner undecided", func(d map[string]any) { d["world"].(map[string]any)["winner"] = 1 }, "winner: 1, but the battle is not decided"},
		{"layout version", func(d map[string]any) { d["world"].(map[string]any)["version"] = 1 }, "layout version 1"},
		{"envelope version", func(d map[string]any) { d["version"] = 1 }, "version is 1; this Tidebreak reads version 2"},
		{"unknown top key", func(d map[string]any) { d["extra"] = true }, `unknown key "extra"`},
		{"fields on uncoupled", func(d map[string]any) { d["world"].(map[string]any)["fields"] = "AAAA" }, "fields: a string, but this env runs without field coupling"},
		{"projectile of a ship without the weapon", func(d map[string]any) {
			w := d["world"].(map[string]any)
			w["projectiles"] = []any{map[string]any{"alive": true, "kind": 1, "owner": 0, "x": 1, "y": 1,
				"heading": 0, "run": 0, "max_run": 100, "aim_x": 0, "aim_y": 0, "seeking": false, "target": -1, "trace": 1, "cause": 0}}
		}, "projectiles[0].kind: ship 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := b.Load(0, edit(t, state, tc.change))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load: %v\nwant an error containing %q", err, tc.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("%v is not ErrInvalid", err)
			}
			if b.World(0).Hash() != before {
				t.Fatal("a refused load changed the env")
			}
		})
	}
	if err := b.Load(0, state); err != nil {
		t.Fatalf("the unedited state: %v", err)
	}
	if err := b.Step(make([]float32, b.Spec().Agents*b.Spec().ActionSize), buf, false); err != nil {
		t.Fatal(err)
	}
}

// TestLoadDetectsEveryBitFlip flips single bits of a saved state: the
// checksum (or the header's syntax) refuses every one, and the env stays
// as it was.
func TestLoadDetectsEveryBitFlip(t *testing.T) {
	b, _, state := fleetAfter(t, 60)
	before := b.World(0).Hash()
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		bad := append([]byte(nil), state...)
		bit := r.IntN(8 * len(bad))
		bad[bit/8] ^= 1 << (bit % 8)
		if err := b.Load(0, bad); err == nil {
			t.Fatalf("flipping bit %d (byte %q) was accepted", bit, state[bit/8])
		}
	}
	if b.World(0).Hash() != before {
		t.Fatal("a refused load changed the env")
	}
}

func TestSealedStateRoundTrips(t *testing.T) {
	b, _, state := fleetAfter(t, 60)
	resealed := edit(t, state, func(map[string]any) {})
	if err := b.Load(0, resealed); err != nil {
		t.Fatalf("a state re-encoded by encoding/json and sealed: %v", err)
	}
	again, _ := b.Save(0)
	if !bytes.Equal(again, state) {
		t.Fatal("save → load → save changed the state")
	}
	if _, err := Seal([]byte(`{"checksum": "short"}`)); err == nil {
		t.Fatal("Seal accepted a checksum member of the wrong length")
	}
}
