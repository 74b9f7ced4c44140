package arena

import (
	"fmt"
	"math"
	"testing"

	"github.com/tidebreak/tidebreak/go/core/contract"
)

// fleetSpacing is the distance (m) between neighbouring ships of
// patrolFleet: one ship per 50 km², fleet_16v16's density.
const fleetSpacing = 7071.0

// patrolFleet is n patrolling corvettes (radar, eyes, sonar, gun, ASW) of
// two teams on a square grid fleetSpacing apart, the map growing with n so
// that the density is the same at every size. Neighbours alternate teams,
// so every ship has enemies and friends within sensor range.
func patrolFleet(n int) *contract.BattlePackage {
	p := contract.DefaultPackage()
	p.BattleID, p.Seed = fmt.Sprintf("patrol-%d", n), 1
	side := int(math.Ceil(math.Sqrt(float64(n))))
	size := float64(side) * fleetSpacing
	p.Map.Bounds = contract.Bounds{MaxX: size, MaxY: size}
	p.Teams = []contract.Team{{TeamID: "a"}, {TeamID: "b"}}
	for i := 0; i < n; i++ {
		s := corvette("patrol")
		s.ShipID = fmt.Sprintf("s%d", i)
		s.TeamID = p.Teams[(i+i/side)%2].TeamID
		s.InitialState.X = (float64(i%side) + 0.5) * fleetSpacing
		s.InitialState.Y = (float64(i/side) + 0.5) * fleetSpacing
		s.InitialState.Speed = 5
		p.Ships = append(p.Ships, s)
	}
	return &p
}

// BenchmarkTickFleet measures one tick of n patrolling corvettes at
// constant density (patrolFleet), n = 2 … 1024, and reports the cost per
// ship. A tick whose work per ship depends only on what is near the ship
// costs about the same per ship at every size.
func BenchmarkTickFleet(b *testing.B) {
	for _, n := range []int{2, 8, 32, 128, 512, 1024} {
		b.Run(fmt.Sprintf("ships=%d", n), func(b *testing.B) {
			w, err := New(patrolFleet(n), Options{})
			if err != nil {
				b.Fatal(err)
			}
			for range 30 { // past the first contacts and the tracks' first growth
				if err := w.Step(nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := w.Step(nil); err != nil {
					w.Reset(w.Seed)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/ship")
		})
	}
}

// BenchmarkTickBattle measures one tick of the shipped fleet battles from
// their start (a battle that ends starts again).
func BenchmarkTickBattle(b *testing.B) {
	for _, name := range []string{"fleet_16v16", "fleet_128v128", "fleet_512v512"} {
		b.Run(name, func(b *testing.B) { benchTicks(b, loadScenario(b, name)) })
	}
}

// BenchmarkTickUncoupled is BenchmarkTickCoupled/foveated=true without the
// fields: a duel of two agents (zero actions), each tick observed. The
// ratio of the two is the cost of the coupling.
func BenchmarkTickUncoupled(b *testing.B) {
	p := loadScenario(b, "duel")
	p.Ships[0].Controller, p.Ships[1].Controller = "agent", "agent"
	w, err := New(p, Options{})
	if err != nil {
		b.Fatal(err)
	}
	stepObserved(b, w)
}

// BenchmarkTickUncoupledMoving is BenchmarkTickUncoupled with both agents
// under way (throttle 0.6, rudder 0.1: wide circles), the twin of
// BenchmarkTickCoupledMoving. Under zero actions the duel's ships stop
// within about 20 ticks, so the field stamps stand still: a case that
// training, where ships move, rarely meets.
func BenchmarkTickUncoupledMoving(b *testing.B) {
	p := loadScenario(b, "duel")
	p.Ships[0].Controller, p.Ships[1].Controller = "agent", "agent"
	w, err := New(p, Options{})
	if err != nil {
		b.Fatal(err)
	}
	stepObservedActing(b, w, 0.6, 0.1)
}

// stepObserved times ticks of w under zero actions, each observed.
func stepObserved(b *testing.B, w *World) { stepObservedActing(b, w, 0, 0) }

// stepObservedActing times ticks of w with every agent at the given
// throttle and rudder, each tick observed.
func stepObservedActing(b *testing.B, w *World, throttle, rudder float32) {
	obs := make([]float32, w.ObsSize()*len(w.Agents))
	mask := make([]float32, MaskSize*len(w.Agents))
	acts := make([]float32, ActionSize*len(w.Agents))
	for i := range w.Agents {
		acts[i*ActionSize+ActThrottle], acts[i*ActionSize+ActRudder] = throttle, rudder
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := w.Step(acts); err != nil {
			w.Reset(w.Seed)
		}
		_ = w.Observe(obs, mask)
	}
}
