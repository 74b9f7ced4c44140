package arena

import (
	"math"

	"github.com/tidebreak/tidebreak/go/core/contract"
)

// Crit kinds, drawn uniformly when a hit is critical.
const (
	critMobility = iota
	critWeapons
	critSensors
	critFire
	numCrits
)

// damage removes hp from s and applies what follows: damage credit, morale
// loss, critical effects (weapon hits only), transition aborts (via hp),
// and putting the ship out of action or into surrender.
func (w *World) damage(s *Ship, amount float64, source EntityID, cause uint64, kind damageKind) {
	if amount <= 0 || !s.Alive() {
		return
	}
	w.touch(s)
	amount = min(amount, s.HP)
	s.HP -= amount
	s.Tick.DamageTaken += amount
	if kind == damageHazard {
		s.Tick.Hazard += amount
		s.HazardDamage += amount
	}
	if source > 0 {
		if src := &w.Ships[source-1]; src.Team != s.Team {
			src.Tick.DamageDealt += amount
		}
	}
	s.Morale = max(0, s.Morale-float64(w.rules.MoraleLossPerDamage*amount/s.MaxHP))
	trace := w.nextTrace()
	w.emit(Event{Kind: EventDamage, Source: source, Target: s.ID, Trace: trace, Cause: cause, Value: amount})
	if kind == damageWeapon && s.Damage.Bernoulli(w.rules.CritChance) {
		w.crit(s, trace)
	}
	switch {
	case s.HP <= 0:
		s.HP = 0
		w.outOfAction(s, w.fateAtZeroHP(s), source, trace)
	case w.surrenders(s):
		w.surrender(s, source, trace)
	}
}

// crit toggles one critical effect for a number of ticks that engineering
// shortens: base × (1 − 0.5 × engineering), at least one tick.
func (w *World) crit(s *Ship, cause uint64) {
	ticks := max(1, int(math.Round(float64(w.rules.CritDurationTicks)*(1-0.5*s.Spec.Crew.Engineering))))
	k := s.Damage.Intn(numCrits)
	switch k {
	case critMobility:
		s.Crits.Mobility = max(s.Crits.Mobility, ticks)
	case critWeapons:
		s.Crits.Weapons = max(s.Crits.Weapons, ticks)
	case critSensors:
		s.Crits.Sensors = max(s.Crits.Sensors, ticks)
	case critFire:
		s.Crits.Fire = max(s.Crits.Fire, ticks)
	}
	w.emit(Event{Kind: EventCrit, Source: s.ID, Target: s.ID, Trace: w.nextTrace(), Cause: cause, Value: float64(k)})
}

// fateAtZeroHP: class S ships are destroyed; class M ships are destroyed
// or disabled (an even, seeded draw); L and XL ships are disabled, never
// destroyed.
func (w *World) fateAtZeroHP(s *Ship) Status {
	switch s.Spec.Class {
	case contract.ClassS:
		return StatusDestroyed
	case contract.ClassM:
		if s.Damage.Bernoulli(0.5) {
			return StatusDestroyed
		}
	}
	return StatusDisabled
}

func (w *World) surrenders(s *Ship) bool {
	return s.Alive() && s.HP < float64(w.rules.SurrenderHP*s.MaxHP) && s.Morale < w.rules.SurrenderMorale
}

// surrender strikes a ship's colours; class S ships are destroyed instead.
func (w *World) surrender(s *Ship, source EntityID, cause uint64) {
	status := StatusSurrendered
	if s.Spec.Class == contract.ClassS {
		status = StatusDestroyed
	}
	w.outOfAction(s, status, source, cause)
}

// outOfAction removes a ship from the fight: it stops, its team's morale
// drops and the side that did it gains morale and a kill.
func (w *World) outOfAction(s *Ship, status Status, source EntityID, cause uint64) {
	s.Status = status
	w.departures++
	s.Trans.Active = false
	s.Kin.Speed = 0
	s.Tick.PutOutOfAction = true
	s.KilledBy = source
	w.emit(Event{Kind: EventOutOfAction, Source: source, Target: s.ID, Trace: w.nextTrace(), Cause: cause, Value: float64(status)})
	for _, i := range w.Teams[s.Team].Ships {
		if m := &w.Ships[i]; m.Alive() {
			m.Morale = max(0, m.Morale-w.rules.MoraleLossFriendLost)
		}
	}
	if source == 0 {
		return
	}
	src := &w.Ships[source-1]
	if src.Team == s.Team {
		return
	}
	src.Kills++
	src.Tick.Kills++
	for _, i := range w.Teams[src.Team].Ships {
		if m := &w.Ships[i]; m.Alive() {
			m.Morale = min(1, m.Morale+w.rules.MoraleGainKill)
		}
	}
}

// effects is the per-tick damage phase: fires, hazard zones and heavy seas
// (class S surface ships), then surrender checks for morale lost to others'
// losses.
func (w *World) effects() {
	r := w.rules
	for i := range w.Ships {
		s := &w.Ships[i]
		if !s.Alive() {
			continue
		}
		if s.Crits.Fire > 0 {
			w.damage(s, float64(r.FireDamagePerTick*(1-0.5*s.Spec.Crew.Engineering)), 0, 0, damageFire)
		}
		if s.Spec.Class != contract.ClassS || !onSurface(s) {
			continue
		}
		if z := w.env.zoneIntensity(contract.ZoneHazard, s.Kin.Pos); z > 0 {
			w.damage(s, float64(r.HazardDamagePerTick*z), 0, 0, damageHazard)
		}
		if sea := w.env.weather.SeaState; sea >= r.HeavySeaState {
			w.damage(s, float64(r.HeavySeaDamage*float64(sea-r.HeavySeaState+1)), 0, 0, damageHazard)
		}
	}
	for i := range w.Ships {
		if s := &w.Ships[i]; w.surrenders(s) {
			w.surrender(s, 0, 0)
		}
	}
}

// countdown advances every per-tick timer at the start of a tick.
func (w *World) countdown() {
	for i := range w.Ships {
		s := &w.Ships[i]
		s.Tick = TickStats{}
		for m := range s.Mounts {
			if s.Mounts[m].Cooldown > 0 {
				s.Mounts[m].Cooldown--
			}
		}
		c := &s.Crits
		c.Mobility, c.Weapons, c.Sensors, c.Fire = dec(c.Mobility), dec(c.Weapons), dec(c.Sensors), dec(c.Fire)
		s.PingCD, s.Pinged = dec(s.PingCD), dec(s.Pinged)
	}
}

func dec(x int) int {
	if x > 0 {
		return x - 1
	}
	return 0
}
