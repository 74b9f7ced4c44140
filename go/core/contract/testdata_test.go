package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
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

// The corpus in tests/testdata/packages pins what Parse makes of each
// document (the Python tests read the same files through the library):
//
//   - valid/NAME.json parses; json.Marshal of the parsed package equals
//     valid/NAME.normalized.json (go test -run Corpus -update rewrites
//     them); valid/NAME.unknown, where present, lists the unknown keys:
//     strict mode rejects the document with exactly those paths, lenient
//     mode accepts it and warns about each.
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

// corpusFilesFor lists the corpus documents in sub, for the fuzz seeds.
func corpusFilesFor(sub string) []string {
	all, _ := filepath.Glob(filepath.Join(corpusDir, sub, "*.json"))
	var out []string
	for _, f := range all {
		if !strings.HasSuffix(f, ".normalized.json") {
			out = append(out, f)
		}
	}
	return out
}

func readFile(name string) []byte {
	data, err := os.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return data
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

var update = flag.Bool("update", false, "rewrite the corpus's normalized.json files")

func TestCorpusValid(t *testing.T) {
	for _, f := range corpusFiles(t, "valid") {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var wantUnknown []string
			if b, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".unknown"); err == nil {
				wantUnknown = lines(b)
			}
			p, warnings, err := ParseWith(data, Options{Lenient: true})
			if err != nil {
				t.Fatalf("lenient Parse: %v", err)
			}
			var gotUnknown []string
			for _, w := range warnings {
				gotUnknown = append(gotUnknown, w.Path)
			}
			if !reflect.DeepEqual(uniq(gotUnknown), uniq(wantUnknown)) {
				t.Errorf("lenient warnings at %q, want %q", gotUnknown, wantUnknown)
			}
			_, strictErr := Parse(data)
			if len(wantUnknown) == 0 && strictErr != nil {
				t.Errorf("strict Parse: %v", strictErr)
			}
			if len(wantUnknown) > 0 {
				var ve *ValidationError
				if !errors.As(strictErr, &ve) {
					t.Fatalf("strict Parse accepted unknown keys (err %v)", strictErr)
				}
				var got []string
				for _, pr := range ve.Problems {
					got = append(got, pr.Path)
				}
				if !reflect.DeepEqual(uniq(got), uniq(wantUnknown)) {
					t.Errorf("strict problems at %q, want %q", got, wantUnknown)
				}
			}
			out, err := json.MarshalIndent(p, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			normPath := strings.TrimSuffix(f, ".json") + ".normalized.json"
			if *update {
				if err := os.WriteFile(normPath, append(out, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			norm, err := os.ReadFile(normPath)
			if err != nil {
				t.Fatalf("missing normalised form (go test -run Corpus -update writes it): %v", err)
			}
			want := decodeExact(t, norm)
			if d := sameJSON(decodeExact(t, out), want, "package"); d != "" {
				t.Errorf("parsed form differs from %s: %s", filepath.Base(normPath), d)
			}
			// The normalised form parses to itself.
			if d := sameJSON(decodeExact(t, marshalParsed(t, norm)), want, "package"); d != "" {
				t.Errorf("the normalised form does not round-trip: %s", d)
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
