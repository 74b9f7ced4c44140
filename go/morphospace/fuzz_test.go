package morphospace

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite the checked-in seed corpora of the fuzz targets")

// fuzzConfig is the geometry of the Space the fuzz targets decode into and
// stamp on: small leaf budget, so that every input runs in milliseconds.
var fuzzConfig = Config{SizeX: 2000, SizeY: 1500, Depth: 100, Bands: 4, MaxLevel: 7, MaxLeaves: 1 << 14}

// fuzzEncodings returns encodings of a fuzzConfig Space after a few stamps
// and steps (and of an untouched one).
func fuzzEncodings(t testing.TB) [][]byte {
	s, err := New(fuzzConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	add := func() {
		data, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	add()
	noise, _ := s.Field(Noise)
	cu, _ := s.Field(CurrentU)
	_ = s.Stamp(noise, Stamp{Shape: SphereShape(Vec3{700, 600, 30}, 250), Value: 130, Blend: Max, Falloff: Falloff{Kind: Smooth}})
	_ = s.Stamp(cu, Stamp{Shape: BoxShape(Box{Vec3{0, 0, 0}, Vec3{2000, 600, 100}}), Value: 0.5, Blend: Set})
	_ = s.Step(2)
	add()
	return out
}

// seal wraps a payload in the header of a fuzzConfig encoding.
func seal(s *Space, payload []byte) []byte {
	out := s.appendHeader(nil, uint64(len(payload)))
	sum := sha256.Sum256(payload)
	out = append(out, sum[:]...)
	return append(out, payload...)
}

// TestWriteFuzzCorpus writes the seed corpora of FuzzSpaceUnmarshal and
// FuzzStamp under testdata/fuzz (go test -run TestWriteFuzzCorpus
// -update-corpus).
func TestWriteFuzzCorpus(t *testing.T) {
	if !*updateCorpus {
		t.Skip("rewrites testdata/fuzz with -update-corpus")
	}
	write := func(target, name, body string) {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte("go test fuzz v1\n"+body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, e := range fuzzEncodings(t) {
		write("FuzzSpaceUnmarshal", fmt.Sprintf("encoding-%d", i), fmt.Sprintf("[]byte(%q)\nbool(true)\n", e))
		write("FuzzSpaceUnmarshal", fmt.Sprintf("payload-%d", i), fmt.Sprintf("[]byte(%q)\nbool(false)\n", e[headerSize:]))
	}
	for i, st := range stampSeeds {
		var b []byte
		for _, v := range st.p {
			b = fmt.Appendf(b, "float64(%v)\n", v)
		}
		write("FuzzStamp", fmt.Sprintf("stamp-%d", i), fmt.Sprintf("byte(%d)\n%sfloat64(%v)\nbyte(%d)\nfloat64(%v)\nbyte(%d)\nfloat64(%v)\n",
			st.shape, b, st.value, st.blend, st.alpha, st.falloff, st.inner))
	}
}

// FuzzSpaceUnmarshal decodes mutated encodings into a Space: raw ones
// (which the checksum must stop) and mutated payloads under a valid header
// and checksum (which the decoder itself must check). A refused encoding
// leaves the Space unchanged; an accepted one encodes back to the same
// hash, steps, and holds finite values within each field's range.
func FuzzSpaceUnmarshal(f *testing.F) {
	for _, e := range fuzzEncodings(f) {
		f.Add(e, true)
		f.Add(e[headerSize:], false)
	}
	s, err := New(fuzzConfig, nil)
	if err != nil {
		f.Fatal(err)
	}
	twin, _ := New(fuzzConfig, nil)
	f.Fuzz(func(t *testing.T, data []byte, raw bool) {
		if !raw {
			data = seal(s, data)
		}
		before := s.Hash()
		if err := s.UnmarshalBinary(data); err != nil {
			if s.Hash() != before {
				t.Fatal("a refused encoding changed the space")
			}
			return
		}
		again, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if err := twin.UnmarshalBinary(again); err != nil || twin.Hash() != s.Hash() {
			t.Fatalf("an accepted encoding does not decode back (%v)", err)
		}
		if err := s.Step(1); err != nil {
			t.Fatalf("step after an accepted decode: %v", err)
		}
		checkFields(t, s)
	})
}

// checkFields requires every field of s to hold finite values within its
// range, sampled at the leaves' extremes and at a few points.
func checkFields(t *testing.T, s *Space) {
	t.Helper()
	for f := range s.trees {
		spec := s.Spec(FieldID(f))
		root := s.trees[f].nodes[0]
		if !(root.lo >= spec.Min && root.hi <= spec.Max) {
			t.Fatalf("field %q spans [%v, %v], outside [%v, %v]", spec.Name, root.lo, root.hi, spec.Min, spec.Max)
		}
		if tot := s.Total(FieldID(f)); math.IsNaN(tot) || math.IsInf(tot, 0) {
			t.Fatalf("field %q: total %v", spec.Name, tot)
		}
		if s.totalLeaves() > s.cfg.maxLeaves() {
			t.Fatalf("%d leaves, more than the budget %d", s.totalLeaves(), s.cfg.maxLeaves())
		}
	}
}

type stampSeed struct {
	shape   byte
	p       [7]float64
	value   float64
	blend   byte
	alpha   float64
	falloff byte
	inner   float64
}

var stampSeeds = []stampSeed{
	{0, [7]float64{700, 600, 30, 250}, 130, byte(Max), 0, byte(Smooth), 0.2},
	{1, [7]float64{0, 0, 0, 2000, 1500, 100}, 0.5, byte(Set), 0, byte(Linear), 0},
	{2, [7]float64{100, 100, 10, 1900, 1400, 90, 60}, 0.7, byte(Lerp), 0.5, byte(Hard), 0},
	{0, [7]float64{1e300, -1e300, 5, 1e-300}, 1e308, byte(Add), 0, byte(Smooth), 0.99},
}

// FuzzStamp applies arbitrary stamps: each is refused with an error or
// leaves every field finite, within its range and within the leaf budget,
// and the Space still steps.
func FuzzStamp(f *testing.F) {
	for _, st := range stampSeeds {
		p := st.p
		f.Add(st.shape, p[0], p[1], p[2], p[3], p[4], p[5], p[6], st.value, st.blend, st.alpha, st.falloff, st.inner)
	}
	base, err := New(fuzzConfig, nil)
	if err != nil {
		f.Fatal(err)
	}
	noise, _ := base.Field(Noise)
	f.Fuzz(func(t *testing.T, shape byte, p0, p1, p2, p3, p4, p5, p6, value float64, blend byte, alpha float64,
		falloff byte, inner float64) {
		var sh Shape
		switch shape % 3 {
		case 0:
			sh = SphereShape(Vec3{p0, p1, p2}, p3)
		case 1:
			sh = BoxShape(Box{Vec3{p0, p1, p2}, Vec3{p3, p4, p5}})
		default:
			sh = CapsuleShape(Vec3{p0, p1, p2}, Vec3{p3, p4, p5}, p6)
		}
		s := base.Clone()
		err := s.Stamp(noise, Stamp{Shape: sh, Value: value, Blend: BlendMode(blend), Alpha: alpha,
			Falloff: Falloff{Kind: FalloffKind(falloff), Inner: inner}})
		if err != nil {
			if s.Hash() != base.Hash() {
				t.Fatal("a refused stamp changed the space")
			}
			return
		}
		checkFields(t, s)
		if err := s.Step(1); err != nil {
			t.Fatalf("step after a stamp: %v", err)
		}
		checkFields(t, s)
	})
}
