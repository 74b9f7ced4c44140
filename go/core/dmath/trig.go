package dmath

import (
	"math"
	"math/bits"
)

// Argument reduction for the trigonometric functions.
//
// For |x| < medReduceLimit the reduction x - n*(π/2) uses Cody–Waite with π/2
// split into three 33-bit pieces plus a tail (pio2_1 + pio2_2 + pio2_3 +
// pio2_3t, about 150 bits). Because n < 2^20, every product n*pio2_k is
// exact, and the subtractions are tracked with error-free transformations,
// so the reduced argument is obtained as a double-double r = h + l.
//
// For larger |x| a Payne–Hanek reduction multiplies the 53-bit mantissa by a
// 192-bit window of the binary expansion of 2/π (twoOverPiBits) in integer
// arithmetic.

// medReduceLimit bounds the medium reduction: round(x*2/π) < 2^20 below it.
const medReduceLimit = 0x1.8p20

// piOver4 is the float64 nearest to π/4 (below it).
const piOver4 = 0x1.921fb54442d18p-1

// reduceMedium returns x - fn*(π/2) as a double-double, for an integer
// |fn| < 2^20 close to x*(2/π).
func reduceMedium(x, fn float64) (h, l float64) {
	s1, e1 := twoSum(x, -float64(fn*pio2_1))
	s2, e2 := twoSum(s1, -float64(fn*pio2_2))
	s3, e3 := twoSum(s2, -float64(fn*pio2_3))
	lo := ((e1 + e2) + e3) - float64(fn*pio2_3t)
	return twoSum(s3, lo)
}

// reduce returns the quadrant q (0..3) and r = h + l in [-π/4, π/4] with
// x ≡ q*π/2 + r (mod 2π), for finite x >= 0.
func reduce(x float64) (q int, h, l float64) {
	if x <= piOver4 {
		return 0, x, 0
	}
	if x < medReduceLimit {
		fn := roundEven(float64(x * invPio2))
		h, l = reduceMedium(x, fn)
		return int(fn) & 3, h, l
	}
	return reduceLarge(x)
}

// reduceLarge is the Payne–Hanek reduction for finite x >= medReduceLimit.
func reduceLarge(x float64) (q int, h, l float64) {
	b := math.Float64bits(x)
	e := int(b>>52&0x7ff) - 1075 // x = m * 2^e
	m := b&(1<<52-1) | 1<<52
	// Bits of 2/π with index i <= e-2 (bit 1 is the first after the binary
	// point) contribute multiples of 4 to x*2/π and are skipped.
	s := e - 1
	if s < 1 {
		s = 1
	}
	o := uint(s - 1)
	w, sh := o/64, o%64
	var win [3]uint64
	for j := range win {
		win[j] = twoOverPiBits[w+uint(j)]<<sh | twoOverPiBits[w+uint(j)+1]>>(64-sh)
	}
	// 256-bit product m*win, least significant word first.
	h2, l2 := bits.Mul64(m, win[2])
	h1, l1 := bits.Mul64(m, win[1])
	h0, l0 := bits.Mul64(m, win[0])
	var p [5]uint64
	var c uint64
	p[0] = l2
	p[1], c = bits.Add64(h2, l1, 0)
	p[2], c = bits.Add64(h1, l0, c)
	p[3] = h0 + c
	// The binary point of the product sits at bit pt.
	pt := uint(s + 191 - e)
	get := func(n uint) uint64 {
		i, k := n/64, n%64
		return p[i]>>k | p[i+1]<<(64-k)
	}
	q = int(get(pt) & 3)
	fh, fl := get(pt-64), get(pt-128) // fraction, 128 bits
	neg := false
	if fh>>63 != 0 {
		// Fraction >= 1/2: round the quadrant up and use fraction-1 < 0.
		q++
		neg = true
		fl = -fl
		fh = ^fh
		if fl == 0 {
			fh++
		}
	}
	lz := bits.LeadingZeros64(fh)
	if lz == 64 {
		fh, fl = fl, 0
		lz = 64 + bits.LeadingZeros64(fh)
		fh <<= lz - 64
	} else {
		fh = fh<<lz | fl>>(64-lz)
		fl <<= lz
	}
	// f = fh:fl / 2^(128+lz) as a double-double.
	fHi := float64(float64(fh>>11) * pow2(-53-lz))
	fLo := float64(float64(fh&0x7ff<<53|fl>>11) * pow2(-117-lz))
	// r = f * π/2.
	ph, pe := twoProd(fHi, pio2Hi)
	pe = pe + (float64(fHi*pio2Lo) + float64(fLo*pio2Hi))
	h, l = fastTwoSum(ph, pe)
	if neg {
		h, l = -h, -l
	}
	return q & 3, h, l
}

// pow2 returns 2^k for -1022 <= k <= 1023.
func pow2(k int) float64 {
	return math.Float64frombits(uint64(k+1023) << 52)
}

// Taylor coefficients of sin r = r + r³·S(r²), enough for |r| <= π/4.
const (
	s0 = -1.0 / 6
	s1 = 1.0 / 120
	s2 = -1.0 / 5040
	s3 = 1.0 / 362880
	s4 = -1.0 / 39916800
	s5 = 1.0 / 6227020800
	s6 = -1.0 / 1307674368000
	s7 = 1.0 / 355687428096000
)

// Taylor coefficients of cos r = 1 - r²/2 + r⁴·C(r²).
const (
	c0 = 1.0 / 24
	c1 = -1.0 / 720
	c2 = 1.0 / 40320
	c3 = -1.0 / 3628800
	c4 = 1.0 / 479001600
	c5 = -1.0 / 87178291200
	c6 = 1.0 / 20922789888000
)

// sinKernel returns sin(h+l) for |h+l| <= π/4, |l| <= ulp(h)/2.
func sinKernel(h, l float64) float64 {
	z := float64(h * h)
	p := float64(s7*z) + s6
	p = float64(p*z) + s5
	p = float64(p*z) + s4
	p = float64(p*z) + s3
	p = float64(p*z) + s2
	p = float64(p*z) + s1
	p = float64(p*z) + s0
	// sin(h+l) ≈ sin h + l*cos h, with cos h ≈ 1 - z/2.
	return h + (float64(float64(h*z)*p) + float64(l*(1-float64(0.5*z))))
}

// cosKernel returns cos(h+l) for |h+l| <= π/4, |l| <= ulp(h)/2.
func cosKernel(h, l float64) float64 {
	z := float64(h * h)
	p := float64(c6*z) + c5
	p = float64(p*z) + c4
	p = float64(p*z) + c3
	p = float64(p*z) + c2
	p = float64(p*z) + c1
	p = float64(p*z) + c0
	hz := float64(0.5 * z)
	w := 1 - hz
	e := (1 - w) - hz // exact rounding error of w
	// cos(h+l) ≈ cos h - l*sin h, with sin h ≈ h.
	return w + (e + (float64(float64(z*z)*p) - float64(h*l)))
}

// Sin returns the sine of the radian argument x.
//
// Special cases are: Sin(±0) = ±0, Sin(±Inf) = NaN, Sin(NaN) = NaN.
func Sin(x float64) float64 {
	a := math.Abs(x)
	if a < 0x1p-27 || x != x {
		return x // sin x = x to double precision (keeps -0 and NaN)
	}
	if math.IsInf(x, 0) {
		return math.NaN()
	}
	q, h, l := reduce(a)
	var s float64
	switch q {
	case 0:
		s = sinKernel(h, l)
	case 1:
		s = cosKernel(h, l)
	case 2:
		s = -sinKernel(h, l)
	default:
		s = -cosKernel(h, l)
	}
	if x < 0 {
		s = -s
	}
	return s
}

// Cos returns the cosine of the radian argument x.
//
// Special cases are: Cos(±Inf) = NaN, Cos(NaN) = NaN.
func Cos(x float64) float64 {
	a := math.Abs(x)
	if a < 0x1p-27 {
		return 1
	}
	if x != x || math.IsInf(x, 0) {
		return math.NaN()
	}
	q, h, l := reduce(a)
	switch q {
	case 0:
		return cosKernel(h, l)
	case 1:
		return -sinKernel(h, l)
	case 2:
		return -cosKernel(h, l)
	default:
		return sinKernel(h, l)
	}
}

// SinCos returns Sin(x), Cos(x), bit-identical to calling the two functions
// separately but sharing one argument reduction.
//
// Special cases are: SinCos(±0) = ±0, 1; SinCos(±Inf) = NaN, NaN;
// SinCos(NaN) = NaN, NaN.
func SinCos(x float64) (sin, cos float64) {
	a := math.Abs(x)
	if a < 0x1p-27 {
		return x, 1
	}
	if x != x || math.IsInf(x, 0) {
		return math.NaN(), math.NaN()
	}
	q, h, l := reduce(a)
	sk, ck := sinKernel(h, l), cosKernel(h, l)
	switch q {
	case 0:
		sin, cos = sk, ck
	case 1:
		sin, cos = ck, -sk
	case 2:
		sin, cos = -sk, -ck
	default:
		sin, cos = -ck, sk
	}
	if x < 0 {
		sin = -sin
	}
	return sin, cos
}

// smallAngle bounds the short series of SinCosSmall.
const smallAngle = 0x1p-4

// SinCosSmall returns the sine and cosine of a small angle x, such as the
// turn a ship makes in one substep, by a short Taylor series: about a third
// of the cost of SinCos, within one ulp of the exact values for
// |x| <= 1/16, but not always bit-identical to SinCos. Larger x, NaN and
// infinities are handed to SinCos.
func SinCosSmall(x float64) (sin, cos float64) {
	if !(math.Abs(x) <= smallAngle) {
		return SinCos(x)
	}
	z := float64(x * x)
	ps := float64(s3*z) + s2
	ps = float64(ps*z) + s1
	ps = float64(ps*z) + s0
	sin = x + float64(float64(x*z)*ps)
	pc := float64(c3*z) + c2
	pc = float64(pc*z) + c1
	pc = float64(pc*z) + c0
	hz := float64(0.5 * z)
	w := 1 - hz
	e := (1 - w) - hz // exact rounding error of w
	cos = w + (e + float64(float64(z*z)*pc))
	return sin, cos
}

// Coefficients of atan t = t + t³·P(t²) for |t| <= 1/16 (Taylor series).
const (
	a0 = -1.0 / 3
	a1 = 1.0 / 5
	a2 = -1.0 / 7
	a3 = 1.0 / 9
	a4 = -1.0 / 11
	a5 = 1.0 / 13
)

// atanPoly returns atan(t) - t for |t| <= 1/16.
func atanPoly(t float64) float64 {
	z := float64(t * t)
	p := float64(a5*z) + a4
	p = float64(p*z) + a3
	p = float64(p*z) + a2
	p = float64(p*z) + a1
	p = float64(p*z) + a0
	return float64(float64(t*z) * p)
}

// atanCore returns atan(uh+ul) as a double-double, for 0 <= uh+ul <= 1
// (|ul| <= ulp(uh)/2). It uses atan u = atan c + atan((u-c)/(1+u*c)) with
// c = k/8 the nearest eighth, so the reduced argument is at most 1/16.
func atanCore(uh, ul float64) (h, l float64) {
	k := int(float64(uh*8) + 0.5)
	if k == 0 {
		return fastTwoSum(uh, ul+atanPoly(uh))
	}
	c := float64(k) * 0.125
	nh := uh - c // exact (Sterbenz)
	// d = 1 + u*c as a double-double.
	ph, pl := twoProd(uh, c)
	pl = pl + float64(ul*c)
	dh, dl := fastTwoSum(1, ph)
	dl = dl + pl
	// t = (nh + ul) / (dh + dl) as a double-double.
	th := nh / dh
	qh, ql := twoProd(th, dh)
	tl := ((((nh - qh) - ql) + ul) - float64(th*dl)) / dh
	s, e := twoSum(atanTab[k][0], th)
	lo := e + (atanTab[k][1] + (tl + atanPoly(th)))
	return fastTwoSum(s, lo)
}

// atanPos returns atan(a) as a double-double, for finite a >= 0.
func atanPos(a float64) (h, l float64) {
	switch {
	case a <= 1:
		return atanCore(a, 0)
	case a >= 0x1p27:
		// atan a = π/2 - 1/a + O(a^-3).
		return fastTwoSum(pio2Hi, pio2Lo-1/a)
	}
	// u = 1/a as a double-double, then atan a = π/2 - atan u.
	u := 1 / a
	ph, pl := twoProd(a, u)
	ul := ((1 - ph) - pl) / a
	th, tl := atanCore(u, ul)
	s, e := twoSum(pio2Hi, -th)
	return fastTwoSum(s, e+(pio2Lo-tl))
}

// Atan returns the arctangent, in radians, of x.
//
// Special cases are: Atan(±0) = ±0, Atan(±Inf) = ±π/2, Atan(NaN) = NaN.
func Atan(x float64) float64 {
	a := math.Abs(x)
	if a < 0x1p-27 || x != x {
		return x // atan x = x to double precision (keeps -0 and NaN)
	}
	if math.IsInf(x, 0) {
		return math.Copysign(pio2Hi, x)
	}
	h, _ := atanPos(a)
	return math.Copysign(h, x)
}

// Atan2 returns the arc tangent of y/x, using the signs of the two to
// determine the quadrant of the return value.
//
// Special cases are (in order):
//
//	Atan2(y, NaN) = NaN
//	Atan2(NaN, x) = NaN
//	Atan2(+0, x>=0) = +0
//	Atan2(-0, x>=0) = -0
//	Atan2(+0, x<=-0) = +π
//	Atan2(-0, x<=-0) = -π
//	Atan2(y>0, 0) = +π/2
//	Atan2(y<0, 0) = -π/2
//	Atan2(+Inf, +Inf) = +π/4
//	Atan2(-Inf, +Inf) = -π/4
//	Atan2(+Inf, -Inf) = 3π/4
//	Atan2(-Inf, -Inf) = -3π/4
//	Atan2(y, +Inf) = 0
//	Atan2(y>0, -Inf) = +π
//	Atan2(y<0, -Inf) = -π
//	Atan2(+Inf, x) = +π/2
//	Atan2(-Inf, x) = -π/2
func Atan2(y, x float64) float64 {
	switch {
	case x != x || y != y:
		return math.NaN()
	case y == 0:
		if x >= 0 && !math.Signbit(x) {
			return y
		}
		return math.Copysign(piHi, y)
	case x == 0:
		return math.Copysign(pio2Hi, y)
	case math.IsInf(x, 0):
		if math.IsInf(y, 0) {
			if x > 0 {
				return math.Copysign(piOver4, y)
			}
			return math.Copysign(threePiOver4, y)
		}
		if x > 0 {
			return math.Copysign(0, y)
		}
		return math.Copysign(piHi, y)
	case math.IsInf(y, 0):
		return math.Copysign(pio2Hi, y)
	}
	h, l := atan2Pos(math.Abs(y), math.Abs(x))
	if x < 0 {
		s, e := twoSum(piHi, -h)
		h = s + (e + (piLo - l))
	}
	return math.Copysign(h, y)
}

// threePiOver4 is the float64 nearest to 3π/4.
const threePiOver4 = 0x1.2d97c7f3321d2p+1

// atan2Pos returns atan(a/b) as a double-double for finite a, b > 0.
func atan2Pos(a, b float64) (h, l float64) {
	swap := a > b
	if swap {
		a, b = b, a
	}
	u := a / b // <= 1
	var ul float64
	if u >= 0x1p-27 {
		// Residual of the division, computed exactly after scaling both
		// operands by the same power of two (a and b are within 2^28).
		eb := int(math.Float64bits(b)>>52&0x7ff) - 1023
		if eb > 500 || eb < -500 {
			sc := pow2(-eb)
			a, b = float64(a*sc), float64(b*sc)
		}
		ph, pl := twoProd(u, b)
		ul = ((a - ph) - pl) / b
		h, l = atanCore(u, ul)
	} else {
		h, l = u, 0 // atan u = u to double precision
	}
	if swap {
		s, e := twoSum(pio2Hi, -h)
		return fastTwoSum(s, e+(pio2Lo-l))
	}
	return h, l
}
