"""Freeze campaign state into an arena.v1 BattlePackage and apply a BattleResult back.

Teams are keyed by faction id (``team_id == faction_id`` of the team's lead
faction); an arcology on the battle node fights for its owner as an XL ship
with id ``arcology:<arcology id>`` whose hp is the arcology's defense.

Crew morale sent to the arena (docs/strategic.md, "Battles"):

    faction effective morale × supply modifier (1.0/1.0/0.9/0.75/0.5 by band)
      × ship condition (1 − w + w × hp / max_hp, w = condition_morale_weight)
      × leadership (0.8 + 0.4 × captain command)
      × recent events (1.05 after a victory, 0.9 after a defeat in the last 7 days)

clamped to [0, 1].

Applying a result: ``morale_delta`` → faction ``battle_modifier`` (a negative
delta is scaled by 0.75 when the faction leader is charismatic); legitimacy of
every arcology of the winner +0.02, of the loser −0.03; fates → roster
(DESTROYED/SCUTTLED removed into ``lost_ships``, DISABLED to the repair queue at
the capital, CAPTURED ships change owner, take a prize crew of a third and go
to the captor's repair queue before they sail); casualties leave the crew (killed are replaced from the
population at refit, wounded return after repair); ammo used leaves the ship's
magazines, fuel used is drawn from the faction's stocks through the ledger;
every pair of opposing factions loses 0.2–0.5 disposition, allies on the winning
side gain 0.05–0.10.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from tidebreak.contracts.models import BattlePackage, BattleResult

from .economy import band_index, draw, faction_band
from .forces import fleet_strength
from .ledger import Ledger
from .morale import clamp01, effective_morale
from .rng import Rngs, uniform
from .world import MILLI, BattleRecord, Fleet, LostShip, RepairOrder, Ship, World, pair_key

ARCOLOGY_PREFIX = "arcology:"
MAP_W, MAP_H = 20000.0, 12000.0


@dataclass
class Side:
    team_id: str
    factions: list[str]
    fleet_ids: list[str] = field(default_factory=list)
    arcology_id: str | None = None


@dataclass
class Encounter:
    battle_id: str
    seed: int
    day: int
    node_id: str
    sides: list[Side]


def make_encounter(world: World, node_id: str, fleet_ids: list[str], seed: int) -> Encounter | None:
    """Group the fleets (and the node's arcology) into two opposing sides.

    The lead faction is the strongest one present; its side adds allied factions
    present that are at war with someone on the other side."""
    fleets = [world.fleets[f] for f in sorted(fleet_ids)]
    arc = world.arcology_at(node_id)
    present = sorted({f.faction_id for f in fleets} | ({arc.faction_id} if arc else set()))
    strength = {p: sum(fleet_strength(world, f) for f in fleets if f.faction_id == p) for p in present}
    order = sorted(present, key=lambda p: (-strength[p], p))
    lead = next((p for p in order if any(world.at_war(p, q) for q in present)), None)
    if lead is None:
        return None
    enemies = [p for p in order if world.at_war(lead, p)]
    enemy_lead = enemies[0]
    friends = [lead] + [
        p for p in order if p not in enemies and p != lead and world.has_treaty(lead, p, "alliance")
    ]
    foes = [p for p in enemies if not any(world.at_war(p, q) for q in enemies)] or [enemy_lead]
    sides = []
    for team, members in ((lead, friends), (enemy_lead, foes)):
        s = Side(team_id=team, factions=sorted(members))
        s.fleet_ids = [f.id for f in fleets if f.faction_id in members]
        if arc is not None and arc.faction_id in members:
            s.arcology_id = arc.id
        sides.append(s)
    battle_id = world.next_id("B")
    return Encounter(battle_id=battle_id, seed=seed, day=world.day, node_id=node_id, sides=sides)


# --------------------------------------------------------------------------- morale
def crew_morale(world: World, ship: Ship) -> float:
    t = world.tuning
    fac = world.factions[ship.faction_id]
    supply = t.supply_crew_modifier[band_index(faction_band(world, fac.id))]
    cap = world.people.get(ship.captain_id)
    command = cap.competence.command if cap is not None and cap.status == "active" else 0.3
    leadership = 0.8 + 0.4 * command
    recent = 1.0
    if fac.last_battle_day is not None and world.day - fac.last_battle_day <= t.recent_event_days:
        recent = 1.05 if fac.last_battle_won else 0.9
    w = t.condition_morale_weight
    condition = 1.0 - w + w * ship.hp / ship.max_hp
    return clamp01(effective_morale(fac) * supply * condition * leadership * recent)


def controller_for(world: World, ship: Ship, fleet: Fleet | None) -> str:
    tpl = world.ship_templates[ship.template]
    if tpl.capabilities.can_submerge:
        return "stalker"
    if fleet is not None and fleet.mission_id:
        m = world.missions.get(fleet.mission_id)
        if m is not None and m.kind == "evade":
            return "patrol"
    return "aggressive"


# --------------------------------------------------------------------------- package
def _ship_entry(
    world: World, ship: Ship, team: str, x: float, y: float, heading: float, depth: str
) -> dict[str, Any]:
    tpl = world.ship_templates[ship.template]
    fleet = world.fleets.get(ship.fleet_id) if ship.fleet_id else None
    submerged = tpl.capabilities.can_submerge
    return {
        "ship_id": ship.id,
        "team_id": team,
        "class": tpl.ship_class,
        "hull": tpl.hull.model_dump(mode="json"),
        "capabilities": tpl.capabilities.model_dump(mode="json"),
        "sensors": [sen.model_dump(mode="json", exclude_none=True) for sen in tpl.sensors],
        "weapons": [w.model_dump(mode="json") for w in tpl.weapons],
        "crew": {
            "crew_count": ship.crew_count,
            "gunnery": ship.gunnery,
            "engineering": ship.engineering,
            "morale": round(crew_morale(world, ship), 6),
            "fatigue": 0.0,
        },
        "initial_state": {
            "x": x,
            "y": y,
            "heading": heading,
            "speed": 0.0,
            "layer": "submerged" if submerged and depth != "shallows" else "surface",
            "hp": round(max(1e-3, min(ship.hp, ship.max_hp)), 6),
            "ammo": {w.slot: int(ship.ammo.get(w.slot, 0)) for w in tpl.weapons},
        },
        "controller": controller_for(world, ship, fleet),
    }


def _arcology_entry(world: World, arc_id: str, team: str, x: float, y: float) -> dict[str, Any]:
    arc = world.arcologies[arc_id]
    guns = max(1, int(arc.max_defense // 100))
    return {
        "ship_id": ARCOLOGY_PREFIX + arc.id,
        "team_id": team,
        "class": "XL",
        "hull": {
            "mass": 500000.0,
            "radius": 400.0,
            "max_speed": 0.5,
            "acceleration": 0.01,
            "turn_rate": 0.001,
            "hp": arc.max_defense,
        },
        "capabilities": {
            "can_surface": True,
            "can_submerge": False,
            "dive_time_s": 30.0,
            "surface_time_s": 20.0,
        },
        "sensors": [
            {"type": "radar", "range": 15000.0, "noise_floor": 0.0, "update_every_ticks": 1},
            {"type": "sonar", "range": 4000.0, "noise_floor": 0.0, "update_every_ticks": 1},
        ],
        "weapons": [
            {
                "slot": f"battery{i + 1}",
                "type": "gun",
                "range": 8000.0,
                "cooldown_ticks": 3,
                "ammo": 200,
                "projectile": {
                    "speed": 600.0,
                    "damage": 8.0,
                    "guidance": {"kind": "lead"},
                    "blast_radius": 0.0,
                },
            }
            for i in range(guns)
        ]
        + [
            {
                "slot": "asw1",
                "type": "asw",
                "range": 1500.0,
                "cooldown_ticks": 8,
                "ammo": 40,
                "projectile": {
                    "speed": 100.0,
                    "damage": 25.0,
                    "guidance": {"kind": "unguided"},
                    "blast_radius": 60.0,
                },
            }
        ],
        "crew": {
            "crew_count": 200,
            "gunnery": 0.5,
            "engineering": 0.6,
            "morale": round(
                max(world.tuning.garrison_morale, effective_morale(world.factions[arc.faction_id])), 6
            ),
            "fatigue": 0.0,
        },
        "initial_state": {
            "x": x,
            "y": y,
            "heading": 0.0,
            "speed": 0.0,
            "layer": "surface",
            "hp": round(max(1.0, arc.defense), 6),
        },
        "controller": "aggressive",  # it cannot move far (0.5 m/s) but its batteries fire
    }


def package(world: World, encounter: Encounter) -> BattlePackage:
    """Freeze the encounter into an arena.v1 :class:`~tidebreak.contracts.BattlePackage`.

    The model checks every field's type, bound and enum as it is built (no native library
    needed); a resolver, or :func:`tidebreak.contracts.parse_package`, checks the rest.
    """
    node = world.nodes[encounter.node_id]
    teams = []
    ships: list[dict[str, Any]] = []
    for i, side in enumerate(encounter.sides):
        lead = world.factions[side.team_id]
        teams.append(
            {
                "team_id": side.team_id,
                "name": lead.name,
                "faction_context": {
                    "faction_id": lead.id,
                    "philosophy": lead.philosophy.model_dump(mode="json"),
                    "tech_tags": list(lead.tech_tags),
                    "morale_state": round(effective_morale(lead), 6),
                    "at_war_with": sorted(f for f in world.live_factions() if world.at_war(lead.id, f)),
                },
            }
        )
        x = 2000.0 if i == 0 else MAP_W - 2000.0
        heading = 0.0 if i == 0 else math.pi
        members = [s for fid in side.fleet_ids for s in world.fleets[fid].ship_ids]
        for k, sid in enumerate(members):
            y = MAP_H / 2 + (k - (len(members) - 1) / 2) * 600.0
            y = min(MAP_H - 200.0, max(200.0, y))
            ships.append(_ship_entry(world, world.ships[sid], side.team_id, x, y, heading, node.depth))
        if side.arcology_id is not None:
            ships.append(
                _arcology_entry(
                    world, side.arcology_id, side.team_id, x - 1000.0 if i == 0 else x + 1000.0, MAP_H / 2
                )
            )
    return BattlePackage.model_validate(
        {
            "schema_version": "arena.v1",
            "battle_id": encounter.battle_id,
            "seed": encounter.seed,
            "time_step_s": world.tuning.battle_time_step_s,
            "time_limit_s": world.tuning.battle_time_limit_s,
            "teams": teams,
            "map": {
                "bounds": {"min_x": 0.0, "min_y": 0.0, "max_x": MAP_W, "max_y": MAP_H},
                "obstacles": [dict(o) for o in node.obstacles],
                "zones": [],
                "currents": {"kind": "analytic", "base_vector": [0.0, 0.0], "variance": 0.0},
                "weather": {
                    "sea_state": node.sea_state,
                    "wind_speed": 2.0 + 3.0 * node.sea_state,
                    "wind_direction": 0.0,
                    "visibility_km": node.visibility_km,
                    "precipitation": node.precipitation,
                    "fog": node.fog,
                    "lightning_risk": 0.2 if node.precipitation == "storm" else 0.0,
                },
                "terrain": {"default": node.depth, "regions": []},
            },
            "ships": ships,
        }
    )


# --------------------------------------------------------------------------- apply
@dataclass
class ApplySummary:
    battle_id: str
    winner: str | None
    destroyed: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    captured: list[str] = field(default_factory=list)
    morale_delta: dict[str, float] = field(default_factory=dict)
    fuel_drawn_milli: dict[str, int] = field(default_factory=dict)
    salvage_milli: int = 0


def as_result(result: BattleResult | dict[str, Any] | str | bytes) -> BattleResult:
    """A :class:`~tidebreak.contracts.BattleResult` from a model, a dict or JSON text."""
    if isinstance(result, BattleResult):
        return result
    if isinstance(result, (str, bytes, bytearray)):
        return BattleResult.model_validate_json(result)
    if isinstance(result, dict):
        return BattleResult.model_validate(result)
    raise TypeError(f"a BattleResult, dict or JSON text is expected, not {type(result).__name__}")


def _remove_from_fleet(world: World, ship: Ship) -> None:
    if ship.fleet_id and ship.fleet_id in world.fleets:
        fl = world.fleets[ship.fleet_id]
        fl.ship_ids = [s for s in fl.ship_ids if s != ship.id]
    ship.fleet_id = None


def prune_fleets(world: World) -> None:
    """Delete fleets without ships; their missions fail."""
    for fid, fl in sorted(world.fleets.items()):
        if not fl.ship_ids:
            if fl.mission_id and fl.mission_id in world.missions:
                m = world.missions[fl.mission_id]
                if m.status == "assigned":
                    m.status = "failed"
            del world.fleets[fid]


def apply(
    world: World,
    result: Any,
    ledger: Ledger | None = None,
    node_id: str | None = None,
    resolver: str = "auto",
    rngs: Rngs | None = None,
) -> ApplySummary:
    """Write a BattleResult (a model, a dict or JSON text) back into the world.

    The disposition changes draw from the campaign's ``battle`` stream (``rngs``,
    or the world's stored streams when applied outside a daily tick).
    """
    res = as_result(result)
    own_ledger = ledger is None
    led = ledger if ledger is not None else Ledger(world)
    own_rngs = rngs is None
    streams = rngs if rngs is not None else Rngs(world.rng_states)
    rng = streams["battle"]
    t = world.tuning
    winner = res.winner_team_id
    summary = ApplySummary(battle_id=res.battle_id, winner=winner)
    team_ids = [tm.team_id for tm in res.teams]
    ships_lost: dict[str, int] = {}
    fuel_by_faction: dict[str, float] = {}
    wrecks_milli = 0

    # teams: morale and legitimacy
    for tm in sorted(res.teams, key=lambda x: x.team_id):
        fid = tm.team_id
        if fid not in world.factions:
            continue
        fac = world.factions[fid]
        delta = tm.morale_delta
        leader = world.people.get(fac.leader_id)
        if delta < 0 and leader is not None and "charismatic" in leader.traits:
            delta *= t.charisma_buffer
        fac.battle_modifier += delta
        summary.morale_delta[fid] = delta
        fac.last_battle_day = world.day
        fac.last_battle_won = winner == fid
        ships_lost[fid] = tm.ships_lost
        if winner is not None:
            step = t.victory_legitimacy if winner == fid else t.defeat_legitimacy
            for arc in world.faction_arcologies(fid):
                arc.legitimacy = clamp01(arc.legitimacy + step)

    # ships
    for so in sorted(res.ships, key=lambda x: x.ship_id):
        sid = so.ship_id
        final = so.final_state
        if sid.startswith(ARCOLOGY_PREFIX):
            xarc = world.arcologies.get(sid[len(ARCOLOGY_PREFIX) :])
            if xarc is not None:
                xarc.defense = max(0.0, min(xarc.max_defense, final.hp))
                if so.fate == "CAPTURED":
                    xarc.defense = 0.0  # the garrison struck its colours: the walls are open to an invader
            continue
        ship = world.ships.get(sid)
        if ship is None:
            continue
        if node_id is None and ship.fleet_id in world.fleets:
            node_id = world.fleets[ship.fleet_id].node_id
        killed, wounded = so.crew_casualties.killed, so.crew_casualties.wounded
        ship.crew_count = max(0, ship.crew_count - killed - wounded)
        ship.wounded += min(wounded, ship.crew_count + wounded)
        cons = so.consumption
        for slot, n in sorted(cons.ammo_used.items()):
            ship.ammo[slot] = max(0, ship.ammo.get(slot, 0) - int(n))
        fuel_by_faction[ship.faction_id] = fuel_by_faction.get(ship.faction_id, 0.0) + cons.fuel_used
        hp = final.hp
        fate = so.fate
        if fate in ("DESTROYED", "SCUTTLED", "DISABLED") and winner is not None and winner != ship.faction_id:
            cost = world.ship_templates[ship.template].build_cost_milli.get("materials", 0)
            wrecks_milli += int(cost * t.salvage_fraction)
        if fate in ("DESTROYED", "SCUTTLED"):
            _remove_from_fleet(world, ship)
            del world.ships[sid]
            world.lost_ships.append(
                LostShip(
                    id=sid, faction_id=ship.faction_id, day=world.day, fate=fate, battle_id=summary.battle_id
                )
            )
            cap = world.people.get(ship.captain_id)
            if cap is not None:
                cap.status = "dead" if fate == "DESTROYED" else "active"
            summary.destroyed.append(sid)
        elif fate == "DISABLED":
            _remove_from_fleet(world, ship)
            ship.status = "repair"
            ship.hp = max(1.0, min(hp, ship.max_hp))
            fac = world.factions[ship.faction_id]
            target = fac.capital if fac.capital in world.arcologies else ""
            fac.repair_queue.append(RepairOrder(ship_id=sid, arcology_id=target))
            summary.disabled.append(sid)
        elif fate == "CAPTURED":
            captor = (
                winner
                if winner is not None and winner != ship.faction_id
                else next((tid for tid in team_ids if tid != ship.faction_id), None)
            )
            if captor is None or captor not in world.factions:
                continue
            _remove_from_fleet(world, ship)
            old = ship.faction_id
            world.factions[old].ships_surrendered += 1
            cap = world.people.get(ship.captain_id)
            if cap is not None:
                cap.status = "prisoner"
            ship.faction_id = captor
            ship.captain_id = ""
            ship.crew_count = max(1, ship.crew_count // 3)
            ship.wounded = 0
            ship.hp = max(1.0, min(hp, ship.max_hp))
            # A prize is refitted before it sails under its new flag: it goes
            # to the captor's repair queue, so a prize crew on a wrecked hull
            # does not fight (and strike again) the next day.
            ship.status = "repair"
            fac = world.factions[captor]
            dock = fac.capital if fac.capital in world.arcologies else ""
            fac.repair_queue.append(
                RepairOrder(ship_id=sid, arcology_id=dock, ready_day=world.day + t.prize_refit_days)
            )
            summary.captured.append(sid)
            world.log(
                "capture",
                f"{world.factions[captor].name} captured {ship.name} from {world.factions[old].name}",
                captor,
                old,
            )
        else:
            ship.hp = max(1.0, min(hp, ship.max_hp))

    # the side that holds the field salvages the wrecks into its capital
    if wrecks_milli > 0 and winner in world.factions and not world.factions[winner].defeated:
        yard = world.arcologies.get(world.factions[winner].capital)
        if yard is not None and yard.faction_id == winner:
            led.produce(yard.id, "materials", wrecks_milli, "salvage")
            summary.salvage_milli = wrecks_milli

    # fuel burned in battle, drawn through the ledger
    for fid, units in sorted(fuel_by_faction.items()):
        if fid in world.factions and not world.factions[fid].defeated:
            taken = draw(world, led, fid, "fuel", int(round(units * MILLI)), "battle_fuel")
            summary.fuel_drawn_milli[fid] = taken

    # diplomacy: attacked ships, joint victory
    for i, a in enumerate(sorted(team_ids)):
        for b in sorted(team_ids)[i + 1 :]:
            k = pair_key(a, b)
            world.dispositions[k] = max(
                -1.0, world.dispositions.get(k, 0.0) - uniform(rng, *t.attacked_ships)
            )
    if winner is not None:
        for ally in world.live_factions():
            if (
                ally != winner
                and world.has_treaty(winner, ally, "alliance")
                and any(world.at_war(ally, x) for x in team_ids if x != winner)
            ):
                k = pair_key(winner, ally)
                world.dispositions[k] = min(
                    1.0, world.dispositions.get(k, 0.0) + uniform(rng, *t.joint_victory)
                )

    prune_fleets(world)
    world.battles.append(
        BattleRecord(
            battle_id=summary.battle_id,
            day=world.day,
            node_id=node_id or "",
            teams={tid: tid for tid in team_ids},
            winner_faction=winner,
            ships_lost=ships_lost,
            resolver=resolver,
        )
    )
    if own_ledger:
        led.verify()
    if own_rngs:
        world.rng_states = streams.export()
    return summary
