package main

/*
#cgo CFLAGS: -DTB_NO_PROTOTYPES
#include <string.h>
#include "tidebreak.h"
*/
import "C"

import (
	"unsafe"

	"github.com/tidebreak/tidebreak/go/core/rlenv"
)

// lookup validates a handle and locks its object; the caller must unlock.
func lookup(fn string, h C.uint64_t, want kind) (*object, C.int32_t) {
	o, msg := handles.get(uint64(h), want)
	if o == nil {
		return nil, fail(tbHandle, "%s: %s", fn, msg)
	}
	o.mu.Lock()
	if o.kind == 0 { // destroyed while we waited for the lock
		o.mu.Unlock()
		return nil, fail(tbHandle, "%s: handle %d was destroyed", fn, uint64(h))
	}
	return o, tbOK
}

// withObject runs body with the object behind h locked, or returns the
// handle error; it is the preamble of every export that works on a handle.
func withObject(fn string, h C.uint64_t, want kind, body func(o *object) C.int32_t) C.int32_t {
	o, rc := lookup(fn, h, want)
	if rc != tbOK {
		return rc
	}
	defer o.mu.Unlock()
	return body(o)
}

func create(fn string, config *C.char, n C.int64_t, numEnvs int, k kind, out *C.uint64_t) C.int32_t {
	if out == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	data, rc := goBytes(fn, "config_json", config, n)
	if rc != tbOK {
		return rc
	}
	cfg, err := rlenv.ParseConfigLog(data, logs.ring)
	if err != nil {
		return failErr(fn, err)
	}
	b, err := rlenv.NewBatch(cfg, numEnvs)
	if err != nil {
		return failErr(fn, err)
	}
	*out = C.uint64_t(handles.add(&object{kind: k, batch: b}))
	return tbOK
}

func destroy(fn string, h C.uint64_t, k kind) C.int32_t {
	o, rc := lookup(fn, h, k)
	if rc != tbOK {
		return rc
	}
	handles.remove(uint64(h))
	if o.batch != nil {
		o.batch.Close()
	}
	o.kind, o.batch, o.blob, o.space, o.grid = 0, nil, nil, nil, nil
	o.mu.Unlock()
	return tbOK
}

func spec(fn string, h C.uint64_t, k kind, out *C.tb_spec) C.int32_t {
	if out == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	return withObject(fn, h, k, func(o *object) C.int32_t {
		writeSpec(out, o.batch.Spec())
		return tbOK
	})
}

func step(fn string, h C.uint64_t, k kind, actions *C.float, n C.int64_t, bufs *C.tb_buffers) C.int32_t {
	return withObject(fn, h, k, func(o *object) C.int32_t {
		if n < 0 || (actions == nil && n > 0) {
			return fail(tbArg, "%s: actions is NULL or actions_len is negative (%d)", fn, int64(n))
		}
		if err := o.batch.Spec().CheckActionsLength(int64(n)); err != nil {
			return failErr(fn, err)
		}
		b, rc := buffers(fn, bufs, o.batch.Spec())
		if rc != tbOK {
			return rc
		}
		if err := o.batch.Step(floats(actions, n), &b, k == kindBatch); err != nil {
			return failErr(fn, err)
		}
		return tbOK
	})
}

//export tb_env_create
func tb_env_create(config *C.char, n C.int64_t, out *C.uint64_t) (rc C.int32_t) {
	defer guard("tb_env_create", &rc)
	return create("tb_env_create", config, n, 1, kindEnv, out)
}

//export tb_env_spec
func tb_env_spec(h C.uint64_t, out *C.tb_spec) (rc C.int32_t) {
	defer guard("tb_env_spec", &rc)
	return spec("tb_env_spec", h, kindEnv, out)
}

//export tb_env_reset
func tb_env_reset(h C.uint64_t, seed C.uint64_t, bufs *C.tb_buffers) (rc C.int32_t) {
	const fn = "tb_env_reset"
	defer guard(fn, &rc)
	defer timed(fn, start())
	return withObject(fn, h, kindEnv, func(o *object) C.int32_t {
		b, rc := buffers(fn, bufs, o.batch.Spec())
		if rc != tbOK {
			return rc
		}
		if err := o.batch.Reset([]uint64{uint64(seed)}, &b); err != nil {
			return failErr(fn, err)
		}
		return tbOK
	})
}

//export tb_env_step
func tb_env_step(h C.uint64_t, actions *C.float, n C.int64_t, bufs *C.tb_buffers) (rc C.int32_t) {
	defer guard("tb_env_step", &rc)
	defer timed("tb_env_step", startStep())
	return step("tb_env_step", h, kindEnv, actions, n, bufs)
}

//export tb_env_observe
func tb_env_observe(h C.uint64_t, bufs *C.tb_buffers) (rc C.int32_t) {
	const fn = "tb_env_observe"
	defer guard(fn, &rc)
	return withObject(fn, h, kindEnv, func(o *object) C.int32_t {
		b, rc := buffers(fn, bufs, o.batch.Spec())
		if rc != tbOK {
			return rc
		}
		if err := o.batch.Observe(&b); err != nil {
			return failErr(fn, err)
		}
		return tbOK
	})
}

//export tb_env_save
func tb_env_save(h C.uint64_t, outBlob *C.uint64_t, outLen *C.int64_t) (rc C.int32_t) {
	const fn = "tb_env_save"
	defer guard(fn, &rc)
	if outBlob == nil || outLen == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	return withObject(fn, h, kindEnv, func(o *object) C.int32_t {
		data, err := o.batch.Save(0)
		if err != nil {
			return failErr(fn, err)
		}
		*outBlob = C.uint64_t(handles.add(&object{kind: kindBlob, blob: data}))
		*outLen = C.int64_t(len(data))
		return tbOK
	})
}

//export tb_env_load
func tb_env_load(h C.uint64_t, state *C.char, n C.int64_t) (rc C.int32_t) {
	const fn = "tb_env_load"
	defer guard(fn, &rc)
	data, rc := goBytes(fn, "state", state, n)
	if rc != tbOK {
		return rc
	}
	return withObject(fn, h, kindEnv, func(o *object) C.int32_t {
		if err := o.batch.Load(0, data); err != nil {
			return failErr(fn, err)
		}
		return tbOK
	})
}

//export tb_env_hash
func tb_env_hash(h C.uint64_t, outHash *C.uint64_t, outTick *C.int32_t) (rc C.int32_t) {
	const fn = "tb_env_hash"
	defer guard(fn, &rc)
	if outHash == nil || outTick == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	return withObject(fn, h, kindEnv, func(o *object) C.int32_t {
		w := o.batch.World(0)
		*outHash = C.uint64_t(w.Hash())
		*outTick = C.int32_t(w.Tick)
		return tbOK
	})
}

//export tb_env_events
func tb_env_events(h C.uint64_t, out *C.tb_event, capacity C.int64_t, outCount *C.int64_t) (rc C.int32_t) {
	const fn = "tb_env_events"
	defer guard(fn, &rc)
	if outCount == nil {
		return fail(tbArg, "%s: out_count is NULL", fn)
	}
	if capacity < 0 || (out == nil && capacity > 0) {
		return fail(tbArg, "%s: out is NULL or cap is negative (%d)", fn, int64(capacity))
	}
	return withObject(fn, h, kindEnv, func(o *object) C.int32_t {
		events := o.batch.World(0).Events()
		*outCount = C.int64_t(len(events))
		if int64(capacity) < int64(len(events)) { // compared before any slice of out is made
			return fail(tbTooSmall, "%s: out holds %d events, the last step had %d", fn, int64(capacity), len(events))
		}
		if len(events) == 0 {
			return tbOK
		}
		dst := unsafe.Slice(out, len(events))
		for i, e := range events {
			dst[i] = C.tb_event{
				tick: C.int32_t(e.Tick), kind: C.int32_t(e.Kind),
				source: C.uint32_t(e.Source), target: C.uint32_t(e.Target),
				trace: C.uint64_t(e.Trace), cause: C.uint64_t(e.Cause), value: C.double(e.Value),
			}
		}
		return tbOK
	})
}

//export tb_env_destroy
func tb_env_destroy(h C.uint64_t) (rc C.int32_t) {
	defer guard("tb_env_destroy", &rc)
	return destroy("tb_env_destroy", h, kindEnv)
}

//export tb_batch_create
func tb_batch_create(config *C.char, n C.int64_t, numEnvs C.int32_t, out *C.uint64_t) (rc C.int32_t) {
	defer guard("tb_batch_create", &rc)
	return create("tb_batch_create", config, n, int(numEnvs), kindBatch, out)
}

//export tb_batch_spec
func tb_batch_spec(h C.uint64_t, out *C.tb_spec) (rc C.int32_t) {
	defer guard("tb_batch_spec", &rc)
	return spec("tb_batch_spec", h, kindBatch, out)
}

//export tb_batch_reset
func tb_batch_reset(h C.uint64_t, seeds *C.uint64_t, numSeeds C.int64_t, bufs *C.tb_buffers) (rc C.int32_t) {
	const fn = "tb_batch_reset"
	defer guard(fn, &rc)
	defer timed(fn, start())
	return withObject(fn, h, kindBatch, func(o *object) C.int32_t {
		if seeds == nil || numSeeds < 0 {
			return fail(tbArg, "%s: seeds is NULL or num_seeds is negative", fn)
		}
		if want := o.batch.Spec().NumEnvs; int64(numSeeds) != int64(want) {
			return fail(tbArg, "%s: %d seeds for %d envs", fn, int64(numSeeds), want)
		}
		b, rc := buffers(fn, bufs, o.batch.Spec())
		if rc != tbOK {
			return rc
		}
		s := unsafe.Slice((*uint64)(unsafe.Pointer(seeds)), int(numSeeds))
		if err := o.batch.Reset(s, &b); err != nil {
			return failErr(fn, err)
		}
		return tbOK
	})
}

//export tb_batch_reset_some
func tb_batch_reset_some(h C.uint64_t, seeds *C.uint64_t, mask *C.uint8_t, numEnvs C.int64_t, bufs *C.tb_buffers) (rc C.int32_t) {
	const fn = "tb_batch_reset_some"
	defer guard(fn, &rc)
	defer timed(fn, start())
	return withObject(fn, h, kindBatch, func(o *object) C.int32_t {
		if seeds == nil || mask == nil || numEnvs < 0 {
			return fail(tbArg, "%s: seeds or mask is NULL, or num_envs is negative", fn)
		}
		if want := o.batch.Spec().NumEnvs; int64(numEnvs) != int64(want) {
			return fail(tbArg, "%s: %d seeds for %d envs", fn, int64(numEnvs), want)
		}
		b, rc := buffers(fn, bufs, o.batch.Spec())
		if rc != tbOK {
			return rc
		}
		s := unsafe.Slice((*uint64)(unsafe.Pointer(seeds)), int(numEnvs))
		m := unsafe.Slice((*uint8)(unsafe.Pointer(mask)), int(numEnvs))
		if err := o.batch.ResetSome(s, m, &b); err != nil {
			return failErr(fn, err)
		}
		return tbOK
	})
}

//export tb_batch_step
func tb_batch_step(h C.uint64_t, actions *C.float, n C.int64_t, bufs *C.tb_buffers) (rc C.int32_t) {
	defer guard("tb_batch_step", &rc)
	defer timed("tb_batch_step", start())
	return step("tb_batch_step", h, kindBatch, actions, n, bufs)
}

//export tb_batch_teacher
func tb_batch_teacher(h C.uint64_t, out *C.float, outLen C.int64_t) (rc C.int32_t) {
	const fn = "tb_batch_teacher"
	defer guard(fn, &rc)
	return withObject(fn, h, kindBatch, func(o *object) C.int32_t {
		sp := o.batch.Spec()
		want := int64(sp.NumEnvs) * int64(sp.Agents) * int64(sp.ActionSize)
		if out == nil || int64(outLen) != want {
			return fail(tbBuffer, "%s: out has %d floats (NULL: %t), want %d (%d envs × %d agents × %d)",
				fn, int64(outLen), out == nil, want, sp.NumEnvs, sp.Agents, sp.ActionSize)
		}
		if err := o.batch.TeacherActions(floats(out, outLen)); err != nil {
			return failErr(fn, err)
		}
		return tbOK
	})
}

//export tb_batch_destroy
func tb_batch_destroy(h C.uint64_t) (rc C.int32_t) {
	defer guard("tb_batch_destroy", &rc)
	return destroy("tb_batch_destroy", h, kindBatch)
}

//export tb_simulate
func tb_simulate(pkg *C.char, n C.int64_t, outBlob *C.uint64_t, outLen *C.int64_t) (rc C.int32_t) {
	const fn = "tb_simulate"
	defer guard(fn, &rc)
	if outBlob == nil || outLen == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	data, rc := goBytes(fn, "package_json", pkg, n)
	if rc != tbOK {
		return rc
	}
	ctx, done := handles.begin()
	defer done()
	res, err := rlenv.SimulateContext(ctx, data, logs.ring)
	if err != nil {
		return failErr(fn, err)
	}
	*outBlob = C.uint64_t(handles.add(&object{kind: kindBlob, blob: res}))
	*outLen = C.int64_t(len(res))
	return tbOK
}

//export tb_interrupt
func tb_interrupt() (rc C.int32_t) {
	defer guard("tb_interrupt", &rc)
	handles.interrupt()
	return tbOK
}

//export tb_blob_take
func tb_blob_take(h C.uint64_t, buf *C.char, capacity C.int64_t) (rc C.int32_t) {
	const fn = "tb_blob_take"
	defer guard(fn, &rc)
	return withObject(fn, h, kindBlob, func(o *object) C.int32_t {
		if buf == nil {
			return fail(tbArg, "%s: buf is NULL", fn)
		}
		if int64(capacity) < int64(len(o.blob)) {
			return fail(tbTooSmall, "%s: buffer holds %d bytes, the blob has %d", fn, int64(capacity), len(o.blob))
		}
		if len(o.blob) > 0 {
			C.memcpy(unsafe.Pointer(buf), unsafe.Pointer(&o.blob[0]), C.size_t(len(o.blob)))
		}
		handles.remove(uint64(h))
		o.kind, o.blob = 0, nil
		return tbOK
	})
}

//export tb_blob_free
func tb_blob_free(h C.uint64_t) (rc C.int32_t) {
	defer guard("tb_blob_free", &rc)
	return destroy("tb_blob_free", h, kindBlob)
}
