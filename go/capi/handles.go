package main

import (
	"context"
	"sync"

	"github.com/tidebreak/tidebreak/go/core/rlenv"
	"github.com/tidebreak/tidebreak/go/morphospace"
)

// kind says what a handle refers to.
type kind uint8

const (
	kindEnv kind = iota + 1
	kindBatch
	kindBlob
	kindSpace
	kindGrid
)

func (k kind) String() string {
	switch k {
	case kindEnv:
		return "an env"
	case kindBatch:
		return "a batch"
	case kindBlob:
		return "a blob"
	case kindSpace:
		return "a MorphoSpace universe"
	case kindGrid:
		return "a MorphoSpace grid"
	}
	return "nothing"
}

// object is what a handle refers to; mu serialises calls on it.
type object struct {
	mu    sync.Mutex
	kind  kind
	batch *rlenv.Batch
	blob  []byte
	space *morphospace.Space
	grid  *morphospace.Grid
}

// handleTable maps live handles to objects. Handles count up from 1 and
// are never reused, so a destroyed handle stays invalid forever. It also
// holds the cancel functions of the tb_simulate calls in progress, which
// tb_interrupt calls.
type handleTable struct {
	mu      sync.Mutex
	next    uint64
	objects map[uint64]*object
	calls   uint64                        // long calls begun
	running map[uint64]context.CancelFunc // by call number
}

// handles is the library's only global: the table of live handles.
var handles = handleTable{objects: map[uint64]*object{}, running: map[uint64]context.CancelFunc{}}

// begin returns a context for a long call that tb_interrupt can end, and
// the function that unregisters it when the call returns.
func (t *handleTable) begin() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	t.mu.Lock()
	t.calls++
	id := t.calls
	t.running[id] = cancel
	t.mu.Unlock()
	return ctx, func() {
		t.mu.Lock()
		delete(t.running, id)
		t.mu.Unlock()
		cancel()
	}
}

// interrupt ends every call begun and not yet finished; it returns how many.
func (t *handleTable) interrupt() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, cancel := range t.running {
		cancel()
	}
	return len(t.running)
}

func (t *handleTable) add(o *object) uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.next++
	t.objects[t.next] = o
	return t.next
}

// get returns the object behind h, or an error message naming the problem.
func (t *handleTable) get(h uint64, want kind) (*object, string) {
	if h == 0 {
		return nil, "handle is 0 (never a valid handle)"
	}
	t.mu.Lock()
	o, ok := t.objects[h]
	next := t.next
	t.mu.Unlock()
	switch {
	case !ok && h <= next:
		return nil, "handle " + itoa(h) + " was destroyed"
	case !ok:
		return nil, "handle " + itoa(h) + " is unknown"
	case o.kind != want:
		return nil, "handle " + itoa(h) + " is " + o.kind.String() + ", not " + want.String()
	}
	return o, ""
}

func (t *handleTable) remove(h uint64) {
	t.mu.Lock()
	delete(t.objects, h)
	t.mu.Unlock()
}

func itoa(v uint64) string {
	if v == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[i:])
}
