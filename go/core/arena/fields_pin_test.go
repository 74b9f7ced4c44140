package arena

import (
	"fmt"
	"hash/fnv"
	"math"
	"testing"

	"github.com/tidebreak/tidebreak/go/core/contract"
)

// coupledPinCases are coupled battles whose state hashes and foveated
// observations TestCoupledHashesPinned pins: a duel under a storm with the
// default fovea, an agent against the scripted stalker (pings, torpedo
// stamps) foveating sea state, currents read from the fields, and a
// fleet_4v4 on a finer four-band grid with one full-circle sector, stepping
// its fields every tick.
func coupledPinCases(t testing.TB) []struct {
	name  string
	pkg   *contract.BattlePackage
	cfg   FieldsConfig
	ticks int
} {
	storm := func(c FieldsConfig, x, y, vx, vy float64) FieldsConfig {
		st := defaultStorm()
		st.Start, st.Velocity = contract.Vec2{x, y}, contract.Vec2{vx, vy}
		c.Storm = &st
		return c
	}
	fov := func(c FieldsConfig, field string, sectors int, shells ...float64) FieldsConfig {
		c.Foveated = &FoveatedConfig{Field: field, Shells: shells, Sectors: sectors}
		return c
	}
	def := DefaultFieldsConfig()
	fine := DefaultFieldsConfig()
	fine.MaxLevel, fine.Bands, fine.DepthM, fine.StepEvery = 8, 4, 400, 1
	currents := DefaultFieldsConfig()
	currents.CurrentsFromField = true
	half := loadScenario(t, "duel")
	half.Ships[0].Controller = "agent"
	drift := loadDuel(t)
	drift.Map.Currents = &contract.Currents{Kind: contract.CurrentsAnalytic, BaseVector: contract.Vec2{1.5, -0.5}, Variance: 0.5}
	return []struct {
		name  string
		pkg   *contract.BattlePackage
		cfg   FieldsConfig
		ticks int
	}{
		{"duel agents storm fovea", allAgents(loadScenario(t, "duel")), fov(storm(def, 6000, 0, 0, 20), "noise", 8, 500, 1500, 4000), 400},
		{"duel agent v stalker sea_state fovea", half, fov(storm(def, 0, 6000, 25, 3), "sea_state", 5, 700, 2000, 2100, 6000), 400},
		{"duel currents from fields", allAgents(drift), fov(currents, "noise", 3, 1000, 3000), 200},
		{"fleet_4v4 fine grid one sector", allAgents(loadScenario(t, "fleet_4v4")), fov(storm(fine, 3000, 9000, 10, -10), "noise", 1, 300, 3000), 150},
	}
}

// TestCoupledHashesPinned pins, under seeded random actions, the state
// hashes of coupled battles (they end with the field space's hash) and a
// running digest of every tick's observations (the foveated block
// included): any change to what the fields compute changes them, and must
// re-pin them deliberately. Re-pinned (state and observations) when the
// coupling moved to its issue-18 definition: the environment phase every
// step_every ticks (30 by default; the fine-grid case keeps 1), no noise
// diffusion, stamps refined to half their radius with 2 samples an axis,
// torpedoes stamped as spheres, loud events (pings, layer changes,
// launches) stamped at once, and the observation's fovea read by
// Space.FoveateSampled.
func TestCoupledHashesPinned(t *testing.T) {
	want := map[string]map[int]string{
		"duel agents storm fovea":              {1: "7203b25428773d1d/b04b756dd1dbfe45", 50: "3c50500168f4410a/aa8c59164157818e", 100: "6187a1483347ae07/02f025190a7def26", 150: "1fb08f7489d54160/1b46e6dc111cbd1d", 200: "1905eb4d6959c126/44052cf5f7b8bc33", 250: "05f719495302b932/cf64a4da8bd8fe1a", 300: "454d980ba07163fa/9309268fc8763e07", 350: "e54072a72404926f/cbc96498f150447c", 400: "b85b1aa06d4cc564/35acd9d9d6b7717b"},
		"duel agent v stalker sea_state fovea": {1: "e0fb33e215a2acd8/63a86748d7b8f21b", 50: "5982d45420e7aba2/5b621e1862ebd188", 100: "83e4ad7d7dc9b92b/7718415b7088ff58", 150: "a6116f0eaef87c89/cd5026f6c2dd1ea3", 200: "74b0c65a392b6130/19e6a0daae92155a", 250: "e623adfff872d347/13b2b7817b31e714", 300: "cd6474903ecdd50c/ef412c7800833ffb", 350: "efc01ad5145a2403/1cb5d563ac2f250b", 400: "8d22a767520f4f1c/e210ce49ee28cf38"},
		"duel currents from fields":            {1: "b1698084fed6f50e/e0c41a0c7c068a8f", 50: "35c617072d206773/79a5fe40cebb3d3f", 100: "692a520b2f3b20be/3cfc26e64e034e0c", 150: "81901a5ca2754a95/a252e421750fe8f4", 200: "9945799616fb7217/fd70dc8546832565"},
		"fleet_4v4 fine grid one sector":       {1: "aa1d3b880db2b2ca/1e9fe43584dbc518", 50: "03e04c4cb3755337/6729895c470e717c", 100: "59907026aa2834c7/4ea0bb0118674bbf", 150: "2a00f0a7fae09347/b9644a53b697249f"},
	}
	for _, c := range coupledPinCases(t) {
		t.Run(c.name, func(t *testing.T) {
			w := coupledWorld(t, c.pkg, c.cfg)
			obs := make([]float32, w.ObsSize()*len(w.Agents))
			mask := make([]float32, MaskSize*len(w.Agents))
			digest := fnv.New64a()
			var word [4]byte
			got := map[int]string{}
			playRandom(t, w, c.ticks, 11, func(tick int) {
				if err := w.Observe(obs, mask); err != nil {
					t.Fatal(err)
				}
				for _, v := range obs {
					b := math.Float32bits(v)
					word[0], word[1], word[2], word[3] = byte(b), byte(b>>8), byte(b>>16), byte(b>>24)
					_, _ = digest.Write(word[:])
				}
				if tick == 1 || tick%50 == 0 {
					got[tick] = fmt.Sprintf("%016x/%016x", w.Hash(), digest.Sum64())
				}
			})
			for tick, h := range want[c.name] {
				if got[tick] != h {
					t.Errorf("tick %d: state/observation hashes %s, want %s", tick, got[tick], h)
				}
			}
			if len(want[c.name]) == 0 {
				t.Errorf("no pinned hashes; got %#v", got)
			}
		})
	}
}
