package arena

import (
	"fmt"
	"math"
	"testing"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/rng"
)

// refSonar is the sonar rule as it reads, without shortcuts: the exact
// loss and probability, a Bernoulli draw, Q2 from a signal excess of
// sonarFireControlSE.
func refSonar(w *World, r *rng.Stream, dist, source, ambient, floor float64) int8 {
	se := source - w.transmissionLoss(dist) - ambient - floor
	if !r.Bernoulli(w.detectProb(se)) {
		return -1
	}
	if se >= sonarFireControlSE {
		return 2
	}
	return 1
}

// TestSonarDetectIsTheRule checks that detect's sonar, which decides most
// draws from bounds on the loss and a table of the curve, gives the
// rule's answer and leaves the stream where the rule's draw does: for
// signal excesses at, beside and between the table's points, near the Q2
// threshold, far beyond the table, and for curves from nearly a step to
// nearly flat.
func TestSonarDetectIsTheRule(t *testing.T) {
	var ses []float64 // signal excesses, in units of the slope
	for k := -1; k <= 2*logitMax*logitSteps+1; k++ {
		g := float64(k)/logitSteps - logitMax // a table point
		ses = append(ses, g, math.Nextafter(g, math.Inf(-1)), math.Nextafter(g, math.Inf(1)), g+0.5/logitSteps)
	}
	ses = append(ses, 0, 1e300, -1e300)
	ranges := []float64{0, 0.5, 1, 3, 255.9, 256, 1000, 1023.99, 3999.7, 12345.6}
	for _, slope := range []float64{1e-3, 0.5, 3, 7.3, 1000} {
		t.Run(fmt.Sprintf("slope=%g", slope), func(t *testing.T) {
			rules := contract.DefaultRules()
			rules.DetectionSlopeDB = slope
			w := &World{rules: &rules} // (no loss table: lossBetween works the loss out)
			s, tg := &Ship{ID: 1}, &Ship{ID: 2}
			draws := 0
			near := []float64{} // signal excesses within the loss bounds' width of the Q2 threshold
			for _, d := range []float64{0, 1e-9, 1e-4, 0.005, 0.02} {
				near = append(near, (sonarFireControlSE+d)/slope, (sonarFireControlSE-d)/slope)
			}
			for n, g := range append(ses, near...) {
				for q, r := range ranges {
					// The source level that puts the signal excess at g slopes.
					ambient, floor := 40.0, 3.0
					source := g*slope + w.transmissionLoss(r) + ambient + floor
					for seed := range uint64(16) {
						s.Sensor = rng.New(seed*100003 + uint64(n*len(ranges)+q))
						ref := s.Sensor
						got := w.detect(s, tg, Sonar, floor, r, 5000, ambient, source, false)
						want := refSonar(w, &ref, r, source, ambient, floor)
						if got.quality != want || s.Sensor != ref {
							t.Fatalf("se %v slopes at %v m (seed %d): detect gives quality %d, the rule %d; streams equal: %v",
								g, r, seed, got.quality, want, s.Sensor == ref)
						}
						draws++
					}
				}
			}
			if draws == 0 {
				t.Fatal("no draws compared")
			}
		})
	}
}

// TestHearsIsTheRule checks a sonar's draw to hear a torpedo against the
// rule: Bernoulli(detectProb(torpedo level − loss − ambient)).
func TestHearsIsTheRule(t *testing.T) {
	rules := contract.DefaultRules()
	w := &World{rules: &rules}
	for _, r := range []float64{0, 1, 10, 100, 999.9, 1000, 2047.5, 4000, 8000, 30000} {
		for ambient := 0.0; ambient <= 120; ambient += 0.37 {
			for seed := range uint64(4) {
				a := rng.New(seed)
				b := a
				got := w.hears(&a, r, ambient)
				want := b.Bernoulli(w.detectProb(rules.TorpedoNoiseDB - w.transmissionLoss(r) - ambient))
				if got != want || a != b {
					t.Fatalf("%v m, ambient %v (seed %d): hears %v, the rule %v; streams equal %v", r, ambient, seed, got, want, a == b)
				}
			}
		}
	}
}

// TestLossBounds checks that lossBounds brackets the transmission loss,
// tightly (within 0.05 dB) wherever the range is finite.
func TestLossBounds(t *testing.T) {
	rules := contract.DefaultRules()
	w := &World{rules: &rules}
	rs := []float64{0, math.Copysign(0, -1), -3, 1e-300, 0.5, 1, math.Nextafter(1, 2), 1.5, 2, math.Nextafter(2, 0), 1000, 4096, 12345.678, 1e6, 1e300, math.MaxFloat64}
	for k := range 4000 {
		rs = append(rs, math.Pow(1.0037, float64(k))) // 1 m to about 2·10⁶ m, mantissas all over
	}
	for _, r := range rs {
		lo, hi := w.lossBounds(r)
		exact := w.transmissionLoss(r)
		if !(lo <= exact && exact <= hi) || hi-lo > 0.05 {
			t.Fatalf("lossBounds(%v) = [%v, %v], the loss is %v", r, lo, hi, exact)
		}
	}
	for _, r := range []float64{math.Inf(1), math.NaN()} {
		if lo, hi := w.lossBounds(r); !math.IsInf(lo, -1) || !math.IsInf(hi, 1) {
			t.Errorf("lossBounds(%v) = [%v, %v], want no bound", r, lo, hi)
		}
	}
}

// TestLogisticTableDecidesMostDraws checks that between any two
// neighbouring table points the curve rises by at most 1/(4·logitSteps)
// (its slope is at most 1/4), so that a uniform draw needs the exact
// probability at most that often.
func TestLogisticTableDecidesMostDraws(t *testing.T) {
	for k := 0; k+1 < len(logisticLo); k++ {
		if gap := logisticHi[k+1] - logisticLo[k]; gap <= 0 || gap > 1.0/(4*logitSteps)+1e-9 {
			t.Fatalf("table points %d and %d: the undecided band is %v wide", k, k+1, gap)
		}
	}
}
