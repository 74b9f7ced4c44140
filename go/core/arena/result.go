package arena

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/statehash"
)

// Run steps the battle to its end with every controller scripted (agents
// send zero actions) and returns the result.
func (w *World) Run() contract.BattleResult {
	zero := make([]float32, len(w.Agents)*ActionSize)
	for !w.done {
		w.step(zero)
	}
	return w.Result()
}

// interruptEvery is how many ticks RunContext steps between looks at its
// context: a few milliseconds of the largest battles, nothing for a duel.
const interruptEvery = 64

// RunContext is Run that stops early when ctx is done: it looks at ctx
// before the first tick and every interruptEvery ticks after, and returns
// ctx's error (the battle then stands part-played and has no result).
func (w *World) RunContext(ctx context.Context) (contract.BattleResult, error) {
	zero := make([]float32, len(w.Agents)*ActionSize)
	for n := 0; !w.done; n++ {
		if n%interruptEvery == 0 {
			if err := ctx.Err(); err != nil {
				return contract.BattleResult{}, err
			}
		}
		w.step(zero)
	}
	return w.Result(), nil
}

// Result reports the battle as it stands.
func (w *World) Result() contract.BattleResult {
	r := contract.BattleResult{
		SchemaVersion: contract.SchemaVersion,
		BattleID:      w.Pkg.BattleID,
		Seed:          w.Seed,
		TorchSeed:     w.Pkg.TorchSeed,
		DurationS:     float64(w.Tick),
	}
	if w.winner >= 0 && !w.truncated {
		id := w.Teams[w.winner].ID
		r.WinnerTeamID = &id
	}
	for i := range w.Ships {
		r.Ships = append(r.Ships, w.shipOutcome(&w.Ships[i]))
	}
	for t := range w.Teams {
		r.Teams = append(r.Teams, w.teamOutcome(t))
	}
	r.EventSummary = contract.EventSummary{
		Transitions: w.counters.transitions,
		Collisions:  w.counters.collisions,
	}
	for i := range w.Ships {
		s := &w.Ships[i]
		e := &r.EventSummary
		e.Hits += s.Hits
		e.ShotsFired += s.ShotsFired
		e.WastedShots += s.Wasted
		e.HazardDamage += s.HazardDamage
		switch s.Status {
		case StatusDestroyed, StatusDisabled:
			e.Kills++
		case StatusSurrendered:
			e.Surrenders++
		}
	}
	log := w.log
	if log == nil {
		log = []contract.ActionRecord{}
	}
	r.Replay = contract.Replay{
		Seed:             w.Seed,
		TraceVersion:     contract.TraceVersion,
		ActionLog:        log,
		ActionLogHash:    ActionLogHash(log),
		InitialStateHash: statehash.Hex(w.initHash),
		FinalStateHash:   statehash.Hex(w.Hash()),
		TickHashes:       make([]string, len(w.tickHashes)),
	}
	for i, h := range w.tickHashes {
		r.Replay.TickHashes[i] = statehash.Hex(h)
	}
	return r
}

func (w *World) shipOutcome(s *Ship) contract.ShipOutcome {
	layer := contract.LayerSurface
	if s.Layer == Submerged {
		layer = contract.LayerSubmerged
	}
	o := contract.ShipOutcome{
		ShipID:      s.Spec.ShipID,
		Fate:        fateName(s.Status),
		FinalMorale: s.Morale,
		FinalState: contract.FinalState{X: s.Kin.Pos.X, Y: s.Kin.Pos.Y, Heading: s.Kin.Heading,
			Speed: s.Kin.Speed, Layer: layer, HP: s.HP, Ammo: map[string]int{}},
		Consumption: contract.Consumption{AmmoUsed: map[string]int{}, FuelUsed: s.FuelUsed},
	}
	for m := range s.Mounts {
		mt := &s.Mounts[m]
		o.FinalState.Ammo[mt.Spec.Slot] = mt.Ammo
		o.Consumption.AmmoUsed[mt.Spec.Slot] = mt.AmmoStart - mt.Ammo
	}
	if s.Status == StatusSurrendered {
		m := contract.CaptureSurrendered
		o.CaptureMethod = &m
	}
	// Casualties scale with the hull damage taken: a tenth of the damaged
	// fraction of the crew is killed and a fifth wounded.
	lost := 1 - s.HP/s.MaxHP
	crew := float64(s.Spec.Crew.CrewCount)
	o.CrewCasualties.Killed = int(math.Round(crew * lost * 0.1))
	o.CrewCasualties.Wounded = int(math.Round(crew * lost * 0.2))
	return o
}

func fateName(s Status) string {
	switch s {
	case StatusDisabled:
		return contract.FateDisabled
	case StatusDestroyed:
		return contract.FateDestroyed
	case StatusSurrendered:
		return contract.FateCaptured
	}
	return contract.FateOperational
}

func (w *World) teamOutcome(t int) contract.TeamOutcome {
	o := contract.TeamOutcome{TeamID: w.Teams[t].ID}
	for _, i := range w.Teams[t].Ships {
		switch w.Ships[i].Status {
		case StatusDestroyed, StatusDisabled:
			o.ShipsLost++
		case StatusSurrendered:
			o.ShipsSurrendered++
		}
	}
	n := len(w.Teams[t].Ships)
	lostFrac := 0.0
	if n > 0 {
		lostFrac = float64(o.ShipsLost+o.ShipsSurrendered) / float64(n)
	}
	switch {
	case w.truncated || w.winner < 0:
		o.MoraleDelta = -0.05 * lostFrac
	case w.winner == t:
		o.DecisiveVictory = lostFrac <= 0.25
		o.MoraleDelta = 0.05 + 0.15*(1-lostFrac)
	default:
		o.MoraleDelta = -0.1 - 0.2*lostFrac*(1+float64(o.ShipsSurrendered)/float64(max(n, 1)))/2
	}
	o.MoraleDelta = math.Max(-0.3, math.Min(0.2, o.MoraleDelta))
	return o
}

// ActionLogHash is the SHA-256 (hex) of the log's canonical binary form:
// per record, tick (8 bytes LE), ship id length and bytes, then the action
// values' float64 bits (8 bytes LE each).
func ActionLogHash(log []contract.ActionRecord) string {
	h := sha256.New()
	var b [8]byte
	for _, r := range log {
		binary.LittleEndian.PutUint64(b[:], uint64(r.Tick))
		h.Write(b[:])
		binary.LittleEndian.PutUint64(b[:], uint64(len(r.ShipID)))
		h.Write(b[:])
		h.Write([]byte(r.ShipID))
		for _, a := range r.Action {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(a))
			h.Write(b[:])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
