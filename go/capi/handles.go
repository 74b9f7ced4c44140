package main

import (
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
// are never reused, so a destroyed handle stays invalid forever.
type handleTable struct {
	mu      sync.Mutex
	next    uint64
	objects map[uint64]*object
}

// handles is the library's only global: the table of live handles.
var handles = handleTable{objects: map[uint64]*object{}}

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
