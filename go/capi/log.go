package main

/*
#cgo CFLAGS: -DTB_NO_PROTOTYPES
#include <stdint.h>
#include "tidebreak.h"

// The number of log records waiting, read by the host without a call.
static volatile int32_t tb_log_waiting;

static int32_t *tb_log_waiting_ptr(void) { return (int32_t *)&tb_log_waiting; }
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"math"
	"runtime/debug"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/tidebreak/tidebreak/go/core/tblog"
)

// libLog is the library's log: a ring of records that the host drains
// (tb_log_drain) when the counter behind tb_log_pending is non-zero, and
// the threshold above which a timed call is logged as slow.
type libLog struct {
	ring *tblog.Ring
	slow atomic.Int64 // nanoseconds; negative: slow calls are not timed
	// steps says whether tb_env_step is timed too: only once tb_log_config
	// has set a threshold, because reading the clock twice costs a few
	// percent of one env's step (270 ns of 5-8 µs on a 2-core VM).
	steps atomic.Bool
}

// logs is, with the handle table, the library's only global. Engine code
// that has something to report takes a tblog.Logger; the exports pass it
// logs.ring.
var logs = newLibLog()

func newLibLog() *libLog {
	waiting := (*int32)(unsafe.Pointer(C.tb_log_waiting_ptr()))
	l := &libLog{ring: tblog.NewRing(C.TB_LOG_CAPACITY, func(n int) {
		atomic.StoreInt32(waiting, int32(n))
	})}
	l.slow.Store(int64(time.Second))
	return l
}

// start returns the time a timed call began, or the zero time when slow
// calls are not being timed.
func start() time.Time {
	if logs.slow.Load() < 0 {
		return time.Time{}
	}
	return time.Now()
}

// startStep is start for tb_env_step, which is timed only on request.
func startStep() time.Time {
	if !logs.steps.Load() {
		return time.Time{}
	}
	return start()
}

// timed logs a warning if the call fn that began at t0 took longer than the
// slow-call threshold; use as defer timed(fn, start()).
func timed(fn string, t0 time.Time) {
	if t0.IsZero() {
		return
	}
	d := time.Since(t0)
	if limit := time.Duration(logs.slow.Load()); limit >= 0 && d >= limit {
		tblog.Warnf(logs.ring, "capi", "%s took %v (slow-call threshold %v)", fn, d.Round(time.Microsecond), limit)
	}
}

// stackCarrier is a panic value that brings the stack of the goroutine
// where it was first raised (a batch worker's, re-raised on the caller).
type stackCarrier interface {
	PanicStack() []byte
}

// logPanic records a recovered panic with its stack.
func logPanic(fn string, r any) {
	stack := debug.Stack()
	if c, ok := r.(stackCarrier); ok {
		stack = c.PanicStack()
	}
	logs.ring.Log(tblog.Record{
		Level: tblog.Error, Source: "capi",
		Message: fn + ": recovered panic: " + panicText(r),
		Stack:   string(stack),
	})
}

//export tb_log_pending
func tb_log_pending() *C.int32_t {
	return (*C.int32_t)(unsafe.Pointer(C.tb_log_waiting_ptr()))
}

//export tb_log_drain
func tb_log_drain(outBlob *C.uint64_t, outLen *C.int64_t) (rc C.int32_t) {
	const fn = "tb_log_drain"
	defer guard(fn, &rc)
	if outBlob == nil || outLen == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	data, err := json.Marshal(logs.ring.Drain())
	if err != nil {
		return fail(tbPanic, "%s: encoding the records: %v", fn, err)
	}
	*outBlob = C.uint64_t(handles.add(&object{kind: kindBlob, blob: data}))
	*outLen = C.int64_t(len(data))
	return tbOK
}

//export tb_log_config
func tb_log_config(level C.int32_t, slowCallS C.double) (rc C.int32_t) {
	const fn = "tb_log_config"
	defer guard(fn, &rc)
	s := float64(slowCallS)
	if level > 100 || (level < 0 && level != -1) {
		return fail(tbArg, "%s: level %d is out of range (0 to 100, or -1 to keep the current one)", fn, int32(level))
	}
	if math.IsInf(s, 0) || s > 1e9 {
		return fail(tbArg, "%s: slow_call_s %g is out of range (at most 1e9 s; negative turns the check off, NaN keeps it)", fn, s)
	}
	if level >= 0 {
		logs.ring.SetLevel(tblog.Level(level))
	}
	switch {
	case math.IsNaN(s):
	case s < 0:
		logs.slow.Store(-1)
		logs.steps.Store(false)
	default:
		logs.slow.Store(int64(s * 1e9))
		logs.steps.Store(true)
	}
	return tbOK
}

// panicText is a recovered panic value as text.
func panicText(r any) string {
	if e, ok := r.(error); ok {
		return e.Error()
	}
	return fmt.Sprint(r)
}
