package dmath

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// ulpDiff returns the distance between a and b in units in the last place
// (the number of float64 values between them). Equal NaNs have distance 0.
func ulpDiff(a, b float64) uint64 {
	if a != a || b != b {
		if a != a && b != b {
			return 0
		}
		return math.MaxUint64
	}
	ord := func(x float64) int64 {
		i := int64(math.Float64bits(x))
		if i < 0 {
			i = math.MinInt64 - i // negative floats: reverse order
		}
		return i
	}
	d := ord(a) - ord(b)
	if d < 0 {
		d = -d
	}
	return uint64(d)
}

// sweep returns n evenly spaced points in [lo, hi].
func sweep(lo, hi float64, n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return xs
}

// randUniform returns n uniform points in [lo, hi) from a fixed seed.
func randUniform(seed uint64, lo, hi float64, n int) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = lo + (hi-lo)*r.Float64()
	}
	return xs
}

// randLog returns n points with log2|x| uniform in [e0, e1), random sign if signed.
func randLog(seed uint64, e0, e1 float64, signed bool, n int) []float64 {
	r := rand.New(rand.NewPCG(seed, 2))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = math.Exp2(e0 + (e1-e0)*r.Float64())
		if signed && r.IntN(2) == 0 {
			xs[i] = -xs[i]
		}
	}
	return xs
}

func concat(parts ...[]float64) []float64 {
	var out []float64
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// nearMultiples returns points close to multiples of m (hard cases for
// argument reduction).
func nearMultiples(m float64, kmax int) []float64 {
	var xs []float64
	for k := -kmax; k <= kmax; k++ {
		x := float64(k) * m
		for i := 0; i < 3; i++ {
			xs = append(xs, x)
			x = math.Nextafter(x, math.Inf(1))
		}
	}
	return xs
}

var angleInputs = concat(
	sweep(-10, 10, 200001),
	randUniform(1, -1e4, 1e4, 200000),
	randUniform(2, -2e6, 2e6, 50000),
	randLog(3, -30, 1023, true, 50000),
	nearMultiples(math.Pi/2, 6400),
	hardAngles,
)

type unaryCase struct {
	name   string
	f, ref func(float64) float64
	inputs []float64
	maxUlp uint64
}

// angleInputsModerate are the angle inputs with |x| <= 2^29 and a result not
// close to zero: there math.Sin/Cos use a 3-part Cody–Waite reduction that
// loses accuracy when x is near a multiple of π/2 (this package is exact
// there, see TestCorrectlyRounded), so the comparison is meaningful only
// away from those points.
var angleInputsModerate = func() []float64 {
	var out []float64
	for _, x := range angleInputs {
		if math.Abs(x) <= 0x1p29 && math.Abs(math.Sin(x)) > 1e-6 && math.Abs(math.Cos(x)) > 1e-6 {
			out = append(out, x)
		}
	}
	return out
}()

func TestAccuracyUnary(t *testing.T) {
	cases := []unaryCase{
		// math.Sin/Cos and math.Exp are themselves up to ~1 ulp from exact;
		// this package is within 1 ulp (TestCorrectlyRounded), so they may
		// differ by 2.
		{"Sin", Sin, math.Sin, angleInputsModerate, 2},
		{"Cos", Cos, math.Cos, angleInputsModerate, 2},
		{"Atan", Atan, math.Atan, concat(sweep(-20, 20, 200001), randLog(4, -40, 100, true, 200000)), 1},
		{"Exp", Exp, math.Exp, concat(sweep(-700, 700, 200001), randUniform(5, -700, 700, 200000), randLog(6, -60, 0, true, 50000)), 2},
		{"Log", Log, math.Log, concat(randLog(7, -1022, 997, false, 200000), sweep(0.5, 2, 200001), randUniform(8, 0.999, 1.001, 50000)), 1},
		{"Log10", Log10, math.Log10, concat(randLog(9, -1022, 997, false, 200000), sweep(0.5, 20, 200001)), 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var worst uint64
			var worstX float64
			for _, x := range c.inputs {
				if d := ulpDiff(c.f(x), c.ref(x)); d > worst {
					worst, worstX = d, x
				}
			}
			t.Logf("%s: max %d ulp vs math (at x=%v) over %d inputs", c.name, worst, worstX, len(c.inputs))
			if worst > c.maxUlp {
				t.Errorf("%s(%v) = %v, math gives %v: %d ulp > %d", c.name, worstX, c.f(worstX), c.ref(worstX), worst, c.maxUlp)
			}
		})
	}
}

type binaryCase struct {
	name   string
	f, ref func(x, y float64) float64
	xs, ys []float64
	maxUlp uint64
}

func TestAccuracyBinary(t *testing.T) {
	const n = 300000
	cases := []binaryCase{
		// math.Atan2 rounds y/x before the arctangent, math.Hypot (amd64
		// assembly) computes p*sqrt(1+(q/p)²): both are ~1 ulp, this package
		// < 1 ulp, so they may differ by 2.
		{"Atan2", Atan2, math.Atan2, randUniform(10, -10, 10, n), randUniform(11, -10, 10, n), 2},
		{"Atan2/wide", Atan2, math.Atan2, randLog(12, -1074, 1023, true, n), randLog(13, -1074, 1023, true, n), 2},
		{"Hypot", Hypot, math.Hypot, randUniform(14, -1e4, 1e4, n), randUniform(15, -1e4, 1e4, n), 2},
		{"Hypot/wide", Hypot, math.Hypot, randLog(16, -1074, 1023, true, n), randLog(17, -1074, 1023, true, n), 2},
		// math.Pow computes Exp(frac(y)*Log(x)) in plain float64 and
		// multiplies by x^int(y) with repeated squaring, so its error grows
		// with |y*log x| (tens of ulp here, thousands for large y); this
		// package's Pow is within 1 ulp of exact (TestCorrectlyRounded).
		{"Pow", Pow, math.Pow, randUniform(18, 0, 100, n), randUniform(19, -4, 4, n), 16},
		{"Pow/wide", Pow, math.Pow, randLog(20, -30, 30, false, n), randUniform(21, -1, 1, n), 32},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var worst uint64
			var wx, wy float64
			for i := range c.xs {
				if c.name == "Atan2/wide" && math.Abs(c.xs[i]/c.ys[i]) < 0x1p-1022 {
					continue // math.Atan2 returns +π instead of -π when y/x underflows
				}
				if d := ulpDiff(c.f(c.xs[i], c.ys[i]), c.ref(c.xs[i], c.ys[i])); d > worst {
					worst, wx, wy = d, c.xs[i], c.ys[i]
				}
			}
			t.Logf("%s: max %d ulp vs math (at %v, %v) over %d inputs", c.name, worst, wx, wy, len(c.xs))
			if worst > c.maxUlp {
				t.Errorf("%s(%v, %v) = %v, math gives %v: %d ulp > %d", c.name, wx, wy, c.f(wx, wy), c.ref(wx, wy), worst, c.maxUlp)
			}
		})
	}
}

// TestWrapAngle compares against an exact reduction modulo 2π in math/big.
func TestWrapAngleAccuracy(t *testing.T) {
	twoPi := newF().Mul(bigPi(), bigInt(2))
	pi := newF().Quo(twoPi, bigInt(2))
	ref := func(a float64) float64 {
		q := newF().Quo(bf(a), twoPi)
		n, _ := q.Int(nil) // truncated
		r := newF().Sub(bf(a), newF().Mul(newF().SetInt(n), twoPi))
		for r.Cmp(pi) > 0 {
			r.Sub(r, twoPi)
		}
		for r.Cmp(newF().Neg(pi)) <= 0 {
			r.Add(r, twoPi)
		}
		f := round53(r)
		if f > math.Pi || f <= -math.Pi {
			f = math.Pi
		}
		return f
	}
	inputs := concat(sweep(-20, 20, 2001), randUniform(30, -1e4, 1e4, 4000), randLog(31, -10, 300, true, 2000),
		nearMultiples(math.Pi, 50), []float64{math.Pi, -math.Pi, 3 * math.Pi, -3 * math.Pi, 2 * math.Pi})
	var worst uint64
	var wx float64
	for _, a := range inputs {
		got := WrapAngle(a)
		if !(got > -math.Pi && got <= math.Pi) {
			t.Fatalf("WrapAngle(%v) = %v outside (-π, π]", a, got)
		}
		if d := ulpDiff(got, ref(a)); d > worst && math.Abs(got) > 1e-300 {
			worst, wx = d, a
		}
	}
	t.Logf("WrapAngle: max %d ulp vs exact reduction (at %v)", worst, wx)
	if worst > 1 {
		t.Errorf("WrapAngle(%v) = %v, exact %v", wx, WrapAngle(wx), ref(wx))
	}
}

var _ = big.NewFloat
