"""Diplomacy: dispositions (−1…1), bands, wars and treaties.

Bands: allied ≥ 0.7, friendly 0.3…0.7, neutral −0.3…0.3, unfriendly
−0.7…−0.3, hostile < −0.7. Events: joint victory +0.05…0.10, attacked our
ships −0.20…−0.50 (both applied in :func:`tidebreak.strategic.battle.apply`),
broke a treaty −0.30, standoff −0.01/day (unfriendly or worse, not at war, with
fleets within one edge or territory within two), trade treaty +0.002/day. Treaties:
non-aggression, trade, ceasefire (ends a war for 60 days), alliance (never
before day 60; needs friendly disposition).

>>> disposition_band(0.8), disposition_band(0.3), disposition_band(0.0), disposition_band(-0.5), disposition_band(-0.71)
('allied', 'friendly', 'neutral', 'unfriendly', 'hostile')
"""

from __future__ import annotations

from .forces import strength_share
from .morale import effective_morale
from .rng import Rngs, chance
from .tuning import Tuning
from .world import Treaty, World, pair_key


def disposition_band(value: float, t: Tuning | None = None) -> str:
    t = t or Tuning()
    if value >= t.allied_threshold:
        return "allied"
    if value >= t.friendly_threshold:
        return "friendly"
    if value >= t.neutral_threshold:
        return "neutral"
    if value >= t.hostile_threshold:
        return "unfriendly"
    return "hostile"


def adjust(world: World, a: str, b: str, delta: float) -> float:
    k = pair_key(a, b)
    v = max(-1.0, min(1.0, world.dispositions.get(k, 0.0) + delta))
    world.dispositions[k] = v
    return v


def _remove_treaties(world: World, a: str, b: str, kinds: tuple[str, ...]) -> list[Treaty]:
    parties = sorted((a, b))
    gone = [t for t in world.treaties if t.parties == parties and t.kind in kinds]
    world.treaties = [t for t in world.treaties if t not in gone]
    return gone


def add_treaty(world: World, kind: str, a: str, b: str, days: int | None = None) -> Treaty:
    tr = Treaty(
        id=world.next_id("T"),
        kind=kind,  # type: ignore[arg-type]
        parties=sorted((a, b)),
        start_day=world.day,
        end_day=None if days is None else world.day + days,
    )
    world.treaties.append(tr)
    return tr


def declare_war(world: World, a: str, b: str) -> None:
    """``a`` declares war on ``b``; breaking a non-aggression pact or ceasefire costs −0.30."""
    broken = _remove_treaties(world, a, b, ("non_aggression", "ceasefire", "trade", "alliance"))
    if any(t.kind in ("non_aggression", "ceasefire", "alliance") for t in broken):
        adjust(world, a, b, world.tuning.treaty_break)
        world.log(
            "treaty_broken", f"{world.factions[a].name} broke its treaty with {world.factions[b].name}", a, b
        )
    k = pair_key(a, b)
    if k not in world.wars:
        world.wars = sorted([*world.wars, k])
    world.log("war", f"{world.factions[a].name} declared war on {world.factions[b].name}", a, b)


def make_ceasefire(world: World, a: str, b: str) -> None:
    k = pair_key(a, b)
    world.wars = [w for w in world.wars if w != k]
    add_treaty(world, "ceasefire", a, b, world.tuning.ceasefire_days)
    adjust(world, a, b, 0.1)
    world.log("ceasefire", f"Ceasefire between {world.factions[a].name} and {world.factions[b].name}", a, b)


def accepts(world: World, rngs: Rngs, kind: str, proposer: str, target: str) -> bool:
    """Would ``target`` accept a ``kind`` treaty from ``proposer``?"""
    t = world.tuning
    d = world.disposition(proposer, target)
    tgt = world.factions[target]
    if kind == "trade":
        return not world.at_war(proposer, target) and d >= t.neutral_threshold
    if kind == "non_aggression":
        return not world.at_war(proposer, target) and d >= t.neutral_threshold - 0.2 * (
            1 - tgt.philosophy.militarism
        )
    if kind == "alliance":
        allied_foe = any(
            (world.has_treaty(proposer, x, "alliance") and world.at_war(target, x))
            or (world.has_treaty(target, x, "alliance") and world.at_war(proposer, x))
            for x in world.live_factions()
        )
        return (
            world.day >= t.alliance_grace_days
            and d >= t.friendly_threshold
            and not world.at_war(proposer, target)
            and not allied_foe
        )
    if kind == "ceasefire":
        if not world.at_war(proposer, target):
            return False
        weak = effective_morale(tgt) < 0.45 or strength_share(world, target) < strength_share(world, proposer)
        return weak or chance(rngs["diplomacy"], 0.1 * (1.0 - tgt.philosophy.militarism))
    return False


def neighbours_in_contact(world: World, a: str, b: str) -> bool:
    """Fleets of one within one edge of the other's fleets or territory, or territories within two edges."""

    def fleets(f: str) -> set[str]:
        return {fl.node_id for fl in world.faction_fleets(f) if fl.ship_ids}

    def land(f: str) -> set[str]:
        return {n.id for n in world.nodes.values() if n.owner == f}

    def grow(nodes: set[str]) -> set[str]:
        return nodes | {nb for n in nodes for nb, _ in world.neighbours(n)}

    if grow(fleets(a)) & (fleets(b) | land(b)) or grow(fleets(b)) & land(a):
        return True
    return bool(grow(grow(land(a))) & land(b))


def diplomacy_phase(world: World) -> None:
    t = world.tuning
    live = world.live_factions()
    # expire timed treaties
    for tr in list(world.treaties):
        if tr.end_day is not None and world.day >= tr.end_day:
            world.treaties.remove(tr)
            world.log(
                "treaty_expired",
                f"The {tr.kind} between {' and '.join(world.factions[p].name for p in tr.parties)} expired",
                *tr.parties,
            )
    for i, a in enumerate(live):
        for b in live[i + 1 :]:
            d = world.disposition(a, b)
            if world.has_treaty(a, b, "trade"):
                d = adjust(world, a, b, t.trade_treaty_per_day)
            if (
                d < t.neutral_threshold
                and not world.at_war(a, b)
                and not world.has_treaty(a, b, "ceasefire")
                and neighbours_in_contact(world, a, b)
            ):
                d = adjust(world, a, b, t.standoff_per_day)
            if world.has_treaty(a, b, "alliance") and d < t.friendly_threshold:
                _remove_treaties(world, a, b, ("alliance",))
                world.log(
                    "alliance_dissolved",
                    f"The alliance of {world.factions[a].name} and {world.factions[b].name} dissolved",
                    a,
                    b,
                )
