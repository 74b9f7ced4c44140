package arena

import (
	"fmt"
	"math"
	"testing"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/rng"
)

// TestDetectedIsBernoulli checks that the table-decided draw answers as
// Bernoulli(detectProb(se)) does and leaves the stream where it does: at
// the table's points and beside them, across and beyond its range, and for
// curves from nearly a step to nearly flat.
func TestDetectedIsBernoulli(t *testing.T) {
	var ses []float64
	for k := -1; k <= 2*logitMax*logitSteps+1; k++ {
		g := float64(k)/logitSteps - logitMax // a table point, in units of the slope
		ses = append(ses, g, math.Nextafter(g, math.Inf(-1)), math.Nextafter(g, math.Inf(1)), g+0.5/logitSteps)
	}
	ses = append(ses, 0, math.Copysign(0, -1), 1e300, -1e300, math.Inf(1), math.Inf(-1), math.NaN())
	for _, slope := range []float64{1e-3, 0.5, 3, 7.3, 1000} {
		t.Run(fmt.Sprintf("slope=%g", slope), func(t *testing.T) {
			rules := contract.DefaultRules()
			rules.DetectionSlopeDB = slope
			w := &World{rules: &rules}
			for n, g := range ses {
				se := g * slope
				for seed := range uint64(64) {
					a, b := rng.New(seed*1000+uint64(n)), rng.New(seed*1000+uint64(n))
					got, want := w.detected(&a, se), b.Bernoulli(w.detectProb(se))
					if got != want || a != b {
						t.Fatalf("se %v (seed %d): detected %v, Bernoulli(detectProb) %v; streams equal: %v", se, seed, got, want, a == b)
					}
				}
			}
		})
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
