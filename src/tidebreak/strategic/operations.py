"""Sieges and raids after the day's battles.

* A fleet on an ``invade`` mission sitting on its target arcology's node with
  no defending fleet there captures the arcology once its defense is below
  10 % of maximum (the defense is worn down by the daily assault battles, where
  the arcology fights as an XL ship).
* A fleet on a ``raid`` mission on an enemy arcology's node plunders 15 % of the
  arcology's largest stock (capped) and ships it home through the ledger.
* Arcologies not fought over today regain 1 % of their defense.
"""

from __future__ import annotations

from .ledger import Ledger
from .morale import clamp01
from .world import RESOURCES, Arcology, World

CAPTURE_FRACTION = 0.1


def capture(world: World, arc: Arcology, new_owner: str) -> None:
    t = world.tuning
    old = arc.faction_id
    arc.faction_id = new_owner
    world.nodes[arc.node_id].owner = new_owner
    arc.legitimacy = 0.3
    arc.decision_queue = []
    arc.defense = 0.3 * arc.max_defense
    for ifac in arc.internal_factions:
        ifac.radicalisation = clamp01(ifac.radicalisation + 0.2)
        ifac.satisfaction = clamp01(ifac.satisfaction - 0.2)
    for a in world.faction_arcologies(old):
        a.legitimacy = clamp01(a.legitimacy + t.arcology_lost_legitimacy)
    world.factions[old].battle_modifier -= 0.1
    world.factions[new_owner].battle_modifier += 0.05
    world.log(
        "arcology_captured",
        f"{world.factions[new_owner].name} captured {arc.name} from {world.factions[old].name}",
        new_owner,
        old,
    )
    fac = world.factions[old]
    if fac.capital == arc.id:
        rest = world.faction_arcologies(old)
        fac.capital = max(rest, key=lambda a: (a.population, a.id)).id if rest else ""
        if fac.capital:
            world.log(
                "capital_moved", f"{fac.name} moved its capital to {world.arcologies[fac.capital].name}", old
            )


def operations_phase(world: World, ledger: Ledger, fought_nodes: set[str]) -> None:
    t = world.tuning
    for _, fl in sorted(world.fleets.items()):
        if not fl.ship_ids or fl.edge_progress or not fl.mission_id:
            continue
        m = world.missions.get(fl.mission_id)
        arc = world.arcology_at(fl.node_id)
        if m is None or arc is None or not world.at_war(fl.faction_id, arc.faction_id):
            continue
        defenders = [
            o
            for o in world.fleets.values()
            if o.node_id == fl.node_id
            and o.faction_id == arc.faction_id
            and o.ship_ids
            and o.edge_progress == 0
        ]
        if defenders:
            continue
        if (
            m.kind == "invade"
            and m.target_arcology == arc.id
            and arc.defense <= CAPTURE_FRACTION * arc.max_defense
        ):
            capture(world, arc, fl.faction_id)
        elif m.kind == "raid" and m.target_node == fl.node_id and m.progress == 0:
            res = max(RESOURCES, key=lambda r: (arc.stocks[r], r))
            amount = min(int(arc.stocks[res] * t.raid_fraction), t.raid_cap_milli)
            home = world.factions[fl.faction_id].capital
            if home in world.arcologies and amount > 0:
                got = ledger.transfer(arc.id, home, res, amount, "raid")
                m.progress = 1
                world.log(
                    "raid",
                    f"{world.factions[fl.faction_id].name} raiders plundered {got // 1000} {res} from {arc.name}",
                    fl.faction_id,
                    arc.faction_id,
                )
    for _, a in sorted(world.arcologies.items()):
        if a.node_id not in fought_nodes:
            a.defense = min(a.max_defense, a.defense + t.defense_regen_fraction * a.max_defense)
