package arena

import (
	"math"

	"github.com/tidebreak/tidebreak/go/core/dmath"
	"github.com/tidebreak/tidebreak/go/core/rng"
)

// A sonar's detection is a draw u < detectProb(se), with u uniform. Most
// draws are decided without working the probability out (decide): the logistic
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

// decide reports whether u < detectProb(se) for every se in [lo, hi], as
// far as the table tells: sure is false when u falls between the table's
// bounds of the curve over that span, and only the exact probability
// decides.
func (w *World) decide(u, lo, hi float64) (seen, sure bool) {
	const top = 2 * logitMax * logitSteps
	slope := w.rules.DetectionSlopeDB
	if f := float64(lo/slope+logitMax) * logitSteps; f >= 0 && f < top && u < logisticLo[int(f)] {
		return true, true
	}
	if f := float64(hi/slope+logitMax) * logitSteps; f >= 0 && f < top && u >= logisticHi[int(f)+1] {
		return false, true
	}
	return false, false
}

// A sonar's signal excess needs the transmission loss, whose logarithm
// costs as much as the rest of the detection. Most draws are decided by
// bounds on it instead: log10 r is e·log10 2 plus log10 of r's mantissa,
// which lies between the table's values at the mantissa's first eight
// bits and the next; the loss is then known within about 0.03 dB.
const (
	mantBits = 8
	// log10Slack widens the bounds on log10 r: dmath.Log10 and the sum
	// e·log10 2 + log10 m are within a few ulp of the truth (below 1e-13
	// for any double), so 1e-10 covers both a thousand times over.
	log10Slack = 1e-10
	log10Two   = 0.30102999566398119521373889472449302676818988146210854131
)

// log10Mant is dmath.Log10(1 + i/2⁸) for i = 0..2⁸: a read-only table,
// an array so that lossBounds's indices, masked to 8 bits, need no check.
var log10Mant = func() (t [1<<mantBits + 1]float64) {
	for i := range t {
		t[i] = dmath.Log10(1 + float64(i)/(1<<mantBits))
	}
	return t
}()

// lossBounds returns lo <= w.transmissionLoss(r) <= hi, worked out
// without a logarithm. (The loss rises with log10 r, and rounding keeps
// the order of its terms, so bounds on the logarithm bound it.)
func (w *World) lossBounds(r float64) (lo, hi float64) {
	x := r // max(r, 1), as transmissionLoss takes it: a NaN stays NaN, -0 becomes 1
	if x < 1 {
		x = 1
	}
	if !(x <= math.MaxFloat64) { // (+Inf or NaN)
		return math.Inf(-1), math.Inf(1) // (nothing to bound: the exact loss decides)
	}
	b := math.Float64bits(x)
	e := float64(int(b>>52) - 1023) // (x >= 1: positive, normal)
	m := b >> (52 - mantBits) & (1<<mantBits - 1)
	base := float64(e * log10Two)
	absorb := float64(w.rules.SonarAbsorptionDBKm * r / 1000)
	lo = float64(20*(base+log10Mant[m]-log10Slack)) + absorb
	hi = float64(20*(base+log10Mant[m+1]+log10Slack)) + absorb
	return lo, hi
}

// hears is a sonar's draw to hear a torpedo at range rng over ambient
// noise: r.Bernoulli(w.detectProb(TorpedoNoiseDB − loss − ambient)), the
// loss worked out only when its bounds do not decide.
func (w *World) hears(r *rng.Stream, rng, ambient float64) bool {
	lossLo, lossHi := w.lossBounds(rng)
	level := w.rules.TorpedoNoiseDB
	u := r.Float64()
	if seen, sure := w.decide(u, level-lossHi-ambient, level-lossLo-ambient); sure {
		return seen
	}
	return u < w.detectProb(level-w.transmissionLoss(rng)-ambient)
}
