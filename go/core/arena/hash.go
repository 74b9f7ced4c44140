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
		for m := range s.Mounts {
			mt := &s.Mounts[m]
			h.Int(mt.Ammo)
			h.Int(mt.Cooldown)
			h.Int(mt.Fired)
		}
		h.Int(s.Crits.Mobility)
		h.Int(s.Crits.Weapons)
		h.Int(s.Crits.Sensors)
		h.Int(s.Crits.Fire)
		for j := range s.Tracks {
			hashTrack(&h, &s.Tracks[j])
		}
		h.Bool(s.Threat.Heard)
		h.Float64(s.Threat.Bearing)
		h.Float64(s.Threat.Range)
		for _, x := range s.Sensor.S {
			h.Uint64(x)
		}
		for _, x := range s.Damage.S {
			h.Uint64(x)
		}
		h.Int(s.PingCD)
		h.Int(s.Pinged)
		h.Bool(s.PingNow)
		h.Int(s.Blinded)
		h.Bool(s.Detected)
		h.Int(s.Hits)
		h.Int(s.ShotsFired)
		h.Int(s.Wasted)
		h.Int(s.Kills)
		h.Uint64(uint64(s.KilledBy))
		h.Float64(s.HazardDamage)
		h.Int(s.Contact)
		h.Float64(s.ContactRange)
	}
	for i := range w.projectiles {
		p := &w.projectiles[i]
		if !p.Alive {
			continue
		}
		h.Int(i)
		h.Int(int(p.Kind))
		h.Int(p.Owner)
		h.Float64(p.Pos.X)
		h.Float64(p.Pos.Y)
		h.Float64(p.Heading)
		h.Float64(p.Run)
		h.Bool(p.Seeking)
		h.Int(p.Target)
	}
	if w.fields != nil {
		h.Uint64(w.fields.space.Hash())
	}
	return h.Sum()
}

func hashTrack(h *statehash.Hasher, t *Track) {
	h.Int(int(t.Quality))
	if t.Quality < 0 {
		return
	}
	h.Int(int(t.Layer))
	h.Int(int(t.Class))
	h.Bool(t.Hostile)
	h.Bool(t.Fresh)
	h.Int(int(t.Sources))
	h.Float64(t.Pos.X)
	h.Float64(t.Pos.Y)
	h.Float64(t.Vel.X)
	h.Float64(t.Vel.Y)
	h.Float64(t.Err)
	h.Int(t.Updated)
}
