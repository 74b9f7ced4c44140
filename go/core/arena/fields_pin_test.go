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
// default fovea, an agent against the scripted
// stalker (pings, torpedo track stamps) foveating sea state, currents read from the fields, and a
// fleet_4v4 on a finer four-band grid with one full-circle sector.
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
	fine.MaxLevel, fine.Bands, fine.DepthM = 8, 4, 400
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
// included), taken from the implementation that walked every field tree
// for each query, stamp and step: the faster field code must give the same
// bits.
func TestCoupledHashesPinned(t *testing.T) {
	want := map[string]map[int]string{
		"duel agents storm fovea":              {1: "d6ef3e735bde89b0/d1c42224d43bc479", 50: "87615aa069a612ef/4c39f8722ec2c610", 100: "a95f58ba19a18135/dd3188af94f17ebe", 150: "4818aa77d113ac73/dd463c3623b706ff", 200: "2f06d66c8704b71a/911bf64284b0a0fa", 250: "10461791030352e0/66333446e31e0c6b", 300: "b21f61e31fdc2964/671a1139157541eb", 350: "75d346dec018f2b2/b96c9bc9dfed2eda", 400: "b65453ea872cb7d4/e124cdb0f965c94c"},
		"duel agent v stalker sea_state fovea": {1: "720a142c4617f38e/0e52faaa30c716f1", 50: "2ef07294f2f34d15/78b8918096b8bf54", 100: "436841ac753c3e65/51467b9af24f58f0", 150: "11a37233a8ac8bd8/495ad6547e542550", 200: "f18b71d6adadbdc6/e31a813eede3fa6c", 250: "ce23bedac07e753c/e485bc4530b236ad", 300: "c5e68f279d704100/6ebb51b9722dba38", 350: "6ac51233b268c578/a3ce62ed2dd73471", 400: "ff936420e70dd533/7365575303b9af9c"},
		"duel currents from fields":            {1: "c8731a63f5a727d3/b1d4551de82baac8", 50: "ad4581b5569b666c/2e96bfe4c88489f3", 100: "44100f8cabb9dfaa/ea27f27f4d5ccfc8", 150: "3b45591b82a27605/9e48dbac54c5fe04", 200: "77deae4c5827a93d/59b662bb4758e2a5"},
		"fleet_4v4 fine grid one sector":       {1: "f4ccb650aaa892b8/5442b370787a28d3", 50: "f773f66269aeb004/10d40b7b6844cce8", 100: "9e3035c821836fed/ad375b16f9266719", 150: "4924d4022696d2be/2c58db998cd3fc19"},
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
