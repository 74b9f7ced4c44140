"""Scripted faction AI: assess threats, weight goals, spend action points.

AP accrue daily at ``ap_base × economy × military`` (economy = 0.5 + 0.5 ×
min(1, days of supply / 30); military = 0.75 + 0.5 × strength share), capped
at ``ap_cap``. Goals (expand, defend, trade, weaken, survive) are re-weighted
daily from philosophy and situation; every available action scores
Σ goal weight × action utility × relevance (+ a little seeded noise). The AI
takes the best affordable action, but saves up when a clearly better action
costs more than it has. Policy actions go through the capital's decision queue
(governance latency); military actions (raid, invasion, hunt) become missions
at once. Grace periods: no invasion before ``invasion_grace_days`` (90), no
alliance before ``alliance_grace_days`` (60).

>>> sorted(ACTIONS)[:4]
['build_ship', 'declare_war', 'fortify', 'guard_capital']
"""

from __future__ import annotations

from dataclasses import dataclass

from . import diplomacy, missions
from .economy import days_of_supply, faction_stock
from .forces import enemy_strength, faction_strength, fleet_strength, strength_share
from .governance import enqueue
from .ledger import Ledger
from .morale import effective_morale
from .rng import Rngs
from .world import MILLI, Decision, World

MAX_DEFENSE = 2000.0
GOALS: tuple[str, ...] = ("expand", "defend", "trade", "weaken", "survive")


@dataclass(frozen=True)
class ActionSpec:
    ap: float
    goals: dict[str, float]
    queued: bool
    cost_milli: tuple[tuple[str, int], ...] = ()


ACTIONS: dict[str, ActionSpec] = {
    "wait": ActionSpec(0.0, {}, False),
    "fortify": ActionSpec(2.0, {"defend": 1.0, "survive": 0.3}, True, (("materials", 30 * MILLI),)),
    "invest": ActionSpec(
        3.0, {"expand": 0.5, "trade": 0.7}, True, (("materials", 40 * MILLI), ("components", 10 * MILLI))
    ),
    "propaganda": ActionSpec(2.0, {"survive": 1.0, "defend": 0.2}, True),
    "build_ship": ActionSpec(4.0, {"weaken": 0.7, "defend": 0.6, "expand": 0.5}, True),
    "propose_trade": ActionSpec(2.0, {"trade": 1.2}, True),
    "propose_non_aggression": ActionSpec(2.0, {"survive": 0.6, "defend": 0.4, "trade": 0.2}, True),
    "propose_alliance": ActionSpec(3.0, {"defend": 0.8, "weaken": 0.4}, True),
    "propose_ceasefire": ActionSpec(2.0, {"survive": 1.5}, True),
    "declare_war": ActionSpec(3.0, {"weaken": 1.0, "expand": 0.8}, True),
    "launch_raid": ActionSpec(2.0, {"weaken": 0.8, "trade": 0.3}, False),
    "launch_invasion": ActionSpec(5.0, {"expand": 1.4, "weaken": 0.6}, False),
    "hunt": ActionSpec(2.0, {"weaken": 0.6, "defend": 0.7}, False),
    "guard_capital": ActionSpec(1.0, {"defend": 0.6, "survive": 0.4}, False),
}
ACTION_NAMES: tuple[str, ...] = tuple(ACTIONS)


# --------------------------------------------------------------------------- assessment
def ap_rate(world: World, fid: str) -> float:
    fac = world.factions[fid]
    econ = 0.5 + 0.5 * min(1.0, days_of_supply(world, fid) / 30.0)
    mil = 0.75 + 0.5 * strength_share(world, fid)
    return fac.ap_base * econ * mil


def accrue_ap(world: World, fid: str) -> None:
    fac = world.factions[fid]
    fac.ap = min(fac.ap_cap, fac.ap + ap_rate(world, fid))


def threat(world: World, fid: str) -> float:
    """Enemy strength within one edge of our arcologies relative to our own strength."""
    near: set[str] = set()
    for arc in world.faction_arcologies(fid):
        near.add(arc.node_id)
        near |= {n for n, _ in world.neighbours(arc.node_id)}
    enemy = sum(
        fleet_strength(world, fl)
        for _, fl in sorted(world.fleets.items())
        if fl.node_id in near and world.at_war(fid, fl.faction_id)
    )
    return enemy / (faction_strength(world, fid) + 1.0)


def assess_goals(world: World, fid: str) -> dict[str, float]:
    fac = world.factions[fid]
    ph = fac.philosophy
    share = strength_share(world, fid)
    at_war = any(world.at_war(fid, o) for o in world.live_factions())
    days = days_of_supply(world, fid)
    arcs = world.faction_arcologies(fid)
    legit = sum(a.legitimacy for a in arcs) / len(arcs) if arcs else 0.0
    morale = effective_morale(fac)
    raw = {
        "expand": ph.expansionism
        * (0.5 + share)
        * (1.0 if world.day >= world.tuning.invasion_grace_days else 0.6),
        "defend": 0.3 + min(1.5, threat(world, fid)) * (1.0 - 0.3 * ph.militarism),
        "trade": ph.commercialism * (1.5 if days < 30 else 1.0),
        "weaken": ph.militarism * (1.0 if at_war else 0.6),
        "survive": 2 * max(0.0, 0.6 - morale) + 2 * max(0.0, 0.5 - legit) + (1.0 if days < 15 else 0.0),
    }
    total = sum(raw.values()) or 1.0
    fac.goals = {g: round(v / total, 6) for g, v in raw.items()}
    return fac.goals


# --------------------------------------------------------------------------- availability
def _others(world: World, fid: str) -> list[str]:
    return [o for o in world.live_factions() if o != fid]


def _can_pay(world: World, fid: str, cost: tuple[tuple[str, int], ...] | dict[str, int]) -> bool:
    stock = faction_stock(world, fid)
    items = cost.items() if isinstance(cost, dict) else cost
    return all(stock.get(r, 0) >= v for r, v in items)


def _build_choice(world: World, fid: str) -> str | None:
    yards = [a for a in world.faction_arcologies(fid) if a.shipyard]
    if not yards:
        return None
    best: tuple[float, str] | None = None
    for name, tpl in sorted(world.ship_templates.items()):
        if not tpl.build_cost_milli or not _can_pay(world, fid, tpl.build_cost_milli):
            continue
        fire = sum(w.damage / max(1, w.cooldown_ticks) for w in tpl.weapons) + tpl.hull.hp / 100.0
        cost = sum(tpl.build_cost_milli.values()) / MILLI
        score = (
            fire
            / max(1.0, cost)
            * (1.0 + 0.5 * world.factions[fid].philosophy.militarism * (tpl.ship_class in ("L", "M")))
        )
        if best is None or (score, name) > best:
            best = (score, name)
    return best[1] if best else None


def _pending(world: World, fid: str, kind: str, target: str | None = None) -> bool:
    """A decision of this kind (and target) is already waiting in one of our queues."""
    return any(
        d.kind == kind and d.faction_id == fid and (target is None or d.params.get("target") == target)
        for a in world.faction_arcologies(fid)
        for d in a.decision_queue
    )


def _enemy_of_ally(world: World, a: str, b: str) -> bool:
    """``b`` is at war with one of ``a``'s allies or the reverse."""
    for x in world.live_factions():
        if world.has_treaty(a, x, "alliance") and world.at_war(b, x):
            return True
        if world.has_treaty(b, x, "alliance") and world.at_war(a, x):
            return True
    return False


def available(world: World, fid: str, name: str) -> tuple[dict[str, str], float] | None:
    """Target parameters and a relevance factor, or None if the action is not possible now."""
    t = world.tuning
    fac = world.factions[fid]
    spec = ACTIONS[name]
    if spec.cost_milli and not _can_pay(world, fid, spec.cost_milli):
        return None
    arcs = world.faction_arcologies(fid)
    if name == "wait":
        return {}, 0.1
    if not arcs:
        return None
    if name == "fortify":
        arc = min(arcs, key=lambda a: (a.defense / a.max_defense, a.id))
        if arc.max_defense >= MAX_DEFENSE and arc.defense >= arc.max_defense:
            return None
        return {"arcology": arc.id}, 0.3 + threat(world, fid)
    if name == "invest":
        facs = [(f.condition, a.id, i) for a in arcs for i, f in enumerate(a.facilities)]
        if not facs:
            return None
        cond, aid, idx = min(facs)
        return {"arcology": aid, "facility": str(idx)}, 0.5 + (1.0 - cond) * 3
    if name == "propaganda":
        worst = min(arcs, key=lambda a: (a.legitimacy - t.legitimacy_baseline[a.government], a.id))
        gap = t.legitimacy_baseline[worst.government] - worst.legitimacy
        if gap <= 0.02:
            return None
        return {"arcology": worst.id}, min(2.0, gap * 8)
    if name == "build_ship":
        choice = _build_choice(world, fid)
        if choice is None or fac.build_queue or _pending(world, fid, "build_ship"):
            return None
        return {"template": choice}, 0.6 + max(0.0, 0.6 - strength_share(world, fid))
    if name == "propose_trade":
        for o in _others(world, fid):
            linked = any(
                {world.arcologies[r.source].faction_id, world.arcologies[r.dest].faction_id} == {fid, o}
                for r in world.trade_routes.values()
                if r.source in world.arcologies and r.dest in world.arcologies
            )
            if (
                linked
                and not world.has_treaty(fid, o, "trade")
                and not _pending(world, fid, name, o)
                and not world.at_war(fid, o)
                and world.disposition(fid, o) >= t.neutral_threshold
            ):
                return {"target": o}, 1.0
        return None
    if name == "propose_non_aggression":
        for o in _others(world, fid):
            d = world.disposition(fid, o)
            if (
                not world.at_war(fid, o)
                and not world.has_treaty(fid, o, "non_aggression")
                and not _pending(world, fid, name, o)
                and -0.6 <= d < t.friendly_threshold
            ):
                return {"target": o}, 0.5 + (1.0 - fac.philosophy.militarism) * 0.5
        return None
    if name == "propose_alliance":
        if world.day < t.alliance_grace_days:
            return None
        for o in _others(world, fid):
            if (
                not world.has_treaty(fid, o, "alliance")
                and not world.at_war(fid, o)
                and not _pending(world, fid, name, o)
                and world.disposition(fid, o) >= t.friendly_threshold
                and not _enemy_of_ally(world, fid, o)
            ):
                common = any(
                    world.at_war(fid, x) or world.at_war(o, x) for x in _others(world, fid) if x != o
                )
                return {"target": o}, 1.2 if common else 0.4
        return None
    if name == "propose_ceasefire":
        for o in _others(world, fid):
            if world.at_war(fid, o) and not _pending(world, fid, name, o):
                losing = (
                    enemy_strength(world, fid) > faction_strength(world, fid) or effective_morale(fac) < 0.4
                )
                return {"target": o}, 1.2 if losing else 0.1
        return None
    if name == "declare_war":
        for o in _others(world, fid):
            d = world.disposition(fid, o)
            if world.at_war(fid, o) or d >= t.hostile_threshold or _pending(world, fid, name, o):
                continue
            if world.has_treaty(fid, o, "ceasefire"):
                continue  # a ceasefire runs its course
            if world.has_treaty(fid, o, "non_aggression") and fac.philosophy.militarism < 0.7:
                continue
            return {"target": o}, 0.5 + fac.philosophy.militarism
        return None
    idle = [fl for fl in missions.idle_fleets(world, fid) if fl.edge_progress == 0]
    if name == "launch_raid":
        if not idle:
            return None
        for o in _others(world, fid):
            if not world.at_war(fid, o):
                continue
            for _, r in sorted(world.trade_routes.items()):
                src = world.arcologies.get(r.source)
                if src is not None and src.faction_id == o and r.status == "open":
                    for node in r.path:
                        if world.nodes[node].owner is None:
                            return {"target_node": node}, 1.0
            if world.day >= t.invasion_grace_days:
                rich = max(
                    world.faction_arcologies(o), key=lambda a: (sum(a.stocks.values()), a.id), default=None
                )
                if rich is not None:
                    return {"target_node": rich.node_id}, 0.8
        return None
    if name == "launch_invasion":
        if world.day < t.invasion_grace_days or not idle:
            return None
        if any(
            m.faction_id == fid and m.kind == "invade" and m.status in ("open", "assigned")
            for m in world.missions.values()
        ):
            return None
        own = sum(fleet_strength(world, fl) for fl in idle)
        for o in _others(world, fid):
            if not world.at_war(fid, o):
                continue
            if own < 1.2 * faction_strength(world, o):
                continue
            target = min(world.faction_arcologies(o), key=lambda a: (a.defense, a.id), default=None)
            if target is not None:
                return {"target_arcology": target.id}, 1.5
        return None
    if name == "guard_capital":
        cap = world.arcologies.get(fac.capital)
        if (
            cap is None
            or not idle
            or threat(world, fid) <= 0.0
            or any(
                m.faction_id == fid
                and m.kind == "protect"
                and m.target_node == cap.node_id
                and m.status in ("open", "assigned")
                for m in world.missions.values()
            )
        ):
            return None
        return {"target_node": cap.node_id}, 0.5 + threat(world, fid)
    if name == "hunt":
        near: set[str] = set()
        for arc in arcs:
            near.add(arc.node_id)
            near |= {n for n, _ in world.neighbours(arc.node_id)}
        for _, fl in sorted(world.fleets.items()):
            if (
                fl.node_id in near
                and fl.ship_ids
                and world.at_war(fid, fl.faction_id)
                and not any(
                    m.target_fleet == fl.id and m.status in ("open", "assigned")
                    for m in world.missions.values()
                )
            ):
                return {"target_fleet": fl.id}, 1.0
        return None
    return None


# --------------------------------------------------------------------------- choosing and doing
def score(world: World, rngs: Rngs, fid: str, name: str, relevance: float) -> float:
    goals = world.factions[fid].goals
    base = sum(goals.get(g, 0.0) * w for g, w in ACTIONS[name].goals.items())
    return base * relevance + 0.05 * float(rngs["faction_ai"].random())


def perform(world: World, rngs: Rngs, fid: str, name: str) -> bool:
    """Spend AP on ``name`` if possible. Returns True if it was taken (queued or issued)."""
    fac = world.factions[fid]
    spec = ACTIONS[name]
    got = available(world, fid, name)
    if got is None or fac.ap < spec.ap:
        return False
    params, _ = got
    fac.ap -= spec.ap
    if name == "wait":
        return True
    if spec.queued:
        cap = world.arcologies.get(fac.capital)
        if cap is None:
            return False
        enqueue(world, rngs["governance"], cap, name, fid, params)
        return True
    issue_mission(world, fid, name, params)
    return True


def issue_mission(world: World, fid: str, name: str, params: dict[str, str]) -> None:
    if name == "launch_raid":
        missions.create(world, fid, "raid", params["target_node"], 2.0, "goal")
    elif name == "launch_invasion":
        arc = world.arcologies[params["target_arcology"]]
        missions.create(world, fid, "invade", arc.node_id, 4.0, "goal", target_arcology=arc.id)
        world.log(
            "invasion", f"{world.factions[fid].name} launched an invasion of {arc.name}", fid, arc.faction_id
        )
    elif name == "guard_capital":
        missions.create(world, fid, "protect", params["target_node"], 3.5, "goal")
    elif name == "hunt":
        tgt = world.fleets[params["target_fleet"]]
        missions.create(world, fid, "destroy", tgt.node_id, 2.5, "goal", target_fleet=tgt.id)


def faction_ai_phase(world: World, rngs: Rngs, agent_faction: str | None = None) -> None:
    """Phase 1 for every scripted faction (the agent's faction only accrues AP and re-weights goals)."""
    for fid in world.live_factions():
        accrue_ap(world, fid)
        assess_goals(world, fid)
        if fid == agent_faction or not world.factions[fid].scripted:
            continue
        for _ in range(world.tuning.max_actions_per_day):
            ranked = []
            for name in ACTION_NAMES:
                got = available(world, fid, name)
                if got is not None:
                    ranked.append((score(world, rngs, fid, name, got[1]), name))
            ranked.sort(key=lambda x: (-x[0], x[1]))
            fac = world.factions[fid]
            affordable = [(s, n) for s, n in ranked if ACTIONS[n].ap <= fac.ap]
            if not affordable:
                break
            top_s, top_n = ranked[0]
            best_s, best_n = affordable[0]
            if top_n != best_n and top_s > 1.3 * best_s:
                break  # save up for the better action
            if best_n == "wait" or not perform(world, rngs, fid, best_n):
                break


# --------------------------------------------------------------------------- decisions
def _pay(
    world: World, ledger: Ledger, fid: str, cost: tuple[tuple[str, int], ...] | dict[str, int], purpose: str
) -> bool:
    from .economy import draw

    if not _can_pay(world, fid, cost):
        return False
    items = cost.items() if isinstance(cost, dict) else cost
    for r, v in sorted(items):
        draw(world, ledger, fid, r, v, purpose)
    return True


def execute_decision(world: World, rngs: Rngs, ledger: Ledger, d: Decision) -> bool:
    """Carry out a decision whose latency has elapsed. Returns False if it lapsed."""
    fid, p = d.faction_id, d.params
    fac = world.factions[fid]
    spec = ACTIONS[d.kind]
    if d.kind == "fortify":
        arc = world.arcologies.get(p["arcology"])
        if arc is None or arc.faction_id != fid or not _pay(world, ledger, fid, spec.cost_milli, "fortify"):
            return False
        if arc.defense >= arc.max_defense:
            arc.max_defense = min(MAX_DEFENSE, arc.max_defense + 50.0)
        arc.defense = min(arc.max_defense, arc.defense + 0.25 * arc.max_defense)
        return True
    if d.kind == "invest":
        arc = world.arcologies.get(p["arcology"])
        if arc is None or arc.faction_id != fid or not _pay(world, ledger, fid, spec.cost_milli, "invest"):
            return False
        fac_ = arc.facilities[int(p["facility"])]
        if fac_.condition >= 0.95:
            fac_.capacity_milli = int(fac_.capacity_milli * 1.05)
        fac_.condition = min(1.0, fac_.condition + 0.15)
        return True
    if d.kind == "propaganda":
        arc = world.arcologies.get(p["arcology"])
        if arc is None or arc.faction_id != fid:
            return False
        arc.legitimacy = min(1.0, arc.legitimacy + 0.04)
        fac.base_morale = min(0.9, fac.base_morale + 0.005)
        return True
    if d.kind == "build_ship":
        tpl = world.ship_templates.get(p["template"])
        yards = [a for a in world.faction_arcologies(fid) if a.shipyard]
        if tpl is None or not yards or not _pay(world, ledger, fid, tpl.build_cost_milli, "build_ship"):
            return False
        from .world import BuildOrder

        fac.build_queue.append(
            BuildOrder(
                ship_id=world.next_id("S"),
                template=p["template"],
                arcology_id=yards[0].id,
                days_left=tpl.build_days,
            )
        )
        return True
    target = p.get("target", "")
    if target not in world.factions or world.factions[target].defeated:
        return False
    if d.kind == "declare_war":
        if world.at_war(fid, target):
            return False
        diplomacy.declare_war(world, fid, target)
        return True
    kind = {
        "propose_trade": "trade",
        "propose_non_aggression": "non_aggression",
        "propose_alliance": "alliance",
        "propose_ceasefire": "ceasefire",
    }.get(d.kind)
    if kind is None:
        return False
    if not diplomacy.accepts(world, rngs, kind, fid, target):
        world.log(
            "rejected", f"{world.factions[target].name} rejected {fac.name}'s {kind} proposal", fid, target
        )
        diplomacy.adjust(world, fid, target, -0.02)
        return False
    if kind != "ceasefire" and world.has_treaty(fid, target, kind):
        return False
    if kind == "ceasefire":
        diplomacy.make_ceasefire(world, fid, target)
    else:
        diplomacy.add_treaty(world, kind, fid, target)
        if kind == "alliance":
            k = min(1.0, max(world.disposition(fid, target), world.tuning.allied_threshold))
            world.dispositions[f"{min(fid, target)}|{max(fid, target)}"] = k
        world.log(
            "treaty",
            f"{fac.name} and {world.factions[target].name} signed {'an' if kind[0] in 'aeiou' else 'a'} {kind.replace('_', '-')} treaty",
            fid,
            target,
        )
    return True
