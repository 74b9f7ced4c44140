package jsontree

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseRejects(t *testing.T) {
	for _, tc := range []struct {
		doc, want string
	}{
		{``, "unexpected end of input"},
		{`{"a":1,"a":2}`, `duplicate key "a"`},
		{`{"a":1} x`, "after the document"},
		{`{"a":1,}`, "want a key"},
		{`[1,]`, "want a value"},
		{`[1 2]`, "want ',' or ']'"},
		{`{"a" 1}`, "want ':'"},
		{`01`, "after the document"},
		{`1.`, "no digits after '.'"},
		{`.5`, "want a value"},
		{`-`, "malformed number"},
		{`1e`, "no digits in the exponent"},
		{`+1`, "want a value"},
		{`NaN`, "want a value"},
		{`Infinity`, "want a value"},
		{`"a` + "\x01" + `"`, "control byte"},
		{"\"\xff\"", "invalid UTF-8"},
		{`"\ud800"`, "lone UTF-16 surrogate"},
		{`"\udc00\ud800"`, "lone UTF-16 surrogate"},
		{`"\x"`, "invalid escape"},
		{`"\u12"`, `malformed \u escape`},
		{`"abc`, "unterminated string"},
		{strings.Repeat("[", 65) + strings.Repeat("]", 65), "nested deeper than 64"},
		{`tru`, "want a value"},
	} {
		_, err := Parse([]byte(tc.doc), Limits{})
		var se *SyntaxError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want a SyntaxError containing %q", tc.doc, err, tc.want)
		}
	}
}

func TestParseLimits(t *testing.T) {
	if _, err := Parse([]byte(`[1,2,3,4]`), Limits{MaxValues: 4}); err == nil || !strings.Contains(err.Error(), "more than 4 values") {
		t.Errorf("5 values under MaxValues 4: %v", err)
	}
	if _, err := Parse([]byte(`[[[1]]]`), Limits{MaxDepth: 2}); err == nil {
		t.Error("depth 3 accepted under MaxDepth 2")
	}
	if _, err := Parse([]byte(`[[1]]`), Limits{MaxDepth: 2}); err != nil {
		t.Errorf("depth 2 under MaxDepth 2: %v", err)
	}
}

func TestValues(t *testing.T) {
	tr, err := Parse([]byte(` {"Seed": 1, "seed": 18446744073709551615, "f": -0.5e-3, "big": 1e400,
		"s": "a\u00e9\ud83d\ude00\n\"", "b": true, "n": null, "arr": [1, 2.5, "x"]} `), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	root := tr.Root()
	if root.Kind() != Object || root.Len() != 8 {
		t.Fatalf("root: %v with %d members", root.Kind(), root.Len())
	}
	seed, _ := root.Member("seed")
	if u, err := seed.Uint64(); err != nil || u != 1<<64-1 {
		t.Errorf("seed = %d, %v", u, err)
	}
	if _, err := seed.Int64(); !errors.Is(err, ErrRange) {
		t.Errorf("seed as int64: %v, want ErrRange", err)
	}
	upper, _ := root.Member("Seed")
	if i, err := upper.Int64(); err != nil || i != 1 {
		t.Errorf("Seed (a different key) = %d, %v", i, err)
	}
	if _, ok := root.Member("SEED"); ok {
		t.Error("keys must match exactly")
	}
	f, _ := root.Member("f")
	if x, err := f.Float64(); err != nil || x != -0.5e-3 {
		t.Errorf("f = %v, %v", x, err)
	}
	if _, err := f.Int64(); err == nil {
		t.Error("a fraction read as an integer")
	}
	big, _ := root.Member("big")
	if _, err := big.Float64(); !errors.Is(err, ErrRange) {
		t.Errorf("1e400: %v, want ErrRange", err)
	}
	s, _ := root.Member("s")
	if str, err := s.Str(); err != nil || str != "aé😀\n\"" {
		t.Errorf("s = %q, %v", str, err)
	}
	if _, err := s.Float64(); err == nil {
		t.Error("a string read as a number")
	}
	b, _ := root.Member("b")
	if v, err := b.Bool(); err != nil || !v {
		t.Errorf("b = %v, %v", v, err)
	}
	n, _ := root.Member("n")
	if n.Kind() != Null {
		t.Errorf("n is %v", n.Kind())
	}
	arr, _ := root.Member("arr")
	var kinds []Kind
	for e := arr.First(); e.Valid(); e = e.Next() {
		kinds = append(kinds, e.Kind())
	}
	if fmt.Sprint(kinds) != fmt.Sprint([]Kind{Number, Number, String}) {
		t.Errorf("arr kinds %v", kinds)
	}
	if st, end := arr.Span(); string(tr.src[st:end]) != `[1, 2.5, "x"]` {
		t.Errorf("arr span %q", tr.src[st:end])
	}
	var zero Value
	if zero.Valid() || zero.Len() != 0 || zero.First().Valid() || zero.Raw() != nil {
		t.Error("the zero Value must be invalid and empty")
	}
}

func TestManyKeysDuplicate(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 100 {
		fmt.Fprintf(&b, `"k%d":%d,`, i, i)
	}
	b.WriteString(`"k57":0}`)
	if _, err := Parse([]byte(b.String()), Limits{}); err == nil || !strings.Contains(err.Error(), `duplicate key "k57"`) {
		t.Errorf("duplicate in a large object: %v", err)
	}
}

// FuzzParse checks that Parse never accepts what encoding/json rejects and
// never panics.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":null}],"c":"\u00e9"}`, `[]`, `-0.0e+1`, `"\ud83d\ude00"`, `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := Parse(data, Limits{MaxDepth: 32, MaxValues: 1 << 12})
		if err != nil {
			return
		}
		if !json.Valid(data) {
			t.Fatalf("accepted %q, which encoding/json rejects", data)
		}
		var walk func(v Value)
		walk = func(v Value) {
			switch v.Kind() {
			case Number:
				_, _ = v.Float64()
				_, _ = v.Int64()
			case String:
				s, err := v.Str()
				var want string
				if err != nil || json.Unmarshal(v.Raw(), &want) != nil || s != want {
					t.Fatalf("string %q decoded as %q, encoding/json says %q", v.Raw(), s, want)
				}
			}
			for c := v.First(); c.Valid(); c = c.Next() {
				walk(c)
			}
		}
		walk(tr.Root())
	})
}

func ExampleParse() {
	tr, err := Parse([]byte(`{"tick": 60, "Tick": 1.5}`), Limits{})
	if err != nil {
		fmt.Println(err)
		return
	}
	tick, _ := tr.Root().Member("tick")
	n, _ := tick.Int64()
	other, _ := tr.Root().Member("Tick")
	_, err = other.Int64()
	fmt.Println(n, err)
	_, err = Parse([]byte(`{"tick": 1, "tick": 2}`), Limits{})
	fmt.Println(err)
	// Output:
	// 60 1.5 is not an integer
	// invalid JSON at byte 12: duplicate key "tick"
}
