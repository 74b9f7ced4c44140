package arena

import (
	"fmt"
	"testing"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/rng"
)

// slowSensors makes every other ship's sensors update every second or third
// tick: those ships have no steady sensor plan.
func slowSensors(p *contract.BattlePackage) *contract.BattlePackage {
	for i := range p.Ships {
		for k := range p.Ships[i].Sensors {
			if i%2 == 0 {
				p.Ships[i].Sensors[k].UpdateEveryTicks = 2 + k%2
			}
		}
	}
	return p
}

// withWeather sets the package's precipitation and fog.
func withWeather(p *contract.BattlePackage, precip string, fog bool) *contract.BattlePackage {
	p.Map.Weather.Precipitation, p.Map.Weather.Fog = precip, fog
	return p
}

// playTwins steps a and b for ticks ticks (or until a battle ends) under the
// same seeded random actions and requires the same state hash after each.
func playTwins(t *testing.T, a, b *World, ticks int, seed uint64) {
	t.Helper()
	r := rng.New(seed)
	act := make([]float32, ActionSize*len(a.Agents))
	for tick := 1; tick <= ticks; tick++ {
		stepTwins(t, a, b, randomActions(&r, act), fmt.Sprintf("seed %d tick %d", seed, tick))
		if done, _ := a.Done(); done {
			return
		}
	}
}

// randomActions fills act with uniform draws in [-1, 1) from r.
func randomActions(r *rng.Stream, act []float32) []float32 {
	for i := range act {
		act[i] = float32(r.Uniform(-1, 1))
	}
	return act
}

// stepTwins steps a and b with the same actions and requires the same
// state hash after (at names the step in the message).
func stepTwins(t *testing.T, a, b *World, act []float32, at string) {
	t.Helper()
	if err := a.Step(act); err != nil {
		t.Fatal(err)
	}
	if err := b.Step(act); err != nil {
		t.Fatal(err)
	}
	if ha, hb := a.Hash(), b.Hash(); ha != hb {
		t.Fatalf("%s: state hash %x, want %x", at, hb, ha)
	}
}

// TestSensorPlansMatchBruteForce plays battles with the sensor plans
// (planSensors) and with every range and noise worked out each tick
// (World.bruteForce), across resets whose randomized weather differs and
// across a Load into a World that had another weather, and requires the
// same state hash after every tick.
func TestSensorPlansMatchBruteForce(t *testing.T) {
	cases := []struct {
		name    string
		pkg     *contract.BattlePackage
		planned bool // the battle's ranges do not vary by place
	}{
		{"fleet_16v16 agents", allAgents(loadScenario(t, "fleet_16v16")), true},
		{"fleet_16v16 slow sensors, rain", slowSensors(withWeather(allAgents(loadScenario(t, "fleet_16v16")), contract.PrecipRain, false)), true},
		{"fleet_4v4 storm, fog", withWeather(allAgents(loadScenario(t, "fleet_4v4")), contract.PrecipStorm, true), true},
		{"sub_duel", allAgents(loadScenario(t, "sub_duel")), true},
		{"stage4: sensor interference", allAgents(loadScenario(t, "stage4")), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fast, err := New(c.pkg, Options{})
			if err != nil {
				t.Fatal(err)
			}
			slow, _ := New(c.pkg, Options{})
			slow.bruteForce = true
			if got := fast.plans != nil; got != c.planned {
				t.Fatalf("planned %v, want %v", got, c.planned)
			}
			seas := map[int]bool{}
			for seed := uint64(1); seed <= 4; seed++ {
				fast.Reset(seed)
				slow.Reset(seed)
				seas[fast.env.weather.SeaState] = true
				playTwins(t, fast, slow, 60, seed)
			}
			if c.planned && len(seas) < 2 {
				t.Fatalf("the resets kept sea state %v: the plans were not tested across weathers", seas)
			}

			// Load replans: a World in another weather takes the saved one's.
			blob, err := fast.Save()
			if err != nil {
				t.Fatal(err)
			}
			other, _ := New(c.pkg, Options{})
			other.Reset(fast.Seed + 1)
			if err := other.Load(blob); err != nil {
				t.Fatal(err)
			}
			playTwins(t, fast, other, 40, 99)
		})
	}
}
