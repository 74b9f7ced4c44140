package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/tidebreak/tidebreak/go/core/jsontree"
)

// SyntaxError is a document that is not strict JSON (or not UTF-8, nested
// too deeply, with a repeated key or too many values).
type SyntaxError struct {
	Offset int64 // byte offset of the error, -1 when unknown
	Msg    string
}

func (e *SyntaxError) Error() string {
	if e.Offset < 0 {
		return "invalid JSON: " + e.Msg
	}
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.Offset, e.Msg)
}

// defaulted is implemented by types whose zero value is not their default:
// a JSON object decoded into one starts from setDefaults(the object).
type defaulted interface{ setDefaults(obj jsontree.Value) }

// normalized is implemented by types with a rule applied after decoding.
type normalized interface{ normalize() }

// readTree reads data as one strict JSON value (jsontree: exact unique
// keys, valid UTF-8, bounded depth and number of values) after checking its
// size.
func readTree(data []byte, maxBytes int) (jsontree.Value, error) {
	if len(data) > maxBytes {
		return jsontree.Value{}, &ValidationError{Problems: []FieldError{{Message: fmt.Sprintf(
			"document is %d bytes, more than the limit of %d", len(data), maxBytes)}}}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return jsontree.Value{}, &SyntaxError{Offset: -1, Msg: "empty document"}
	}
	t, err := jsontree.Parse(data, jsontree.Limits{MaxDepth: MaxDepth, MaxValues: MaxValues})
	if err != nil {
		var se *jsontree.SyntaxError
		if errors.As(err, &se) {
			return jsontree.Value{}, &SyntaxError{Offset: int64(se.Offset), Msg: se.Msg}
		}
		return jsontree.Value{}, &SyntaxError{Offset: -1, Msg: err.Error()}
	}
	return t.Root(), nil
}

// decoder turns a tree from readTree into typed values: keys match exactly,
// missing keys keep their defaults, null means absent, and every value must
// have its field's JSON kind. A list or map longer than its field allows is
// refused before anything is allocated for it.
type decoder struct {
	opts     Options
	types    typeCache
	problems problems
	warnings []FieldError
}

func pathOr(path string) string {
	if path == "" {
		return "package"
	}
	return path
}

// value decodes val into v (settable) at path; c is the field's constraint.
func (d *decoder) value(v reflect.Value, val jsontree.Value, path string, c *Constraint) {
	if val.Kind() == jsontree.Null {
		if v.Kind() == reflect.Pointer || v.Type() == rawMessageType {
			v.SetZero() // null sets a pointer to nil ...
		}
		return // ... and leaves any other value as it was (its default)
	}
	t := v.Type()
	where := pathOr(path)
	if t == rawMessageType {
		var b bytes.Buffer
		_ = json.Compact(&b, val.Raw()) // valid JSON: jsontree parsed it
		v.SetBytes(b.Bytes())
		return
	}
	kind := val.Kind()
	switch t.Kind() {
	case reflect.Pointer:
		elem := reflect.New(t.Elem())
		if kind == jsontree.Object {
			if df, ok := elem.Interface().(defaulted); ok {
				df.setDefaults(val)
			}
		}
		d.value(elem.Elem(), val, path, c)
		v.Set(elem)
	case reflect.Struct:
		if kind != jsontree.Object {
			d.problems.add(where, "must be an object (got %s)", kind)
			return
		}
		d.object(v, val, path)
	case reflect.Slice:
		if kind != jsontree.Array {
			d.problems.add(where, "must be an array (got %s)", kind)
			return
		}
		n := val.Len()
		if !d.checkLen(where, n, c.Len) {
			return
		}
		inner := &Constraint{Range: c.Range, Len: c.Inner}
		s := reflect.MakeSlice(t, n, n)
		i := 0
		for e := val.First(); e.Valid(); e = e.Next() {
			ev := s.Index(i)
			if e.Kind() == jsontree.Object {
				if df, ok := ev.Addr().Interface().(defaulted); ok {
					df.setDefaults(e)
				}
			}
			d.element(ev, e, fmt.Sprintf("%s[%d]", path, i), inner)
			i++
		}
		v.Set(s)
	case reflect.Array:
		if kind != jsontree.Array {
			d.problems.add(where, "must be an array (got %s)", kind)
			return
		}
		if val.Len() != t.Len() {
			d.problems.add(where, "must have exactly %d elements (got %d)", t.Len(), val.Len())
			return
		}
		i := 0
		for e := val.First(); e.Valid(); e = e.Next() {
			d.element(v.Index(i), e, fmt.Sprintf("%s[%d]", path, i), c)
			i++
		}
	case reflect.Map:
		if kind != jsontree.Object {
			d.problems.add(where, "must be an object (got %s)", kind)
			return
		}
		if !d.checkLen(where, val.Len(), c.Len) {
			return
		}
		m := reflect.MakeMapWithSize(t, val.Len())
		for e := val.First(); e.Valid(); e = e.Next() {
			ev := reflect.New(t.Elem()).Elem()
			d.element(ev, e, join(path, e.Key()), &Constraint{Range: c.Range})
			m.SetMapIndex(reflect.ValueOf(e.Key()), ev)
		}
		v.Set(m)
	case reflect.String:
		s, err := val.Str()
		if err != nil {
			d.problems.add(where, "must be a string (got %s)", kind)
			return
		}
		v.SetString(s)
	case reflect.Bool:
		b, err := val.Bool()
		if err != nil {
			d.problems.add(where, "must be true or false (got %s)", kind)
			return
		}
		v.SetBool(b)
	case reflect.Float64:
		if kind != jsontree.Number {
			d.problems.add(where, "must be a number (got %s)", kind)
			return
		}
		f, err := val.Float64()
		if err != nil {
			d.problems.add(where, "number out of range for a float64 (got %s)", val.Raw())
			return
		}
		v.SetFloat(f)
	case reflect.Int, reflect.Uint64:
		if kind != jsontree.Number {
			d.problems.add(where, "must be an integer (got %s)", kind)
			return
		}
		raw := val.Raw()
		switch {
		case bytes.ContainsAny(raw, ".eE"):
			d.problems.add(where, "must be an integer (got %s)", raw)
		case t.Kind() == reflect.Uint64 && raw[0] == '-':
			d.problems.add(where, "must be a non-negative integer (got %s)", raw)
		case t.Kind() == reflect.Uint64:
			u, err := val.Uint64()
			if err != nil {
				d.problems.add(where, "integer out of range (got %s)", raw)
				return
			}
			v.SetUint(u)
		default:
			i, err := val.Int64()
			if err != nil {
				d.problems.add(where, "integer out of range (got %s)", raw)
				return
			}
			v.SetInt(i)
		}
	default:
		panic(fmt.Sprintf("contract: cannot decode into %s", t))
	}
}

// element decodes a list element or map value, where null is not allowed
// (it means "absent" only for an object's keys).
func (d *decoder) element(v reflect.Value, val jsontree.Value, path string, c *Constraint) {
	if val.Kind() == jsontree.Null && v.Type() != rawMessageType {
		d.problems.add(path, "must be %s (got null)", kindWord(v.Type()))
		return
	}
	d.value(v, val, path, c)
}

// kindWord names the JSON kind a Go type decodes from.
func kindWord(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Uint64:
		return "an integer"
	case reflect.Pointer:
		return kindWord(t.Elem())
	}
	return "a number"
}

func (d *decoder) checkLen(where string, n int, bounds *[2]int) bool {
	if bounds != nil && n > bounds[1] {
		d.problems.add(where, "must have at most %d elements (got %d)", bounds[1], n)
		return false
	}
	return true
}

// object decodes obj into the struct v, key by key over v's current value.
func (d *decoder) object(v reflect.Value, obj jsontree.Value, path string) {
	fields := d.types.fields(v.Type())
	byName := make(map[string]*field, len(fields))
	names := make([]string, len(fields))
	for i := range fields {
		byName[fields[i].name] = &fields[i]
		names[i] = fields[i].name
	}
	for m := obj.First(); m.Valid(); m = m.Next() {
		f, ok := byName[m.Key()]
		if !ok {
			fe := FieldError{Path: join(path, m.Key()), Message: unknownMessage(m.Key(), names, d.opts.Lenient)}
			if d.opts.Lenient {
				d.warnings = append(d.warnings, fe)
			} else {
				d.problems.list = append(d.problems.list, fe)
			}
			continue
		}
		d.value(v.Field(f.index), m, join(path, f.name), &f.c)
	}
	if n, ok := v.Addr().Interface().(normalized); ok {
		n.normalize()
	}
}

// unknownMessage words the problem with an unknown key, suggesting the
// known key it most likely misspells.
func unknownMessage(key string, known []string, lenient bool) string {
	msg := "unknown field"
	if lenient {
		msg = "unknown field ignored (lenient mode)"
	}
	if s := Suggest(key, known); s != "" {
		return fmt.Sprintf("%s; did you mean %q?", msg, s)
	}
	if len(known) <= 12 {
		sorted := append([]string(nil), known...)
		sort.Strings(sorted)
		return fmt.Sprintf("%s (known: %s)", msg, strings.Join(sorted, ", "))
	}
	return msg
}

// Suggest returns the name in known that key most likely misspells, or ""
// when none is close: the same name in another case, or the nearest name
// within an edit distance of about a third of its length.
func Suggest(key string, known []string) string {
	best, bestDist := "", -1
	for _, k := range known {
		if strings.EqualFold(k, key) {
			return k
		}
		dist := editDistance(strings.ToLower(key), k)
		limit := max(1, min(3, len(k)/3))
		if dist <= limit && (bestDist < 0 || dist < bestDist) {
			best, bestDist = k, dist
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance (adjacent swaps count
// one) between a and b, over bytes.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 30 // no key is that long; do not spend time on it
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
