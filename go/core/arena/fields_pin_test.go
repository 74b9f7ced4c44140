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
// bits. The observation digests were re-pinned once when every observation
// value became bounded and the own block gained the heard-torpedo fields
// (the state hashes did not change).
func TestCoupledHashesPinned(t *testing.T) {
	want := map[string]map[int]string{
		"duel agents storm fovea":              {1: "d6ef3e735bde89b0/0dbea59299104779", 50: "87615aa069a612ef/0d5c824c41b0572b", 100: "a95f58ba19a18135/af8737f45f63434e", 150: "4818aa77d113ac73/a15ebd8db517e83e", 200: "2f06d66c8704b71a/8710545b0d5b1375", 250: "10461791030352e0/718f5dffa16b0968", 300: "b21f61e31fdc2964/cdf1eaa8fef648de", 350: "75d346dec018f2b2/1968085646bd6e9f", 400: "b65453ea872cb7d4/8a097b83c9ffec5c"},
		"duel agent v stalker sea_state fovea": {1: "720a142c4617f38e/f2525775dcc6f7f1", 50: "2ef07294f2f34d15/a0f9d66abc8b9efb", 100: "436841ac753c3e65/501c5ec03c44e9e5", 150: "11a37233a8ac8bd8/876bdea745f51267", 200: "f18b71d6adadbdc6/c527ee57678fcbe2", 250: "ce23bedac07e753c/0ea2a723724e5953", 300: "c5e68f279d704100/9d852a91e32f8629", 350: "6ac51233b268c578/4f5479814fc81134", 400: "ff936420e70dd533/423f36364149bd9b"},
		"duel currents from fields":            {1: "c8731a63f5a727d3/1ffdae3f099a03c8", 50: "ad4581b5569b666c/7d17f0d308d2d3cb", 100: "44100f8cabb9dfaa/18aaf29cd9e95ce0", 150: "3b45591b82a27605/3d34ec4f9ebd6f8a", 200: "77deae4c5827a93d/538167e9588d2709"},
		"fleet_4v4 fine grid one sector":       {1: "f4ccb650aaa892b8/d49ac5dbf21cbca9", 50: "f773f66269aeb004/3d247874473c6adb", 100: "9e3035c821836fed/9f818b8009effc3d", 150: "4924d4022696d2be/b736dfe361bbd928"},
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
