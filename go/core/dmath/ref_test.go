package dmath

import (
	"math"
	"math/big"
	"sync"
	"testing"
)

// Correctly rounded references computed with math/big, used to measure the
// true error of this package (the math package is itself only accurate to
// about one ulp, and on some platforms less: on amd64 math.Exp overflows
// early and math.Log mishandles subnormals).

const refPrec = 240

var (
	piOnce sync.Once
	bigPiV *big.Float // π to 1600 bits
	bigLn2 *big.Float // ln 2 to 1600 bits
)

func refConsts() {
	piOnce.Do(func() {
		old := bigPrec
		bigPrec = 1600
		bigPiV = bigPi()
		bigLn2 = bigAtanh(newF().Quo(bigInt(1), bigInt(3)))
		bigLn2.Mul(bigLn2, bigInt(2))
		bigPrec = old
	})
}

// withPrec runs f with the big helpers at precision p.
func withPrec(p uint, f func()) {
	refConsts()
	old := bigPrec
	bigPrec = p
	defer func() { bigPrec = old }()
	f()
}

// roundInt returns v rounded to the nearest integer.
func roundInt(v *big.Float) *big.Int {
	t := newF().Add(v, newF().SetFloat64(0.5))
	if v.Sign() < 0 {
		t.Sub(v, newF().SetFloat64(0.5))
	}
	n, _ := t.Int(nil)
	return n
}

// bigSinCos returns sin and cos of the float64 x.
func bigSinCos(x float64) (s, c float64) {
	p := uint(refPrec)
	if e := math.Ilogb(x); e > 0 {
		p += uint(e)
	}
	withPrec(p, func() {
		pio2 := newF().Quo(bigPiV, bigInt(2))
		k := roundInt(newF().Quo(bf(x), pio2))
		r := newF().Sub(bf(x), newF().Mul(newF().SetInt(k), pio2))
		// Taylor series of sin r and cos r.
		sn, cs := newF().Set(r), bigInt(1)
		term := bigInt(1)
		tiny := bigTiny()
		for n := int64(1); ; n++ {
			term.Mul(term, r)
			term.Quo(term, bigInt(n))
			if newF().Abs(term).Cmp(tiny) < 0 && n > 2 {
				break
			}
			switch n % 4 {
			case 1:
				if n > 1 {
					sn.Add(sn, term)
				}
			case 2:
				cs.Sub(cs, term)
			case 3:
				sn.Sub(sn, term)
			case 0:
				cs.Add(cs, term)
			}
		}
		q := new(big.Int).And(k, big.NewInt(3)).Int64()
		sv, cv := round53(sn), round53(cs)
		switch q {
		case 0:
			s, c = sv, cv
		case 1:
			s, c = cv, -sv
		case 2:
			s, c = -sv, -cv
		default:
			s, c = -cv, sv
		}
	})
	return s, c
}

func bigExpGeneral(v *big.Float) *big.Float {
	k := roundInt(newF().Quo(v, bigLn2))
	r := newF().Sub(v, newF().Mul(newF().SetInt(k), bigLn2))
	e := bigExp(r)
	return e.SetMantExp(e, int(k.Int64()))
}

func bigLogGeneral(x float64) *big.Float {
	m := newF()
	e := bf(x).MantExp(m) // x = m * 2^e, m in [0.5, 1)
	l := bigLog(m)
	return l.Add(l, newF().Mul(bigInt(int64(e)), bigLn2))
}

func refExp(x float64) (r float64) {
	withPrec(refPrec, func() { r = round53(bigExpGeneral(bf(x))) })
	return
}

func refLog(x float64) (r float64) {
	withPrec(refPrec, func() { r = round53(bigLogGeneral(x)) })
	return
}

func refLog10(x float64) (r float64) {
	withPrec(refPrec, func() {
		ln10 := bigAtanh(newF().Quo(bigInt(1), bigInt(9)))
		ln10.Mul(ln10, bigInt(2))
		ln10.Add(ln10, newF().Mul(bigLn2, bigInt(3)))
		r = round53(newF().Quo(bigLogGeneral(x), ln10))
	})
	return
}

// refPow handles x > 0 or x < 0 with integer y, finite non-overflowing cases.
func refPow(x, y float64) (r float64) {
	withPrec(refPrec, func() {
		l := bigLogGeneral(math.Abs(x))
		r = round53(bigExpGeneral(l.Mul(l, bf(y))))
		if x < 0 && isOddInt(y) {
			r = -r
		}
	})
	return
}

func bigAtanAny(v *big.Float) *big.Float {
	a := newF().Abs(v)
	var r *big.Float
	if a.Cmp(bigInt(1)) <= 0 {
		r = bigAtan(a)
	} else {
		r = bigAtan(newF().Quo(bigInt(1), a))
		r.Sub(newF().Quo(bigPiV, bigInt(2)), r)
	}
	if v.Sign() < 0 {
		r.Neg(r)
	}
	return r
}

func refAtan(x float64) (r float64) {
	withPrec(refPrec, func() { r = round53(bigAtanAny(bf(x))) })
	return
}

func refAtan2(y, x float64) (r float64) {
	p := refPrec + uint(max(math.Ilogb(y)-math.Ilogb(x), math.Ilogb(x)-math.Ilogb(y)))
	withPrec(p, func() { // the quotient may span the whole exponent range
		a := bigAtanAny(newF().Quo(bf(math.Abs(y)), bf(math.Abs(x))))
		if x < 0 {
			a.Sub(bigPiV, a)
		}
		if y < 0 {
			a.Neg(a)
		}
		r = round53(a)
	})
	return
}

func refHypot(x, y float64) (r float64) {
	withPrec(refPrec+2200, func() {
		s := newF().Mul(bf(x), bf(x))
		s.Add(s, newF().Mul(bf(y), bf(y)))
		r = round53(s.Sqrt(s))
	})
	return
}

// hardAngles are arguments very close to multiples of π/2, where
// argument reduction loses the most bits (the first is the double closest
// to a multiple of π/2).
var hardAngles = []float64{5.319372648326541e+255, 5830.795965062656, 1e22, 6381956970095103 * 0x1p797,
	math.MaxFloat64, 1572864, 1572863.9999999998, 355, 103993, 104348, 833719}

// every returns every k-th element of xs.
func every(xs []float64, k int) []float64 {
	var out []float64
	for i := 0; i < len(xs); i += k {
		out = append(out, xs[i])
	}
	return out
}

// TestCorrectlyRounded measures the error against math/big references on a
// subsample of the accuracy inputs. All functions are within 1 ulp of the
// exact result (faithfully rounded).
// smallAngles covers SinCosSmall's series range |x| <= 1/16, its edges and
// a few larger angles (handed to SinCos).
var smallAngles = concat(
	sweep(-0x1p-4, 0x1p-4, 2001),
	randLog(48, -40, -4, true, 2000),
	[]float64{0x1p-4, math.Nextafter(0x1p-4, 1), 0.0625001, -0.5, 3},
)

func TestCorrectlyRounded(t *testing.T) {
	if testing.Short() {
		t.Skip("slow math/big references")
	}
	sinR := func(x float64) float64 { s, _ := bigSinCos(x); return s }
	cosR := func(x float64) float64 { _, c := bigSinCos(x); return c }
	unary := []unaryCase{
		{"Sin", Sin, sinR, concat(every(angleInputs, 97), nearMultiples(math.Pi/2, 200), every(randLog(40, 20, 1023, true, 3000), 3), hardAngles), 1},
		{"Cos", Cos, cosR, concat(every(angleInputs, 97), nearMultiples(math.Pi/2, 200), every(randLog(41, 20, 1023, true, 3000), 3), hardAngles), 1},
		{"Atan", Atan, refAtan, concat(sweep(-20, 20, 2001), randLog(42, -40, 100, true, 2000)), 1},
		{"Exp", Exp, refExp, concat(sweep(-745, 709.7, 2001), randUniform(43, -745, 709.78, 2000), randLog(44, -60, 0, true, 1000)), 1},
		{"Log", Log, refLog, concat(randLog(45, -1074, 1024, false, 3000), randUniform(46, 0.99, 1.01, 2000)), 1},
		{"Log10", Log10, refLog10, concat(randLog(47, -1074, 1024, false, 2000), []float64{10, 100, 1000, 1e22}), 1},
		{"SinCosSmall.sin", func(x float64) float64 { s, _ := SinCosSmall(x); return s }, sinR, smallAngles, 1},
		{"SinCosSmall.cos", func(x float64) float64 { _, c := SinCosSmall(x); return c }, cosR, smallAngles, 1},
	}
	for _, c := range unary {
		t.Run(c.name, func(t *testing.T) {
			var worst uint64
			var wx float64
			for _, x := range c.inputs {
				if d := ulpDiff(c.f(x), c.ref(x)); d > worst {
					worst, wx = d, x
				}
			}
			t.Logf("%s: max %d ulp vs exact over %d inputs (at %v)", c.name, worst, len(c.inputs), wx)
			if worst > c.maxUlp {
				t.Errorf("%s(%v) = %v, exact %v", c.name, wx, c.f(wx), c.ref(wx))
			}
		})
	}
	const n = 3000
	binary := []binaryCase{
		{"Atan2", Atan2, refAtan2, randUniform(50, -10, 10, n), randUniform(51, -10, 10, n), 1},
		{"Atan2/wide", Atan2, refAtan2, randLog(52, -1074, 1023, true, n), randLog(53, -1074, 1023, true, n), 1},
		{"Hypot", Hypot, refHypot, randLog(54, -1074, 1023, true, n), randLog(55, -1074, 1023, true, n), 1},
		{"Hypot/close", Hypot, refHypot, randLog(56, -20, 20, true, n), randLog(56, -20, 20, true, n), 1},
		{"Pow", Pow, refPow, randUniform(57, 0, 100, n), randUniform(58, -50, 50, n), 1},
		{"Pow/wide", Pow, refPow, randLog(59, -30, 30, false, n), randUniform(60, -20, 20, n), 1},
		{"Pow/near1", Pow, refPow, randUniform(61, 0.99, 1.01, n), randLog(62, 0, 16, true, n), 1},
	}
	for _, c := range binary {
		t.Run(c.name, func(t *testing.T) {
			var worst uint64
			var wx, wy float64
			for i := range c.xs {
				if d := ulpDiff(c.f(c.xs[i], c.ys[i]), c.ref(c.xs[i], c.ys[i])); d > worst {
					worst, wx, wy = d, c.xs[i], c.ys[i]
				}
			}
			t.Logf("%s: max %d ulp vs exact over %d inputs (at %v, %v)", c.name, worst, len(c.xs), wx, wy)
			if worst > c.maxUlp {
				t.Errorf("%s(%v, %v) = %v, exact %v", c.name, wx, wy, c.f(wx, wy), c.ref(wx, wy))
			}
		})
	}
}
