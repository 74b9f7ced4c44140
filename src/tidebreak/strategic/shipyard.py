"""Shipbuilding, the repair queue and refits at friendly arcologies.

* Build orders count down ``build_days``; the finished ship joins a fleet at the
  yard with a new captain (its cost was paid through the ledger when ordered).
* Repair orders restore ``repair_hp_per_day`` hp per day at a cost in
  materials; a repaired ship gets its wounded back, tops its crew up from the
  arcology's population and rejoins a fleet there.
* Fleets sitting at one of their own arcologies refit: 2 % hp per day, ammo
  refilled and crew topped up, all paid in materials and people.
"""

from __future__ import annotations

from .ledger import Ledger
from .people import make_person
from .rng import Rngs
from .world import Fleet, Ship, World


def new_ship(world: World, rngs: Rngs, faction_id: str, template: str, ship_id: str | None = None) -> Ship:
    tpl = world.ship_templates[template]
    sid = ship_id or world.next_id("S")
    cap = make_person(world, rngs["people"], faction_id, "captain", 0.5)
    ship = Ship(
        id=sid,
        name=f"{world.factions[faction_id].name[:3].upper()} {cap.name.split()[1]}",
        template=template,
        faction_id=faction_id,
        hp=tpl.hull.hp,
        max_hp=tpl.hull.hp,
        crew_count=tpl.crew_count,
        gunnery=tpl.gunnery,
        engineering=tpl.engineering,
        ammo={w.slot: w.ammo for w in tpl.weapons},
        captain_id=cap.id,
    )
    world.ships[sid] = ship
    return ship


def home_fleet(world: World, faction_id: str, node_id: str) -> Fleet:
    """An idle fleet of the faction at ``node_id`` (created if needed)."""
    for fl in world.faction_fleets(faction_id):
        if fl.node_id == node_id and fl.edge_progress == 0 and not fl.path and fl.mission_id is None:
            return fl
    fid = world.next_id("F")
    fl = Fleet(
        id=fid,
        name=f"{world.factions[faction_id].name} squadron {fid}",
        faction_id=faction_id,
        node_id=node_id,
    )
    world.fleets[fid] = fl
    return fl


def join(world: World, ship: Ship, node_id: str) -> None:
    fl = home_fleet(world, ship.faction_id, node_id)
    fl.ship_ids.append(ship.id)
    ship.fleet_id = fl.id
    ship.status = "active"


def top_up_crew(world: World, ship: Ship, arcology_id: str) -> None:
    tpl = world.ship_templates[ship.template]
    back = min(ship.wounded, tpl.crew_count - ship.crew_count)
    ship.crew_count += back
    ship.wounded = 0
    arc = world.arcologies[arcology_id]
    need = max(0, tpl.crew_count - ship.crew_count)
    take = min(need, arc.population // 50)
    arc.population -= take
    ship.crew_count += take


def shipyard_phase(world: World, rngs: Rngs, ledger: Ledger) -> None:
    t = world.tuning
    for fid in world.live_factions():
        fac = world.factions[fid]
        keep = []
        for order in fac.build_queue:
            arc = world.arcologies.get(order.arcology_id)
            if arc is None or arc.faction_id != fid:
                world.log("build_lost", f"{fac.name} lost a hull on the slips when its yard fell", fid)
                continue
            order.days_left -= 1
            if order.days_left > 0:
                keep.append(order)
                continue
            ship = new_ship(world, rngs, fid, order.template, order.ship_id)
            join(world, ship, arc.node_id)
            world.log("launch", f"{fac.name} launched {ship.name} ({order.template}) at {arc.name}", fid)
        fac.build_queue = keep
        # repairs
        keep_r = []
        stalled = False
        for rep in fac.repair_queue:
            rship = world.ships.get(rep.ship_id)
            if rship is None or rship.faction_id != fid:
                continue
            if world.day < rep.ready_day:  # a prize waits for its crew and refit
                keep_r.append(rep)
                continue
            arc = world.arcologies.get(rep.arcology_id)
            if arc is None or arc.faction_id != fid:
                arc = world.arcologies.get(fac.capital)
                if arc is None:
                    keep_r.append(rep)
                    continue
                rep.arcology_id = arc.id
            need_hp = min(t.repair_hp_per_day, rship.max_hp - rship.hp)
            cost = int(need_hp * t.repair_materials_per_hp_milli)
            got = ledger.consume(arc.id, "materials", cost, "repair")
            stalled = stalled or got < cost
            rship.hp = min(rship.max_hp, rship.hp + (need_hp * got / cost if cost > 0 else need_hp))
            if rship.hp >= rship.max_hp - 1e-9:
                rship.hp = rship.max_hp
                top_up_crew(world, rship, arc.id)
                join(world, rship, arc.node_id)
                world.log("repaired", f"{rship.name} returned to service at {arc.name}", fid)
            else:
                keep_r.append(rep)
        fac.repair_queue = keep_r
        log_repair_stall(world, fid, stalled and bool(keep_r))


def log_repair_stall(world: World, fid: str, stalled: bool) -> None:
    """The event log notes when repairs stop for want of materials, and when they start again."""
    fac = world.factions[fid]
    if stalled and fac.repair_stalled_day is None:
        fac.repair_stalled_day = world.day
        waiting = len(fac.repair_queue)
        world.log(
            "repairs_stalled",
            f"{fac.name} has no materials left for repairs: {waiting} ship{'s' if waiting != 1 else ''} "
            "wait in dry dock and cannot fight",
            fid,
        )
    elif not stalled and fac.repair_stalled_day is not None:
        days = world.day - fac.repair_stalled_day
        fac.repair_stalled_day = None
        world.log("repairs_resumed", f"{fac.name}'s dry docks work again after {days} days", fid)


def refit_phase(world: World, ledger: Ledger) -> None:
    """Fleets at their own arcologies patch hulls, rearm and replace crew."""
    t = world.tuning
    for _, fl in sorted(world.fleets.items()):
        if fl.edge_progress != 0 or fl.fought_today:
            continue
        arc = world.arcology_at(fl.node_id)
        if arc is None or arc.faction_id != fl.faction_id:
            continue
        for sid in fl.ship_ids:
            ship = world.ships[sid]
            tpl = world.ship_templates[ship.template]
            if ship.hp < ship.max_hp:
                hp = min(ship.max_hp - ship.hp, t.field_repair_fraction * ship.max_hp)
                cost = int(hp * t.repair_materials_per_hp_milli)
                got = ledger.consume(arc.id, "materials", cost, "field_repair")
                ship.hp = min(ship.max_hp, ship.hp + (hp * got / cost if cost > 0 else hp))
            for w in tpl.weapons:
                missing = w.ammo - ship.ammo.get(w.slot, 0)
                if missing <= 0:
                    continue
                per = t.rearm_materials_milli.get(w.type, 100)
                n = min(missing, arc.stocks["materials"] // per) if per > 0 else missing
                ledger.consume(arc.id, "materials", n * per, "rearm")
                ship.ammo[w.slot] = ship.ammo.get(w.slot, 0) + n
            if ship.crew_count + ship.wounded < tpl.crew_count or ship.wounded:
                top_up_crew(world, ship, arc.id)
