package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The shared corpus in tests/testdata/packages keeps this package and the
// Python models in tidebreak.contracts in agreement:
//
//   - valid/NAME.json parses; json.Marshal of the parsed package equals
//     valid/NAME.normalized.json, which the Python models wrote
//     (model_dump(mode="json", exclude_none=True)); valid/NAME.unknown, where
//     present, lists the paths UnknownFields reports.
//   - invalid/NAME.json fails; invalid/NAME.expect lists the field paths at
//     fault (exactly), or for a document that is not even JSON, text the error
//     must contain.
const corpusDir = "../../../tests/testdata/packages"

func corpusFiles(t *testing.T, sub string) []string {
	t.Helper()
	all, err := filepath.Glob(filepath.Join(corpusDir, sub, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range all {
		if !strings.HasSuffix(f, ".normalized.json") {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no %s packages in %s", sub, corpusDir)
	}
	return out
}

// decodeExact decodes JSON keeping numbers as json.Number.
func decodeExact(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return v
}

// sameJSON reports where a and b (decoded with UseNumber) differ, comparing
// numbers by exact value so that 100, 100.0 and 1e2 are equal.
func sameJSON(a, b any, path string) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
		keys := map[string]bool{}
		for k := range x {
			keys[k] = true
		}
		for k := range y {
			keys[k] = true
		}
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			xv, xok := x[k]
			yv, yok := y[k]
			if xok != yok {
				return fmt.Sprintf("%s.%s: present %v vs %v", path, k, xok, yok)
			}
			if d := sameJSON(xv, yv, path+"."+k); d != "" {
				return d
			}
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
		for i := range x {
			if d := sameJSON(x[i], y[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
		if !sameNumber(x.String(), y.String()) {
			return fmt.Sprintf("%s: %s vs %s", path, x, y)
		}
		return ""
	default:
		if !reflect.DeepEqual(a, b) {
			return fmt.Sprintf("%s: %#v vs %#v", path, a, b)
		}
		return ""
	}
}

// sameNumber compares two JSON number literals: exactly when both are
// integers (u64 seeds), otherwise as the float64 values they denote (Go
// writes 2^64 as 18446744073709552000, Python as 1.8446744073709552e+19).
func sameNumber(a, b string) bool {
	if !strings.ContainsAny(a, ".eE") && !strings.ContainsAny(b, ".eE") {
		x, okx := new(big.Int).SetString(a, 10)
		y, oky := new(big.Int).SetString(b, 10)
		return okx && oky && x.Cmp(y) == 0
	}
	x, errx := strconv.ParseFloat(a, 64)
	y, erry := strconv.ParseFloat(b, 64)
	return errx == nil && erry == nil && x == y
}

func marshalParsed(t *testing.T, data []byte) []byte {
	t.Helper()
	p, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	return out
}

func TestCorpusValid(t *testing.T) {
	for _, f := range corpusFiles(t, "valid") {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			norm, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".normalized.json")
			if err != nil {
				t.Fatalf("missing Python-normalised form: %v", err)
			}
			want := decodeExact(t, norm)
			if d := sameJSON(decodeExact(t, marshalParsed(t, data)), want, "package"); d != "" {
				t.Errorf("Go's form differs from Python's: %s", d)
			}
			// Python's form, parsed by Go, is the same package.
			if d := sameJSON(decodeExact(t, marshalParsed(t, norm)), want, "package"); d != "" {
				t.Errorf("Python's form does not round-trip through Go: %s", d)
			}
			got, err := UnknownFields(data)
			if err != nil {
				t.Fatal(err)
			}
			var wantUnknown []string
			if b, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".unknown"); err == nil {
				wantUnknown = lines(b)
			}
			if !reflect.DeepEqual(got, wantUnknown) {
				t.Errorf("UnknownFields = %q, want %q", got, wantUnknown)
			}
		})
	}
}

func lines(b []byte) []string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

func TestCorpusInvalid(t *testing.T) {
	files := corpusFiles(t, "invalid")
	if len(files) < 15 {
		t.Errorf("only %d invalid packages", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			exp, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".expect")
			if err != nil {
				t.Fatalf("missing expectation: %v", err)
			}
			want := lines(exp)
			_, perr := Parse(data)
			if perr == nil {
				t.Fatal("Parse accepted an invalid package")
			}
			var ve *ValidationError
			if !errors.As(perr, &ve) {
				for _, w := range want {
					if !strings.Contains(perr.Error(), w) {
						t.Errorf("error %q does not mention %q", perr, w)
					}
				}
				return
			}
			var got []string
			for _, p := range ve.Problems {
				got = append(got, p.Path)
			}
			if !reflect.DeepEqual(uniq(got), uniq(want)) {
				t.Errorf("problem paths %q, want %q (error: %v)", uniq(got), uniq(want), perr)
			}
		})
	}
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// crossCheckResult is what TestCrossCheck reports for one document.
type crossCheckResult struct {
	OK         bool            `json:"ok"`
	Normalized json.RawMessage `json:"normalized,omitempty"`
	Problems   [][2]string     `json:"problems"`
	Error      string          `json:"error,omitempty"`
	Unknown    []string        `json:"unknown"`
}

// TestCrossCheck runs only when TIDEBREAK_CONTRACT_XCHECK names a file
// holding a JSON array of documents (each a JSON string); it writes what
// Parse and UnknownFields make of each to the same name plus ".out". The
// Python tests use it to compare both sides on generated documents.
func TestCrossCheck(t *testing.T) {
	in := os.Getenv("TIDEBREAK_CONTRACT_XCHECK")
	if in == "" {
		t.Skip("TIDEBREAK_CONTRACT_XCHECK not set")
	}
	data, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	if err := json.Unmarshal(data, &docs); err != nil {
		t.Fatal(err)
	}
	out := make([]crossCheckResult, len(docs))
	for i, doc := range docs {
		r := &out[i]
		r.Problems = [][2]string{}
		if u, err := UnknownFields([]byte(doc)); err == nil {
			r.Unknown = u
		}
		p, err := Parse([]byte(doc))
		if err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) {
				for _, pr := range ve.Problems {
					r.Problems = append(r.Problems, [2]string{pr.Path, pr.Message})
				}
			} else {
				r.Error = err.Error()
			}
			continue
		}
		r.OK = true
		if r.Normalized, err = json.Marshal(p); err != nil {
			t.Fatal(err)
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in+".out", b, 0o644); err != nil {
		t.Fatal(err)
	}
}
