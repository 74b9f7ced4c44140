package arena

import (
	"fmt"
	"testing"

	"github.com/tidebreak/tidebreak/go/core/contract"
)

// idleFleet is n idle corvettes (full sensors and weapons) in two teams,
// spread over a square map.
func idleFleet(n int) *contract.BattlePackage {
	p := contract.DefaultPackage()
	p.BattleID, p.Seed = fmt.Sprintf("idle-%d", n), 1
	p.Map.Bounds = contract.Bounds{MaxX: 40000, MaxY: 40000}
	p.Teams = []contract.Team{{TeamID: "a"}, {TeamID: "b"}}
	for i := 0; i < n; i++ {
		s := corvette("idle")
		s.ShipID = fmt.Sprintf("s%d", i)
		s.TeamID = p.Teams[i%2].TeamID
		s.InitialState.X = 1000 + float64(i%20)*1900
		s.InitialState.Y = 1000 + float64(i/20)*1900
		p.Ships = append(p.Ships, s)
	}
	return &p
}

func benchTicks(b *testing.B, p *contract.BattlePackage) {
	w, err := New(p, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := w.Step(nil); err != nil {
			w.Reset(w.Seed)
		}
	}
}

// BenchmarkTickIdle measures one tick of n idle ships with all sensors on.
func BenchmarkTickIdle(b *testing.B) {
	for _, n := range []int{2, 32, 200} {
		b.Run(fmt.Sprintf("ships=%d", n), func(b *testing.B) { benchTicks(b, idleFleet(n)) })
	}
}

// BenchmarkTickScenario measures one tick of shipped scenarios, in combat.
func BenchmarkTickScenario(b *testing.B) {
	for _, name := range []string{"duel", "fleet_4v4", "fleet_16v16"} {
		b.Run(name, func(b *testing.B) { benchTicks(b, loadScenario(b, name)) })
	}
}

// BenchmarkSimulateDuel runs a whole duel (up to 600 ticks) per iteration,
// including building the world and the result.
func BenchmarkSimulateDuel(b *testing.B) {
	p := loadScenario(b, "duel")
	b.ReportAllocs()
	ticks := 0
	for i := 0; i < b.N; i++ {
		p.Seed = uint64(i%50 + 1)
		w, err := New(p, Options{RecordLog: true})
		if err != nil {
			b.Fatal(err)
		}
		r := w.Run()
		ticks += int(r.DurationS)
	}
	b.ReportMetric(float64(ticks)/float64(b.N), "ticks/battle")
}

// BenchmarkTickCoupled measures a duel tick with MorphoSpace coupling on
// (noise stamps, a storm cell, sonar reading the field), without and with
// foveated observations for both ships.
func BenchmarkTickCoupled(b *testing.B) {
	for _, fov := range []bool{false, true} {
		b.Run(fmt.Sprintf("foveated=%v", fov), func(b *testing.B) {
			p := loadScenario(b, "duel")
			cfg := DefaultFieldsConfig()
			st := defaultStorm()
			st.Start, st.Velocity = contract.Vec2{6000, 0}, contract.Vec2{0, 20}
			cfg.Storm = &st
			if fov {
				p.Ships[0].Controller, p.Ships[1].Controller = "agent", "agent"
				cfg.Foveated = &FoveatedConfig{Field: "noise", Shells: []float64{500, 1500, 4000}, Sectors: 8}
			}
			w, err := New(p, Options{Fields: &cfg})
			if err != nil {
				b.Fatal(err)
			}
			stepObserved(b, w)
		})
	}
}

// BenchmarkTickCoupledMoving is BenchmarkTickCoupled/foveated=true with
// both agents under way, as BenchmarkTickUncoupledMoving.
func BenchmarkTickCoupledMoving(b *testing.B) {
	p := allAgents(loadScenario(b, "duel"))
	cfg := DefaultFieldsConfig()
	st := defaultStorm()
	st.Start, st.Velocity = contract.Vec2{6000, 0}, contract.Vec2{0, 20}
	cfg.Storm = &st
	cfg.Foveated = &FoveatedConfig{Field: "noise", Shells: []float64{500, 1500, 4000}, Sectors: 8}
	w, err := New(p, Options{Fields: &cfg})
	if err != nil {
		b.Fatal(err)
	}
	stepObservedActing(b, w, 0.6, 0.1)
}

// BenchmarkHash times the state hash (every tick of a World that records
// its log, and every reset) mid-battle.
func BenchmarkHash(b *testing.B) {
	for _, name := range []string{"duel", "fleet_4v4", "fleet_16v16"} {
		b.Run(name, func(b *testing.B) {
			w, err := New(loadScenario(b, name), Options{})
			if err != nil {
				b.Fatal(err)
			}
			for range 100 {
				w.step(nil)
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = w.Hash()
			}
		})
	}
}
