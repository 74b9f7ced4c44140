package contract

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// Limits on a package as a whole. Every field's own bounds are in its `tb`
// struct tag; the Limits table in docs/trust.md lists both.
const (
	// MaxPackageBytes is the largest package document Parse reads.
	MaxPackageBytes = 8 << 20
	// MaxDepth is the deepest nesting of objects and arrays Parse reads.
	MaxDepth = 32
	// MaxStringBytes bounds every string and map key (UTF-8 bytes).
	MaxStringBytes = 256
	// MaxValues bounds the values (of every kind) in a document.
	MaxValues = 1 << 20
)

// Interval is a closed, open or half-open range of numbers.
type Interval struct {
	Lo, Hi         float64
	LoOpen, HiOpen bool
	// LoText and HiText are the ends as written in the tag (exact for
	// uint64 fields, whose bounds a float64 cannot hold).
	LoText, HiText string
}

// Contains reports whether x lies in the interval (NaN never does).
func (r *Interval) Contains(x float64) bool {
	lo := x > r.Lo || (!r.LoOpen && x == r.Lo)
	hi := x < r.Hi || (!r.HiOpen && x == r.Hi)
	return lo && hi
}

// String writes the interval as "[0, 1]" or "(0, 1000]".
func (r *Interval) String() string {
	open, closing := "[", "]"
	if r.LoOpen {
		open = "("
	}
	if r.HiOpen {
		closing = ")"
	}
	return open + r.LoText + ", " + r.HiText + closing
}

// Constraint is what a field's `tb` struct tag says about its values. The
// tag holds space-separated items:
//
//	req            required: a string must not be empty (a missing key is empty)
//	range=[lo,hi]  every number in the field (the value itself, the elements
//	               of an array, the values of a map) lies within [lo, hi];
//	               "(" or ")" leave an end out
//	len=[lo,hi]    a list or map has lo to hi elements
//	inner=[lo,hi]  each inner list of a list of lists has lo to hi elements
//	enum=NAME      a string is one of Enum(NAME) ("controller": the names
//	               in Options.Controllers)
//
// A string (and a map key) holds at most MaxStringBytes bytes.
type Constraint struct {
	Required bool
	Range    *Interval
	Len      *[2]int
	Inner    *[2]int
	Enum     string
}

// parseConstraint reads a `tb` tag. A malformed tag is a programming error
// and panics (the package's tests parse every tag).
func parseConstraint(tag string) Constraint {
	var c Constraint
	for _, item := range strings.Fields(tag) {
		key, val, _ := strings.Cut(item, "=")
		switch key {
		case "req":
			c.Required = true
		case "range":
			c.Range = parseInterval(val)
		case "len", "inner":
			r := parseInterval(val)
			n := &[2]int{int(r.Lo), int(r.Hi)}
			if key == "len" {
				c.Len = n
			} else {
				c.Inner = n
			}
		case "enum":
			c.Enum = val
		default:
			panic(fmt.Sprintf("contract: unknown tb tag item %q", item))
		}
	}
	return c
}

func parseInterval(s string) *Interval {
	if len(s) < 5 {
		panic(fmt.Sprintf("contract: bad interval %q", s))
	}
	lo, hi, ok := strings.Cut(s[1:len(s)-1], ",")
	if !ok {
		panic(fmt.Sprintf("contract: bad interval %q", s))
	}
	r := &Interval{LoOpen: s[0] == '(', HiOpen: s[len(s)-1] == ')', LoText: lo, HiText: hi}
	var err1, err2 error
	r.Lo, err1 = strconv.ParseFloat(lo, 64)
	r.Hi, err2 = strconv.ParseFloat(hi, 64)
	if err1 != nil || err2 != nil || (s[0] != '[' && s[0] != '(') || (s[len(s)-1] != ']' && s[len(s)-1] != ')') {
		panic(fmt.Sprintf("contract: bad interval %q", s))
	}
	// Write the ends as %v prints numbers, so messages read like values;
	// an integer beyond float64's exact range keeps its digits.
	r.LoText, r.HiText = endText(lo, r.Lo), endText(hi, r.Hi)
	return r
}

func endText(literal string, x float64) string {
	if _, err := strconv.ParseUint(literal, 10, 64); err == nil && math.Abs(x) > 1<<53 {
		return literal
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// field is one JSON field of a struct type.
type field struct {
	name      string // JSON key
	index     int    // struct field index
	omitEmpty bool
	c         Constraint
}

// fieldsOf lists the JSON fields of struct type t in declaration order.
func fieldsOf(t reflect.Type) []field {
	out := make([]field, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		out = append(out, field{name: name, index: i, omitEmpty: strings.Contains(opts, "omitempty"),
			c: parseConstraint(f.Tag.Get("tb"))})
	}
	return out
}

// typeCache memoises fieldsOf for one decode or validation pass.
type typeCache map[reflect.Type][]field

func (tc typeCache) fields(t reflect.Type) []field {
	if f, ok := tc[t]; ok {
		return f
	}
	f := fieldsOf(t)
	tc[t] = f
	return f
}

var rawMessageType = reflect.TypeOf(json.RawMessage(nil))

// numberText formats v for a message as %v does for its kind.
func numberText(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint64, reflect.Uint:
		return strconv.FormatUint(v.Uint(), 10)
	}
	return fmt.Sprint(v.Float())
}

// inRange checks a number (int, uint64 or float64 value) against r.
func inRange(v reflect.Value, r *Interval) bool {
	switch v.Kind() {
	case reflect.Uint64, reflect.Uint:
		lo, err1 := strconv.ParseUint(r.LoText, 10, 64)
		hi, err2 := strconv.ParseUint(r.HiText, 10, 64)
		if err1 != nil || err2 != nil {
			return r.Contains(float64(v.Uint()))
		}
		x := v.Uint()
		return (x > lo || (!r.LoOpen && x == lo)) && (x < hi || (!r.HiOpen && x == hi))
	case reflect.Int, reflect.Int64, reflect.Int32:
		return r.Contains(float64(v.Int()))
	}
	return r.Contains(v.Float())
}
