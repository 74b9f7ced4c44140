package dmath

import "math"

// Exponential: x = k*ln2/32 + r with |r| <= ln2/64 (Cody–Waite, ln2/32 split
// as ln2Hi/32 + ln2Lo/32 where k*ln2Hi is exact), k = 32m + j, and
// exp x = 2^m * 2^(j/32) * exp r, with 2^(j/32) from a double-double table
// and exp r - 1 from its Taylor series.

// Taylor coefficients of (exp r - 1 - r)/r² for |r| <= ln2/64.
const (
	e0 = 1.0 / 2
	e1 = 1.0 / 6
	e2 = 1.0 / 24
	e3 = 1.0 / 120
	e4 = 1.0 / 720
)

// expOverflow is the float64 nearest 1024*ln2; Exp overflows above it.
const expOverflow = 0x1.62e42fefa39efp+9

// expDD returns exp(xh + xl) for |xh| <= 746, |xl| <= 2^-40.
func expDD(xh, xl float64) float64 {
	kf := roundEven(float64(xh * invLn2x32))
	k := int(kf)
	rh := xh - float64(kf*ln2Hi32) // exact
	r := rh + (xl - float64(kf*ln2Lo32))
	p := float64(e4*r) + e3
	p = float64(p*r) + e2
	p = float64(p*r) + e1
	p = float64(p*r) + e0
	p = r + float64(float64(r*r)*p) // exp r - 1
	j := k & 31
	m := k >> 5 // floor(k/32)
	th, tl := exp2Tab[j][0], exp2Tab[j][1]
	y := th + (tl + float64(th*p))
	return scale2(y, m)
}

// scale2 returns y * 2^m with a single rounding, for 0.5 <= y < 4 and
// -1100 < m < 1100.
func scale2(y float64, m int) float64 {
	switch {
	case m > 1023:
		return float64(float64(y*pow2(1023)) * pow2(m-1023))
	case m < -1022:
		return float64(float64(y*pow2(m+64)) * 0x1p-64)
	}
	return float64(y * pow2(m))
}

// Exp returns e**x, the base-e exponential of x.
//
// Special cases are: Exp(+Inf) = +Inf, Exp(NaN) = NaN, Exp(-Inf) = 0.
// Very large values overflow to +Inf; very small values underflow to 0.
func Exp(x float64) float64 {
	switch {
	case x != x:
		return x
	case x > expOverflow:
		return math.Inf(1)
	case x < -746:
		return 0
	}
	return expDD(x, 0)
}

// Logarithm: x = 2^e * m with m in [√2/2, √2), m ≈ c = j/128, and with
// invc the float64 nearest 128/j, m*invc = 1 + z exactly (as a
// double-double), |z| < 2^-7.5, so
// log x = e*ln2 - log(invc) + log1p(z), with -log(invc) tabulated as a
// double-double and log1p z from its Taylor series.

// Taylor coefficients of (log1p z - z + z²/2)/z³ for |z| < 2^-7.5.
const (
	l0 = 1.0 / 3
	l1 = -1.0 / 4
	l2 = 1.0 / 5
	l3 = -1.0 / 6
	l4 = 1.0 / 7
	l5 = -1.0 / 8
	l6 = 1.0 / 9
)

const sqrt2 = 0x1.6a09e667f3bcdp+0 // float64 nearest √2

// logDD returns log x as a double-double with relative error below 2^-68,
// for finite x > 0.
func logDD(x float64) (h, l float64) {
	b := math.Float64bits(x)
	e := int(b>>52) - 1023
	if b>>52 == 0 { // subnormal
		b = math.Float64bits(float64(x * 0x1p52))
		e = int(b>>52) - 1023 - 52
	}
	m := math.Float64frombits(b&(1<<52-1) | 1023<<52) // [1, 2)
	if m >= sqrt2 {
		m = float64(m * 0.5)
		e++
	}
	j := int(float64(m*128) + 0.5) // 91..181
	invc := 128 / float64(j)
	ph, pl := twoProd(m, invc)
	zh, zl := fastTwoSum(ph-1, pl) // ph-1 is exact (Sterbenz)
	// log1p(z) = z - z²/2 + z³·Q(z).
	sh, sl := twoProd(zh, zh)
	sl = sl + float64(2*float64(zh*zl))
	sh, sl = float64(0.5*sh), float64(0.5*sl) // z²/2
	q := float64(l6*zh) + l5
	q = float64(q*zh) + l4
	q = float64(q*zh) + l3
	q = float64(q*zh) + l2
	q = float64(q*zh) + l1
	q = float64(q*zh) + l0
	t := float64(float64(zh*float64(2*sh)) * q) // z³·Q(z)
	u, ue := twoSum(zh, -sh)
	ul := ue + ((zl - sl) + t)
	// Add e*ln2 (e*ln2Hi is exact) and -log(invc).
	ef := float64(e)
	ct := logcTab[j-logcFirst]
	a, ae := twoSum(float64(ef*ln2Hi), ct[0])
	a, ae2 := twoSum(a, u)
	lo := ((ae + ae2) + (float64(ef*ln2Lo) + ct[1])) + ul
	return fastTwoSum(a, lo)
}

// Log returns the natural logarithm of x.
//
// Special cases are: Log(+Inf) = +Inf, Log(0) = -Inf, Log(x < 0) = NaN,
// Log(NaN) = NaN.
func Log(x float64) float64 {
	switch {
	case x != x || math.IsInf(x, 1):
		return x
	case x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	}
	h, _ := logDD(x)
	return h
}

// Log10 returns the decimal logarithm of x, computed as Log(x)/ln 10 in
// double-double precision. The special cases are the same as for Log.
func Log10(x float64) float64 {
	switch {
	case x != x || math.IsInf(x, 1):
		return x
	case x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	}
	h, l := logDD(x)
	p, pe := twoProd(h, invLn10Hi)
	return p + (pe + (float64(h*invLn10Lo) + float64(l*invLn10Hi)))
}

// Pow returns x**y, the base-x exponential of y, computed as
// exp(y*log|x|) with log and the product carried in double-double.
//
// Special cases are (in order):
//
//	Pow(x, ±0) = 1 for any x
//	Pow(1, y) = 1 for any y
//	Pow(x, 1) = x for any x
//	Pow(NaN, y) = NaN
//	Pow(x, NaN) = NaN
//	Pow(±0, y) = ±Inf for y an odd integer < 0
//	Pow(±0, -Inf) = +Inf
//	Pow(±0, +Inf) = +0
//	Pow(±0, y) = +Inf for finite y < 0 and not an odd integer
//	Pow(±0, y) = ±0 for y an odd integer > 0
//	Pow(±0, y) = +0 for finite y > 0 and not an odd integer
//	Pow(-1, ±Inf) = 1
//	Pow(x, +Inf) = +Inf for |x| > 1
//	Pow(x, -Inf) = +0 for |x| > 1
//	Pow(x, +Inf) = +0 for |x| < 1
//	Pow(x, -Inf) = +Inf for |x| < 1
//	Pow(+Inf, y) = +Inf for y > 0
//	Pow(+Inf, y) = +0 for y < 0
//	Pow(-Inf, y) = Pow(-0, -y)
//	Pow(x, y) = NaN for finite x < 0 and finite non-integer y
func Pow(x, y float64) float64 {
	switch {
	case y == 0 || x == 1:
		return 1
	case y == 1:
		return x
	case x != x || y != y:
		return math.NaN()
	case x == 0:
		switch {
		case y < 0:
			if isOddInt(y) {
				return math.Copysign(math.Inf(1), x)
			}
			return math.Inf(1)
		case isOddInt(y):
			return x
		}
		return 0
	case math.IsInf(y, 0):
		switch {
		case x == -1:
			return 1
		case (math.Abs(x) < 1) == (y > 0):
			return 0
		}
		return math.Inf(1)
	case math.IsInf(x, 0):
		if x < 0 {
			return Pow(1/x, -y) // Pow(-0, -y)
		}
		if y < 0 {
			return 0
		}
		return math.Inf(1)
	case y == 0.5:
		return math.Sqrt(x)
	case y == 2:
		return float64(x * x)
	case y == -1:
		return 1 / x
	}
	neg := false
	if x < 0 {
		if y != math.Trunc(y) {
			return math.NaN()
		}
		neg = isOddInt(y)
		x = -x
	}
	lh, ll := logDD(x)
	var r float64
	if pr := float64(y * lh); pr > 710 {
		r = math.Inf(1)
	} else if pr < -746 {
		r = 0
	} else {
		ph, pe := twoProd(y, lh)
		pe = pe + float64(y*ll)
		ph, pe = fastTwoSum(ph, pe)
		switch {
		case ph > expOverflow:
			r = math.Inf(1)
		case ph < -746:
			r = 0
		default:
			r = expDD(ph, pe)
		}
	}
	if neg {
		r = -r
	}
	return r
}

// isOddInt reports whether x is an odd integer.
func isOddInt(x float64) bool {
	if math.Abs(x) >= 0x1p53 || x != math.Trunc(x) {
		return false // large floats are even integers
	}
	return int64(x)&1 != 0
}
