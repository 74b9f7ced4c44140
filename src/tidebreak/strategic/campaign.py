"""The daily tick and the campaign runner.

Phase order of one day (fixed):

1. faction AI — AP accrue, goals re-weighted, actions chosen (agent action first);
2. economy — production chains, population consumption, trade routes;
3. missions — update, generate from problems, assign, merge, route;
4. movement and encounters — fleets move, battles are packaged, resolved and
   applied; sieges and raids; shipyard and repairs; refits; fleet upkeep;
5. governance (decision queues, legitimacy, coups), morale (decay, supply
   attrition, desertion) and diplomacy (standoffs, treaties);

then tomorrow's weather, defeat checks, the daily record and the conservation
check of the day's ledger.

>>> from tidebreak.strategic.scenario import build_world
>>> c = Campaign(build_world(seed=3))
>>> c.run(5).day
5
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import battle as battle_mod
from .autoresolve import Resolver, make_resolver
from .diplomacy import diplomacy_phase
from .economy import days_of_supply, economy_phase, faction_band, faction_stock, logistics_phase
from .faction_ai import execute_decision, faction_ai_phase, perform
from .forces import faction_strength
from .governance import governance_phase
from .ledger import Ledger
from .missions import missions_phase
from .morale import decay_battle_modifier, effective_morale
from .movement import movement_phase
from .operations import operations_phase
from .rng import Rngs, seed64
from .shipyard import refit_phase, shipyard_phase
from .tuning import SUPPLY_BANDS
from .weather import weather_phase
from .world import MILLI, DayRecord, Decision, FactionDay, LostShip, World


@dataclass
class DayReport:
    day: int
    battles: list[battle_mod.ApplySummary] = field(default_factory=list)
    flows: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    opening: dict[str, dict[str, int]] = field(default_factory=dict)
    agent_action_taken: bool = False


def morale_phase(world: World) -> None:
    t = world.tuning
    for fid in world.live_factions():
        fac = world.factions[fid]
        decay_battle_modifier(fac, t.morale_decay)
        fac.attrition_modifier = t.supply_attrition[SUPPLY_BANDS.index(faction_band(world, fid))]
        if effective_morale(fac) < t.mass_surrender_morale:
            cap = world.arcologies.get(fac.capital)
            for fl in world.faction_fleets(fid):
                for sid in fl.ship_ids:
                    ship = world.ships[sid]
                    gone = int(ship.crew_count * t.desertion_rate)
                    ship.crew_count -= gone
                    if cap is not None:
                        cap.population += gone


def check_defeat(world: World) -> None:
    for fid in world.live_factions():
        fac = world.factions[fid]
        if world.faction_arcologies(fid):
            continue
        fac.defeated, fac.defeated_day = True, world.day
        for fl in world.faction_fleets(fid):
            for sid in fl.ship_ids:
                world.lost_ships.append(LostShip(id=sid, faction_id=fid, day=world.day, fate="DISBANDED"))
                del world.ships[sid]
            del world.fleets[fl.id]
        for rep in fac.repair_queue:
            if rep.ship_id in world.ships and world.ships[rep.ship_id].faction_id == fid:
                world.lost_ships.append(
                    LostShip(id=rep.ship_id, faction_id=fid, day=world.day, fate="DISBANDED")
                )
                del world.ships[rep.ship_id]
        fac.repair_queue, fac.build_queue = [], []
        world.wars = [w for w in world.wars if fid not in w.split("|")]
        world.log("defeat", f"{fac.name} has lost its last arcology and is defeated", fid)
    live_principals = [p for p in world.principals if not world.factions[p].defeated]
    if len(live_principals) < len(world.principals):
        world.finished = True
        world.winner = live_principals[0] if len(live_principals) == 1 else None
    elif world.day >= world.day_limit:
        world.finished = True
        world.winner = day_limit_winner(world)


def war_losses(world: World, fid: str) -> int:
    """Ships a faction lost to the enemy: sunk, scuttled or struck (captured), not disbanded."""
    sunk = sum(1 for s in world.lost_ships if s.faction_id == fid and s.fate in ("DESTROYED", "SCUTTLED"))
    return sunk + world.factions[fid].ships_surrendered


def day_limit_winner(world: World) -> str | None:
    """Who won a campaign that reached its day limit: the principal holding the most
    arcologies; between equal holdings, the one that lost fewer ships (when the tuning's
    ``day_limit_tiebreak`` is ``"losses"``); otherwise no one."""
    held = {f: len(world.faction_arcologies(f)) for f in world.principals}
    ranked = sorted(world.principals, key=lambda f: (-held[f], war_losses(world, f), f))
    if len(ranked) < 2:
        return ranked[0] if ranked else None
    first, second = ranked[0], ranked[1]
    if held[first] > held[second]:
        return first
    if world.tuning.day_limit_tiebreak == "losses" and war_losses(world, first) < war_losses(world, second):
        return first
    return None


def record_day(world: World) -> None:
    recs: dict[str, FactionDay] = {}
    for fid in sorted(world.factions):
        fac = world.factions[fid]
        arcs = world.faction_arcologies(fid)
        recs[fid] = FactionDay(
            morale=round(effective_morale(fac), 6),
            legitimacy=round(sum(a.legitimacy for a in arcs) / len(arcs), 6) if arcs else 0.0,
            stocks=faction_stock(world, fid) if arcs else {},
            supply_days=round(days_of_supply(world, fid), 4) if arcs else 0.0,
            fleet_strength=round(faction_strength(world, fid), 4),
            ships=sum(len(fl.ship_ids) for fl in world.faction_fleets(fid)),
            ap=round(fac.ap, 4),
            arcologies=len(arcs),
            population=sum(a.population for a in arcs),
        )
    world.history.append(DayRecord(day=world.day, factions=recs))


def tick(
    world: World, resolver: Resolver, agent: tuple[str, str] | None = None, check: bool = True
) -> DayReport:
    """Advance the world by one day. ``agent`` = (faction id, action name) for a controlled faction."""
    if world.finished:
        raise RuntimeError("campaign already finished")
    world.day += 1
    rngs = Rngs(world.rng_states)
    ledger = Ledger(world)
    report = DayReport(day=world.day, opening={k: dict(v) for k, v in ledger.opening.items()})

    # 1. faction AI
    if agent is not None and not world.factions[agent[0]].defeated:
        from .faction_ai import accrue_ap, assess_goals

        accrue_ap(world, agent[0])
        assess_goals(world, agent[0])
        report.agent_action_taken = perform(world, rngs, agent[0], agent[1])
    faction_ai_phase(world, rngs, agent_faction=agent[0] if agent else None)
    # 2. economy
    economy_phase(world, ledger)
    # 3. missions
    missions_phase(world)
    # 4. movement, encounters, battles, operations, yards, upkeep
    encounters = movement_phase(world)
    fought: set[str] = set()
    for node_id, fleet_ids in encounters:
        fleet_ids = [f for f in fleet_ids if f in world.fleets]
        enc = battle_mod.make_encounter(world, node_id, fleet_ids, seed64(rngs["battle"]))
        if enc is None:
            continue
        pkg = battle_mod.package(world, enc)
        if {s.team_id for s in pkg.ships} != {side.team_id for side in enc.sides}:
            continue
        for side in enc.sides:
            for fid in side.fleet_ids:
                world.fleets[fid].fought_today = True
        result = resolver.resolve(pkg)
        summary = battle_mod.apply(
            world, result, ledger=ledger, node_id=node_id, resolver=resolver.name, rngs=rngs
        )
        fought.add(node_id)
        report.battles.append(summary)
        names = " vs ".join(world.factions[s.team_id].name for s in enc.sides)
        won = world.factions[summary.winner].name if summary.winner else "no one"
        world.log(
            "battle",
            f"Battle {enc.battle_id} at {world.nodes[node_id].name} ({names}): {won} prevailed; "
            f"{len(summary.destroyed)} sunk, {len(summary.disabled)} disabled, {len(summary.captured)} captured"
            + (f"; {summary.salvage_milli // MILLI} materials salvaged" if summary.salvage_milli else ""),
            *[s.team_id for s in enc.sides],
        )
    operations_phase(world, ledger, fought)
    shipyard_phase(world, rngs, ledger)
    refit_phase(world, ledger)
    logistics_phase(world, ledger)
    # 5. governance, morale, diplomacy

    def execute(w: World, r: Rngs, d: Decision) -> bool:
        return execute_decision(w, r, ledger, d)

    governance_phase(world, rngs, execute)
    morale_phase(world)
    diplomacy_phase(world)
    # wrap-up
    weather_phase(world, rngs)
    check_defeat(world)
    record_day(world)
    if check:
        ledger.verify()
    report.flows = {fid: ledger.faction_flows(fid) for fid in sorted(world.factions)}
    world.rng_states = rngs.export()
    return report


class Campaign:
    """A world plus a resolver; ``run`` advances day by day until done."""

    def __init__(
        self, world: World, resolver: Resolver | str = "auto", check_conservation: bool = True
    ) -> None:
        self.world = world
        self.resolver = make_resolver(resolver) if isinstance(resolver, str) else resolver
        self.check = check_conservation
        self.battle_count = 0

    def step(self, agent: tuple[str, str] | None = None) -> DayReport:
        rep = tick(self.world, self.resolver, agent=agent, check=self.check)
        self.battle_count += len(rep.battles)
        return rep

    def run(self, days: int, on_day: Callable[[DayReport], None] | None = None) -> World:
        """Run up to ``days`` more days (stops early when the campaign finishes)."""
        for _ in range(days):
            if self.world.finished:
                break
            rep = self.step()
            if on_day is not None:
                on_day(rep)
        return self.world
