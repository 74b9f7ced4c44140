package contract

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// FuzzParse feeds documents to ParseWith in strict and lenient mode and
// requires that it never panics, finishes quickly, and that what it accepts
// is consistent: a package strict mode accepts, lenient mode accepts without
// warnings; an accepted package is valid, and written out and parsed again it
// is the same package. The seed corpus is tests/testdata/packages plus
// testdata/fuzz/FuzzParse.
//
// make test runs it for a few seconds; the CI fuzz job runs it longer:
//
//	go test ./go/core/contract -run '^$' -fuzz FuzzParse -fuzztime 5m
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"valid", "invalid"} {
		for _, name := range corpusFilesFor(dir) {
			f.Add(readFile(name))
		}
	}
	controllers := []string{"idle", "agent", "patrol"}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		strict, _, errStrict := ParseWith(data, Options{Controllers: controllers})
		lenient, warnings, errLenient := ParseWith(data, Options{Lenient: true, Controllers: controllers})
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("parsing took %v", d)
		}
		if errStrict == nil {
			if errLenient != nil || len(warnings) > 0 {
				t.Fatalf("strict accepted, lenient: err %v, warnings %v", errLenient, warnings)
			}
			if !reflect.DeepEqual(strict, lenient) {
				t.Fatal("strict and lenient parsed the same document differently")
			}
		}
		if errLenient != nil {
			return
		}
		if err := lenient.ValidateWith(Options{Controllers: controllers}); err != nil {
			t.Fatalf("accepted an invalid package: %v", err)
		}
		out, err := json.Marshal(lenient)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		again, _, err := ParseWith(out, Options{Controllers: controllers})
		if err != nil {
			t.Fatalf("the written package does not parse: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(again, lenient) {
			t.Fatalf("the written package parses differently:\n%s", out)
		}
	})
}
