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
		{"fleet_16v16 agents", allAgents(loadScenario(t, "fleet_16v16")), 300, map[int]string{1: "b8e3a15f4358eb4c", 50: "35f3b394c4c4f09f", 100: "9259b3d49305ae2e", 150: "e1ecef6a40c3572e", 200: "709e2ddf3ad9c9ab", 250: "751542bc8f868683", 300: "95960299c1031c30"}},
		{"fleet_4v4 agents", allAgents(loadScenario(t, "fleet_4v4")), 600, map[int]string{1: "e73cf1bae702deae", 50: "1f97c7a64983b9d7", 100: "a5663c6e5a8c0e92", 150: "dd3b324eae2a9efc", 200: "d9d4c7fbe75eabf3", 250: "3653f2a34a46cdf5", 300: "6d26e63067091932", 350: "93f2a31851796f58", 400: "185019a0b8d08450", 450: "1b31bf7c8e8a0ca3", 500: "32f1ee3a79f9986a", 550: "be94a51af994e6c1", 600: "5b0df786c2c22a42"}},
		{"fleet_4v4 lightning and crits", stormy(allAgents(loadScenario(t, "fleet_4v4"))), 1000, map[int]string{1: "d798fbc4c61176fc", 50: "94245d77fbd965e3", 100: "9a4ea9f68d4bd527", 150: "885896b648f34551", 200: "76eeebadbe93792b", 250: "48460fb7fad4e426", 300: "2a669ca5e94c8e75", 350: "02f00676716c1d58", 400: "3e197e40c4f083dd", 450: "e786b0a77c6116c8", 500: "6fc8f92ca1d0ae41", 550: "55d5b37c9b2dacae", 600: "671472e31dd18164", 650: "515fb97c946abe02", 700: "a1fc841b3971c1a5", 750: "90f2ce7561855c1b", 800: "5060925c7ce1d2df", 850: "0fd61650ff215f9f", 900: "62e27fc6fbdd4876", 950: "e788faa10e5829e5", 1000: "bf8ed7ae729f1ce3"}},
		{"three teams", threeTeams(allAgents(loadScenario(t, "fleet_16v16"))), 400, map[int]string{1: "aa9a9cebd9e65eef", 50: "8ea516042c7e71a8", 100: "7f0b25cba2443175", 150: "bee9d21a1d9227d4", 200: "20c22ac50360127d", 250: "ae07ccb121f8d70f", 300: "316f29baacce516d", 350: "3d172879072464b1", 400: "49ad4955e9a7775d"}},
		{"duel agents", allAgents(loadScenario(t, "duel")), 600, map[int]string{1: "0426d1d296ab832b", 50: "2a6423aa7d8b1382", 100: "22a333464e32ad52", 150: "9abff2f4d949c42b", 200: "6ace42989f6df74c", 250: "85231d4daedd6442", 300: "59061a0ba059bccf", 350: "840a1a3f45068c29", 400: "610478316b7804f8", 450: "a34d097f190c07be", 500: "c5c260ebc97acc83", 550: "951d27b741af50e6", 600: "1d7b1eb9ef939d67"}},
		{"patrol 200", patrolFleet(200), 100, map[int]string{1: "c2908d22d70def82", 50: "292fd75f4fcb1eba", 100: "e87e7b7950b635f5"}},
		{"fleet_128v128 agents", allAgents(loadScenario(t, "fleet_128v128")), 150, map[int]string{1: "635b3c865fc50c81", 50: "7b21876b702dc401", 100: "4da3547e73812688", 150: "972836f6d8070f75"}},
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
