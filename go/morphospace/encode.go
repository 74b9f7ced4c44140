package morphospace

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
)

// encodeMagic starts every encoding written by MarshalBinary.
const encodeMagic = "TBMS"

// EncodingVersion is the version of MarshalBinary's layout; UnmarshalBinary
// reads only this one.
const EncodingVersion = 2

// headerSize is the size of the encoding's header: magic, version, the
// geometry (SizeX, SizeY, Depth, Bands, MaxLevel), the payload length and
// the payload's SHA-256.
const headerSize = 4 + 4 + 3*8 + 2*4 + 8 + sha256.Size

// MarshalBinary encodes the field values and tree shapes of s (not its
// registry, which the decoding Space must already have). A header comes
// first: "TBMS", the layout version (uint32), the geometry (SizeX, SizeY,
// Depth as float64 bits, Bands and MaxLevel as uint32), the payload's
// length (uint64) and its SHA-256. The payload holds, per field in ID
// order, its name, its leaf count and a pre-order traversal in child
// order: one byte 0 then the 8 value bytes for a leaf, one byte 1 for an
// internal node. Integers and values are little-endian.
func (s *Space) MarshalBinary() ([]byte, error) {
	body := binary.LittleEndian.AppendUint32(nil, uint32(len(s.trees)))
	for f := range s.trees {
		name := s.reg.specs[f].Name
		body = binary.LittleEndian.AppendUint32(body, uint32(len(name)))
		body = append(body, name...)
		body = binary.LittleEndian.AppendUint64(body, uint64(s.trees[f].leaves))
		body = s.encodeNode(body, &s.trees[f], 0, 0)
	}
	out := make([]byte, 0, headerSize+len(body))
	out = s.appendHeader(out, uint64(len(body)))
	sum := sha256.Sum256(body)
	out = append(out, sum[:]...)
	return append(out, body...), nil
}

// appendHeader appends the magic, the version, the geometry and the payload
// length.
func (s *Space) appendHeader(out []byte, n uint64) []byte {
	out = append(out, encodeMagic...)
	out = binary.LittleEndian.AppendUint32(out, EncodingVersion)
	for _, v := range [...]float64{s.cfg.SizeX, s.cfg.SizeY, s.cfg.Depth} {
		out = binary.LittleEndian.AppendUint64(out, math.Float64bits(v))
	}
	out = binary.LittleEndian.AppendUint32(out, uint32(s.cfg.Bands))
	out = binary.LittleEndian.AppendUint32(out, uint32(s.cfg.MaxLevel))
	return binary.LittleEndian.AppendUint64(out, n)
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
// which must have the same geometry and the same fields (names, in order).
// Everything is checked before s changes: the header (magic, version,
// geometry, length), the checksum, the tree shapes (no deeper than
// MaxLevel, leaf counts as encoded, at most MaxLeaves leaves in all) and the
// values (finite, within each field's range). The result has the same Hash
// as the encoded Space. Errors wrap ErrInvalidArgument; on error s is
// unchanged.
func (s *Space) UnmarshalBinary(data []byte) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("morphospace: decode: %s: %w", fmt.Sprintf(format, args...), ErrInvalidArgument)
	}
	if len(data) < headerSize || string(data[:len(encodeMagic)]) != encodeMagic {
		return bad("not a MorphoSpace encoding (no %q header)", encodeMagic)
	}
	if v := binary.LittleEndian.Uint32(data[4:]); v != EncodingVersion {
		return bad("encoding version %d; this MorphoSpace reads version %d", v, EncodingVersion)
	}
	payload := uint64(len(data) - headerSize)
	want := s.appendHeader(nil, payload)
	if string(data[8:len(want)-8]) != string(want[8:len(want)-8]) {
		return bad("encoded for another geometry (this space: %gx%gx%g m, %d bands, max level %d)",
			s.cfg.SizeX, s.cfg.SizeY, s.cfg.Depth, s.cfg.Bands, s.cfg.MaxLevel)
	}
	if n := binary.LittleEndian.Uint64(data[len(want)-8:]); n != payload {
		return bad("payload of %d bytes, the header says %d", payload, n)
	}
	body := data[headerSize:]
	if sum := sha256.Sum256(body); string(sum[:]) != string(data[len(want):headerSize]) {
		return bad("checksum mismatch (the encoding was altered or damaged)")
	}
	d := decoder{data: body}
	nf := d.u32()
	if d.err || int(nf) != len(s.trees) {
		return bad("encoding has %d fields, this space %d", nf, len(s.trees))
	}
	trees := make([]tree, len(s.trees))
	budget := s.cfg.maxLeaves()
	for f := range trees {
		n := d.u32()
		name := string(d.take(int(min(n, uint32(len(body))))))
		if d.err || name != s.reg.specs[f].Name {
			return bad("field %d is %q, this space has %q", f, name, s.reg.specs[f].Name)
		}
		leaves := d.u64()
		if d.err || leaves < 1 || leaves > uint64(budget) {
			return bad("field %q: %d leaves, at most %d left of this space's budget", name, leaves, budget)
		}
		t := tree{nodes: make([]node, 1, 64), leaves: 1}
		t.nodes[0] = node{child: noChild}
		if !s.decodeNode(&d, &t, 0, 0, budget) || d.err {
			return bad("field %q: malformed tree", name)
		}
		if uint64(t.leaves) != leaves {
			return bad("field %q: %d leaves decoded, %d encoded", name, t.leaves, leaves)
		}
		budget -= t.leaves
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
	s.gen++
	return nil
}

// decodeNode decodes the subtree at node n (level l), growing t by at most
// budget leaves in all.
func (s *Space) decodeNode(d *decoder, t *tree, n, l int32, budget int) bool {
	switch d.byte() {
	case 0:
		v := math.Float64frombits(d.u64())
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
		t.nodes[n].setValue(v)
		return true
	case 1:
		nc := s.g.nchild(l)
		if l >= s.g.maxLevel || t.leaves+nc-1 > budget {
			return false
		}
		t.split(n, nc)
		b := t.nodes[n].child
		for k := range int32(nc) {
			if !s.decodeNode(d, t, b+k, l+1, budget) {
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
