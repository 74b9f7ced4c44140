package morphospace

import "math"

// FNV-1a 64-bit parameters.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fnvWord mixes the eight little-endian bytes of v into h.
func fnvWord(h, v uint64) uint64 {
	for range 8 {
		h ^= v & 0xff
		h *= fnvPrime
		v >>= 8
	}
	return h
}

// fnvString mixes the length and bytes of str into h.
func fnvString(h uint64, str string) uint64 {
	h = fnvWord(h, uint64(len(str)))
	for i := 0; i < len(str); i++ {
		h ^= uint64(str[i])
		h *= fnvPrime
	}
	return h
}

// Hash returns a 64-bit FNV-1a digest of the state of s. It covers the
// geometry (MaxLevel, Bands and the bits of SizeX, SizeY and Depth) and, for
// each field in ID order, its name and a pre-order traversal of its tree in
// child order: a word 0 and the bits of the value for a leaf, a word 1 for an
// internal node. Words are 64-bit, mixed little-endian byte by byte. The
// digest depends only on the field values and tree shape, never on memory
// layout, so equal states hash equally on every run and platform.
func (s *Space) Hash() uint64 {
	h := uint64(fnvOffset)
	h = fnvWord(h, uint64(s.cfg.MaxLevel))
	h = fnvWord(h, uint64(s.cfg.Bands))
	h = fnvWord(h, math.Float64bits(s.cfg.SizeX))
	h = fnvWord(h, math.Float64bits(s.cfg.SizeY))
	h = fnvWord(h, math.Float64bits(s.cfg.Depth))
	for f := range s.trees {
		h = fnvString(h, s.reg.specs[f].Name)
		h = s.hashNode(h, &s.trees[f], 0, 0)
	}
	return h
}

func (s *Space) hashNode(h uint64, t *tree, n int32, l int32) uint64 {
	nd := &t.nodes[n]
	if nd.isLeaf() {
		return fnvWord(fnvWord(h, 0), math.Float64bits(nd.mean))
	}
	h = fnvWord(h, 1)
	for k := range int32(s.g.nchild(l)) {
		h = s.hashNode(h, t, nd.child+k, l+1)
	}
	return h
}
