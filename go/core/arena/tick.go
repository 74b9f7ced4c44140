package arena

import (
	"fmt"
	"math"

	"github.com/tidebreak/tidebreak/go/core/contract"
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
)

// Event is something that happened during a tick. Source caused it (0 for
// the environment), Target suffered it; Trace identifies it and Cause names
// the trace of the output or event that led to it (0 if none).
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
)

// Events returns the events of the last tick; the slice is reused.
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
		if a != a || math.IsInf(float64(a), 0) || a < -1 || a > 1 {
			return fmt.Errorf("arena: actions[%d] (agent %d, %s) = %v, want a finite value in [-1, 1]",
				i, i/ActionSize, ActionNames[i%ActionSize], a)
		}
	}
	return nil
}

func (w *World) step(actions []float32) {
	clear(w.rewards)
	w.events = w.events[:0]
	w.prevHP()
	// Sensors and environment come first in SPEC §4's order; arena.v1's
	// environment is static within a battle.
	w.control(actions)
	w.resolve()
	for sub := 0; sub < w.Substeps; sub++ {
		for i := range w.Ships {
			s := &w.Ships[i]
			if !s.Alive() {
				continue
			}
			w.advanceTransition(s, w.DT)
			w.move(s, w.DT)
		}
	}
	w.Tick++
	w.terminate()
	w.telemetry()
}

// prevHP remembers hp at the start of the tick for damage-taken rewards.
func (w *World) prevHP() {
	if cap(w.hpStart) < len(w.Ships) {
		w.hpStart = make([]float64, len(w.Ships))
	}
	w.hpStart = w.hpStart[:len(w.Ships)]
	for i := range w.Ships {
		w.hpStart[i] = w.Ships[i].HP
	}
}

// damage removes hp from s, records the event and puts the ship out of
// action at 0 hp.
func (w *World) damage(s *Ship, amount float64, source EntityID, cause uint64, kind damageKind) {
	if amount <= 0 || !s.Alive() {
		return
	}
	amount = min(amount, s.HP)
	s.HP -= amount
	trace := w.nextTrace()
	w.emit(Event{Kind: EventDamage, Source: source, Target: s.ID, Trace: trace, Cause: cause, Value: amount})
	if s.HP <= 0 {
		s.HP = 0
		s.Status = fateAtZeroHP(s.Spec.Class)
		w.emit(Event{Kind: EventOutOfAction, Source: source, Target: s.ID, Trace: w.nextTrace(), Cause: trace})
	}
}

// fateAtZeroHP: class S and M ships are destroyed at 0 hp; L and XL are
// disabled (XL ships are never destroyed).
func fateAtZeroHP(class string) Status {
	switch class {
	case contract.ClassS, contract.ClassM:
		return StatusDestroyed
	}
	return StatusDisabled
}

// terminate ends the battle when at most one team still has active ships
// (with two or more teams), or when the time limit is reached.
func (w *World) terminate() {
	if len(w.Teams) >= 2 {
		alive, last := 0, -1
		for t := range w.Teams {
			for _, i := range w.Teams[t].Ships {
				if w.Ships[i].Alive() {
					alive++
					last = t
					break
				}
			}
		}
		if alive <= 1 {
			w.done = true
			w.winner = last
			return
		}
	}
	if w.Tick >= w.MaxTicks {
		w.done, w.truncated = true, true
	}
}

// telemetry writes reward terms, the action log's hashes and the tick hash.
func (w *World) telemetry() {
	for a, i := range w.Agents {
		s := &w.Ships[i]
		r := w.rewards[a*NumRewardTerms : (a+1)*NumRewardTerms]
		r[RewardTime] = 1
		r[RewardDamageTaken] = float32(w.hpStart[i] - s.HP)
		if w.hpStart[i] > 0 && !s.Alive() && s.HP < w.hpStart[i] {
			r[RewardDeath] = 1
		}
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
	for _, e := range w.events {
		switch e.Kind {
		case EventCollision:
			w.agentReward(e.Target, RewardCollision, 1)
			w.agentReward(e.Source, RewardCollision, 1)
		case EventDamage:
			// Collision damage counts as taken, not dealt.
		}
	}
	if w.Opts.RecordLog {
		w.tickHashes = append(w.tickHashes, w.Hash())
	}
}

// agentReward adds v to term of the agent controlling entity id, if any.
func (w *World) agentReward(id EntityID, term int, v float32) {
	if id == 0 {
		return
	}
	for a, i := range w.Agents {
		if w.Ships[i].ID == id {
			w.rewards[a*NumRewardTerms+term] += v
			return
		}
	}
}

func logRecord(tick int, ship string, a [ActionSize]float64) contract.ActionRecord {
	return contract.ActionRecord{Tick: tick, ShipID: ship, Action: a}
}
