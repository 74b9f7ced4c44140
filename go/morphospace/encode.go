package morphospace

import (
	"encoding/binary"
	"fmt"
	"math"
)

// encodeMagic starts every encoding written by MarshalBinary.
const encodeMagic = "MSP1"

// MarshalBinary encodes the field values and tree shapes of s (not its
// geometry or registry, which the decoding Space must already have): per
// field in ID order, its name, its leaf count and a pre-order traversal in
// child order, one byte 0 then the 8 value bytes for a leaf, one byte 1 for
// an internal node. Integers and values are little-endian.
func (s *Space) MarshalBinary() ([]byte, error) {
	out := []byte(encodeMagic)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(s.trees)))
	for f := range s.trees {
		name := s.reg.specs[f].Name
		out = binary.LittleEndian.AppendUint32(out, uint32(len(name)))
		out = append(out, name...)
		out = binary.LittleEndian.AppendUint64(out, uint64(s.trees[f].leaves))
		out = s.encodeNode(out, &s.trees[f], 0, 0)
	}
	return out, nil
}

func (s *Space) encodeNode(out []byte, t *tree, n, l int32) []byte {
	nd := &t.nodes[n]
	if nd.isLeaf() {
		out = append(out, 0)
		return binary.LittleEndian.AppendUint64(out, math.Float64bits(nd.mean))
	}
	out = append(out, 1)
	for k := range int32(s.g.nchild(l)) {
		out = s.encodeNode(out, t, nd.child+k, l+1)
	}
	return out
}

// UnmarshalBinary restores field values written by MarshalBinary into s,
// which must have the same fields (names, in order) and a geometry whose
// MaxLevel admits the encoded trees. The result has the same Hash as the
// encoded Space. On error s is unchanged.
func (s *Space) UnmarshalBinary(data []byte) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("morphospace: decode: %s: %w", fmt.Sprintf(format, args...), ErrInvalidArgument)
	}
	d := decoder{data: data}
	if string(d.take(len(encodeMagic))) != encodeMagic {
		return bad("not a MorphoSpace encoding")
	}
	nf := d.u32()
	if d.err || int(nf) != len(s.trees) {
		return bad("encoding has %d fields, this space %d", nf, len(s.trees))
	}
	trees := make([]tree, len(s.trees))
	for f := range trees {
		n := d.u32()
		name := string(d.take(int(n)))
		if d.err || name != s.reg.specs[f].Name {
			return bad("field %d is %q, this space has %q", f, name, s.reg.specs[f].Name)
		}
		leaves := d.u64()
		t := tree{nodes: make([]node, 1, 64), leaves: 1}
		t.nodes[0] = node{child: noChild}
		if !s.decodeNode(&d, &t, 0, 0) || d.err {
			return bad("field %q: malformed tree", name)
		}
		if uint64(t.leaves) != leaves {
			return bad("field %q: %d leaves decoded, %d encoded", name, t.leaves, leaves)
		}
		spec := &s.reg.specs[f]
		t.settleAll(&s.g, 0, 0, -1) // statistics only: a negative tolerance merges nothing
		if t.nodes[0].lo < spec.Min || t.nodes[0].hi > spec.Max {
			return bad("field %q: values outside [%g, %g]", name, spec.Min, spec.Max)
		}
		trees[f] = t
	}
	if len(d.data) != d.off {
		return bad("%d trailing bytes", len(d.data)-d.off)
	}
	s.trees = trees
	return nil
}

func (s *Space) decodeNode(d *decoder, t *tree, n, l int32) bool {
	switch d.byte() {
	case 0:
		v := math.Float64frombits(d.u64())
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
		t.nodes[n].setValue(v)
		return true
	case 1:
		if l >= s.g.maxLevel {
			return false
		}
		nc := s.g.nchild(l)
		t.split(n, nc)
		b := t.nodes[n].child
		for k := range int32(nc) {
			if !s.decodeNode(d, t, b+k, l+1) {
				return false
			}
		}
		return true
	}
	return false
}

// decoder reads little-endian values, latching err on a short read.
type decoder struct {
	data []byte
	off  int
	err  bool
}

func (d *decoder) take(n int) []byte {
	if d.err || n < 0 || d.off+n > len(d.data) {
		d.err = true
		return nil
	}
	b := d.data[d.off : d.off+n]
	d.off += n
	return b
}

func (d *decoder) byte() byte {
	if b := d.take(1); b != nil {
		return b[0]
	}
	return 0xff
}

func (d *decoder) u32() uint32 {
	if b := d.take(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (d *decoder) u64() uint64 {
	if b := d.take(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}
