"""Governance per arcology: decision queue, legitimacy, internal factions, coups.

* Decisions wait ``latency`` days drawn from the government type's range
  (autocracy 0–1, corporate 2–5, representative 5–15) before they execute.
* Legitimacy drifts toward the per-type baseline (autocracy 0.5, corporate 0.6,
  representative 0.7) by 2 % of the gap per day, plus the supply band effect
  and pressure from radicalised internal factions. Bands: stable ≥ 0.6,
  strained 0.4–0.6, crisis < 0.4 (coup risk), collapse < 0.2 (queue frozen,
  production halved).
* Internal factions: influence = population share × structural multiplier
  (engineering 1.5, life support 1.8, docks 1.3, agriculture 1.4, security
  1.2, administration 1.0). An enacted decision moves supporters' satisfaction
  +0.05 and radicalisation −0.02, opponents' the other way.

>>> legitimacy_band(0.65), legitimacy_band(0.5), legitimacy_band(0.3), legitimacy_band(0.1)
('stable', 'strained', 'crisis', 'collapse')
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .economy import band_index, faction_band
from .morale import clamp01
from .people import make_person
from .rng import Rngs, chance
from .tuning import Tuning
from .world import Arcology, Decision, InternalFaction, World

Executor = Callable[[World, Rngs, Decision], bool]


def legitimacy_band(value: float, t: Tuning | None = None) -> str:
    t = t or Tuning()
    if value >= t.legitimacy_stable:
        return "stable"
    if value >= t.legitimacy_crisis:
        return "strained"
    if value >= t.legitimacy_collapse:
        return "crisis"
    return "collapse"


def influence(t: Tuning, ifac: InternalFaction) -> float:
    return ifac.share * t.structural_multiplier.get(ifac.sector, 1.0)


def normalised_influence(t: Tuning, arc: Arcology) -> dict[str, float]:
    raw = {i.id: influence(t, i) for i in arc.internal_factions}
    total = sum(raw.values())
    return {k: (v / total if total > 0 else 0.0) for k, v in sorted(raw.items())}


def latency_days(t: Tuning, government: str, gen: np.random.Generator) -> int:
    lo, hi = t.decision_latency[government]
    return int(gen.integers(lo, hi + 1))


def enqueue(
    world: World,
    gen: np.random.Generator,
    arc: Arcology,
    kind: str,
    faction_id: str,
    params: dict[str, str] | None = None,
) -> Decision:
    d = Decision(
        id=world.next_id("D"),
        kind=kind,
        faction_id=faction_id,
        params=dict(params or {}),
        proposed_day=world.day,
        due_day=world.day + latency_days(world.tuning, arc.government, gen),
    )
    arc.decision_queue.append(d)
    return d


def react(t: Tuning, arc: Arcology, kind: str) -> None:
    """Internal factions react to an enacted decision."""
    for ifac in arc.internal_factions:
        stance = t.sector_stance.get(ifac.sector, {})
        if kind in stance.get("supports", []):
            ifac.satisfaction = clamp01(ifac.satisfaction + t.satisfaction_step)
            ifac.radicalisation = clamp01(ifac.radicalisation - t.radicalisation_step)
        elif kind in stance.get("opposes", []):
            ifac.satisfaction = clamp01(ifac.satisfaction - t.satisfaction_step)
            ifac.radicalisation = clamp01(ifac.radicalisation + t.radicalisation_step)


def advance_queue(world: World, rngs: Rngs, arc: Arcology, execute: Executor) -> None:
    t = world.tuning
    if arc.legitimacy < t.legitimacy_collapse:
        for d in arc.decision_queue:
            d.due_day += 1  # paralysed
        return
    due = [d for d in arc.decision_queue if d.due_day <= world.day]
    arc.decision_queue = [d for d in arc.decision_queue if d.due_day > world.day]
    for d in sorted(due, key=lambda x: (x.due_day, x.id)):
        if d.faction_id != arc.faction_id or world.factions[d.faction_id].defeated:
            continue  # the arcology changed hands; the order lapses
        if execute(world, rngs, d):
            react(t, arc, d.kind)


def drift_legitimacy(world: World, arc: Arcology) -> None:
    t = world.tuning
    base = t.legitimacy_baseline[arc.government]
    band = faction_band(world, arc.faction_id)
    weights = normalised_influence(t, arc)
    radical = sum(weights[i.id] * i.radicalisation for i in arc.internal_factions)
    change = t.legitimacy_drift * (base - arc.legitimacy)
    change += t.supply_legitimacy[band_index(band)]
    change -= t.radical_legitimacy_pressure * radical
    arc.legitimacy = clamp01(arc.legitimacy + change)
    for ifac in arc.internal_factions:
        if ifac.satisfaction < 0.3:
            ifac.radicalisation = clamp01(ifac.radicalisation + 0.01)
        elif ifac.satisfaction > 0.6:
            ifac.radicalisation = clamp01(ifac.radicalisation - 0.005)
        ifac.satisfaction += 0.01 * (0.5 - ifac.satisfaction)
        if band in ("critical", "exhausted"):
            ifac.satisfaction = clamp01(ifac.satisfaction - 0.01)


def maybe_coup(world: World, rngs: Rngs, arc: Arcology) -> None:
    t = world.tuning
    if arc.legitimacy >= t.legitimacy_crisis:
        return
    if arc.last_coup_day is not None and world.day - arc.last_coup_day < t.coup_cooldown_days:
        return
    weights = normalised_influence(t, arc)
    radical = sum(weights[i.id] * i.radicalisation for i in arc.internal_factions)
    if chance(rngs["governance"], t.coup_chance * (1.0 + 2.0 * radical)):
        old = arc.government
        arc.government = "autocracy"
        gov = make_person(world, rngs["people"], arc.faction_id, "governor", 0.55)
        if arc.governor_id in world.people:
            world.people[arc.governor_id].status = "prisoner"
        arc.governor_id = gov.id
        arc.legitimacy = 0.45
        arc.last_coup_day = world.day
        arc.decision_queue = []
        for ifac in arc.internal_factions:
            ifac.radicalisation = clamp01(ifac.radicalisation - 0.1)
        what = f"the {old} government falls" if old != "autocracy" else "the governor is deposed"
        world.log("coup", f"Coup on {arc.name}: {what}; {gov.name} rules by decree", arc.faction_id)


def governance_phase(world: World, rngs: Rngs, execute: Executor) -> None:
    for _, arc in sorted(world.arcologies.items()):
        if world.factions[arc.faction_id].defeated:
            continue
        advance_queue(world, rngs, arc, execute)
        drift_legitimacy(world, arc)
        maybe_coup(world, rngs, arc)
