package arena

import (
	"github.com/tidebreak/tidebreak/go/core/statehash"
)

// Hash returns the canonical state hash: tick, battle status and every
// ship's dynamic state in id order, written with package statehash.
func (w *World) Hash() uint64 {
	h := statehash.New()
	h.Uint64(w.Seed)
	h.Int(w.Tick)
	h.Bool(w.done)
	h.Bool(w.truncated)
	h.Int(w.winner)
	h.Float64(w.env.phase[0])
	h.Float64(w.env.phase[1])
	for i := range w.Ships {
		s := &w.Ships[i]
		h.Uint64(uint64(s.ID))
		h.Float64(s.Kin.Pos.X)
		h.Float64(s.Kin.Pos.Y)
		h.Float64(s.Kin.Heading)
		h.Float64(s.Kin.Speed)
		h.Int(int(s.Layer))
		h.Bool(s.Trans.Active)
		h.Int(int(s.Trans.From))
		h.Int(int(s.Trans.To))
		h.Float64(s.Trans.Elapsed)
		h.Float64(s.Trans.Duration)
		h.Float64(s.Trans.HPAtStart)
		h.Float64(s.HP)
		h.Int(int(s.Status))
		h.Float64(s.Throttle)
		h.Float64(s.Rudder)
		for _, x := range s.Control.Stream.S {
			h.Uint64(x)
		}
		h.Int(s.Control.Waypoint)
		h.Int(s.Control.HoldLeft)
		for _, a := range s.Control.Hold {
			h.Float64(a)
		}
		h.Float64(s.Morale)
		h.Float64(s.FuelUsed)
		h.Int(s.Collisions)
	}
	return h.Sum()
}
