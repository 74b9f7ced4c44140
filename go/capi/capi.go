// Command capi builds libtidebreak, the C ABI of the Tidebreak arena
// (go build -buildmode=c-shared). tidebreak.h beside this file is the
// interface; each exported function below implements one of its
// prototypes, checks every argument and recovers panics.
package main

/*
#cgo CFLAGS: -DTB_NO_PROTOTYPES
// MinGW's thread-local storage (tb_err_text) lives in libgcc; link it in,
// or the DLL needs libgcc_s_seh-1.dll, which Windows does not have.
#cgo windows LDFLAGS: -static-libgcc
#include <stdlib.h>
#include "tidebreak.h"

static __thread char *tb_err_text;

static void tb_set_err(char *msg) {
	free(tb_err_text);
	tb_err_text = msg;
}

static const char *tb_get_err(void) {
	return tb_err_text ? tb_err_text : "";
}

// The status codes of tidebreak.h, by code: name and meaning.
static const struct { const char *name, *doc; } tb_statuses[] = {
	[TB_OK]            = {"TB_OK", "success"},
	[TB_ERR_HANDLE]    = {"TB_ERR_HANDLE", "zero, stale, destroyed, unknown or wrong-kind handle"},
	[TB_ERR_ARG]       = {"TB_ERR_ARG", "bad argument: NULL pointer, bad count, NaN or out-of-range action"},
	[TB_ERR_BUFFER]    = {"TB_ERR_BUFFER", "a buffer's length does not match the spec"},
	[TB_ERR_JSON]      = {"TB_ERR_JSON", "malformed JSON"},
	[TB_ERR_INVALID]   = {"TB_ERR_INVALID", "the package, config, state or action log failed validation"},
	[TB_ERR_STATE]     = {"TB_ERR_STATE", "not allowed now, e.g. stepping a finished env"},
	[TB_ERR_PANIC]     = {"TB_ERR_PANIC", "an internal error was recovered"},
	[TB_ERR_TOO_SMALL] = {"TB_ERR_TOO_SMALL", "output buffer too small; the size needed is reported"},
	[TB_ERR_INTERRUPTED] = {"TB_ERR_INTERRUPTED", "tb_interrupt ended the call early"},
};

enum { tb_num_statuses = sizeof tb_statuses / sizeof tb_statuses[0] };

static const char *tb_status_name(int32_t code) {
	if (code < 0 || code >= tb_num_statuses || !tb_statuses[code].name) {
		return "unknown status";
	}
	return tb_statuses[code].name;
}

static const char *tb_status_doc(int32_t code) {
	if (code < 0 || code >= tb_num_statuses || !tb_statuses[code].doc) {
		return "";
	}
	return tb_statuses[code].doc;
}
*/
import "C"

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"unsafe"

	"github.com/tidebreak/tidebreak/go/core/arena"
	"github.com/tidebreak/tidebreak/go/core/rlenv"
)

func main() {}

// abiVersion must equal TB_ABI_VERSION in tidebreak.h.
const abiVersion = 1

// Status codes, as in tidebreak.h.
const (
	tbOK          = C.TB_OK
	tbHandle      = C.TB_ERR_HANDLE
	tbArg         = C.TB_ERR_ARG
	tbBuffer      = C.TB_ERR_BUFFER
	tbJSON        = C.TB_ERR_JSON
	tbInvalid     = C.TB_ERR_INVALID
	tbState       = C.TB_ERR_STATE
	tbPanic       = C.TB_ERR_PANIC
	tbTooSmall    = C.TB_ERR_TOO_SMALL
	tbInterrupted = C.TB_ERR_INTERRUPTED
)

// fail records msg as the calling thread's error and returns code.
func fail(code C.int32_t, format string, args ...any) C.int32_t {
	// A NUL would end the C string early; messages quote user text, but be sure.
	msg := strings.ReplaceAll(fmt.Sprintf(format, args...), "\x00", `\x00`)
	C.tb_set_err(C.CString(msg))
	return code
}

// failErr maps an rlenv error class to its status code.
func failErr(fn string, err error) C.int32_t {
	code := C.int32_t(tbArg)
	switch {
	case errors.Is(err, rlenv.ErrBuffer):
		code = tbBuffer
	case errors.Is(err, rlenv.ErrJSON):
		code = tbJSON
	case errors.Is(err, rlenv.ErrInvalid):
		code = tbInvalid
	case errors.Is(err, rlenv.ErrState):
		code = tbState
	case errors.Is(err, rlenv.ErrInternal):
		code = tbPanic
	case errors.Is(err, rlenv.ErrInterrupted):
		code = tbInterrupted
	}
	return fail(code, "%s: %v", fn, err)
}

// guard turns a panic in an export into TB_ERR_PANIC and logs it with its
// stack (tb_log_drain); use as defer guard("tb_x", &rc).
func guard(fn string, rc *C.int32_t) {
	if r := recover(); r != nil {
		logPanic(fn, r)
		*rc = fail(tbPanic, "%s: internal error (recovered panic): %s", fn, panicText(r))
	}
}

// goBytes copies len bytes of C memory, checking the pointer and length.
func goBytes(fn, name string, p *C.char, n C.int64_t) ([]byte, C.int32_t) {
	if p == nil {
		return nil, fail(tbArg, "%s: %s is NULL", fn, name)
	}
	if n < 0 || n > math.MaxInt32 {
		return nil, fail(tbArg, "%s: %s length %d is out of range", fn, name, int64(n))
	}
	return C.GoBytes(unsafe.Pointer(p), C.int(n)), tbOK
}

// floats views caller memory as a slice for the duration of a call. n
// must already have been checked against what the call needs: a length
// beyond the address space would make unsafe.Slice panic.
func floats(p *C.float, n C.int64_t) []float32 {
	if p == nil || n <= 0 {
		return nil
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(p)), int(n))
}

func bytesOf(p *C.uint8_t, n C.int64_t) []uint8 {
	if p == nil || n <= 0 {
		return nil
	}
	return unsafe.Slice((*uint8)(unsafe.Pointer(p)), int(n))
}

// buffers converts a tb_buffers to rlenv.Buffers. Every length is compared
// with the one the spec requires before any slice is built, so a wrong
// length (negative, huge or just off by one) is TB_ERR_BUFFER; so is a NULL
// pointer with a non-zero length.
func buffers(fn string, b *C.tb_buffers, spec rlenv.Spec) (rlenv.Buffers, C.int32_t) {
	if b == nil {
		return rlenv.Buffers{}, fail(tbArg, "%s: bufs is NULL", fn)
	}
	type entry struct {
		name string
		null bool
		n    C.int64_t
	}
	for _, e := range []entry{
		{"obs", b.obs == nil, b.obs_len}, {"mask", b.mask == nil, b.mask_len},
		{"rewards", b.rewards == nil, b.rewards_len},
		{"terminated", b.terminated == nil, b.terminated_len},
		{"truncated", b.truncated == nil, b.truncated_len},
		{"final_obs", b.final_obs == nil, b.final_obs_len},
	} {
		if e.n < 0 {
			return rlenv.Buffers{}, fail(tbBuffer, "%s: %s_len is negative (%d)", fn, e.name, int64(e.n))
		}
		if e.null && e.n > 0 {
			return rlenv.Buffers{}, fail(tbBuffer, "%s: %s is NULL but %s_len is %d", fn, e.name, e.name, int64(e.n))
		}
	}
	if err := spec.CheckLengths(rlenv.BufferLengths{
		Obs: int64(b.obs_len), Mask: int64(b.mask_len), Rewards: int64(b.rewards_len),
		Terminated: int64(b.terminated_len), Truncated: int64(b.truncated_len), FinalObs: int64(b.final_obs_len),
	}); err != nil {
		return rlenv.Buffers{}, failErr(fn, err)
	}
	return rlenv.Buffers{
		Obs: floats(b.obs, b.obs_len), Mask: floats(b.mask, b.mask_len),
		Rewards:    floats(b.rewards, b.rewards_len),
		Terminated: bytesOf(b.terminated, b.terminated_len),
		Truncated:  bytesOf(b.truncated, b.truncated_len),
		FinalObs:   floats(b.final_obs, b.final_obs_len),
	}, tbOK
}

func writeSpec(out *C.tb_spec, s rlenv.Spec) {
	*out = C.tb_spec{
		obs_size: C.int32_t(s.ObsSize), action_size: C.int32_t(s.ActionSize),
		reward_terms: C.int32_t(s.RewardTerms), mask_size: C.int32_t(s.MaskSize),
		agents_per_env: C.int32_t(s.Agents), num_envs: C.int32_t(s.NumEnvs),
		max_ticks: C.int32_t(s.MaxTicks), substeps: C.int32_t(s.Substeps),
	}
}

//export tb_abi_version
func tb_abi_version() C.int32_t { return abiVersion }

//export tb_errmsg
func tb_errmsg() *C.char { return C.tb_get_err() }

//export tb_errstr
func tb_errstr(code C.int32_t) *C.char { return C.tb_status_name(code) }

// status is one status code as tb_layout reports it.
type status struct {
	Code int32  `json:"code"`
	Name string `json:"name"`
	Doc  string `json:"doc"`
}

// statuses lists the status codes of tidebreak.h, from the C table behind
// tb_errstr.
func statuses() []status {
	out := make([]status, 0, int(C.tb_num_statuses))
	for c := C.int32_t(0); c < C.int32_t(C.tb_num_statuses); c++ {
		out = append(out, status{int32(c), C.GoString(C.tb_status_name(c)), C.GoString(C.tb_status_doc(c))})
	}
	return out
}

// layoutJSON is tb_layout's document: the arena's layouts and codes with
// the ABI version and the status codes.
func layoutJSON() ([]byte, error) {
	return json.Marshal(struct {
		ABIVersion int      `json:"abi_version"`
		Status     []status `json:"status"`
		arena.Layout
	}{abiVersion, statuses(), arena.Describe()})
}

//export tb_layout
func tb_layout(outBlob *C.uint64_t, outLen *C.int64_t) (rc C.int32_t) {
	const fn = "tb_layout"
	defer guard(fn, &rc)
	if outBlob == nil || outLen == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	data, err := layoutJSON()
	if err != nil {
		return fail(tbPanic, "%s: encoding the layout: %v", fn, err)
	}
	*outBlob = C.uint64_t(handles.add(&object{kind: kindBlob, blob: data}))
	*outLen = C.int64_t(len(data))
	return tbOK
}

//export tb_selftest_panic
func tb_selftest_panic() (rc C.int32_t) {
	defer guard("tb_selftest_panic", &rc)
	// An explicit panic, not a nil dereference: a fault would go through
	// the SIGSEGV handler, which a host process (Python's faulthandler,
	// Ray) may have replaced after the Go runtime installed its own.
	panic("tb_selftest_panic: deliberate panic")
}
