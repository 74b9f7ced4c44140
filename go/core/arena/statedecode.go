package arena

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tidebreak/tidebreak/go/core/jsontree"
	"github.com/tidebreak/tidebreak/go/core/rng"
	"github.com/tidebreak/tidebreak/go/morphospace"
)

// decodeVisitor reads the saved fields of the state list from a parsed
// blob into a scratch World, checking each against its range; static
// fields are compared with the World's own values. The first problem is
// kept in err (with the field's path) and stops all further reading.
type decodeVisitor struct {
	stack  []decodeFrame
	asked  []string // keys looked up in the open objects, innermost last
	err    error
	fields *morphospace.Space // the decoded field space, for restore
}

// decodeFrame is an open object or array.
type decodeFrame struct {
	v     jsontree.Value
	label string         // path element: "ships", "control", …
	next  jsontree.Value // arrays: the next element
	index int            // arrays: the index of the current element
	used  int            // objects: members read
	asked int            // objects: where their keys start in decodeVisitor.asked
}

// path names the field being read: ships[4].control.stream.
func (d *decodeVisitor) path(name string) string {
	var b strings.Builder
	for i := range d.stack {
		f := &d.stack[i]
		if f.label != "" {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.label)
		}
		if f.v.Kind() == jsontree.Array && f.index >= 0 {
			fmt.Fprintf(&b, "[%d]", f.index)
		}
	}
	if name != "" {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(name)
	}
	if b.Len() == 0 {
		return "state"
	}
	return b.String()
}

func (d *decodeVisitor) fail(name, format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%s: %s", d.path(name), fmt.Sprintf(format, args...))
	}
}

// value returns the next value: the named member of the current object or
// the next element of the current array.
func (d *decodeVisitor) value(name string) (jsontree.Value, bool) {
	if d.err != nil {
		return jsontree.Value{}, false
	}
	top := &d.stack[len(d.stack)-1]
	if top.v.Kind() == jsontree.Array {
		top.index++
		if !top.next.Valid() {
			d.fail("", "array ends early")
			return jsontree.Value{}, false
		}
		v := top.next
		top.next = v.Next()
		return v, true
	}
	d.asked = append(d.asked, name)
	v, ok := top.v.Member(name)
	if !ok {
		d.fail(name, "missing")
		return jsontree.Value{}, false
	}
	top.used++
	return v, true
}

func (d *decodeVisitor) push(name string, v jsontree.Value) {
	d.stack = append(d.stack, decodeFrame{v: v, label: name, next: v.First(), index: -1, asked: len(d.asked)})
}

func (d *decodeVisitor) open(name string) {
	v, ok := d.value(name)
	if !ok {
		d.push(name, jsontree.Value{}) // keep close balanced
		return
	}
	if v.Kind() != jsontree.Object {
		d.fail(name, "%v, want an object", v.Kind())
	}
	d.push(name, v)
}

// close ends an object: every member must have been read.
func (d *decodeVisitor) close() {
	top := d.stack[len(d.stack)-1]
	if d.err == nil && top.used != top.v.Len() {
		asked := d.asked[top.asked:]
		for m := top.v.First(); m.Valid(); m = m.Next() {
			if !slices.Contains(asked, m.Key()) {
				d.fail(strconv.Quote(m.Key()), "unknown key")
				break
			}
		}
	}
	d.asked = d.asked[:top.asked]
	d.stack = d.stack[:len(d.stack)-1]
}

func (d *decodeVisitor) array(name string, n int) {
	v, ok := d.value(name)
	switch {
	case !ok:
	case v.Kind() != jsontree.Array:
		d.fail(name, "%v, want an array of %d", v.Kind(), n)
	case v.Len() != n:
		d.fail(name, "%d elements, want %d", v.Len(), n)
	}
	d.push(name, v)
}

func (d *decodeVisitor) slice(name string, _, limit int) int {
	v, ok := d.value(name)
	switch {
	case !ok:
	case v.Kind() != jsontree.Array:
		d.fail(name, "%v, want an array", v.Kind())
	case v.Len() > limit:
		d.fail(name, "%d elements, at most %d here", v.Len(), limit)
	}
	d.push(name, v)
	if d.err != nil {
		return 0
	}
	return v.Len()
}

func (d *decodeVisitor) end() { d.stack = d.stack[:len(d.stack)-1] }

// integer reads an integer within [lo, hi]; a static field must equal
// *have.
func (d *decodeVisitor) integer(name string, f fieldFlags, lo, hi, have int64) (int64, bool) {
	if f&(saved|static) == 0 {
		return 0, false
	}
	v, ok := d.value(name)
	if !ok {
		return 0, false
	}
	x, err := v.Int64()
	switch {
	case err != nil:
		d.fail(name, "%v", describe(v, err, "an integer"))
		return 0, false
	case f&static != 0 && x != have:
		d.fail(name, "%d, but this env's package gives %d", x, have)
		return 0, false
	case x < lo || x > hi:
		d.fail(name, "%d is outside [%d, %d]", x, lo, hi)
		return 0, false
	}
	return x, f&saved != 0
}

// describe words a value read error.
func describe(v jsontree.Value, err error, want string) string {
	var ke *jsontree.KindError
	if errors.As(err, &ke) {
		return fmt.Sprintf("%v, want %s", ke.Got, want)
	}
	return err.Error()
}

func (d *decodeVisitor) int(name string, p *int, f fieldFlags, lo, hi int) {
	if x, ok := d.integer(name, f, int64(lo), int64(hi), int64(*p)); ok {
		*p = int(x)
	}
}

func (d *decodeVisitor) int8(name string, p *int8, f fieldFlags, lo, hi int) {
	if x, ok := d.integer(name, f, int64(lo), int64(hi), int64(*p)); ok {
		*p = int8(x)
	}
}

func (d *decodeVisitor) uint8(name string, p *uint8, f fieldFlags, lo, hi int) {
	if x, ok := d.integer(name, f, int64(lo), int64(hi), int64(*p)); ok {
		*p = uint8(x)
	}
}

func (d *decodeVisitor) uint32(name string, p *uint32, f fieldFlags, lo, hi int) {
	if x, ok := d.integer(name, f, int64(lo), int64(hi), int64(*p)); ok {
		*p = uint32(x)
	}
}

func (d *decodeVisitor) uint64(name string, p *uint64, f fieldFlags) {
	if f&(saved|static) == 0 {
		return
	}
	v, ok := d.value(name)
	if !ok {
		return
	}
	x, err := v.Uint64()
	switch {
	case err != nil:
		d.fail(name, "%v", describe(v, err, "an unsigned integer"))
	case f&static != 0 && x != *p:
		d.fail(name, "%d, but this env's package gives %d", x, *p)
	case f&saved != 0:
		*p = x
	}
}

func (d *decodeVisitor) float(name string, p *float64, f fieldFlags, lo, hi float64) {
	if f&(saved|static) == 0 {
		return
	}
	v, ok := d.value(name)
	if !ok {
		return
	}
	x, err := v.Float64()
	switch {
	case err != nil:
		d.fail(name, "%v", describe(v, err, "a number"))
	case f&static != 0 && math.Float64bits(x) != math.Float64bits(*p):
		d.fail(name, "%v, but this env's package gives %v", x, *p)
	case !(x >= lo && x <= hi):
		d.fail(name, "%v is outside [%v, %v]", x, lo, hi)
	case f&saved != 0:
		*p = x
	}
}

func (d *decodeVisitor) bool(name string, p *bool, f fieldFlags) {
	if f&(saved|static) == 0 {
		return
	}
	v, ok := d.value(name)
	if !ok {
		return
	}
	x, err := v.Bool()
	switch {
	case err != nil:
		d.fail(name, "%v", describe(v, err, "true or false"))
	case f&static != 0 && x != *p:
		d.fail(name, "%v, but this env's package gives %v", x, *p)
	case f&saved != 0:
		*p = x
	}
}

func (d *decodeVisitor) string(name string, p *string, f fieldFlags) {
	if f&(saved|static) == 0 {
		return
	}
	v, ok := d.value(name)
	if !ok {
		return
	}
	x, err := v.Str()
	switch {
	case err != nil:
		d.fail(name, "%v", describe(v, err, "a string"))
	case f&static != 0 && x != *p:
		d.fail(name, "%q, but this env's package gives %q", x, *p)
	case f&saved != 0:
		*p = x
	}
}

func (d *decodeVisitor) stream(name string, p *rng.Stream, f fieldFlags) {
	if f&(saved|static) == 0 {
		return
	}
	var s rng.Stream
	d.array(name, len(s.S))
	for k := range s.S {
		d.uint64("", &s.S[k], saved)
	}
	d.end()
	if d.err != nil {
		return
	}
	if s == (rng.Stream{}) {
		d.fail(name, "an all-zero generator state (a xoshiro256** stream never reaches it)")
		return
	}
	*p = s
}

func (d *decodeVisitor) space(name string, fs *fieldState) {
	v, ok := d.value(name)
	switch {
	case !ok:
	case fs == nil && v.Kind() != jsontree.Null:
		d.fail(name, "%v, but this env runs without field coupling (want null)", v.Kind())
	case fs != nil && v.Kind() != jsontree.String:
		d.fail(name, "%v, but this env runs with field coupling (want its field space, base64)", v.Kind())
	case fs != nil:
		s, _ := v.Str()
		data, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			d.fail(name, "not base64: %v", err)
			return
		}
		space := fs.space.Clone()
		if err := space.UnmarshalBinary(data); err != nil {
			d.fail(name, "%v", err)
			return
		}
		d.fields = space
	}
}

// derived checks the noise picture's shape and otherwise ignores it.
func (d *decodeVisitor) derived(name string, w *World) {
	v, ok := d.value(name)
	switch {
	case !ok:
	case w.fields == nil && v.Kind() != jsontree.Null:
		d.fail(name, "%v, but this env runs without field coupling (want null)", v.Kind())
	case w.fields != nil:
		if err := checkNoiseGrid(v); err != nil {
			d.fail(name, "%v", err)
		}
	}
}

// checkNoiseGrid checks a saved noise picture: an object with exactly
// origin (two numbers), cell (a positive number) and values (at most
// 1024 rows of at most 1024 numbers).
func checkNoiseGrid(v jsontree.Value) error {
	if v.Kind() != jsontree.Object {
		return fmt.Errorf("%v, want an object", v.Kind())
	}
	if v.Len() != 3 {
		return fmt.Errorf("%d keys, want origin, cell and values", v.Len())
	}
	origin, ok1 := v.Member("origin")
	cell, ok2 := v.Member("cell")
	values, ok3 := v.Member("values")
	if !ok1 || !ok2 || !ok3 {
		return errors.New("want the keys origin, cell and values")
	}
	if origin.Kind() != jsontree.Array || origin.Len() != 2 {
		return errors.New("origin: want an array of 2 numbers")
	}
	for e := origin.First(); e.Valid(); e = e.Next() {
		if _, err := e.Float64(); err != nil {
			return fmt.Errorf("origin: %v", describe(e, err, "a number"))
		}
	}
	if c, err := cell.Float64(); err != nil || !(c > 0) {
		return errors.New("cell: want a positive number")
	}
	if values.Kind() != jsontree.Array || values.Len() > 1024 {
		return errors.New("values: want an array of at most 1024 rows")
	}
	for row := values.First(); row.Valid(); row = row.Next() {
		if row.Kind() != jsontree.Array || row.Len() > 1024 {
			return errors.New("values: want rows of at most 1024 numbers")
		}
		for e := row.First(); e.Valid(); e = e.Next() {
			if _, err := e.Float64(); err != nil {
				return fmt.Errorf("values: %v", describe(e, err, "a number"))
			}
		}
	}
	return nil
}
