// Package tblog is the engine's log: warnings and notable events (unknown
// keys ignored in lenient mode, clamped values, slow calls, recovered
// panics) that a host program should see, without a cost when nothing is
// logged.
//
// Code that has something to report takes a Logger and calls Warnf, Infof
// or Logf; a nil Logger discards everything, so logging stays optional for
// every caller (tests, commands, the simulation core):
//
//	tblog.Warnf(log, "contract", "ships[0]: unknown key %q ignored (lenient mode)", key)
//
// Ring is the Logger the C library uses: a bounded buffer of records that
// the host drains after a call (the Python binding checks a pending count
// after each call and forwards the records to its logging module). When the
// ring is full the oldest record is dropped and counted, so a flood of
// warnings costs bounded memory.
//
// Levels use Python logging's numbers, so a record keeps its level across
// the C ABI unchanged.
package tblog

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Level is a record's severity, numbered as in Python's logging module.
type Level int32

// The levels.
const (
	Debug Level = 10
	Info  Level = 20
	Warn  Level = 30
	Error Level = 40
)

// String returns the level's name as Python's logging writes it.
func (l Level) String() string {
	switch l {
	case Debug:
		return "DEBUG"
	case Info:
		return "INFO"
	case Warn:
		return "WARNING"
	case Error:
		return "ERROR"
	}
	return fmt.Sprintf("Level(%d)", int32(l))
}

// Record is one log entry. Seq numbers the records a Ring kept, from 1
// (0 for the warning about dropped records). Source names the part of the engine that wrote
// it ("contract", "arena", "capi"); Stack, when set, is a goroutine stack
// trace (recovered panics carry one).
type Record struct {
	Seq     uint64 `json:"seq"`
	Level   Level  `json:"level"`
	Source  string `json:"source"`
	Message string `json:"message"`
	Stack   string `json:"stack,omitempty"`
}

// Logger receives records. Enabled lets callers skip formatting a message
// that would be discarded.
type Logger interface {
	Enabled(level Level) bool
	Log(r Record)
}

// Enabled reports whether l would keep a record at level; false for a nil
// Logger. Hot loops check it before building a message's arguments, which
// would otherwise be boxed (and allocated) even when nothing is logged.
func Enabled(l Logger, level Level) bool {
	return l != nil && l.Enabled(level)
}

// Logf formats a message and logs it at level; a nil Logger discards it.
func Logf(l Logger, level Level, source, format string, args ...any) {
	if !Enabled(l, level) {
		return
	}
	l.Log(Record{Level: level, Source: source, Message: fmt.Sprintf(format, args...)})
}

// Warnf logs a warning; a nil Logger discards it.
func Warnf(l Logger, source, format string, args ...any) {
	Logf(l, Warn, source, format, args...)
}

// Infof logs a notable event; a nil Logger discards it.
func Infof(l Logger, source, format string, args ...any) {
	Logf(l, Info, source, format, args...)
}

// Debugf logs a detail for debugging; a nil Logger discards it.
func Debugf(l Logger, source, format string, args ...any) {
	Logf(l, Debug, source, format, args...)
}

// Ring is a concurrency-safe, bounded Logger. Records wait in it until
// Drain takes them; when it is full, the oldest record is dropped and
// counted, and the next Drain starts with a warning saying how many were
// lost.
type Ring struct {
	min     atomic.Int32
	mu      sync.Mutex
	buf     []Record
	start   int // index of the oldest record
	n       int // records waiting
	seq     uint64
	dropped uint64
	notify  func(waiting int)
}

// NewRing returns a ring that keeps up to capacity records (at least 1)
// at level Info and above. notify, if not nil, is called with the number of
// records waiting each time it changes (under the ring's lock, so it must
// not log).
func NewRing(capacity int, notify func(waiting int)) *Ring {
	r := &Ring{buf: make([]Record, max(capacity, 1)), notify: notify}
	r.min.Store(int32(Info))
	return r
}

// SetLevel sets the lowest level kept; records below it are discarded
// before they are formatted.
func (r *Ring) SetLevel(level Level) { r.min.Store(int32(level)) }

// Level returns the lowest level kept.
func (r *Ring) Level() Level { return Level(r.min.Load()) }

// Enabled reports whether a record at level would be kept.
func (r *Ring) Enabled(level Level) bool { return int32(level) >= r.min.Load() }

// Log appends a record, numbering it; if the ring is full the oldest
// record is dropped.
func (r *Ring) Log(rec Record) {
	if !r.Enabled(rec.Level) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	rec.Seq = r.seq
	if r.n == len(r.buf) {
		r.start = (r.start + 1) % len(r.buf)
		r.n--
		r.dropped++
	}
	r.buf[(r.start+r.n)%len(r.buf)] = rec
	r.n++
	r.changed()
}

// Pending returns the number of records waiting.
func (r *Ring) Pending() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// Drain removes and returns the waiting records, oldest first. If records
// were dropped since the last Drain, the first record returned is a
// warning that says how many.
func (r *Ring) Drain() []Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Record, 0, r.n+1)
	if r.dropped > 0 {
		out = append(out, Record{
			Level: Warn, Source: "log",
			Message: fmt.Sprintf("%d log records were dropped: more than %d were waiting (the ring is full)", r.dropped, len(r.buf)),
		})
		r.dropped = 0
	}
	for i := 0; i < r.n; i++ {
		j := (r.start + i) % len(r.buf)
		out = append(out, r.buf[j])
		r.buf[j] = Record{} // keep no message alive past its drain
	}
	r.start, r.n = 0, 0
	r.changed()
	return out
}

func (r *Ring) changed() {
	if r.notify != nil {
		r.notify(r.n)
	}
}
