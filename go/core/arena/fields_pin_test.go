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
		"duel agents storm fovea":              {1: "1e187e37840db817/4c3a74e0abfc5485", 50: "3246ad752601819c/c7c2139fe41419de", 100: "d23fb6fe4cb1e3e2/c933edb719e5a996", 150: "9ef5c3224cf4e014/57a61d4240c2866d", 200: "6030c523980614df/7cf092d2fcfec9d3", 250: "7f58b01cf64c62c2/863c91dfc4bcc59a", 300: "11fae0c65c605d61/669a3545f4dcef17", 350: "d4942fb8a719fcb9/d72b0bd511a76c1c", 400: "eb5d9809a63a1afe/9ea0f6ae69189f9b"},
		"duel agent v stalker sea_state fovea": {1: "bdc84bcd6973209c/8a28c78bc9d21adb", 50: "7a5e9cc27ec17f4d/e62b4828eff00dc8", 100: "b0d3db9a295db51e/dce311b01cc3e288", 150: "c03c2eceb7d16693/c440f50ed5e674c3", 200: "41f2c26cd0887cd6/52f211eed03bfdda", 250: "3c921a78694e1b6c/9278aec011187954", 300: "148a7a5905eeb6e2/399979deebdb4fab", 350: "cbee4be9dd303a6d/13204fb2e6e1ee4b", 400: "82100e499b4a5ebf/4cb62b5f2424dea8"},
		"duel currents from fields":            {1: "5f4c699ad0d1c0b3/16f41ba934dc6c7f", 50: "8f0dd661d72e7839/eb381000a979497f", 100: "fe05b91c83e73bb4/bf1284670d7507ec", 150: "04b415501172024a/9c645645d3fd8f54", 200: "5d8dda667d75a51e/5ca644b14211d5e5"},
		"fleet_4v4 fine grid one sector":       {1: "eb1587ade22a6407/84396da7574b7f78", 50: "50dd1d475d470755/0571f4721c47048c", 100: "0ae75e209900ddf1/1f4b5afdd27a4a6f", 150: "17aead9cf24fa8da/346fe904ee260aaf"},
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
