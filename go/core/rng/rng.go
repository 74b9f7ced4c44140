// Package rng is Tidebreak's seeded random number generator.
//
// The algorithm is fixed and owned by the project so that a Go upgrade can
// never change a simulation:
//
//   - Seeds are expanded with SplitMix64 (Steele, Lea and Flood, 2014):
//     state += 0x9E3779B97F4A7C15, then the output is mixed with two
//     xor-shift-multiply rounds (30/0xBF58476D1CE4E5B9, 27/0x94D049BB133111EB, 31).
//   - Streams produce numbers with xoshiro256** (Blackman and Vigna, 2018),
//     whose 256-bit state is filled from four SplitMix64 outputs.
//   - Derived streams (per battle, per entity, per purpose) come from Derive,
//     which folds each label into the seed with one SplitMix64 round, so
//     streams for different labels are independent and order-sensitive.
//
// Float64 returns the top 53 bits scaled by 2⁻⁵³, so values lie in [0, 1).
// Golden-value tests pin every function's output bit for bit.
package rng

import (
	"hash/fnv"
	"math/bits"

	"github.com/tidebreak/tidebreak/go/core/dmath"
)

const golden = 0x9E3779B97F4A7C15

// SplitMix64 advances *state and returns the next SplitMix64 output.
func SplitMix64(state *uint64) uint64 {
	*state += golden
	z := *state
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// Derive folds labels into seed and returns the seed of a derived stream.
// Derive(s, a, b) differs from Derive(s, b, a) and from Derive(s, a).
func Derive(seed uint64, labels ...uint64) uint64 {
	s := seed
	out := SplitMix64(&s)
	for _, l := range labels {
		s = out ^ l
		out = SplitMix64(&s)
	}
	return out
}

// Label turns a purpose name such as "sensor" into a Derive label
// (FNV-1a, 64 bit).
func Label(purpose string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(purpose))
	return h.Sum64()
}

// Stream is a xoshiro256** generator. The zero value is not usable (its
// state is a fixed point: it yields 0 forever); build one with New. A Stream is a plain value: copying it forks the sequence.
type Stream struct {
	S [4]uint64
}

// New returns a stream seeded from seed through SplitMix64.
func New(seed uint64) Stream {
	var r Stream
	r.Seed(seed)
	return r
}

// Seed resets the stream to the state New(seed) would have.
func (r *Stream) Seed(seed uint64) {
	s := seed
	for i := range r.S {
		r.S[i] = SplitMix64(&s)
	}
}

func rotl(x uint64, k uint) uint64 { return (x << k) | (x >> (64 - k)) }

// Uint64 returns the next 64 random bits.
func (r *Stream) Uint64() uint64 {
	// step, written out so that Uint64, Float64 and Bernoulli inline.
	s0, s1 := r.S[0], r.S[1]
	s2, s3 := r.S[2]^s0, r.S[3]^s1
	r.S = [4]uint64{s0 ^ s3, s1 ^ s2, s2 ^ s1<<17, bits.RotateLeft64(s3, 45)}
	return bits.RotateLeft64(s1*5, 7) * 9
}

// step is one xoshiro256** step on a state held in four words: the output
// and the next state. Loops that draw several numbers keep the state in
// local variables through it (PolarDraw).
func step(s0, s1, s2, s3 uint64) (x, n0, n1, n2, n3 uint64) {
	x = rotl(s1*5, 7) * 9
	t := s1 << 17
	s2 ^= s0
	s3 ^= s1
	s1 ^= s2
	s0 ^= s3
	s2 ^= t
	s3 = rotl(s3, 45)
	return x, s0, s1, s2, s3
}

// unit maps 64 random bits to a uniform number in [0, 1) as Float64 does.
func unit(x uint64) float64 { return float64(x>>11) * (1.0 / (1 << 53)) }

// twiceUnit is 2*unit(x) in one multiplication: both products are exact
// (a 53-bit integer times a power of two), so the bits are the same.
func twiceUnit(x uint64) float64 { return float64(x>>11) * (1.0 / (1 << 52)) }

// Float64 returns a uniform number in [0, 1) with 53 random bits.
func (r *Stream) Float64() float64 {
	return unit(r.Uint64())
}

// Uniform returns a uniform number in [lo, hi).
func (r *Stream) Uniform(lo, hi float64) float64 {
	return lo + float64((hi-lo)*r.Float64())
}

// maxTries bounds every rejection loop of a Stream. A seeded stream
// passes within it except with probability below 10⁻⁴² per call (Normal
// rejects a pair with probability 1 − π/4, Intn a draw with probability
// below n/2⁶⁴); only the all-zero state, which xoshiro256** never reaches
// and which New never produces, exhausts it: the loops then return the
// last candidate (Intn) or 0 (Normal, NormalPair) instead of spinning.
const maxTries = 64

// Intn returns a uniform integer in [0, n). It panics if n <= 0.
// It uses Lemire's multiply-and-reject method, so it is unbiased.
func (r *Stream) Intn(n int) int {
	if n <= 0 {
		panic("rng: Intn with n <= 0")
	}
	bound := uint64(n)
	threshold := -bound % bound
	var hi, lo uint64
	for range maxTries {
		hi, lo = mul64(r.Uint64(), bound)
		if lo >= threshold {
			break
		}
	}
	return int(hi)
}

func mul64(x, y uint64) (hi, lo uint64) {
	const mask32 = 1<<32 - 1
	x0, x1 := x&mask32, x>>32
	y0, y1 := y&mask32, y>>32
	w0 := x0 * y0
	t := x1*y0 + w0>>32
	w1 := t&mask32 + x0*y1
	hi = x1*y1 + t>>32 + w1>>32
	lo = x * y
	return
}

// Bernoulli returns true with probability p.
func (r *Stream) Bernoulli(p float64) bool {
	return r.Float64() < p
}

// Normal returns a standard normal deviate using the Marsaglia polar
// method; it consumes an even number of uniforms and discards the spare so
// the stream position depends only on the number of calls.
func (r *Stream) Normal() float64 {
	for range maxTries {
		u := float64(2*r.Float64()) - 1
		v := float64(2*r.Float64()) - 1
		s := float64(u*u) + float64(v*v)
		if s > 0 && s < 1 {
			return float64(u * dmath.Sqrt(float64(-2*dmath.Log(s))/s))
		}
	}
	return 0
}

// NormalPair returns two independent standard normal deviates from one
// Marsaglia polar step (both of its outputs), for half the cost of two
// calls to Normal.
func (r *Stream) NormalPair() (float64, float64) {
	return PolarPair(r.PolarDraw())
}

// PolarDraw draws what one NormalPair draws: the point (u, v) of the
// Marsaglia polar step that it accepts, with s = u² + v² in (0, 1) (all
// three 0 when maxTries steps fail). PolarPair(u, v, s) then returns
// NormalPair's two deviates. A caller that may throw the deviates away
// draws now, keeping the stream where NormalPair would leave it, and pays
// for the logarithm only for the pairs it keeps.
func (r *Stream) PolarDraw() (u, v, s float64) {
	s0, s1, s2, s3 := r.S[0], r.S[1], r.S[2], r.S[3] // (Float64's steps, in locals)
	var a, b uint64
	for range maxTries {
		a, s0, s1, s2, s3 = step(s0, s1, s2, s3)
		b, s0, s1, s2, s3 = step(s0, s1, s2, s3)
		u = twiceUnit(a) - 1
		v = twiceUnit(b) - 1
		s = float64(u*u) + float64(v*v)
		if s > 0 && s < 1 {
			r.S = [4]uint64{s0, s1, s2, s3}
			return u, v, s
		}
	}
	r.S = [4]uint64{s0, s1, s2, s3}
	return 0, 0, 0
}

// PolarDraw2 is two PolarDraws in one call: (u, v, s) of the first, then
// of the second, the stream left where two calls leave it.
func (r *Stream) PolarDraw2() (u1, v1, s1, u2, v2, s2 float64) {
	var d [6]float64
	r.PolarDraw2To(&d)
	return d[0], d[1], d[2], d[3], d[4], d[5]
}

// PolarDraw2To is PolarDraw2 with its draws written to dst ((u, v, s) of
// the first, then of the second), each once, where it is accepted or
// fails: a caller that keeps the numbers in memory (a sighting's noise)
// saves moving six results. It keeps the state in local variables
// through both. (The two loops are PolarDraw's written out twice on
// purpose: a loop over the two draws, or a helper taking the state by
// pointer, keeps the state in memory and costs more than the second call
// it saves.)
func (r *Stream) PolarDraw2To(dst *[6]float64) {
	x0, x1, x2, x3 := r.S[0], r.S[1], r.S[2], r.S[3]
	var a, b uint64
	for try := 0; ; try++ {
		if try == maxTries {
			dst[0], dst[1], dst[2] = 0, 0, 0
			break
		}
		a, x0, x1, x2, x3 = step(x0, x1, x2, x3)
		b, x0, x1, x2, x3 = step(x0, x1, x2, x3)
		u, v := twiceUnit(a)-1, twiceUnit(b)-1
		if s := float64(u*u) + float64(v*v); s > 0 && s < 1 {
			dst[0], dst[1], dst[2] = u, v, s
			break
		}
	}
	for try := 0; ; try++ {
		if try == maxTries {
			dst[3], dst[4], dst[5] = 0, 0, 0
			break
		}
		a, x0, x1, x2, x3 = step(x0, x1, x2, x3)
		b, x0, x1, x2, x3 = step(x0, x1, x2, x3)
		u, v := twiceUnit(a)-1, twiceUnit(b)-1
		if s := float64(u*u) + float64(v*v); s > 0 && s < 1 {
			dst[3], dst[4], dst[5] = u, v, s
			break
		}
	}
	r.S = [4]uint64{x0, x1, x2, x3}
}

// PolarPair turns a PolarDraw into two standard normal deviates (0, 0 for
// a failed one).
func PolarPair(u, v, s float64) (float64, float64) {
	if s == 0 {
		return 0, 0
	}
	f := dmath.Sqrt(float64(-2*dmath.Log(s)) / s)
	return float64(u * f), float64(v * f)
}
