// Package jsontree parses JSON strictly into a read-only tree, for loaders
// of untrusted documents (saved states) that must name every problem:
//
//   - object keys are unique and compared exactly (encoding/json matches
//     them case-insensitively and lets a repeated key win silently);
//   - strings are valid UTF-8 with no lone surrogate escapes;
//   - numbers keep their literal, so an integer field can refuse 1.5 or 1e3
//     and a float field can refuse a literal that overflows to ±Inf;
//   - nesting depth and the number of values are bounded (Limits), so a
//     small document cannot exhaust the stack or the heap;
//   - every value keeps its byte span in the input (Span).
//
// A Tree is immutable and its methods are safe for concurrent use.
package jsontree

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind is the JSON type of a value.
type Kind uint8

// Kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "a boolean"
	case Number:
		return "a number"
	case String:
		return "a string"
	case Array:
		return "an array"
	case Object:
		return "an object"
	}
	return "kind " + strconv.Itoa(int(k))
}

// Limits bounds what Parse accepts; a zero field takes its default.
type Limits struct {
	// MaxDepth is the deepest nesting of arrays and objects (default 64).
	MaxDepth int
	// MaxValues is the most values (of any kind) in the document (default
	// 1<<24).
	MaxValues int
}

func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = 64
	}
	if l.MaxValues <= 0 {
		l.MaxValues = 1 << 24
	}
	return l
}

// MaxInput is the largest document Parse reads (spans are int32).
const MaxInput = math.MaxInt32

// SyntaxError is a document that is not strict JSON or exceeds the limits.
type SyntaxError struct {
	Offset int // byte offset of the problem
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.Offset, e.Msg)
}

// node is one value. Children (array elements, object members) are linked
// through next in document order.
type node struct {
	kind       Kind
	start, end int32 // span in the input, quotes included for strings
	first      int32 // first child, -1 for none
	next       int32 // next sibling, -1 for none
	n          int32 // number of children
	key        string
}

// Tree is a parsed document.
type Tree struct {
	src   []byte
	nodes []node
}

// Parse parses data, which must hold exactly one JSON value (surrounding
// white space allowed). The Tree refers to data, which must not change.
func Parse(data []byte, lim Limits) (*Tree, error) {
	if len(data) > MaxInput {
		return nil, &SyntaxError{0, fmt.Sprintf("document of %d bytes is larger than %d", len(data), MaxInput)}
	}
	p := parser{src: data, lim: lim.withDefaults()}
	p.nodes = make([]node, 0, min(len(data)/4+1, 1<<16))
	p.space()
	if _, err := p.value(0); err != nil {
		return nil, err
	}
	p.space()
	if p.off != len(p.src) {
		return nil, p.fail("unexpected %s after the document", p.what())
	}
	return &Tree{src: data, nodes: p.nodes}, nil
}

// Root returns the document's value.
func (t *Tree) Root() Value { return Value{t, 0} }

// Value is one value of a Tree. The zero Value is invalid (Valid reports
// false); methods on it return zero results.
type Value struct {
	t *Tree
	i int32
}

// Valid reports whether v refers to a value.
func (v Value) Valid() bool { return v.t != nil && v.i >= 0 }

func (v Value) node() *node { return &v.t.nodes[v.i] }

// Kind returns v's type.
func (v Value) Kind() Kind {
	if !v.Valid() {
		return Null
	}
	return v.node().kind
}

// Span returns v's byte range in the input: src[start:end].
func (v Value) Span() (start, end int) {
	if !v.Valid() {
		return 0, 0
	}
	n := v.node()
	return int(n.start), int(n.end)
}

// Raw returns v's bytes in the input.
func (v Value) Raw() []byte {
	s, e := v.Span()
	if !v.Valid() {
		return nil
	}
	return v.t.src[s:e]
}

// Len returns the number of elements of an array or members of an object.
func (v Value) Len() int {
	if !v.Valid() {
		return 0
	}
	return int(v.node().n)
}

// First returns the first element or member of v (invalid if none).
func (v Value) First() Value {
	if !v.Valid() || v.node().first < 0 {
		return Value{}
	}
	return Value{v.t, v.node().first}
}

// Next returns the element or member after v in its array or object
// (invalid after the last).
func (v Value) Next() Value {
	if !v.Valid() || v.node().next < 0 {
		return Value{}
	}
	return Value{v.t, v.node().next}
}

// Key returns the key of an object member ("" for other values).
func (v Value) Key() string {
	if !v.Valid() {
		return ""
	}
	return v.node().key
}

// Member returns the member of object v with exactly this key.
func (v Value) Member(key string) (Value, bool) {
	if v.Kind() != Object {
		return Value{}, false
	}
	for m := v.First(); m.Valid(); m = m.Next() {
		if m.node().key == key {
			return m, true
		}
	}
	return Value{}, false
}

// Bool returns a boolean's value.
func (v Value) Bool() (bool, error) {
	if k := v.Kind(); k != Bool {
		return false, kindError(k, Bool)
	}
	return v.t.src[v.node().start] == 't', nil
}

// Str returns a string's decoded value.
func (v Value) Str() (string, error) {
	if k := v.Kind(); k != String {
		return "", kindError(k, String)
	}
	n := v.node()
	s, _ := unquote(v.t.src[n.start:n.end]) // validated by Parse
	return s, nil
}

// ErrRange is returned for a number outside the range of the type asked for.
var ErrRange = errors.New("out of range")

// Float64 returns a number as a finite float64; a literal beyond the
// float64 range is an ErrRange error.
func (v Value) Float64() (float64, error) {
	if k := v.Kind(); k != Number {
		return 0, kindError(k, Number)
	}
	f, err := strconv.ParseFloat(string(v.Raw()), 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%s is %w for a float64", v.Raw(), ErrRange)
	}
	return f, nil
}

// Int64 returns a number written as an integer (no fraction or exponent).
func (v Value) Int64() (int64, error) {
	if k := v.Kind(); k != Number {
		return 0, kindError(k, Number)
	}
	raw := v.Raw()
	if !isInteger(raw) {
		return 0, fmt.Errorf("%s is not an integer", raw)
	}
	i, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is %w for an int64", raw, ErrRange)
	}
	return i, nil
}

// Uint64 returns a non-negative number written as an integer.
func (v Value) Uint64() (uint64, error) {
	if k := v.Kind(); k != Number {
		return 0, kindError(k, Number)
	}
	raw := v.Raw()
	if !isInteger(raw) {
		return 0, fmt.Errorf("%s is not an integer", raw)
	}
	u, err := strconv.ParseUint(string(raw), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is %w for a uint64", raw, ErrRange)
	}
	return u, nil
}

func isInteger(raw []byte) bool {
	for _, c := range raw {
		if c == '.' || c == 'e' || c == 'E' {
			return false
		}
	}
	return true
}

// KindError is a value of the wrong type.
type KindError struct{ Got, Want Kind }

func (e *KindError) Error() string { return fmt.Sprintf("is %v, want %v", e.Got, e.Want) }

func kindError(got, want Kind) error { return &KindError{got, want} }

type parser struct {
	src   []byte
	off   int
	lim   Limits
	nodes []node
}

func (p *parser) fail(format string, args ...any) error {
	return &SyntaxError{p.off, fmt.Sprintf(format, args...)}
}

// what describes the byte at the current offset for error messages.
func (p *parser) what() string {
	if p.off >= len(p.src) {
		return "end of input"
	}
	c := p.src[p.off]
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

func (p *parser) space() {
	for p.off < len(p.src) {
		switch p.src[p.off] {
		case ' ', '\t', '\n', '\r':
			p.off++
		default:
			return
		}
	}
}

func (p *parser) add(k Kind) (int32, error) {
	if len(p.nodes) >= p.lim.MaxValues {
		return -1, p.fail("more than %d values", p.lim.MaxValues)
	}
	p.nodes = append(p.nodes, node{kind: k, start: int32(p.off), first: -1, next: -1})
	return int32(len(p.nodes) - 1), nil
}

// value parses the value at the current offset and returns its index.
func (p *parser) value(depth int) (int32, error) {
	if p.off >= len(p.src) {
		return -1, p.fail("unexpected end of input, want a value")
	}
	switch c := p.src[p.off]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		i, err := p.add(String)
		if err != nil {
			return -1, err
		}
		end, err := scanString(p.src, p.off)
		if err != nil {
			return -1, err
		}
		p.off = end
		p.nodes[i].end = int32(end)
		return i, nil
	case c == '-' || (c >= '0' && c <= '9'):
		i, err := p.add(Number)
		if err != nil {
			return -1, err
		}
		if err := p.number(); err != nil {
			return -1, err
		}
		p.nodes[i].end = int32(p.off)
		return i, nil
	default:
		for _, lit := range [...]struct {
			text string
			kind Kind
		}{{"true", Bool}, {"false", Bool}, {"null", Null}} {
			if len(p.src)-p.off >= len(lit.text) && string(p.src[p.off:p.off+len(lit.text)]) == lit.text {
				i, err := p.add(lit.kind)
				if err != nil {
					return -1, err
				}
				p.off += len(lit.text)
				p.nodes[i].end = int32(p.off)
				return i, nil
			}
		}
		return -1, p.fail("unexpected %s, want a value", p.what())
	}
}

func (p *parser) number() error {
	s, i := p.src, p.off
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		p.off = i
		return p.fail("malformed number")
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			p.off = i
			return p.fail("malformed number: no digits after '.'")
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			p.off = i
			return p.fail("malformed number: no digits in the exponent")
		}
	}
	p.off = i
	return nil
}

func (p *parser) array(depth int) (int32, error) {
	if depth > p.lim.MaxDepth {
		return -1, p.fail("nested deeper than %d", p.lim.MaxDepth)
	}
	a, err := p.add(Array)
	if err != nil {
		return -1, err
	}
	p.off++ // [
	p.space()
	last := int32(-1)
	if p.off < len(p.src) && p.src[p.off] == ']' {
		p.off++
		p.nodes[a].end = int32(p.off)
		return a, nil
	}
	for {
		p.space()
		e, err := p.value(depth)
		if err != nil {
			return -1, err
		}
		p.link(a, &last, e)
		p.space()
		if p.off >= len(p.src) {
			return -1, p.fail("unexpected end of input in an array")
		}
		switch p.src[p.off] {
		case ',':
			p.off++
		case ']':
			p.off++
			p.nodes[a].end = int32(p.off)
			return a, nil
		default:
			return -1, p.fail("unexpected %s in an array, want ',' or ']'", p.what())
		}
	}
}

func (p *parser) link(parent int32, last *int32, child int32) {
	if *last < 0 {
		p.nodes[parent].first = child
	} else {
		p.nodes[*last].next = child
	}
	*last = child
	p.nodes[parent].n++
}

func (p *parser) object(depth int) (int32, error) {
	if depth > p.lim.MaxDepth {
		return -1, p.fail("nested deeper than %d", p.lim.MaxDepth)
	}
	o, err := p.add(Object)
	if err != nil {
		return -1, err
	}
	p.off++ // {
	p.space()
	if p.off < len(p.src) && p.src[p.off] == '}' {
		p.off++
		p.nodes[o].end = int32(p.off)
		return o, nil
	}
	last := int32(-1)
	var seen map[string]bool // once the object is large
	for {
		p.space()
		if p.off >= len(p.src) || p.src[p.off] != '"' {
			return -1, p.fail("unexpected %s in an object, want a key", p.what())
		}
		keyAt := p.off
		end, err := scanString(p.src, p.off)
		if err != nil {
			return -1, err
		}
		key, _ := unquote(p.src[p.off:end])
		p.off = end
		if p.duplicate(o, key, &seen) {
			p.off = keyAt
			return -1, p.fail("duplicate key %q", key)
		}
		p.space()
		if p.off >= len(p.src) || p.src[p.off] != ':' {
			return -1, p.fail("unexpected %s after a key, want ':'", p.what())
		}
		p.off++
		p.space()
		m, err := p.value(depth)
		if err != nil {
			return -1, err
		}
		p.nodes[m].key = key
		p.link(o, &last, m)
		p.space()
		if p.off >= len(p.src) {
			return -1, p.fail("unexpected end of input in an object")
		}
		switch p.src[p.off] {
		case ',':
			p.off++
		case '}':
			p.off++
			p.nodes[o].end = int32(p.off)
			return o, nil
		default:
			return -1, p.fail("unexpected %s in an object, want ',' or '}'", p.what())
		}
	}
}

// duplicate reports whether object o already has key, recording it.
func (p *parser) duplicate(o int32, key string, seen *map[string]bool) bool {
	const small = 16
	if *seen == nil {
		if p.nodes[o].n < small {
			for m := p.nodes[o].first; m >= 0; m = p.nodes[m].next {
				if p.nodes[m].key == key {
					return true
				}
			}
			return false
		}
		*seen = make(map[string]bool, 2*small)
		for m := p.nodes[o].first; m >= 0; m = p.nodes[m].next {
			(*seen)[p.nodes[m].key] = true
		}
	}
	if (*seen)[key] {
		return true
	}
	(*seen)[key] = true
	return false
}

// scanString checks the string starting at src[start] (a quote) and
// returns the offset after its closing quote.
func scanString(src []byte, start int) (int, error) {
	i := start + 1
	for i < len(src) {
		c := src[i]
		switch {
		case c == '"':
			return i + 1, nil
		case c == '\\':
			if i+1 >= len(src) {
				return 0, &SyntaxError{i, "unterminated escape"}
			}
			switch src[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				r, ok := hex4(src, i+2)
				if !ok {
					return 0, &SyntaxError{i, `malformed \u escape`}
				}
				i += 6
				if utf16.IsSurrogate(r) {
					r2, ok := rune(0), false
					if i+1 < len(src) && src[i] == '\\' && src[i+1] == 'u' {
						r2, ok = hex4(src, i+2)
					}
					if !ok || utf16.DecodeRune(r, r2) == utf8.RuneError {
						return 0, &SyntaxError{i - 6, "lone UTF-16 surrogate escape"}
					}
					i += 6
				}
			default:
				return 0, &SyntaxError{i, fmt.Sprintf("invalid escape \\%c", src[i+1])}
			}
		case c < 0x20:
			return 0, &SyntaxError{i, fmt.Sprintf("control byte 0x%02x in a string", c)}
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size == 1 {
				return 0, &SyntaxError{i, "invalid UTF-8 in a string"}
			}
			i += size
		}
	}
	return 0, &SyntaxError{start, "unterminated string"}
}

func hex4(src []byte, i int) (rune, bool) {
	if i+4 > len(src) {
		return 0, false
	}
	var r rune
	for _, c := range src[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// unquote decodes a string literal already checked by scanString.
func unquote(lit []byte) (string, bool) {
	body := lit[1 : len(lit)-1]
	plain := true
	for _, c := range body {
		if c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		return string(body), true
	}
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); {
		c := body[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		switch body[i+1] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, _ := hex4(body, i+2)
			if utf16.IsSurrogate(r) {
				r2, _ := hex4(body, i+8)
				r = utf16.DecodeRune(r, r2)
				i += 6
			}
			out = utf8.AppendRune(out, r)
			i += 6
			continue
		default: // " \ /
			out = append(out, body[i+1])
		}
		i += 2
	}
	return string(out), true
}
