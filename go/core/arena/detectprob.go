package arena

import (
	"github.com/tidebreak/tidebreak/go/core/dmath"
	"github.com/tidebreak/tidebreak/go/core/rng"
)

// A sonar's detection is a draw u < detectProb(se), with u uniform. Most
// draws are decided without working the probability out: the logistic
// curve rises with se, so between two points of a table of it the
// probability lies between their values, and a u below the lower one or
// above the upper one decides the draw as the exact probability would. Only
// a u that falls between them (about one draw in thirty) pays for Exp. The
// stream draws the same u either way, so the results are the same bits.
const (
	logitMax   = 64 // the table covers se/slope in [-logitMax, logitMax]
	logitSteps = 8  // table points per unit of se/slope
	// logitSlack widens each table value by this fraction. The curve as
	// detectProb computes it differs from the true one by a few ulp (about
	// 1e-15); the index of a point, worked out in floating point, can be
	// off by as little (and the curve's relative slope is below 1), so the
	// slack, about 1e-12, covers both a thousand times over.
	logitSlack = 1.0 / (1 << 40)
)

// logisticLo and logisticHi are detectProb at se/slope = k/logitSteps −
// logitMax, less and more the slack: read-only tables built once.
var logisticLo, logisticHi = logisticTable()

func logisticTable() (lo, hi []float64) {
	n := 2*logitMax*logitSteps + 1
	lo, hi = make([]float64, n), make([]float64, n)
	for k := range n {
		t := float64(k)/logitSteps - logitMax // (exact: k/8 and the sum are representable)
		p := 1 / (1 + dmath.Exp(-t))
		lo[k], hi[k] = float64(p*(1-logitSlack)), float64(p*(1+logitSlack))
	}
	return lo, hi
}

// detected is r.Bernoulli(w.detectProb(se)): it draws the same number and
// returns the same answer, working the probability out only when the
// table cannot decide.
func (w *World) detected(r *rng.Stream, se float64) bool {
	u := r.Float64()
	if f := float64(se/w.rules.DetectionSlopeDB+logitMax) * logitSteps; f >= 0 && f < 2*logitMax*logitSteps {
		k := int(f)
		if u < logisticLo[k] {
			return true
		}
		if u >= logisticHi[k+1] {
			return false
		}
	}
	return u < w.detectProb(se)
}
