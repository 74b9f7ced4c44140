"""Movement along the node graph and encounter detection.

A fleet with a non-empty ``path`` advances one day along the edge to
``path[0]``; when ``edge_progress`` reaches the edge's travel days it arrives.
A fleet is *at* its ``node_id`` when ``edge_progress == 0``; fleets mid-edge
cannot fight. Entering a node owned by another faction is an invasion: it needs
war with the owner and ``day >= invasion_grace_days`` (allies may always enter).
Fleets of an exhausted-supply faction are immobile.

>>> from tidebreak.strategic.world import World, Edge, Node
>>> w = World(scenario="t", seed=0)
>>> for n in "abc": w.nodes[n] = Node(id=n, name=n, kind="open_sea")
>>> w.edges = [Edge(a="a", b="b", days=2), Edge(a="b", b="c", days=1), Edge(a="a", b="c", days=5)]
>>> shortest_path(w, "a", "c", "x")
['b', 'c']
"""

from __future__ import annotations

import heapq

from .economy import faction_band
from .world import Fleet, World


def may_enter(world: World, faction_id: str, node_id: str) -> bool:
    owner = world.nodes[node_id].owner
    if owner is None or owner == faction_id:
        return True
    if world.has_treaty(faction_id, owner, "alliance"):
        return True
    return world.at_war(faction_id, owner) and world.day >= world.tuning.invasion_grace_days


def shortest_path(world: World, start: str, goal: str, faction_id: str) -> list[str] | None:
    """Dijkstra by travel days (ties by node id); excludes ``start``. None if unreachable.
    Only the goal may be a node the faction may not enter yet (movement waits there)."""
    if start == goal:
        return []
    dist: dict[str, int] = {start: 0}
    prev: dict[str, str] = {}
    heap: list[tuple[int, str]] = [(0, start)]
    while heap:
        d, node = heapq.heappop(heap)
        if node == goal:
            break
        if d > dist.get(node, 1 << 30):
            continue
        for nb, days in world.neighbours(node):
            if nb != goal and not may_enter(world, faction_id, nb):
                continue
            nd = d + days
            if nd < dist.get(nb, 1 << 30) or (nd == dist.get(nb) and node < prev.get(nb, "~")):
                dist[nb] = nd
                prev[nb] = node
                heapq.heappush(heap, (nd, nb))
    if goal not in dist:
        return None
    path = [goal]
    while path[-1] in prev and prev[path[-1]] != start:
        path.append(prev[path[-1]])
    return list(reversed(path))


def path_days(world: World, start: str, path: list[str]) -> int:
    total, cur = 0, start
    for n in path:
        total += world.edge_days(cur, n)
        cur = n
    return total


def set_destination(world: World, fleet: Fleet, goal: str) -> bool:
    if fleet.edge_progress > 0:
        return False  # finish the current edge first
    path = shortest_path(world, fleet.node_id, goal, fleet.faction_id)
    if path is None:
        return False
    fleet.path = path
    return True


def movement_phase(world: World) -> list[tuple[str, list[str]]]:
    """Advance fleets, then return encounters as (node_id, sorted fleet ids).

    An encounter is two fleets of factions at war on one node, or a fleet on a
    node whose arcology belongs to a faction it is at war with (an assault)."""
    immobile = {f for f in world.live_factions() if faction_band(world, f) == "exhausted"}
    for _, fl in sorted(world.fleets.items()):
        fl.fought_today = False
        if not fl.path or not fl.ship_ids or fl.faction_id in immobile:
            continue
        nxt = fl.path[0]
        if fl.edge_progress == 0 and not may_enter(world, fl.faction_id, nxt):
            continue  # wait at the border (grace period, no war, ...)
        fl.edge_progress += 1
        if fl.edge_progress >= world.edge_days(fl.node_id, nxt):
            fl.node_id = nxt
            fl.path.pop(0)
            fl.edge_progress = 0
    return find_encounters(world)


def find_encounters(world: World) -> list[tuple[str, list[str]]]:
    by_node: dict[str, list[Fleet]] = {}
    for _, fl in sorted(world.fleets.items()):
        if fl.ship_ids and fl.edge_progress == 0:
            by_node.setdefault(fl.node_id, []).append(fl)
    out: list[tuple[str, list[str]]] = []
    for node, fleets in sorted(by_node.items()):
        factions = sorted({f.faction_id for f in fleets})
        arc = world.arcology_at(node)
        if arc is not None and arc.faction_id not in factions:
            factions.append(arc.faction_id)
        hostile = [(a, b) for i, a in enumerate(factions) for b in factions[i + 1 :] if world.at_war(a, b)]
        if hostile:
            out.append((node, [f.id for f in fleets]))
    return out
