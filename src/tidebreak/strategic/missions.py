"""Missions: generated from goals and problems, assigned to fleets, tracked daily.

Kinds (MVP): ``destroy`` (hunt an enemy fleet), ``protect`` (hold a node for
``protect_days``), ``raid`` (reach an enemy node and plunder or blockade),
``evade`` (a weakened fleet runs home), ``invade`` (besiege an enemy arcology
until it falls). Problems that create missions: enemy fleets at or next to one
of our arcologies (protect), an enemy fleet sitting on one of our trade routes
(destroy), a fleet below 40 % of its full strength (evade). Goal-driven raids
and invasions come from the faction AI. Open missions are assigned by
priority to the nearest idle fleet; idle fleets go home to the capital.
"""

from __future__ import annotations

from .forces import fleet_strength
from .movement import path_days, set_destination, shortest_path
from .world import Fleet, Mission, World


def full_strength(world: World, fleet: Fleet) -> float:
    total = 0.0
    for sid in fleet.ship_ids:
        s = world.ships[sid]
        tpl = world.ship_templates[s.template]
        total += (
            sum(w.projectile.damage / max(1, w.cooldown_ticks) for w in tpl.weapons) + 0.01 * s.max_hp / 100.0
        )
    return total


def create(
    world: World,
    faction_id: str,
    kind: str,
    target_node: str,
    priority: float,
    source: str,
    target_fleet: str | None = None,
    target_arcology: str | None = None,
) -> Mission:
    m = Mission(
        id=world.next_id("M"),
        faction_id=faction_id,
        kind=kind,  # type: ignore[arg-type]
        target_node=target_node,
        target_fleet=target_fleet,
        target_arcology=target_arcology,
        priority=priority,
        created_day=world.day,
        deadline_day=world.day + world.tuning.mission_deadline_days,
        source=source,
    )
    world.missions[m.id] = m
    return m


def _active(world: World, faction_id: str, kind: str, target_node: str) -> bool:
    return any(
        m.faction_id == faction_id
        and m.kind == kind
        and m.target_node == target_node
        and m.status in ("open", "assigned")
        for m in world.missions.values()
    )


def generate(world: World) -> None:
    for fid in world.live_factions():
        enemy_fleets = [
            fl
            for _, fl in sorted(world.fleets.items())
            if fl.ship_ids and fl.edge_progress == 0 and world.at_war(fid, fl.faction_id)
        ]
        enemy_nodes = {fl.node_id: fl for fl in enemy_fleets}
        for arc in world.faction_arcologies(fid):
            near = [arc.node_id] + [n for n, _ in world.neighbours(arc.node_id)]
            if any(n in enemy_nodes for n in near) and not _active(world, fid, "protect", arc.node_id):
                create(
                    world,
                    fid,
                    "protect",
                    arc.node_id,
                    3.0 if arc.id == world.factions[fid].capital else 2.0,
                    "threat",
                )
        for _, route in sorted(world.trade_routes.items()):
            src = world.arcologies.get(route.source)
            if src is None or src.faction_id != fid or route.status not in ("blockaded", "contested"):
                continue
            for node in route.path:
                fl = enemy_nodes.get(node)
                if fl is not None and not _active(world, fid, "destroy", node):
                    create(world, fid, "destroy", node, 2.5, "blockade", target_fleet=fl.id)
        for own in world.faction_fleets(fid):
            if not own.ship_ids or own.edge_progress:
                continue
            cur = world.missions.get(own.mission_id) if own.mission_id else None
            if cur is not None and cur.kind == "evade":
                continue
            if fleet_strength(world, own) < world.tuning.weak_fleet_fraction * full_strength(world, own):
                cap = world.arcologies.get(world.factions[fid].capital)
                if cap is None or own.node_id == cap.node_id:
                    continue
                if cur is not None:
                    cur.status = "failed"
                m = create(world, fid, "evade", cap.node_id, 5.0, "weak")
                m.fleet_id, m.status, own.mission_id = own.id, "assigned", m.id


def _finish(world: World, m: Mission, status: str) -> None:
    m.status = status  # type: ignore[assignment]
    if m.fleet_id and m.fleet_id in world.fleets and world.fleets[m.fleet_id].mission_id == m.id:
        world.fleets[m.fleet_id].mission_id = None
    if status == "succeeded" and m.source != "weak":
        world.log(
            "mission",
            f"{world.factions[m.faction_id].name} {m.kind} mission at {world.nodes[m.target_node].name} succeeded",
            m.faction_id,
        )


def update(world: World) -> None:
    """Progress, success, failure and expiry of every live mission."""
    for _, f0 in sorted(world.fleets.items()):
        mm = world.missions.get(f0.mission_id) if f0.mission_id else None
        if mm is None or mm.status != "assigned":
            f0.mission_id = None
    for _, m in sorted(world.missions.items()):
        if m.status not in ("open", "assigned"):
            continue
        fl = world.fleets.get(m.fleet_id) if m.fleet_id else None
        if m.status == "assigned" and fl is None:
            m.status = "failed"
            continue
        if world.factions[m.faction_id].defeated:
            m.status = "failed"
            continue
        if m.kind == "destroy" and (m.target_fleet not in world.fleets):
            _finish(world, m, "succeeded")
            continue
        if m.kind == "invade" and m.target_arcology is not None:
            arc = world.arcologies.get(m.target_arcology)
            if arc is None or arc.faction_id == m.faction_id:
                _finish(world, m, "succeeded" if arc is not None else "failed")
                continue
            if not world.at_war(m.faction_id, arc.faction_id):
                _finish(world, m, "failed")
                continue
        if m.kind == "raid" and m.progress >= 1 and world.arcology_at(m.target_node) is not None:
            _finish(world, m, "succeeded")
            continue
        at_target = fl is not None and fl.node_id == m.target_node and fl.edge_progress == 0
        if m.kind in ("protect", "raid") and at_target:
            m.progress += 1
            if m.progress >= world.tuning.protect_days:
                _finish(world, m, "succeeded")
                continue
        if m.kind == "evade" and at_target:
            _finish(world, m, "succeeded")
            continue
        if world.day >= m.deadline_day and m.kind != "invade":
            _finish(world, m, "expired")
        elif world.day >= m.deadline_day + 60:
            _finish(world, m, "expired")


def idle_fleets(world: World, faction_id: str) -> list[Fleet]:
    return [fl for fl in world.faction_fleets(faction_id) if fl.ship_ids and fl.mission_id is None]


def assign(world: World) -> None:
    for fid in world.live_factions():
        opens = sorted(
            (m for m in world.missions.values() if m.faction_id == fid and m.status == "open"),
            key=lambda m: (-m.priority, m.id),
        )
        for m in opens:
            idle = [fl for fl in idle_fleets(world, fid) if fl.edge_progress == 0]
            best: tuple[int, str] | None = None
            for fl in idle:
                if fleet_strength(world, fl) < world.tuning.weak_fleet_fraction * full_strength(world, fl):
                    continue
                p = shortest_path(world, fl.node_id, m.target_node, fid)
                if p is None:
                    continue
                cand = (path_days(world, fl.node_id, p), fl.id)
                if best is None or cand < best:
                    best = cand
            if best is None:
                continue
            fl = world.fleets[best[1]]
            m.fleet_id, m.status, fl.mission_id = fl.id, "assigned", m.id
            if m.kind == "invade":  # invasions take every other idle fleet except one home guard
                cap = world.arcologies.get(world.factions[fid].capital)
                others = [o for o in idle_fleets(world, fid) if o.id != fl.id and o.edge_progress == 0]
                guard = next((o for o in others if cap is not None and o.node_id == cap.node_id), None)
                for o in others:
                    if o is not guard:
                        o.mission_id = m.id


def merge_into(world: World, src: Fleet, dst: Fleet) -> None:
    for sid in src.ship_ids:
        world.ships[sid].fleet_id = dst.id
    dst.ship_ids = sorted(dst.ship_ids + src.ship_ids)
    src.ship_ids = []


def merge_idle(world: World) -> None:
    """Fleets of one faction at one node with the same (or no) mission merge into the lowest id."""
    groups: dict[tuple[str, str, str], list[Fleet]] = {}
    for _, fl in sorted(world.fleets.items()):
        if fl.ship_ids and fl.edge_progress == 0 and not fl.path:
            groups.setdefault((fl.faction_id, fl.node_id, fl.mission_id or ""), []).append(fl)
    for _, fleets in sorted(groups.items()):
        if len(fleets) < 2:
            continue
        for other in fleets[1:]:
            merge_into(world, other, fleets[0])


def home_station(world: World, fl: Fleet) -> str | None:
    """Where an idle fleet waits: the nearest arcology of its faction (it garrisons it), the
    capital on a tie; None when the faction holds no arcology it can reach."""
    cap = world.factions[fl.faction_id].capital
    best: tuple[int, int, str] | None = None
    for arc in world.faction_arcologies(fl.faction_id):
        p = shortest_path(world, fl.node_id, arc.node_id, fl.faction_id)
        if p is None:
            continue
        cand = (path_days(world, fl.node_id, p), 0 if arc.id == cap else 1, arc.node_id)
        if best is None or cand < best:
            best = cand
    return best[2] if best else None


def route_fleets(world: World) -> None:
    """Point every fleet at its mission target (or home when idle)."""
    for _, fl in sorted(world.fleets.items()):
        if not fl.ship_ids or fl.edge_progress:
            continue
        m = world.missions.get(fl.mission_id) if fl.mission_id else None
        if m is not None:
            goal = m.target_node
            if m.kind == "destroy" and m.target_fleet in world.fleets:
                tgt = world.fleets[m.target_fleet]
                goal = tgt.node_id
        else:
            station = home_station(world, fl)
            if station is None:
                continue
            goal = station
        if fl.node_id != goal and (not fl.path or fl.path[-1] != goal):
            set_destination(world, fl, goal)
        elif fl.node_id == goal:
            fl.path = []


def update_supporters(world: World) -> None:
    for _, fl in sorted(world.fleets.items()):
        mm = world.missions.get(fl.mission_id) if fl.mission_id else None
        if mm is None or mm.status != "assigned":
            fl.mission_id = None


def missions_phase(world: World) -> None:
    """Phase 3: update, generate, assign, merge and route."""
    update(world)
    generate(world)
    assign(world)
    update_supporters(world)
    merge_idle(world)
    from .battle import prune_fleets

    prune_fleets(world)
    route_fleets(world)
