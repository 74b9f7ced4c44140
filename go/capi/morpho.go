package main

/*
#cgo CFLAGS: -DTB_NO_PROTOTYPES
#include "tidebreak.h"
*/
import "C"

import (
	"encoding/json"
	"errors"
	"math"
	"unsafe"

	"github.com/tidebreak/tidebreak/go/core/tblog"
	"github.com/tidebreak/tidebreak/go/morphospace"
)

// MorphoSpace exports (tb_ms_*): a universe is a *morphospace.Space behind
// a handle, a grid a *morphospace.Grid. Every call validates its handle,
// field id and buffers; errors from the package map to TB_ERR_INVALID
// (bad spec or argument) and TB_ERR_JSON (malformed JSON).

// Shape codes, as TB_MS_SPHERE, TB_MS_BOX and TB_MS_CAPSULE in tidebreak.h.
const (
	msSphere  = 0
	msBox     = 1
	msCapsule = 2
)

// msFail maps a morphospace error to a status code.
func msFail(fn string, err error) C.int32_t {
	code := C.int32_t(tbInvalid)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		code = tbJSON
	}
	return fail(code, "%s: %v", fn, err)
}

func doubles(p *C.double, n C.int64_t) []float64 {
	if p == nil || n <= 0 {
		return nil
	}
	return unsafe.Slice((*float64)(unsafe.Pointer(p)), int(n))
}

// spaceField looks up a universe and checks a field id; the caller unlocks.
func spaceField(fn string, h C.uint64_t, field C.int32_t) (*object, morphospace.FieldID, C.int32_t) {
	o, rc := lookup(fn, h, kindSpace)
	if rc != tbOK {
		return nil, 0, rc
	}
	if field < 0 || int(field) >= o.space.NumFields() {
		o.mu.Unlock()
		return nil, 0, fail(tbArg, "%s: field id %d is not a field of this universe (it has %d)", fn, int32(field), o.space.NumFields())
	}
	return o, morphospace.FieldID(field), tbOK
}

// checkLen rejects a NULL pointer with a positive length and a negative length.
func checkLen(fn, name string, null bool, n C.int64_t) C.int32_t {
	if n < 0 {
		return fail(tbArg, "%s: %s length is negative (%d)", fn, name, int64(n))
	}
	if null && n > 0 {
		return fail(tbArg, "%s: %s is NULL but its length is %d", fn, name, int64(n))
	}
	return tbOK
}

type msConfig struct {
	SizeX     float64         `json:"size_x"`
	SizeY     float64         `json:"size_y"`
	Depth     float64         `json:"depth"`
	Bands     int             `json:"bands"`
	MaxLevel  int             `json:"max_level"`
	MaxLeaves int             `json:"max_leaves"`
	Builtin   *bool           `json:"builtin"`
	Fields    json.RawMessage `json:"fields"`
}

//export tb_ms_create
func tb_ms_create(config *C.char, n C.int64_t, out *C.uint64_t) (rc C.int32_t) {
	const fn = "tb_ms_create"
	defer guard(fn, &rc)
	if out == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	data, rc := goBytes(fn, "config_json", config, n)
	if rc != tbOK {
		return rc
	}
	cfg := msConfig{Bands: 1}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return fail(tbJSON, "%s: config: %v", fn, err)
	}
	reg := morphospace.NewRegistry()
	if cfg.Builtin == nil || *cfg.Builtin {
		reg = morphospace.BuiltinRegistry()
	}
	if len(cfg.Fields) > 0 && string(cfg.Fields) != "null" {
		if _, err := reg.AddJSON(cfg.Fields); err != nil {
			return msFail(fn, err)
		}
	}
	s, err := morphospace.New(morphospace.Config{SizeX: cfg.SizeX, SizeY: cfg.SizeY, Depth: cfg.Depth,
		Bands: cfg.Bands, MaxLevel: cfg.MaxLevel, MaxLeaves: cfg.MaxLeaves}, reg)
	if err != nil {
		return msFail(fn, err)
	}
	*out = C.uint64_t(handles.add(&object{kind: kindSpace, space: s}))
	return tbOK
}

//export tb_ms_destroy
func tb_ms_destroy(h C.uint64_t) (rc C.int32_t) {
	defer guard("tb_ms_destroy", &rc)
	return destroy("tb_ms_destroy", h, kindSpace)
}

//export tb_ms_add_field
func tb_ms_add_field(h C.uint64_t, spec *C.char, n C.int64_t, outID *C.int32_t) (rc C.int32_t) {
	const fn = "tb_ms_add_field"
	defer guard(fn, &rc)
	if outID == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	data, rc := goBytes(fn, "spec_json", spec, n)
	if rc != tbOK {
		return rc
	}
	return withObject(fn, h, kindSpace, func(o *object) C.int32_t {
		fs, err := morphospace.ParseFieldSpec(data)
		if err != nil {
			return msFail(fn, err)
		}
		id, err := o.space.AddField(fs)
		if err != nil {
			return msFail(fn, err)
		}
		*outID = C.int32_t(id)
		return tbOK
	})
}

//export tb_ms_field
func tb_ms_field(h C.uint64_t, name *C.char, n C.int64_t, outID *C.int32_t) (rc C.int32_t) {
	const fn = "tb_ms_field"
	defer guard(fn, &rc)
	if outID == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	data, rc := goBytes(fn, "name", name, n)
	if rc != tbOK {
		return rc
	}
	return withObject(fn, h, kindSpace, func(o *object) C.int32_t {
		id, err := o.space.Field(string(data))
		if err != nil {
			return fail(tbArg, "%s: %v", fn, err)
		}
		*outID = C.int32_t(id)
		return tbOK
	})
}

//export tb_ms_num_fields
func tb_ms_num_fields(h C.uint64_t, out *C.int32_t) (rc C.int32_t) {
	const fn = "tb_ms_num_fields"
	defer guard(fn, &rc)
	if out == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	return withObject(fn, h, kindSpace, func(o *object) C.int32_t {
		*out = C.int32_t(o.space.NumFields())
		return tbOK
	})
}

//export tb_ms_stamp
func tb_ms_stamp(h C.uint64_t, field C.int32_t, shape C.int32_t, params *C.double, nparams C.int64_t,
	value C.double, blend C.int32_t, alpha C.double, falloff C.int32_t, inner C.double) (rc C.int32_t) {
	const fn = "tb_ms_stamp"
	defer guard(fn, &rc)
	if rc := checkLen(fn, "params", params == nil, nparams); rc != tbOK {
		return rc
	}
	want := map[C.int32_t]int{msSphere: 4, msBox: 6, msCapsule: 7}
	k, ok := want[shape]
	if !ok {
		return fail(tbArg, "%s: unknown shape %d (want TB_MS_SPHERE, TB_MS_BOX or TB_MS_CAPSULE)", fn, int32(shape))
	}
	if int64(nparams) != int64(k) {
		return fail(tbBuffer, "%s: shape %d takes %d params, got %d", fn, int32(shape), k, int64(nparams))
	}
	p := doubles(params, nparams)
	if blend < 0 || blend > C.int32_t(morphospace.Lerp) {
		return fail(tbArg, "%s: unknown blend mode %d", fn, int32(blend))
	}
	if falloff < 0 || falloff > C.int32_t(morphospace.Smooth) {
		return fail(tbArg, "%s: unknown falloff %d", fn, int32(falloff))
	}
	var sh morphospace.Shape
	switch shape {
	case msSphere:
		sh = morphospace.SphereShape(morphospace.Vec3{X: p[0], Y: p[1], Z: p[2]}, p[3])
	case msBox:
		sh = morphospace.BoxShape(morphospace.Box{Min: morphospace.Vec3{X: p[0], Y: p[1], Z: p[2]}, Max: morphospace.Vec3{X: p[3], Y: p[4], Z: p[5]}})
	default:
		sh = morphospace.CapsuleShape(morphospace.Vec3{X: p[0], Y: p[1], Z: p[2]}, morphospace.Vec3{X: p[3], Y: p[4], Z: p[5]}, p[6])
	}
	o, f, rc := spaceField(fn, h, field)
	if rc != tbOK {
		return rc
	}
	defer o.mu.Unlock()
	if spec := o.space.Spec(f); clamps(morphospace.BlendMode(blend), float64(value), spec) {
		tblog.Warnf(logs.ring, "morphospace", "%s: value %g is outside field %q's range [%g, %g]; the stamped cells are clamped to it",
			fn, float64(value), spec.Name, spec.Min, spec.Max)
	}
	err := o.space.Stamp(f, morphospace.Stamp{Shape: sh, Value: float64(value), Blend: morphospace.BlendMode(blend),
		Alpha: float64(alpha), Falloff: morphospace.Falloff{Kind: morphospace.FalloffKind(falloff), Inner: float64(inner)}})
	if err != nil {
		return fail(tbArg, "%s: %v", fn, err)
	}
	return tbOK
}

//export tb_ms_step
func tb_ms_step(h C.uint64_t, dt C.double) (rc C.int32_t) {
	const fn = "tb_ms_step"
	defer guard(fn, &rc)
	defer timed(fn, start())
	return withObject(fn, h, kindSpace, func(o *object) C.int32_t {
		if err := o.space.Step(float64(dt)); err != nil {
			return fail(tbArg, "%s: %v", fn, err)
		}
		return tbOK
	})
}

//export tb_ms_point
func tb_ms_point(h C.uint64_t, field C.int32_t, xyz *C.double, n C.int64_t, out *C.double, outLen C.int64_t) (rc C.int32_t) {
	const fn = "tb_ms_point"
	defer guard(fn, &rc)
	if rc := checkLen(fn, "xyz", xyz == nil, n); rc != tbOK {
		return rc
	}
	if rc := checkLen(fn, "out", out == nil, outLen); rc != tbOK {
		return rc
	}
	if n > math.MaxInt32 || outLen != n {
		return fail(tbBuffer, "%s: out has %d values for %d points", fn, int64(outLen), int64(n))
	}
	pts, res := doubles(xyz, 3*n), doubles(out, outLen)
	for _, v := range pts {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fail(tbArg, "%s: a coordinate is not finite", fn)
		}
	}
	o, f, rc := spaceField(fn, h, field)
	if rc != tbOK {
		return rc
	}
	defer o.mu.Unlock()
	for i := range res {
		res[i] = o.space.At(f, pts[3*i], pts[3*i+1], pts[3*i+2])
	}
	return tbOK
}

//export tb_ms_volume
func tb_ms_volume(h C.uint64_t, field C.int32_t, box *C.double, variance, minSize C.double, out *C.double) (rc C.int32_t) {
	const fn = "tb_ms_volume"
	defer guard(fn, &rc)
	if box == nil || out == nil {
		return fail(tbArg, "%s: box or out is NULL", fn)
	}
	b := doubles(box, 6)
	for _, v := range append(append([]float64(nil), b...), float64(variance), float64(minSize)) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fail(tbArg, "%s: box, variance and min_size must be finite", fn)
		}
	}
	o, f, rc := spaceField(fn, h, field)
	if rc != tbOK {
		return rc
	}
	defer o.mu.Unlock()
	*out = C.double(o.space.Volume(f, morphospace.Box{Min: morphospace.Vec3{X: b[0], Y: b[1], Z: b[2]},
		Max: morphospace.Vec3{X: b[3], Y: b[4], Z: b[5]}}, morphospace.Budget{Variance: float64(variance), MinSize: float64(minSize)}))
	return tbOK
}

//export tb_ms_foveate
func tb_ms_foveate(h C.uint64_t, field C.int32_t, pose *C.double, shells *C.double, nshells C.int64_t,
	sectors C.int32_t, out *C.double, outLen C.int64_t) (rc C.int32_t) {
	const fn = "tb_ms_foveate"
	defer guard(fn, &rc)
	if pose == nil {
		return fail(tbArg, "%s: pose is NULL", fn)
	}
	if rc := checkLen(fn, "shells", shells == nil, nshells); rc != tbOK {
		return rc
	}
	if rc := checkLen(fn, "out", out == nil, outLen); rc != tbOK {
		return rc
	}
	if nshells > 1<<16 || sectors > 1<<16 {
		return fail(tbArg, "%s: too many shells or sectors", fn)
	}
	if int64(outLen) != int64(nshells)*int64(sectors) {
		return fail(tbBuffer, "%s: out has %d values, want shells × sectors = %d", fn, int64(outLen), int64(nshells)*int64(sectors))
	}
	ps := doubles(pose, 4)
	o, f, rc := spaceField(fn, h, field)
	if rc != tbOK {
		return rc
	}
	defer o.mu.Unlock()
	if err := o.space.Foveate(f, ps[0], ps[1], ps[2], ps[3], doubles(shells, nshells), int(sectors), doubles(out, outLen)); err != nil {
		return fail(tbArg, "%s: %v", fn, err)
	}
	return tbOK
}

//export tb_ms_leaves
func tb_ms_leaves(h C.uint64_t, field C.int32_t, out *C.int64_t) (rc C.int32_t) {
	const fn = "tb_ms_leaves"
	defer guard(fn, &rc)
	if out == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	o, f, rc := spaceField(fn, h, field)
	if rc != tbOK {
		return rc
	}
	defer o.mu.Unlock()
	*out = C.int64_t(o.space.Leaves(f))
	return tbOK
}

//export tb_ms_total
func tb_ms_total(h C.uint64_t, field C.int32_t, out *C.double) (rc C.int32_t) {
	const fn = "tb_ms_total"
	defer guard(fn, &rc)
	if out == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	o, f, rc := spaceField(fn, h, field)
	if rc != tbOK {
		return rc
	}
	defer o.mu.Unlock()
	*out = C.double(o.space.Total(f))
	return tbOK
}

//export tb_ms_hash
func tb_ms_hash(h C.uint64_t, out *C.uint64_t) (rc C.int32_t) {
	const fn = "tb_ms_hash"
	defer guard(fn, &rc)
	if out == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	return withObject(fn, h, kindSpace, func(o *object) C.int32_t {
		*out = C.uint64_t(o.space.Hash())
		return tbOK
	})
}

//export tb_ms_save
func tb_ms_save(h C.uint64_t, outBlob *C.uint64_t, outLen *C.int64_t) (rc C.int32_t) {
	const fn = "tb_ms_save"
	defer guard(fn, &rc)
	if outBlob == nil || outLen == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	return withObject(fn, h, kindSpace, func(o *object) C.int32_t {
		data, err := o.space.MarshalBinary()
		if err != nil {
			return fail(tbPanic, "%s: %v", fn, err)
		}
		*outBlob = C.uint64_t(handles.add(&object{kind: kindBlob, blob: data}))
		*outLen = C.int64_t(len(data))
		return tbOK
	})
}

//export tb_ms_load
func tb_ms_load(h C.uint64_t, state *C.char, n C.int64_t) (rc C.int32_t) {
	const fn = "tb_ms_load"
	defer guard(fn, &rc)
	data, rc := goBytes(fn, "state", state, n)
	if rc != tbOK {
		return rc
	}
	return withObject(fn, h, kindSpace, func(o *object) C.int32_t {
		if err := o.space.UnmarshalBinary(data); err != nil {
			return fail(tbInvalid, "%s: %v", fn, err)
		}
		return tbOK
	})
}

//export tb_ms_grid_create
func tb_ms_grid_create(spec *C.char, n C.int64_t, nx, ny, nz C.int32_t, cell *C.double, out *C.uint64_t) (rc C.int32_t) {
	const fn = "tb_ms_grid_create"
	defer guard(fn, &rc)
	if out == nil || cell == nil {
		return fail(tbArg, "%s: cell or out pointer is NULL", fn)
	}
	data, rc := goBytes(fn, "spec_json", spec, n)
	if rc != tbOK {
		return rc
	}
	if int64(nx)*int64(ny)*int64(nz) > 1<<28 {
		return fail(tbArg, "%s: grid %d×%d×%d is too large", fn, int32(nx), int32(ny), int32(nz))
	}
	fs, err := morphospace.ParseFieldSpec(data)
	if err != nil {
		return msFail(fn, err)
	}
	c := doubles(cell, 3)
	g, err := morphospace.NewGrid(int(nx), int(ny), int(nz), morphospace.Vec3{X: c[0], Y: c[1], Z: c[2]}, fs)
	if err != nil {
		return msFail(fn, err)
	}
	*out = C.uint64_t(handles.add(&object{kind: kindGrid, grid: g}))
	return tbOK
}

//export tb_ms_grid_destroy
func tb_ms_grid_destroy(h C.uint64_t) (rc C.int32_t) {
	defer guard("tb_ms_grid_destroy", &rc)
	return destroy("tb_ms_grid_destroy", h, kindGrid)
}

// gridValues checks a caller buffer against a grid's cell count.
func gridValues(fn string, h C.uint64_t, p *C.double, n C.int64_t) (*object, []float64, C.int32_t) {
	if rc := checkLen(fn, "values", p == nil, n); rc != tbOK {
		return nil, nil, rc
	}
	o, rc := lookup(fn, h, kindGrid)
	if rc != tbOK {
		return nil, nil, rc
	}
	if int64(n) != int64(len(o.grid.Values)) {
		o.mu.Unlock()
		return nil, nil, fail(tbBuffer, "%s: buffer has %d values, the grid %d", fn, int64(n), len(o.grid.Values))
	}
	return o, doubles(p, n), tbOK
}

//export tb_ms_grid_set
func tb_ms_grid_set(h C.uint64_t, values *C.double, n C.int64_t) (rc C.int32_t) {
	const fn = "tb_ms_grid_set"
	defer guard(fn, &rc)
	o, v, rc := gridValues(fn, h, values, n)
	if rc != tbOK {
		return rc
	}
	defer o.mu.Unlock()
	sp := &o.grid.Spec
	for _, x := range v {
		if !(x >= sp.Min && x <= sp.Max) {
			return fail(tbArg, "%s: value %g is outside the field range [%g, %g]", fn, x, sp.Min, sp.Max)
		}
	}
	copy(o.grid.Values, v)
	return tbOK
}

//export tb_ms_grid_get
func tb_ms_grid_get(h C.uint64_t, out *C.double, n C.int64_t) (rc C.int32_t) {
	const fn = "tb_ms_grid_get"
	defer guard(fn, &rc)
	o, v, rc := gridValues(fn, h, out, n)
	if rc != tbOK {
		return rc
	}
	defer o.mu.Unlock()
	copy(v, o.grid.Values)
	return tbOK
}

//export tb_ms_grid_step
func tb_ms_grid_step(h C.uint64_t, dt C.double, repeat C.int32_t, outSubsteps *C.int64_t) (rc C.int32_t) {
	const fn = "tb_ms_grid_step"
	defer guard(fn, &rc)
	defer timed(fn, start())
	if repeat < 0 {
		return fail(tbArg, "%s: repeat %d is negative", fn, int32(repeat))
	}
	return withObject(fn, h, kindGrid, func(o *object) C.int32_t {
		if d := float64(dt); d >= 0 && !math.IsInf(d, 0) && float64(repeat)*o.grid.Work(d) > morphospace.MaxStepWork {
			w := float64(repeat) * o.grid.Work(d)
			return fail(tbArg, "%s: %d steps of %g s take %.3g cell updates, more than %d; step in smaller calls",
				fn, int32(repeat), float64(dt), w, morphospace.MaxStepWork)
		}
		total := int64(0)
		for range int(repeat) {
			n, err := o.grid.Step(float64(dt))
			if err != nil {
				return fail(tbArg, "%s: %v", fn, err)
			}
			total += int64(n)
		}
		if outSubsteps != nil {
			*outSubsteps = C.int64_t(total)
		}
		return tbOK
	})
}

// clamps reports whether stamping value with blend writes a value beyond the
// field's range, which the field then clamps: the caller likely meant
// something else (a value in other units, a wrong field).
func clamps(b morphospace.BlendMode, value float64, spec morphospace.FieldSpec) bool {
	switch b {
	case morphospace.Set:
		return value < spec.Min || value > spec.Max
	case morphospace.Max:
		return value > spec.Max
	case morphospace.Min:
		return value < spec.Min
	}
	return false
}
