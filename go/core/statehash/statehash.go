// Package statehash computes Tidebreak's canonical state hash.
//
// The algorithm is fixed (changing it changes every golden hash):
//
//   - The state is written as a stream of 64-bit words in an order chosen by
//     the caller (entities by id). Integers are written as their two's-
//     complement 64 bits, float64 values as their IEEE-754 bit patterns
//     (math.Float64bits), booleans as 0 or 1, and strings as their length
//     followed by their bytes packed little-endian into words (the last word
//     zero-padded). -0 and +0 therefore hash differently, and NaN payloads
//     are hashed as written.
//   - Each word w updates the 64-bit state h (starting at the FNV-1a offset
//     basis 0xcbf29ce484222325): h = ((h ^ w) × 0x100000001b3) then
//     h ^= h >> 32.
//   - Sum returns h passed through the SplitMix64 finaliser
//     (xor-shift-multiply by 0xbf58476d1ce4e5b9 and 0x94d049bb133111eb).
//
// Nothing depends on the platform's byte order or on Go's map order, so the
// same state hashes the same on every machine. Hex prints a sum as 16
// lower-case hexadecimal digits.
package statehash

import (
	"fmt"
	"math"
)

const (
	offset64 = 0xcbf29ce484222325
	prime64  = 0x100000001b3
)

// Hasher accumulates a canonical hash. The zero value is not ready; use New.
type Hasher struct {
	h uint64
}

// New returns a Hasher in its initial state.
func New() Hasher { return Hasher{h: offset64} }

// Uint64 writes one word.
func (h *Hasher) Uint64(v uint64) {
	x := (h.h ^ v) * prime64
	h.h = x ^ (x >> 32)
}

// Int writes v as a two's-complement 64-bit integer.
func (h *Hasher) Int(v int) { h.Uint64(uint64(int64(v))) }

// Float64 writes the IEEE-754 bit pattern of v.
func (h *Hasher) Float64(v float64) { h.Uint64(math.Float64bits(v)) }

// Bool writes 1 for true and 0 for false.
func (h *Hasher) Bool(v bool) {
	if v {
		h.Uint64(1)
	} else {
		h.Uint64(0)
	}
}

// String writes the length of s, then its bytes packed into little-endian
// words, the last one zero-padded.
func (h *Hasher) String(s string) {
	h.Uint64(uint64(len(s)))
	for i := 0; i < len(s); i += 8 {
		var w uint64
		for k := 0; k < 8 && i+k < len(s); k++ {
			w |= uint64(s[i+k]) << (8 * k)
		}
		h.Uint64(w)
	}
}

// Sum returns the hash of everything written so far.
func (h *Hasher) Sum() uint64 {
	z := h.h
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Hex formats a hash as 16 lower-case hexadecimal digits.
func Hex(sum uint64) string { return fmt.Sprintf("%016x", sum) }
