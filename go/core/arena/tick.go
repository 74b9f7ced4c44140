package arena

import (
	"fmt"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/tidebreak/tidebreak/go/core/contract"
	"github.com/tidebreak/tidebreak/go/core/dmath"
)

// EventKind classifies an Event.
type EventKind uint8

// Event kinds.
const (
	EventTransitionStart EventKind = iota + 1
	EventTransitionDone
	EventTransitionAbort
	EventCollision
	EventDamage
	EventOutOfAction
	EventFire
	EventHit
	EventWasted
	EventMisfire
	EventCrit
	EventPing
)

// Event is something that happened during a tick. Source caused it (0 for
// the environment), Target suffered it; Trace identifies it and Cause names
// the trace of the output or event that led to it (0 if none). Tick is the
// tick during which it happened, counted from 0 as in the action log: the
// state after it is that of tick Tick+1. EventKinds documents each kind's
// Source, Target and Value.
type Event struct {
	Tick   int
	Kind   EventKind
	Source EntityID
	Target EntityID
	Trace  uint64
	Cause  uint64
	Value  float64
}

type damageKind uint8

const (
	damageCollision damageKind = iota
	damageHazard
	damageWeapon
	damageFire
)

// Events returns the events of the last tick in the order they happened
// (none after Reset or Load); the slice is reused by the next Step.
func (w *World) Events() []Event { return w.events }

func (w *World) emit(e Event) {
	e.Tick = w.Tick
	w.events = append(w.events, e)
}

// Step runs one 1 s tactical tick. actions holds ActionSize values per
// agent, in agent order; every value must be finite and within [-1, 1].
// Stepping a finished battle is an error.
func (w *World) Step(actions []float32) error {
	if err := w.CheckActions(actions); err != nil {
		return err
	}
	return w.Advance(actions)
}

// Advance is Step for actions that CheckActions has already accepted: a
// batch checks every env's actions before it moves any, and need not pay
// for the check twice. Actions that were not checked give undefined
// results.
func (w *World) Advance(actions []float32) error {
	if w.done {
		return fmt.Errorf("arena: battle %q is over; reset it before stepping", w.Pkg.BattleID)
	}
	w.step(actions)
	return nil
}

// CheckActions reports whether actions has the right length and values.
func (w *World) CheckActions(actions []float32) error {
	if want := len(w.Agents) * ActionSize; len(actions) != want {
		return fmt.Errorf("arena: actions has %d values, want %d (%d agents × %d)",
			len(actions), want, len(w.Agents), ActionSize)
	}
	for i, a := range actions {
		if !(a >= -1 && a <= 1) { // also false for NaN; ±Inf are out of range
			return fmt.Errorf("arena: actions[%d] (agent %d, %s) = %v, want a finite value in [-1, 1]",
				i, i/ActionSize, ActionFields[i%ActionSize].Name, a)
		}
	}
	return nil
}

// step runs the tick phases in the order docs/architecture.md gives.
func (w *World) step(actions []float32) {
	clear(w.rewards)
	w.events = w.events[:0]
	w.countdown()
	if w.fields != nil {
		w.fieldsPhase()
	}
	w.sense()
	w.control(actions)
	w.resolve()
	w.substeps()
	for i := range w.Ships {
		w.Ships[i].Kin.settle()
	}
	w.weaponsPlugin()
	w.resolveFire()
	w.effects()
	w.Tick++
	w.terminate()
	w.telemetry()
}

// terminate ends the battle when at most one team is still in the fight
// (with two or more teams), or when the time limit is reached. A team is
// out of the fight when it has no active ship, or when the fraction of its
// ships put out of action reaches rules.rout_fraction (1 by default: all).
func (w *World) terminate() {
	if len(w.Teams) >= 2 {
		inFight, last := 0, -1
		for t := range w.Teams {
			if w.teamFights(t) {
				inFight++
				last = t
			}
		}
		if inFight <= 1 {
			w.done = true
			w.winner = last
			return
		}
	}
	if w.Tick >= w.MaxTicks {
		w.done, w.truncated = true, true
	}
}

func (w *World) teamFights(t int) bool {
	ships := w.Teams[t].Ships
	active := 0
	for _, i := range ships {
		if w.Ships[i].Alive() {
			active++
		}
	}
	if active == 0 {
		return false
	}
	lost := float64(len(ships)-active) / float64(len(ships))
	return lost < w.rules.RoutFraction
}

// telemetry writes reward terms and, when recording, the tick hash.
func (w *World) telemetry() {
	for a, i := range w.Agents {
		s := &w.Ships[i]
		r := w.rewards[a*NumRewardTerms : (a+1)*NumRewardTerms]
		t := &s.Tick
		r[RewardDamageDealt] = float32(t.DamageDealt)
		r[RewardDamageTaken] = float32(t.DamageTaken)
		r[RewardKill] = float32(t.Kills)
		r[RewardDeath] = b2f(t.PutOutOfAction)
		r[RewardTime] = 1
		r[RewardHazard] = float32(t.Hazard)
		r[RewardWastedShot] = float32(t.Wasted)
		r[RewardCollision] = float32(t.Collisions)
		r[RewardDetected] = b2f(s.Detected)
		r[RewardContact], r[RewardClosing] = w.contactTerms(s)
		r[RewardApproach] = w.approach(s)
		if w.done {
			switch {
			case w.winner < 0 || w.truncated:
				r[RewardDraw] = 1
			case w.winner == s.Team:
				r[RewardWin] = 1
			default:
				r[RewardLoss] = 1
			}
		}
	}
	if w.Opts.RecordLog {
		w.tickHashes = append(w.tickHashes, w.Hash())
	}
}

// contactTerms reports whether s holds a fresh Q1+ hostile track and how
// many km it closed on its nearest hostile track since last tick (0 when
// the nearest contact changed), and remembers that contact.
func (w *World) contactTerms(s *Ship) (contact, closing float32) {
	best, bestR := -1, 0.0
	fresh := false
	if i := int(s.ID - 1); w.useIndex() {
		best, bestR = w.nearestIndexed(i, 1<<1|1<<2|1<<3, true, func(tr *Track) bool { return tr.Quality >= 1 && tr.Hostile })
		fresh = w.shipTr[i].freshHostile
	} else if pic, ok := w.plain(i); ok {
		for j := range pic {
			if tr := &pic[j]; j != i && tr.Quality >= 1 && tr.Hostile {
				fresh = fresh || tr.Fresh
				d := r2.Sub(tr.Pos, s.Kin.Pos)
				if r := dmath.Hypot(d.X, d.Y); best < 0 || r < bestR {
					best, bestR = j, r
				}
			}
		}
	} else {
		for it := w.tracks(i); it.next(); {
			tr := it.tr
			if tr.Quality < 1 || !tr.Hostile {
				continue
			}
			fresh = fresh || it.fresh()
			d := r2.Sub(tr.Pos, s.Kin.Pos)
			if r := dmath.Hypot(d.X, d.Y); best < 0 || r < bestR {
				best, bestR = it.j, r
			}
		}
	}
	if best >= 0 && best == s.Contact && s.Alive() {
		closing = float32((s.ContactRange - bestR) / 1000)
	}
	s.Contact, s.ContactRange = best, bestR
	return b2f(fresh), closing
}

// approach is how many km s closes this tick on the nearest hostile ship
// in action: their closing speed along the line between them, from true
// positions, headings and speeds (currents left out). It is a reward term
// only: it gives a learner a gradient toward a foe its sensors have not
// found yet, and nothing of it reaches the observation. 0 when s is out of
// action or no hostile is.
func (w *World) approach(s *Ship) float32 {
	if !s.Alive() {
		return 0
	}
	best, bestR := -1, 0.0
	for j := range w.Ships {
		o := &w.Ships[j]
		if o.Team == s.Team || !o.Alive() {
			continue
		}
		d := r2.Sub(o.Kin.Pos, s.Kin.Pos)
		if r := float64(d.X*d.X) + float64(d.Y*d.Y); best < 0 || r < bestR {
			best, bestR = j, r
		}
	}
	if best < 0 || bestR == 0 {
		return 0
	}
	o := &w.Ships[best]
	d := r2.Sub(o.Kin.Pos, s.Kin.Pos)
	v := r2.Sub(r2.Scale(o.Kin.Speed, o.Kin.Dir()), r2.Scale(s.Kin.Speed, s.Kin.Dir()))
	closing := -(float64(v.X*d.X) + float64(v.Y*d.Y)) / dmath.Hypot(d.X, d.Y) // m/s
	return float32(closing / 1000)                                            // km in a 1 s tick
}

func logRecord(tick int, ship string, a [ActionSize]float64) contract.ActionRecord {
	return contract.ActionRecord{Tick: tick, ShipID: ship, Action: a}
}
