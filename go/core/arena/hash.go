package arena

import (
	"github.com/tidebreak/tidebreak/go/core/statehash"
)

// Hash returns the canonical state hash: the fields of the state list
// (statelist.go) marked hashed, in list order, written with package
// statehash. Integers of every width are written as Int, generator states
// word by word, and a coupled World's field space as its own Hash.
func (w *World) Hash() uint64 {
	sw := stateWalker{hash: true, h: statehash.New()}
	w.walkState(&sw)
	return sw.h.Sum()
}
