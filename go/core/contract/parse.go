package contract

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/tidebreak/tidebreak/go/core/jsontree"
)

// Options adjust how a package is read.
type Options struct {
	// Lenient accepts keys arena.v1 does not define, ignoring them and
	// reporting each as a warning, instead of rejecting the package. It is
	// the forward-compatible mode: a newer producer's extra keys are read
	// by an older arena. The default (strict) catches typos.
	Lenient bool
	// Controllers lists the names a ship's controller may take (the arena's
	// registry: arena.ControllerNames). Nil accepts any non-empty name.
	Controllers []string
}

// Parse decodes, defaults and validates a BattlePackage in strict mode,
// accepting any non-empty controller name. A document that is not JSON is
// reported as a *SyntaxError; every other problem (a value of the wrong
// kind, an unknown key, a broken rule) as a *ValidationError listing each
// with the path of the field at fault.
func Parse(data []byte) (*BattlePackage, error) {
	p, _, err := ParseWith(data, Options{})
	return p, err
}

// ParseWith is Parse with options. In lenient mode the unknown keys it
// ignored are returned as warnings (path and message).
//
// Decoding happens in two stages. First the document is read: its size,
// UTF-8, nesting depth and duplicate keys, then every key (matched
// exactly), the JSON kind of every value and the length of every list are
// checked; problems there stop the parse. Then defaults are filled and every
// rule is checked, and all broken rules are reported.
func ParseWith(data []byte, opts Options) (*BattlePackage, []FieldError, error) {
	p := new(BattlePackage)
	warnings, err := Decode(data, p, opts)
	if err != nil {
		return nil, warnings, err
	}
	if err := p.ValidateWith(opts); err != nil {
		return nil, warnings, err
	}
	p.dropUnusedGuidance()
	return p, warnings, nil
}

// Decode reads data into v, a pointer to a struct, as Parse reads a
// package (exact keys, defaults, null as absent, kinds, list lengths before
// allocation) without checking the rules. Other JSON envelopes that carry a
// package (an env config, a replay's action log) use it so that they match
// keys exactly too.
func Decode(data []byte, v any, opts Options) ([]FieldError, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("contract: Decode needs a pointer to a struct, not %T", v)
	}
	root, err := readTree(data, MaxPackageBytes)
	if err != nil {
		return nil, err
	}
	d := decoder{opts: opts, types: typeCache{}}
	if root.Kind() != jsontree.Object {
		d.problems.add("package", "must be an object (got %s)", root.Kind())
		return nil, d.problems.err()
	}
	if df, ok := v.(defaulted); ok {
		df.setDefaults(root)
	}
	d.object(rv.Elem(), root, "")
	return d.warnings, d.problems.err()
}

// JoinPath appends key to a field path as the contract writes paths.
func JoinPath(path, key string) string { return join(path, key) }

// join appends key to a field path. A key that is not a plain name
// (letters, digits, "_" and "-") is written quoted in brackets, so a path
// stays unambiguous and printable: ammo["main gun"], x["\x00"].
func join(path, key string) string {
	if !plainKey(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func plainKey(key string) bool {
	if key == "" {
		return false
	}
	for _, r := range key {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
