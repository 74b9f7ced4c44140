// Package dmath is Tidebreak's deterministic floating-point math library.
//
// Every function in this package returns bit-identical results on every
// platform Go supports (amd64 at any GOAMD64 level, arm64, ...), so that a
// simulation replayed on another machine reproduces the same state hash.
// The math package does not promise this: several of its functions use
// assembly or fused multiply-add (FMA) on some CPUs, and the Go
// specification allows a compiler to fuse x*y + z into one FMA instruction
// (it does so on arm64, ppc64 and s390x) unless the product is explicitly
// rounded.
//
// # Rules followed by this implementation
//
//   - Only the IEEE-754 operations +, -, *, / and comparisons are used, in
//     round-to-nearest-even double precision, evaluated in a fixed order.
//   - Every product is wrapped in an explicit float64(...) conversion, for
//     example float64(a*b) + c. The Go specification states that an
//     explicit conversion rounds to the target precision, which forbids the
//     compiler from fusing the multiplication with the following addition.
//     New code in this package must follow the same rule.
//   - Sqrt uses math.Sqrt: IEEE-754 requires square root to be correctly
//     rounded and every Go port implements it exactly (a hardware
//     instruction or an exact software routine), so it is deterministic.
//   - Floor, Trunc, Abs, Copysign, Float64bits and friends are exact bit
//     manipulations and may be taken from the math package.
//   - Constants that are not simple rationals (π/2 split for argument
//     reduction, ln 2, 2^(j/32), log and arctangent table entries, the
//     bits of 2/π) are stored as exact float64 bit patterns in tables.go,
//     generated with math/big and verified by TestTables.
//   - Polynomial coefficients are written as Go constant expressions such
//     as 1.0 / 120; the compiler evaluates them exactly and rounds once to
//     float64, identically on every platform.
//
// Functions are accurate to within about one ulp of the correctly rounded
// result (see the package tests for the asserted bounds) and handle NaN,
// infinities, signed zeros and out-of-domain arguments the way the
// corresponding math functions document.
package dmath

import "math"

// Sqrt returns the square root of x. It is math.Sqrt, which is correctly
// rounded (as IEEE-754 requires) and therefore identical on all platforms.
//
// Special cases are: Sqrt(+Inf) = +Inf, Sqrt(±0) = ±0, Sqrt(x < 0) = NaN,
// Sqrt(NaN) = NaN.
func Sqrt(x float64) float64 { return math.Sqrt(x) }

// Clamp returns x limited to the closed interval [lo, hi], computed as
// max(lo, min(hi, x)). If any argument is NaN the result is NaN; if lo > hi
// the result is lo. Between zeros of different sign, -0 is less than +0.
func Clamp(x, lo, hi float64) float64 {
	if lo < x && x < hi {
		return x // strictly inside: what min and max would give, without their NaN and zero checks
	}
	return max(lo, min(hi, x))
}

// Hypot returns Sqrt(x*x + y*y), computed without undue overflow or
// underflow and accurate to within one ulp.
//
// Special cases are: Hypot(±Inf, y) = +Inf, Hypot(x, ±Inf) = +Inf,
// Hypot(NaN, y) = NaN, Hypot(x, NaN) = NaN.
func Hypot(x, y float64) float64 {
	if math.IsInf(x, 0) || math.IsInf(y, 0) {
		return math.Inf(1)
	}
	if x != x || y != y {
		return math.NaN()
	}
	p, q := math.Abs(x), math.Abs(y)
	if p < q {
		p, q = q, p
	}
	if p == 0 {
		return 0
	}
	if q < float64(p*0x1p-60) {
		// q*q is below half an ulp of p*p.
		return p
	}
	// Scale by a power of two so that squares and their rounding errors stay
	// normal; the scaling is exact.
	scale := 1.0
	switch {
	case p > 0x1p+300:
		p, q, scale = float64(p*0x1p-700), float64(q*0x1p-700), 0x1p+700
	case p < 0x1p-300:
		p, q, scale = float64(p*0x1p+700), float64(q*0x1p+700), 0x1p-700
	}
	// s = p² + q² in double-double.
	ph, pl := twoProd(p, p)
	qh, ql := twoProd(q, q)
	sh, sl := fastTwoSum(ph, qh)
	sl = sl + pl + ql
	sh, sl = fastTwoSum(sh, sl)
	// One Newton step on the rounded square root: h + (s - h²)/(2h).
	h := math.Sqrt(sh)
	hh, hl := twoProd(h, h)
	r := ((sh - hh) - hl) + sl
	h = h + r/float64(2*h)
	return float64(h * scale)
}

// WrapAngle returns the angle a (in radians) reduced to the interval
// (-π, π], that is -math.Pi < WrapAngle(a) <= math.Pi. Angles already in
// that interval are returned unchanged. The reduction subtracts a multiple
// of 2π using a 150-bit representation of π, so it stays accurate for
// large |a|.
//
// Special cases are: WrapAngle(±Inf) = NaN, WrapAngle(NaN) = NaN.
func WrapAngle(a float64) float64 {
	if a > -math.Pi && a <= math.Pi {
		return a
	}
	if a != a || math.IsInf(a, 0) {
		return math.NaN()
	}
	var rh, rl float64
	if math.Abs(a) < medReduceLimit {
		// n = round(a / 2π); 2π = 4*(pio2_1 + pio2_2 + pio2_3 + pio2_3t), and
		// multiplying by 4 is exact.
		n := roundEven(float64(a * (0.25 * invPio2)))
		rh, rl = reduceMedium(a, float64(4*n))
	} else {
		// Reduce modulo π/2 first, then fold the quadrant back in.
		q, h, l := reduceLarge(math.Abs(a))
		if a < 0 {
			h, l, q = -h, -l, -q
		}
		// a ≡ q*π/2 + r (mod 2π) with q in [-3, 3].
		q &= 3 // q in 0..3
		if q == 3 {
			q = -1
		} else if q == 2 && h > 0 {
			q = -2
		}
		qs := float64(q)
		rh, rl = twoSum(float64(qs*pio2Hi), h)
		rl = rl + (l + float64(qs*pio2Lo))
	}
	r := rh + rl
	if r > math.Pi {
		r = (rh - twoPiHi) + (rl - twoPiLo)
	} else if r <= -math.Pi {
		r = (rh + twoPiHi) + (rl + twoPiLo)
	}
	// Guard against a final rounding landing just outside the interval.
	if r > math.Pi || r <= -math.Pi {
		r = math.Pi
	}
	return r
}

// roundEven returns x rounded to the nearest integer, ties to even, for
// |x| < 2^51. It relies only on IEEE addition.
func roundEven(x float64) float64 {
	const magic = 0x1.8p52
	if x >= 0 {
		return (x + magic) - magic
	}
	return -((-x + magic) - magic)
}

// twoSum returns s = fl(a+b) and the exact error e, so that s + e = a + b.
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}

// fastTwoSum is twoSum for |a| >= |b| (or a == 0).
func fastTwoSum(a, b float64) (s, e float64) {
	s = a + b
	e = b - (s - a)
	return s, e
}

// twoProd returns p = fl(a*b) and the exact error e, so that p + e = a*b
// barring underflow or overflow. The error is exactly representable, so a
// fused multiply-add gives it with a single rounding that changes nothing:
// the same bits as Dekker's algorithm (dekkerProd) for every argument the
// package passes (|a|, |b| < 2^995, no underflow), on every platform —
// math.FMA is exact by definition, in hardware or not.
func twoProd(a, b float64) (p, e float64) {
	p = float64(a * b)
	return p, math.FMA(a, b, -p)
}
