package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SyntaxError is a document that is not JSON (or not UTF-8).
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
type defaulted interface{ setDefaults(obj map[string]any) }

// normalized is implemented by types with a rule applied after decoding.
type normalized interface{ normalize() }

// readTree reads data as one JSON value into plain Go values (objects as
// map[string]any, arrays as []any, numbers as json.Number), checking the
// size, the UTF-8, the nesting depth and duplicate keys. A problem found
// there is returned as a *ValidationError naming its path.
func readTree(data []byte) (any, error) {
	if len(data) > MaxPackageBytes {
		return nil, &ValidationError{Problems: []FieldError{{Message: fmt.Sprintf(
			"document is %d bytes, more than the limit of %d", len(data), MaxPackageBytes)}}}
	}
	if !utf8.Valid(data) {
		bad := 0
		for bad < len(data) {
			r, n := utf8.DecodeRune(data[bad:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			bad += n
		}
		return nil, &SyntaxError{Offset: int64(bad), Msg: "not valid UTF-8"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	r := treeReader{dec: dec}
	v, ok := r.value("", 1)
	if ok {
		if _, err := dec.Token(); err != io.EOF {
			r.fail(&SyntaxError{Offset: dec.InputOffset(), Msg: "extra data after the top-level value"})
			ok = false
		}
	}
	if !ok {
		return nil, r.err
	}
	return v, nil
}

type treeReader struct {
	dec *json.Decoder
	err error
}

func (r *treeReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *treeReader) syntax(err error) {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		r.fail(&SyntaxError{Offset: se.Offset, Msg: se.Error()})
	case err == io.EOF && r.dec.InputOffset() == 0:
		r.fail(&SyntaxError{Offset: -1, Msg: "empty document"})
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		r.fail(&SyntaxError{Offset: r.dec.InputOffset(), Msg: "unexpected end of JSON input"})
	default:
		r.fail(&SyntaxError{Offset: r.dec.InputOffset(), Msg: err.Error()})
	}
}

func (r *treeReader) problem(path, format string, args ...any) {
	r.fail(&ValidationError{Problems: []FieldError{{Path: path, Message: fmt.Sprintf(format, args...)}}})
}

func (r *treeReader) value(path string, depth int) (any, bool) {
	tok, err := r.dec.Token()
	if err != nil {
		r.syntax(err)
		return nil, false
	}
	d, isDelim := tok.(json.Delim)
	if !isDelim {
		return tok, true // string, bool, json.Number or nil
	}
	if depth > MaxDepth {
		r.problem(pathOr(path), "nested deeper than %d levels", MaxDepth)
		return nil, false
	}
	if d == '[' {
		arr := []any{}
		for r.dec.More() {
			v, ok := r.value(fmt.Sprintf("%s[%d]", path, len(arr)), depth+1)
			if !ok {
				return nil, false
			}
			arr = append(arr, v)
		}
		if _, err := r.dec.Token(); err != nil {
			r.syntax(err)
			return nil, false
		}
		return arr, true
	}
	obj := map[string]any{}
	for r.dec.More() {
		kt, err := r.dec.Token()
		if err != nil {
			r.syntax(err)
			return nil, false
		}
		key, _ := kt.(string)
		if _, dup := obj[key]; dup {
			r.problem(join(path, key), "duplicate key")
			return nil, false
		}
		v, ok := r.value(join(path, key), depth+1)
		if !ok {
			return nil, false
		}
		obj[key] = v
	}
	if _, err := r.dec.Token(); err != nil {
		r.syntax(err)
		return nil, false
	}
	return obj, true
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
func (d *decoder) value(v reflect.Value, val any, path string, c *Constraint) {
	if val == nil {
		if v.Kind() == reflect.Pointer || v.Type() == rawMessageType {
			v.SetZero() // null sets a pointer to nil ...
		}
		return // ... and leaves any other value as it was (its default)
	}
	t := v.Type()
	where := pathOr(path)
	if t == rawMessageType {
		b, err := json.Marshal(val)
		if err != nil {
			d.problems.add(where, "cannot be encoded again: %v", err)
			return
		}
		v.SetBytes(b)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		elem := reflect.New(t.Elem())
		if obj, ok := val.(map[string]any); ok {
			if df, ok := elem.Interface().(defaulted); ok {
				df.setDefaults(obj)
			}
		}
		d.value(elem.Elem(), val, path, c)
		v.Set(elem)
	case reflect.Struct:
		obj, ok := val.(map[string]any)
		if !ok {
			d.problems.add(where, "must be an object (got %s)", jsonKind(val))
			return
		}
		d.object(v, obj, path)
	case reflect.Slice:
		arr, ok := val.([]any)
		if !ok {
			d.problems.add(where, "must be an array (got %s)", jsonKind(val))
			return
		}
		if !d.checkLen(where, len(arr), c.Len) {
			return
		}
		inner := &Constraint{Range: c.Range, Len: c.Inner}
		s := reflect.MakeSlice(t, len(arr), len(arr))
		for i, e := range arr {
			ev := s.Index(i)
			if obj, ok := e.(map[string]any); ok {
				if df, ok := ev.Addr().Interface().(defaulted); ok {
					df.setDefaults(obj)
				}
			}
			d.element(ev, e, fmt.Sprintf("%s[%d]", path, i), inner)
		}
		v.Set(s)
	case reflect.Array:
		arr, ok := val.([]any)
		if !ok {
			d.problems.add(where, "must be an array (got %s)", jsonKind(val))
			return
		}
		if len(arr) != t.Len() {
			d.problems.add(where, "must have exactly %d elements (got %d)", t.Len(), len(arr))
			return
		}
		for i, e := range arr {
			d.element(v.Index(i), e, fmt.Sprintf("%s[%d]", path, i), c)
		}
	case reflect.Map:
		obj, ok := val.(map[string]any)
		if !ok {
			d.problems.add(where, "must be an object (got %s)", jsonKind(val))
			return
		}
		if !d.checkLen(where, len(obj), c.Len) {
			return
		}
		m := reflect.MakeMapWithSize(t, len(obj))
		for _, k := range sortedKeys(obj) {
			ev := reflect.New(t.Elem()).Elem()
			d.element(ev, obj[k], join(path, k), &Constraint{Range: c.Range})
			m.SetMapIndex(reflect.ValueOf(k), ev)
		}
		v.Set(m)
	case reflect.String:
		s, ok := val.(string)
		if !ok {
			d.problems.add(where, "must be a string (got %s)", jsonKind(val))
			return
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := val.(bool)
		if !ok {
			d.problems.add(where, "must be true or false (got %s)", jsonKind(val))
			return
		}
		v.SetBool(b)
	case reflect.Float64:
		n, ok := val.(json.Number)
		if !ok {
			d.problems.add(where, "must be a number (got %s)", jsonKind(val))
			return
		}
		f, err := strconv.ParseFloat(n.String(), 64)
		if err != nil {
			d.problems.add(where, "number out of range for a float64 (got %s)", n)
			return
		}
		v.SetFloat(f)
	case reflect.Int, reflect.Uint64:
		n, ok := val.(json.Number)
		if !ok {
			d.problems.add(where, "must be an integer (got %s)", jsonKind(val))
			return
		}
		s := n.String()
		switch {
		case strings.ContainsAny(s, ".eE"):
			d.problems.add(where, "must be an integer (got %s)", s)
		case t.Kind() == reflect.Uint64 && strings.HasPrefix(s, "-"):
			d.problems.add(where, "must be a non-negative integer (got %s)", s)
		case t.Kind() == reflect.Uint64:
			u, err := strconv.ParseUint(s, 10, 64)
			if err != nil {
				d.problems.add(where, "integer out of range (got %s)", s)
				return
			}
			v.SetUint(u)
		default:
			i, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				d.problems.add(where, "integer out of range (got %s)", s)
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
func (d *decoder) element(v reflect.Value, val any, path string, c *Constraint) {
	if val == nil && v.Type() != rawMessageType {
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
func (d *decoder) object(v reflect.Value, obj map[string]any, path string) {
	fields := d.types.fields(v.Type())
	byName := make(map[string]*field, len(fields))
	for i := range fields {
		byName[fields[i].name] = &fields[i]
	}
	var unknown []string
	for _, k := range sortedKeys(obj) {
		if _, ok := byName[k]; !ok {
			unknown = append(unknown, k)
		}
	}
	for _, k := range unknown {
		names := make([]string, len(fields))
		for i, f := range fields {
			names[i] = f.name
		}
		fe := FieldError{Path: join(path, k), Message: unknownMessage(k, names, d.opts.Lenient)}
		if d.opts.Lenient {
			d.warnings = append(d.warnings, fe)
		} else {
			d.problems.list = append(d.problems.list, fe)
		}
	}
	for i := range fields {
		f := &fields[i]
		if val, ok := obj[f.name]; ok {
			d.value(v.Field(f.index), val, join(path, f.name), &f.c)
		}
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
