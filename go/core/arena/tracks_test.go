package arena

import (
	"fmt"
	"testing"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/rng"
)

// allAgents makes every ship of p an agent.
func allAgents(p *contract.BattlePackage) *contract.BattlePackage {
	for i := range p.Ships {
		p.Ships[i].Controller = "agent"
	}
	return p
}

// playRandom steps w for ticks ticks under seeded random actions and calls
// check after each tick.
func playRandom(t *testing.T, w *World, ticks int, seed uint64, check func(tick int)) {
	t.Helper()
	r := rng.New(seed)
	act := make([]float32, ActionSize*len(w.Agents))
	for tick := 1; tick <= ticks; tick++ {
		for i := range act {
			act[i] = float32(r.Uniform(-1, 1))
		}
		if err := w.Step(act); err != nil {
			t.Fatalf("tick %d: %v", tick, err)
		}
		check(tick)
		if done, _ := w.Done(); done {
			w.Reset(w.Seed + 1)
		}
	}
}

// stormy makes lightning strike often (blinded ships keep their tracks
// while their teammates drop those on ships put out of action) and hits
// critical (sensor crits do the same).
func stormy(p *contract.BattlePackage) *contract.BattlePackage {
	p.Map.Weather.LightningRisk = 1
	p.Rules.CritChance = 0.5
	return p
}

// threeTeams deals p's ships round-robin to three teams.
func threeTeams(p *contract.BattlePackage) *contract.BattlePackage {
	p.Teams = []contract.Team{{TeamID: "a"}, {TeamID: "b"}, {TeamID: "c"}}
	for i := range p.Ships {
		p.Ships[i].TeamID = p.Teams[i%3].TeamID
	}
	return p
}

// TestFleetHashesPinned pins the state hashes of fleet battles under random
// actions and of a patrolling fleet, taken from the implementation that
// kept every ship's full track table: the shared team pictures must give
// the same tracks, bit for bit.
func TestFleetHashesPinned(t *testing.T) {
	cases := []struct {
		name  string
		pkg   *contract.BattlePackage
		ticks int
		want  map[int]string
	}{
		{"fleet_16v16 agents", allAgents(loadScenario(t, "fleet_16v16")), 300, map[int]string{1: "bc08f8934821b2af", 50: "e69208ec41b41e81", 100: "766d0cb09b44bd3e", 150: "94b0c2c53286123a", 200: "fffa70573711f0ee", 250: "d79aa1de5208246f", 300: "03fff8b5ec3ee2a7"}},
		{"fleet_4v4 agents", allAgents(loadScenario(t, "fleet_4v4")), 600, map[int]string{1: "d02f859ed5181c40", 50: "ae7ac3055eab7b2c", 100: "101196c3e56b79d6", 150: "52aa0877b7f0d9fc", 200: "8b23f7990e23ca83", 250: "2cc7d7b77f6e50ee", 300: "94960792b422e491", 350: "3fc07d1ca473ec2f", 400: "defc512700708eb5", 450: "40a5a29a307d63ea", 500: "19463a8b22e86f7b", 550: "9c9df375caadafb8", 600: "8f0be03b4bf5f00c"}},
		{"fleet_4v4 lightning and crits", stormy(allAgents(loadScenario(t, "fleet_4v4"))), 1000, map[int]string{1: "548d1b4d47645809", 50: "cb521a7414b4f75b", 100: "00b8e42556e9be1d", 150: "64e8dfbd447993ca", 200: "5db1beca3dc4acb7", 250: "05a693b8e3dbfcc8", 300: "478534e6fa7db9df", 350: "3f02b922bf68b16b", 400: "f2274ccaf9d5108a", 450: "86fad15ecf5312e5", 500: "3495a97b1adb4204", 550: "46055b3a682ca25d", 600: "4a018ea97b1e0e56", 650: "fa3c8acf56e6fa8a", 700: "308a6a5e4251f4f5", 750: "f32528ace6802eed", 800: "d969f98be9e3576b", 850: "8979f50cd46f6a50", 900: "3d91ec34bf47e65b", 950: "5625cea48ccc2bc7", 1000: "53ed8612f782d7fc"}},
		{"three teams", threeTeams(allAgents(loadScenario(t, "fleet_16v16"))), 400, map[int]string{1: "198a7b84d1fbbfa8", 50: "dbe2707caec2de21", 100: "77f4a8ff8f374515", 150: "987614720469f9e3", 200: "fb3e48f9a1153fd7", 250: "f840397f3ca25cba", 300: "519e906eb1e9f995", 350: "e8a814694f0cef82", 400: "99462d556d8abc2e"}},
		{"duel agents", allAgents(loadScenario(t, "duel")), 600, map[int]string{1: "645ac3d36f33a02a", 50: "2dbc629cea3cb1cc", 100: "6939f33fb3ce4cc4", 150: "04c064ea4e928aad", 200: "ba195e45233a621b", 250: "ab047d274851c4d6", 300: "a74452cf43e4de46", 350: "74641be81a3bd4f9", 400: "0f1cbf9b1543c278", 450: "68ebecb533075db9", 500: "e371378245d5f05f", 550: "0b68365fdb61c0be", 600: "a82af4e72ef7512f"}},
		{"patrol 200", patrolFleet(200), 100, map[int]string{1: "61dd3657afbc3907", 50: "55db720c3b4f9a14", 100: "7393b469aa86ff29"}},
		{"fleet_128v128 agents", allAgents(loadScenario(t, "fleet_128v128")), 150, map[int]string{1: "ba30f0d68d51d794", 50: "1aba704c2abe77e8", 100: "a885a715ea64b270", 150: "0945810c43337f89"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, c.pkg)
			got := map[int]string{}
			playRandom(t, w, c.ticks, 5, func(tick int) {
				if tick == 1 || tick%50 == 0 {
					got[tick] = fmt.Sprintf("%016x", w.Hash())
				}
			})
			for tick, h := range c.want {
				if got[tick] != h {
					t.Errorf("tick %d: state hash %s, want %s", tick, got[tick], h)
				}
			}
		})
	}
}
