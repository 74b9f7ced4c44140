"""Scripted faction AI: assess threats, weight goals, spend action points.

AP accrue daily at ``ap_base × economy × military`` (economy = 0.5 + 0.5 ×
min(1, days of supply / ``ap_supply_days``); military = 0.75 + 0.5 × strength
share), capped at ``ap_cap``. Goals (expand, defend, trade, weaken, survive)
are re-weighted daily from philosophy and situation; every available action
scores Σ goal weight × action utility × relevance (+ ``ai_noise`` of seeded
noise). The AI takes the best affordable action, but saves up when a better
action costs more than it has (``save_up_ratio``). Policy actions go through
the capital's decision queue (governance latency); military actions (raid,
invasion, hunt, guard) become missions at once. Grace periods: no invasion
before ``invasion_grace_days`` (90), no alliance before ``alliance_grace_days``
(60).

Every action is data: an :class:`Action` in :data:`ACTIONS` with a function
that says whether (and on what target) it can be taken now and how relevant it
is, and one that carries it out. Its price (AP, resources) and the goals it
serves are tuning (``Tuning.actions``), which a scenario may override.

>>> sorted(ACTIONS)[:4]
['build_ship', 'declare_war', 'fortify', 'guard_capital']
>>> ACTIONS["fortify"].queued, ACTIONS["hunt"].queued
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import diplomacy, missions
from .economy import days_of_supply, draw, faction_stock
from .forces import enemy_strength, faction_strength, fleet_strength, strength_share
from .governance import enqueue
from .ledger import Ledger
from .morale import effective_morale
from .rng import Rngs
from .tuning import ActionTuning
from .world import Arcology, BuildOrder, Decision, Fleet, World

GOALS: tuple[str, ...] = ("expand", "defend", "trade", "weaken", "survive")

PARAM_REFS: dict[str, str] = {
    "arcology": "arcologies",
    "facility": "facilities",
    "template": "ship_templates",
    "target": "factions",
    "target_node": "nodes",
    "target_arcology": "arcologies",
    "target_fleet": "fleets",
}
"""What each action parameter names: the World table its value is a key of ("facilities":
an index into the facilities of the parameter ``arcology``)."""

MISSION_PRIORITIES: tuple[str, ...] = ("launch_raid", "launch_invasion", "guard_capital", "hunt")
"""The actions whose missions take their priority from ``Tuning.mission_priority``."""

Params = dict[str, str]
Availability = tuple[Params, float] | None
"""Target parameters and a relevance factor, or None when the action cannot be taken now."""


@dataclass(frozen=True)
class Action:
    """One thing a faction can spend AP on.

    ``available(world, faction)`` returns the target parameters and a relevance
    factor, or None; ``execute(world, rngs, ledger, faction, params)`` carries it
    out (for a ``queued`` action, when its decision comes due) and returns False
    if it lapsed.
    """

    name: str
    queued: bool
    available: Callable[[World, str], Availability]
    execute: Callable[[World, Rngs, Ledger, str, Params], bool]
    params: tuple[str, ...] = ()
    """The keys of the parameters ``available`` returns (each a key of :data:`PARAM_REFS`):
    what a queued decision of this kind must carry, which a loaded save is checked against."""

    def tuning(self, world: World) -> ActionTuning:
        """Price and goals of this action in ``world``'s tuning."""
        return world.tuning.actions[self.name]


# --------------------------------------------------------------------------- assessment
def ap_rate(world: World, fid: str) -> float:
    fac = world.factions[fid]
    econ = 0.5 + 0.5 * min(1.0, days_of_supply(world, fid) / world.tuning.ap_supply_days)
    mil = 0.75 + 0.5 * strength_share(world, fid)
    return fac.ap_base * econ * mil


def accrue_ap(world: World, fid: str) -> None:
    fac = world.factions[fid]
    fac.ap = min(fac.ap_cap, fac.ap + ap_rate(world, fid))


def _near(world: World, fid: str) -> set[str]:
    """Nodes of our arcologies and their neighbours."""
    near: set[str] = set()
    for arc in world.faction_arcologies(fid):
        near.add(arc.node_id)
        near |= {n for n, _ in world.neighbours(arc.node_id)}
    return near


def threat(world: World, fid: str) -> float:
    """Enemy strength within one edge of our arcologies relative to our own strength."""
    near = _near(world, fid)
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


# --------------------------------------------------------------------------- helpers
def _others(world: World, fid: str) -> list[str]:
    return [o for o in world.live_factions() if o != fid]


def _can_pay(world: World, fid: str, cost: dict[str, int]) -> bool:
    stock = faction_stock(world, fid)
    return all(stock.get(r, 0) >= v for r, v in cost.items())


def _pay(world: World, ledger: Ledger, fid: str, cost: dict[str, int], purpose: str) -> bool:
    if not _can_pay(world, fid, cost):
        return False
    for r, v in sorted(cost.items()):
        draw(world, ledger, fid, r, v, purpose)
    return True


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


def _idle(world: World, fid: str) -> list[Fleet]:
    return [fl for fl in missions.idle_fleets(world, fid) if fl.edge_progress == 0]


def _mission_open(world: World, fid: str, kind: str, node: str | None = None) -> bool:
    return any(
        m.faction_id == fid
        and m.kind == kind
        and (node is None or m.target_node == node)
        and m.status in ("open", "assigned")
        for m in world.missions.values()
    )


def _own_arcology(world: World, fid: str, params: Params) -> Arcology | None:
    arc = world.arcologies.get(params["arcology"])
    return arc if arc is not None and arc.faction_id == fid else None


# --------------------------------------------------------------------------- wait
def _wait_available(world: World, fid: str) -> Availability:
    return {}, 0.1


def _wait_execute(world: World, rngs: Rngs, ledger: Ledger, fid: str, p: Params) -> bool:
    return True


# --------------------------------------------------------------------------- arcology policy
def _fortify_available(world: World, fid: str) -> Availability:
    arc = min(world.faction_arcologies(fid), key=lambda a: (a.defense / a.max_defense, a.id))
    if arc.max_defense >= world.tuning.max_defense and arc.defense >= arc.max_defense:
        return None
    return {"arcology": arc.id}, 0.3 + threat(world, fid)


def _fortify_execute(world: World, rngs: Rngs, ledger: Ledger, fid: str, p: Params) -> bool:
    t = world.tuning
    arc = _own_arcology(world, fid, p)
    if arc is None or not _pay(world, ledger, fid, t.actions["fortify"].cost_milli, "fortify"):
        return False
    if arc.defense >= arc.max_defense:
        arc.max_defense = min(t.max_defense, arc.max_defense + t.fortify_max_defense_step)
    arc.defense = min(arc.max_defense, arc.defense + t.fortify_repair_fraction * arc.max_defense)
    return True


def _invest_available(world: World, fid: str) -> Availability:
    facs = [(f.condition, a.id, i) for a in world.faction_arcologies(fid) for i, f in enumerate(a.facilities)]
    if not facs:
        return None
    cond, aid, idx = min(facs)
    return {"arcology": aid, "facility": str(idx)}, 0.5 + (1.0 - cond) * 3


def _invest_execute(world: World, rngs: Rngs, ledger: Ledger, fid: str, p: Params) -> bool:
    t = world.tuning
    arc = _own_arcology(world, fid, p)
    if arc is None or not _pay(world, ledger, fid, t.actions["invest"].cost_milli, "invest"):
        return False
    fac = arc.facilities[int(p["facility"])]
    if fac.condition >= t.invest_growth_condition:
        fac.capacity_milli = int(fac.capacity_milli * t.invest_capacity_growth)
    fac.condition = min(1.0, fac.condition + t.invest_condition_step)
    return True


def _propaganda_available(world: World, fid: str) -> Availability:
    base = world.tuning.legitimacy_baseline
    worst = min(world.faction_arcologies(fid), key=lambda a: (a.legitimacy - base[a.government], a.id))
    gap = base[worst.government] - worst.legitimacy
    if gap <= 0.02:
        return None
    return {"arcology": worst.id}, min(2.0, gap * 8)


def _propaganda_execute(world: World, rngs: Rngs, ledger: Ledger, fid: str, p: Params) -> bool:
    t = world.tuning
    arc = _own_arcology(world, fid, p)
    if arc is None:
        return False
    fac = world.factions[fid]
    arc.legitimacy = min(1.0, arc.legitimacy + t.propaganda_legitimacy)
    fac.base_morale = min(t.propaganda_morale_cap, fac.base_morale + t.propaganda_morale)
    return True


def _build_choice(world: World, fid: str) -> str | None:
    if not any(a.shipyard for a in world.faction_arcologies(fid)):
        return None
    best: tuple[float, str] | None = None
    militarism = world.factions[fid].philosophy.militarism
    for name, tpl in sorted(world.ship_templates.items()):
        if not tpl.build_cost_milli or not _can_pay(world, fid, tpl.build_cost_milli):
            continue
        fire = sum(w.projectile.damage / max(1, w.cooldown_ticks) for w in tpl.weapons) + tpl.hull.hp / 100.0
        cost = sum(tpl.build_cost_milli.values()) / 1000
        score = fire / max(1.0, cost) * (1.0 + 0.5 * militarism * (tpl.ship_class in ("L", "M")))
        if best is None or (score, name) > best:
            best = (score, name)
    return best[1] if best else None


def _build_ship_available(world: World, fid: str) -> Availability:
    choice = _build_choice(world, fid)
    if choice is None or world.factions[fid].build_queue or _pending(world, fid, "build_ship"):
        return None
    return {"template": choice}, 0.6 + max(0.0, 0.6 - strength_share(world, fid))


def _build_ship_execute(world: World, rngs: Rngs, ledger: Ledger, fid: str, p: Params) -> bool:
    tpl = world.ship_templates.get(p["template"])
    yards = [a for a in world.faction_arcologies(fid) if a.shipyard]
    if tpl is None or not yards or not _pay(world, ledger, fid, tpl.build_cost_milli, "build_ship"):
        return False
    world.factions[fid].build_queue.append(
        BuildOrder(
            ship_id=world.next_id("S"),
            template=p["template"],
            arcology_id=yards[0].id,
            days_left=tpl.build_days,
        )
    )
    return True


# --------------------------------------------------------------------------- diplomacy
def _trade_available(world: World, fid: str) -> Availability:
    t = world.tuning
    for o in _others(world, fid):
        linked = any(
            {world.arcologies[r.source].faction_id, world.arcologies[r.dest].faction_id} == {fid, o}
            for r in world.trade_routes.values()
            if r.source in world.arcologies and r.dest in world.arcologies
        )
        if (
            linked
            and not world.has_treaty(fid, o, "trade")
            and not _pending(world, fid, "propose_trade", o)
            and not world.at_war(fid, o)
            and world.disposition(fid, o) >= t.neutral_threshold
        ):
            return {"target": o}, 1.0
    return None


def _non_aggression_available(world: World, fid: str) -> Availability:
    t = world.tuning
    fac = world.factions[fid]
    for o in _others(world, fid):
        d = world.disposition(fid, o)
        if (
            not world.at_war(fid, o)
            and not world.has_treaty(fid, o, "non_aggression")
            and not _pending(world, fid, "propose_non_aggression", o)
            and -0.6 <= d < t.friendly_threshold
        ):
            return {"target": o}, 0.5 + (1.0 - fac.philosophy.militarism) * 0.5
    return None


def _alliance_available(world: World, fid: str) -> Availability:
    t = world.tuning
    if world.day < t.alliance_grace_days:
        return None
    for o in _others(world, fid):
        if (
            not world.has_treaty(fid, o, "alliance")
            and not world.at_war(fid, o)
            and not _pending(world, fid, "propose_alliance", o)
            and world.disposition(fid, o) >= t.friendly_threshold
            and not _enemy_of_ally(world, fid, o)
        ):
            common = any(world.at_war(fid, x) or world.at_war(o, x) for x in _others(world, fid) if x != o)
            return {"target": o}, 1.2 if common else 0.4
    return None


def _ceasefire_available(world: World, fid: str) -> Availability:
    fac = world.factions[fid]
    for o in _others(world, fid):
        if world.at_war(fid, o) and not _pending(world, fid, "propose_ceasefire", o):
            losing = enemy_strength(world, fid) > faction_strength(world, fid) or effective_morale(fac) < 0.4
            return {"target": o}, 1.2 if losing else 0.1
    return None


def _declare_war_available(world: World, fid: str) -> Availability:
    t = world.tuning
    fac = world.factions[fid]
    for o in _others(world, fid):
        d = world.disposition(fid, o)
        if world.at_war(fid, o) or d >= t.hostile_threshold or _pending(world, fid, "declare_war", o):
            continue
        if world.has_treaty(fid, o, "ceasefire"):
            continue  # a ceasefire runs its course
        if world.has_treaty(fid, o, "non_aggression") and fac.philosophy.militarism < 0.7:
            continue
        return {"target": o}, 0.5 + fac.philosophy.militarism
    return None


def _live_target(world: World, p: Params) -> str | None:
    target = p.get("target", "")
    return target if target in world.factions and not world.factions[target].defeated else None


def _declare_war_execute(world: World, rngs: Rngs, ledger: Ledger, fid: str, p: Params) -> bool:
    target = _live_target(world, p)
    if target is None or world.at_war(fid, target):
        return False
    diplomacy.declare_war(world, fid, target)
    return True


def _proposal(kind: str) -> Callable[[World, Rngs, Ledger, str, Params], bool]:
    """The execute step of a treaty proposal: the target accepts or rejects it."""

    def execute(world: World, rngs: Rngs, ledger: Ledger, fid: str, p: Params) -> bool:
        target = _live_target(world, p)
        if target is None:
            return False
        fac = world.factions[fid]
        if not diplomacy.accepts(world, rngs, kind, fid, target):
            world.log(
                "rejected",
                f"{world.factions[target].name} rejected {fac.name}'s {kind} proposal",
                fid,
                target,
            )
            diplomacy.adjust(world, fid, target, -0.02)
            return False
        if kind != "ceasefire" and world.has_treaty(fid, target, kind):
            return False
        if kind == "ceasefire":
            diplomacy.make_ceasefire(world, fid, target)
            return True
        diplomacy.add_treaty(world, kind, fid, target)
        if kind == "alliance":
            k = min(1.0, max(world.disposition(fid, target), world.tuning.allied_threshold))
            world.dispositions[f"{min(fid, target)}|{max(fid, target)}"] = k
        article = "an" if kind[0] in "aeiou" else "a"
        world.log(
            "treaty",
            f"{fac.name} and {world.factions[target].name} signed {article} {kind.replace('_', '-')} treaty",
            fid,
            target,
        )
        return True

    return execute


# --------------------------------------------------------------------------- military (missions at once)
def _defended(world: World, fid: str, node: str) -> float:
    """Strength that would meet ``fid``'s fleet at ``node``: hostile fleets there, and its
    arcology's batteries (``battery_strength`` for each hundred points of defense)."""
    strength = sum(
        fleet_strength(world, fl)
        for _, fl in sorted(world.fleets.items())
        if fl.node_id == node and world.at_war(fid, fl.faction_id)
    )
    arc = world.arcology_at(node)
    if arc is not None and world.at_war(fid, arc.faction_id):
        strength += arc.defense / 100.0 * world.tuning.battery_strength
    return strength


def _raid_available(world: World, fid: str) -> Availability:
    t = world.tuning
    idle = _idle(world, fid)
    if not idle:
        return None
    # a raid goes only where the strongest idle fleet outguns what waits there
    might = max(fleet_strength(world, fl) for fl in idle)

    def open_to_raid(node: str) -> bool:
        return _defended(world, fid, node) * t.raid_odds < might

    for o in _others(world, fid):
        if not world.at_war(fid, o):
            continue
        for _, r in sorted(world.trade_routes.items()):
            src = world.arcologies.get(r.source)
            if src is not None and src.faction_id == o and r.status == "open":
                for node in r.path:
                    if world.nodes[node].owner is None and open_to_raid(node):
                        return {"target_node": node}, 1.0
        if world.day >= t.invasion_grace_days:
            rich = max(
                (a for a in world.faction_arcologies(o) if open_to_raid(a.node_id)),
                key=lambda a: (sum(a.stocks.values()), a.id),
                default=None,
            )
            if rich is not None:
                return {"target_node": rich.node_id}, 0.8
    return None


def _raid_execute(world: World, rngs: Rngs, ledger: Ledger, fid: str, p: Params) -> bool:
    missions.create(
        world, fid, "raid", p["target_node"], world.tuning.mission_priority["launch_raid"], "goal"
    )
    return True


def _invasion_available(world: World, fid: str) -> Availability:
    t = world.tuning
    idle = _idle(world, fid)
    if world.day < t.invasion_grace_days or not idle or _mission_open(world, fid, "invade"):
        return None
    own = sum(fleet_strength(world, fl) for fl in idle)
    for o in _others(world, fid):
        if not world.at_war(fid, o) or own < t.invasion_strength_ratio * faction_strength(world, o):
            continue
        target = min(world.faction_arcologies(o), key=lambda a: (a.defense, a.id), default=None)
        if target is not None:
            return {"target_arcology": target.id}, 1.5
    return None


def _invasion_execute(world: World, rngs: Rngs, ledger: Ledger, fid: str, p: Params) -> bool:
    arc = world.arcologies[p["target_arcology"]]
    priority = world.tuning.mission_priority["launch_invasion"]
    missions.create(world, fid, "invade", arc.node_id, priority, "goal", target_arcology=arc.id)
    world.log(
        "invasion", f"{world.factions[fid].name} launched an invasion of {arc.name}", fid, arc.faction_id
    )
    return True


def _guard_available(world: World, fid: str) -> Availability:
    cap = world.arcologies.get(world.factions[fid].capital)
    if cap is None or not _idle(world, fid) or threat(world, fid) <= 0.0:
        return None
    if _mission_open(world, fid, "protect", cap.node_id):
        return None
    return {"target_node": cap.node_id}, 0.5 + threat(world, fid)


def _guard_execute(world: World, rngs: Rngs, ledger: Ledger, fid: str, p: Params) -> bool:
    priority = world.tuning.mission_priority["guard_capital"]
    missions.create(world, fid, "protect", p["target_node"], priority, "goal")
    return True


def _hunt_available(world: World, fid: str) -> Availability:
    near = _near(world, fid)
    for _, fl in sorted(world.fleets.items()):
        if (
            fl.node_id in near
            and fl.ship_ids
            and world.at_war(fid, fl.faction_id)
            and not any(
                m.target_fleet == fl.id and m.status in ("open", "assigned") for m in world.missions.values()
            )
        ):
            return {"target_fleet": fl.id}, 1.0
    return None


def _hunt_execute(world: World, rngs: Rngs, ledger: Ledger, fid: str, p: Params) -> bool:
    tgt = world.fleets[p["target_fleet"]]
    priority = world.tuning.mission_priority["hunt"]
    missions.create(world, fid, "destroy", tgt.node_id, priority, "goal", target_fleet=tgt.id)
    return True


def _lapses(world: World, rngs: Rngs, ledger: Ledger, fid: str, p: Params) -> bool:
    return False


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("wait", False, _wait_available, _wait_execute),
        Action("fortify", True, _fortify_available, _fortify_execute, ("arcology",)),
        Action("invest", True, _invest_available, _invest_execute, ("arcology", "facility")),
        Action("propaganda", True, _propaganda_available, _propaganda_execute, ("arcology",)),
        Action("build_ship", True, _build_ship_available, _build_ship_execute, ("template",)),
        Action("propose_trade", True, _trade_available, _proposal("trade"), ("target",)),
        Action(
            "propose_non_aggression",
            True,
            _non_aggression_available,
            _proposal("non_aggression"),
            ("target",),
        ),
        Action("propose_alliance", True, _alliance_available, _proposal("alliance"), ("target",)),
        Action("propose_ceasefire", True, _ceasefire_available, _proposal("ceasefire"), ("target",)),
        Action("declare_war", True, _declare_war_available, _declare_war_execute, ("target",)),
        Action("launch_raid", False, _raid_available, _raid_execute, ("target_node",)),
        Action("launch_invasion", False, _invasion_available, _invasion_execute, ("target_arcology",)),
        Action("hunt", False, _hunt_available, _hunt_execute, ("target_fleet",)),
        Action("guard_capital", False, _guard_available, _guard_execute, ("target_node",)),
    )
}
"""Every action, by name, in the order the AI ranks ties (and the strategic env numbers them)."""
ACTION_NAMES: tuple[str, ...] = tuple(ACTIONS)


# --------------------------------------------------------------------------- choosing and doing
def available(world: World, fid: str, name: str) -> Availability:
    """Target parameters and a relevance factor, or None if the action is not possible now."""
    if not _can_pay(world, fid, world.tuning.actions[name].cost_milli):
        return None
    if name != "wait" and not world.faction_arcologies(fid):
        return None
    return ACTIONS[name].available(world, fid)


def score(world: World, rngs: Rngs, fid: str, name: str, relevance: float) -> float:
    goals = world.factions[fid].goals
    base = sum(goals.get(g, 0.0) * w for g, w in world.tuning.actions[name].goals.items())
    return base * relevance + world.tuning.ai_noise * float(rngs["faction_ai"].random())


def perform(world: World, rngs: Rngs, fid: str, name: str) -> bool:
    """Spend AP on ``name`` if possible. Returns True if it was taken (queued or issued)."""
    fac = world.factions[fid]
    action, price = ACTIONS[name], world.tuning.actions[name]
    got = available(world, fid, name)
    if got is None or fac.ap < price.ap:
        return False
    params, _ = got
    fac.ap -= price.ap
    if not action.queued:
        return action.execute(world, rngs, Ledger(world), fid, params)
    cap = world.arcologies.get(fac.capital)
    if cap is None:
        return False
    enqueue(world, rngs["governance"], cap, name, fid, params)
    return True


def faction_ai_phase(world: World, rngs: Rngs, agent_faction: str | None = None) -> None:
    """Phase 1 for every scripted faction (the agent's faction only accrues AP and re-weights goals)."""
    t = world.tuning
    for fid in world.live_factions():
        accrue_ap(world, fid)
        assess_goals(world, fid)
        if fid == agent_faction or not world.factions[fid].scripted:
            continue
        for _ in range(t.max_actions_per_day):
            ranked = []
            for name in ACTION_NAMES:
                got = available(world, fid, name)
                if got is not None:
                    ranked.append((score(world, rngs, fid, name, got[1]), name))
            ranked.sort(key=lambda x: (-x[0], x[1]))
            fac = world.factions[fid]
            affordable = [(s, n) for s, n in ranked if t.actions[n].ap <= fac.ap]
            if not affordable:
                break
            top_s, top_n = ranked[0]
            best_s, best_n = affordable[0]
            if top_n != best_n and top_s > t.save_up_ratio * best_s:
                break  # save up for the better action
            if best_n == "wait" or not perform(world, rngs, fid, best_n):
                break


def execute_decision(world: World, rngs: Rngs, ledger: Ledger, d: Decision) -> bool:
    """Carry out a decision whose latency has elapsed. Returns False if it lapsed."""
    action = ACTIONS.get(d.kind)
    if action is None or not action.queued:
        return False
    return action.execute(world, rngs, ledger, d.faction_id, d.params)
