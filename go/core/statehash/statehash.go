// Package statehash computes Tidebreak's canonical state hash.
//
// The algorithm is 64-bit FNV-1a over a canonical byte stream. Values are
// written in a fixed order chosen by the caller (entities by id) and each
// value has one encoding:
//
//   - integers and float64 bit patterns (math.Float64bits) as 8 bytes,
//     little-endian; -0 and +0 therefore hash differently, and every NaN
//     payload is hashed as written;
//   - strings as their length (8 bytes) followed by their UTF-8 bytes;
//   - booleans as one byte, 0 or 1.
//
// Nothing depends on the platform's byte order or on Go's map order, so the
// same state hashes the same on every machine. Sum is printed as 16 lower-case
// hexadecimal digits by Hex.
package statehash

import (
	"fmt"
	"math"
)

const (
	offset64 = 14695981039346656037
	prime64  = 1099511628211
)

// Hasher accumulates a canonical FNV-1a hash. The zero value is not ready;
// use New.
type Hasher struct {
	h uint64
}

// New returns a Hasher in its initial state.
func New() Hasher { return Hasher{h: offset64} }

func (h *Hasher) byte(b byte) {
	h.h ^= uint64(b)
	h.h *= prime64
}

// Uint64 writes v as 8 little-endian bytes.
func (h *Hasher) Uint64(v uint64) {
	for i := 0; i < 8; i++ {
		h.byte(byte(v >> (8 * i)))
	}
}

// Int writes v as a two's-complement 64-bit integer.
func (h *Hasher) Int(v int) { h.Uint64(uint64(int64(v))) }

// Float64 writes the IEEE-754 bit pattern of v.
func (h *Hasher) Float64(v float64) { h.Uint64(math.Float64bits(v)) }

// Bool writes 1 for true and 0 for false.
func (h *Hasher) Bool(v bool) {
	if v {
		h.byte(1)
	} else {
		h.byte(0)
	}
}

// String writes the length of s and then its bytes.
func (h *Hasher) String(s string) {
	h.Uint64(uint64(len(s)))
	for i := 0; i < len(s); i++ {
		h.byte(s[i])
	}
}

// Sum returns the hash of everything written so far.
func (h *Hasher) Sum() uint64 { return h.h }

// Hex formats a hash as 16 lower-case hexadecimal digits.
func Hex(sum uint64) string { return fmt.Sprintf("%016x", sum) }
