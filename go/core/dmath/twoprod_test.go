package dmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// split is Veltkamp's splitting of a into two 26-bit halves (|a| < 2^995).
func split(a float64) (hi, lo float64) {
	const c = 0x1p27 + 1
	t := float64(c * a)
	hi = t - (t - a)
	lo = a - hi
	return hi, lo
}

// dekkerProd is twoProd by Dekker's algorithm, without FMA (the reference
// the tests hold twoProd to).
func dekkerProd(a, b float64) (p, e float64) {
	p = float64(a * b)
	ah, al := split(a)
	bh, bl := split(b)
	e = ((float64(ah*bh) - p) + float64(ah*bl) + float64(al*bh)) + float64(al*bl)
	return p, e
}

// TestTwoProdMatchesDekker holds twoProd (a fused multiply-add) to Dekker's
// algorithm, bit for bit, over random arguments of every sign and of
// exponents from -400 to 400 (products and their errors stay normal), and
// over the ranges the package's callers use.
func TestTwoProdMatchesDekker(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	check := func(a, b float64) {
		p1, e1 := twoProd(a, b)
		p2, e2 := dekkerProd(a, b)
		if math.Float64bits(p1) != math.Float64bits(p2) || math.Float64bits(e1) != math.Float64bits(e2) {
			t.Fatalf("twoProd(%x, %x) = (%x, %x), Dekker (%x, %x)", a, b, p1, e1, p2, e2)
		}
	}
	for range 2000000 {
		a := math.Ldexp(0.5+r.Float64()/2, r.IntN(801)-400)
		b := math.Ldexp(0.5+r.Float64()/2, r.IntN(801)-400)
		if r.IntN(2) == 0 {
			a = -a
		}
		if r.IntN(2) == 0 {
			b = -b
		}
		check(a, b)
		m := 0.7 + 0.72*r.Float64() // logDD: mantissa × 1/c, z²
		check(m, 128/float64(int(m*128+0.5)))
		z := (2*r.Float64() - 1) * 0x1p-7
		check(z, z)
		h := 1e5 * r.Float64() // Hypot's squares
		check(h, h)
	}
	check(0, 3)
	check(-0.0, 3)
	check(1, 1)
}
