package dmath

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"math"
	"math/big"
	"os"
	"strconv"
	"testing"
)

// The constants in tables.go are generated from arbitrary-precision values
// computed here with math/big (integer arithmetic, so exact and portable).
// Regenerate with:  go test ./go/core/dmath -run TestTables -update-tables

var updateTables = flag.Bool("update-tables", false, "rewrite tables.go from math/big computations")

// bigPrec is the working precision of the math/big helpers: 1600 bits for
// the tables (the 2/π expansion needs about 1280), less for test references.
var bigPrec uint = 1600

func newF() *big.Float { return new(big.Float).SetPrec(bigPrec) }

func bf(x float64) *big.Float { return newF().SetFloat64(x) }

func bigInt(n int64) *big.Float { return newF().SetInt64(n) }

// bigTiny returns the series cut-off, far below the working precision.
func bigTiny() *big.Float { return newF().SetMantExp(bigInt(1), -int(bigPrec)-16) }

// bigAtanh returns Σ v^(2k+1)/(2k+1) for |v| < 1/2.
func bigAtanh(v *big.Float) *big.Float {
	sum := newF().Set(v)
	v2 := newF().Mul(v, v)
	pw := newF().Set(v)
	tiny := bigTiny()
	for k := int64(1); ; k++ {
		pw.Mul(pw, v2)
		t := newF().Quo(pw, bigInt(2*k+1))
		if newF().Abs(t).Cmp(tiny) < 0 {
			return sum
		}
		sum.Add(sum, t)
	}
}

// bigAtanSeries returns Σ (-1)^k v^(2k+1)/(2k+1) for |v| < 1/2.
func bigAtanSeries(v *big.Float) *big.Float {
	sum := newF().Set(v)
	v2 := newF().Mul(v, v)
	v2.Neg(v2)
	pw := newF().Set(v)
	tiny := bigTiny()
	for k := int64(1); ; k++ {
		pw.Mul(pw, v2)
		t := newF().Quo(pw, bigInt(2*k+1))
		if newF().Abs(t).Cmp(tiny) < 0 {
			return sum
		}
		sum.Add(sum, t)
	}
}

// bigAtan returns atan v for 0 <= v <= 1 by halving the argument twice
// (atan v = 2 atan(v / (1 + sqrt(1 + v²)))).
func bigAtan(v *big.Float) *big.Float {
	w := newF().Set(v)
	for i := 0; i < 2; i++ {
		d := newF().Mul(w, w)
		d.Add(d, bigInt(1))
		d.Sqrt(d)
		d.Add(d, bigInt(1))
		w.Quo(w, d)
	}
	r := bigAtanSeries(w)
	return r.Mul(r, bigInt(4))
}

// bigPi uses Machin's formula π = 16 atan(1/5) - 4 atan(1/239).
func bigPi() *big.Float {
	a := bigAtanSeries(newF().Quo(bigInt(1), bigInt(5)))
	b := bigAtanSeries(newF().Quo(bigInt(1), bigInt(239)))
	a.Mul(a, bigInt(16))
	b.Mul(b, bigInt(4))
	return a.Sub(a, b)
}

// bigLog returns log v for v in [0.5, 2] as 2 atanh((v-1)/(v+1)).
func bigLog(v *big.Float) *big.Float {
	n := newF().Sub(v, bigInt(1))
	d := newF().Add(v, bigInt(1))
	r := bigAtanh(n.Quo(n, d))
	return r.Mul(r, bigInt(2))
}

// bigExp returns e^v for |v| <= 1 by its Taylor series.
func bigExp(v *big.Float) *big.Float {
	sum := bigInt(1)
	t := bigInt(1)
	tiny := bigTiny()
	for k := int64(1); ; k++ {
		t.Mul(t, v)
		t.Quo(t, bigInt(k))
		if newF().Abs(t).Cmp(tiny) < 0 {
			return sum
		}
		sum.Add(sum, t)
	}
}

// round53 rounds v to the nearest float64.
func round53(v *big.Float) float64 { f, _ := v.Float64(); return f }

// dd splits v into a double-double (hi, lo).
func dd(v *big.Float) [2]float64 {
	hi := round53(v)
	return [2]float64{hi, round53(newF().Sub(v, bf(hi)))}
}

// trunc returns v truncated toward zero to the given number of significant bits.
func trunc(v *big.Float, bits uint) float64 {
	t := new(big.Float).SetMode(big.ToZero).SetPrec(bits)
	t.Set(v)
	f, acc := t.Float64()
	if acc != big.Exact {
		panic("trunc")
	}
	return f
}

type genTables struct {
	scalars []struct {
		name, doc string
		v         float64
	}
	twoOverPi [20]uint64
	atan      [9][2]float64
	exp2      [32][2]float64
	logc      [91][2]float64
}

func (g *genTables) scalar(name, doc string, v float64) {
	g.scalars = append(g.scalars, struct {
		name, doc string
		v         float64
	}{name, doc, v})
}

func computeTables() *genTables {
	g := &genTables{}
	pi := bigPi()
	pio2 := newF().Quo(pi, bigInt(2))
	// π/2 in three 33-bit pieces and a tail.
	rest := newF().Set(pio2)
	var parts [3]float64
	for i := range parts {
		parts[i] = trunc(rest, 33)
		rest.Sub(rest, bf(parts[i]))
	}
	g.scalar("pio2_1", "first 33 bits of π/2", parts[0])
	g.scalar("pio2_2", "next 33 bits of π/2", parts[1])
	g.scalar("pio2_3", "next 33 bits of π/2", parts[2])
	g.scalar("pio2_3t", "π/2 - pio2_1 - pio2_2 - pio2_3, rounded", round53(rest))
	p := dd(pio2)
	g.scalar("pio2Hi", "π/2 rounded", p[0])
	g.scalar("pio2Lo", "π/2 - pio2Hi, rounded", p[1])
	p = dd(pi)
	g.scalar("piHi", "π rounded (= math.Pi)", p[0])
	g.scalar("piLo", "π - piHi, rounded", p[1])
	p = dd(newF().Mul(pi, bigInt(2)))
	g.scalar("twoPiHi", "2π rounded", p[0])
	g.scalar("twoPiLo", "2π - twoPiHi, rounded", p[1])
	twoOverPi := newF().Quo(bigInt(2), pi)
	g.scalar("invPio2", "2/π rounded", round53(twoOverPi))
	// Bits of 2/π after the binary point, 64 per word.
	frac := newF().Set(twoOverPi)
	for i := range g.twoOverPi {
		frac.SetMantExp(frac, 64)
		w, _ := frac.Int(nil)
		g.twoOverPi[i] = w.Uint64()
		frac.Sub(frac, newF().SetInt(w))
	}
	for k := 1; k <= 8; k++ {
		g.atan[k] = dd(bigAtan(newF().Quo(bigInt(int64(k)), bigInt(8))))
	}
	ln2 := bigAtanh(newF().Quo(bigInt(1), bigInt(3)))
	ln2.Mul(ln2, bigInt(2))
	for j := range g.exp2 {
		v := newF().Mul(ln2, bigInt(int64(j)))
		g.exp2[j] = dd(bigExp(v.Quo(v, bigInt(32))))
	}
	ln2Hi := trunc(ln2, 32)
	ln2Lo := round53(newF().Sub(ln2, bf(ln2Hi)))
	g.scalar("ln2Hi", "first 32 bits of ln 2", ln2Hi)
	g.scalar("ln2Lo", "ln 2 - ln2Hi, rounded", ln2Lo)
	g.scalar("ln2Hi32", "ln2Hi/32", ln2Hi/32)
	g.scalar("ln2Lo32", "ln2Lo/32", ln2Lo/32)
	g.scalar("invLn2x32", "32/ln 2 rounded", round53(newF().Quo(bigInt(32), ln2)))
	for i := range g.logc {
		invc := 128 / float64(i+91) // as computed at run time
		l := bigLog(bf(invc))
		g.logc[i] = dd(l.Neg(l))
	}
	ln10 := bigAtanh(newF().Quo(bigInt(1), bigInt(9)))
	ln10.Mul(ln10, bigInt(2))
	ln10.Add(ln10, newF().Mul(ln2, bigInt(3)))
	p = dd(newF().Quo(bigInt(1), ln10))
	g.scalar("invLn10Hi", "1/ln 10 rounded", p[0])
	g.scalar("invLn10Lo", "1/ln 10 - invLn10Hi, rounded", p[1])
	return g
}

func hexf(v float64) string { return strconv.FormatFloat(v, 'x', -1, 64) }

func (g *genTables) source() []byte {
	var b bytes.Buffer
	b.WriteString("// Code generated by TestTables (go test -run TestTables -update-tables); DO NOT EDIT.\n\n")
	b.WriteString("package dmath\n\n")
	b.WriteString("// Scalar constants, exact float64 values.\nconst (\n")
	for _, s := range g.scalars {
		fmt.Fprintf(&b, "%s = %s // %s\n", s.name, hexf(s.v), s.doc)
	}
	b.WriteString(")\n\n")
	b.WriteString("// twoOverPiBits holds the binary expansion of 2/π after the binary point,\n// most significant bits first.\nvar twoOverPiBits = [...]uint64{\n")
	for _, w := range g.twoOverPi {
		fmt.Fprintf(&b, "%#016x,\n", w)
	}
	b.WriteString("}\n\n")
	pairs := func(name, doc string, tab [][2]float64) {
		fmt.Fprintf(&b, "// %s\nvar %s = [...][2]float64{\n", doc, name)
		for _, p := range tab {
			fmt.Fprintf(&b, "{%s, %s},\n", hexf(p[0]), hexf(p[1]))
		}
		b.WriteString("}\n\n")
	}
	pairs("atanTab", "atanTab[k] is atan(k/8) as a double-double (hi, lo).", g.atan[:])
	pairs("exp2Tab", "exp2Tab[j] is 2^(j/32) as a double-double (hi, lo).", g.exp2[:])
	b.WriteString("// logcFirst is the index j of logcTab[0].\nconst logcFirst = 91\n\n")
	pairs("logcTab", "logcTab[j-logcFirst] is -log(128/j rounded to float64) as a double-double, j = 91..181.", g.logc[:])
	src, err := format.Source(b.Bytes())
	if err != nil {
		panic(err)
	}
	return src
}

func TestTables(t *testing.T) {
	src := computeTables().source()
	if *updateTables {
		if err := os.WriteFile("tables.go", src, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile("tables.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, src) {
		t.Fatal("tables.go differs from the math/big computation; run go test -run TestTables -update-tables and review")
	}
	// Spot checks against independent facts.
	// (Typed float64 values: untyped constants would compare exactly.)
	pi, twoOverPi, ln2, sqrt2 := math.Pi, 2/math.Pi, math.Ln2, math.Sqrt2
	if piHi != pi || invPio2 != twoOverPi || twoOverPiBits[0] != 0xa2f9836e4e441529 {
		t.Errorf("π constants look wrong: %v %v %#x", piHi, invPio2, twoOverPiBits[0])
	}
	if float64(ln2Hi)+ln2Lo != ln2 || exp2Tab[16][0] != sqrt2 || atanTab[8][0] != pi/4 {
		t.Error("ln2/exp2/atan constants look wrong")
	}
}
