"""Economy phase: production chains, consumption, trade routes, supply bands.

Quantities are integer milli-units. Production efficiency is

    base × crew morale factor × facility condition × input quality
         × manager competence × supply-band efficiency (× 0.5 in legitimacy collapse)

where crew morale factor = 0.5 + 0.5 × faction effective morale and manager
competence = 0.7 + 0.6 × governor operations. Input quality is the fraction of
the recipe's inputs on hand (output is scaled down to what the inputs allow).

>>> supply_band(45.0), supply_band(20.0), supply_band(10.0), supply_band(3.0), supply_band(0.0)
('comfortable', 'adequate', 'rationing', 'critical', 'exhausted')
"""

from __future__ import annotations

from .ledger import Ledger
from .morale import effective_morale
from .tuning import SUPPLY_BANDS
from .world import MILLI, Arcology, Fleet, World

SUPPLY_RESOURCES: tuple[str, ...] = ("food", "water", "fuel")
FACILITY_ORDER: tuple[str, ...] = (
    "fuel_well",
    "salvage_yard",
    "refinery",
    "desalination",
    "kelp_farm",
    "manufactory",
)
DAYS_CAP = 999.0
"""Days of supply reported when nothing is consumed (a cap, not a tuning number)."""


def supply_band(days: float, bands: tuple[float, float, float, float] = (30.0, 15.0, 7.0, 1.0)) -> str:
    """Band of a days-of-supply figure: >30 comfortable, 15–30 adequate, 7–15 rationing,
    1–7 critical, below 1 exhausted."""
    if days > bands[0]:
        return "comfortable"
    if days >= bands[1]:
        return "adequate"
    if days >= bands[2]:
        return "rationing"
    if days >= bands[3]:
        return "critical"
    return "exhausted"


def band_index(band: str) -> int:
    return SUPPLY_BANDS.index(band)


# --------------------------------------------------------------------------- needs
def fleet_fuel_milli(world: World, fleet: Fleet) -> int:
    """Daily fuel of a fleet: base + speed factor × mass per ship while moving, ×2 in combat."""
    total = 0
    moving = bool(fleet.path)
    for sid in fleet.ship_ids:
        tpl = world.ship_templates[world.ships[sid].template]
        f = tpl.fuel_base_milli
        if moving or fleet.fought_today:
            f += int(tpl.fuel_speed_milli_per_tonne * tpl.hull.mass)
        total += f
    if fleet.fought_today:
        total *= world.tuning.combat_fuel_multiplier
    return total


def fleet_crew(world: World, fleet: Fleet) -> int:
    return sum(world.ships[s].crew_count for s in fleet.ship_ids)


def faction_needs(world: World, faction_id: str) -> dict[str, int]:
    """Daily need in milli-units of food, water and fuel for a faction."""
    t = world.tuning
    pop = sum(a.population for a in world.faction_arcologies(faction_id))
    crew = sum(fleet_crew(world, f) for f in world.faction_fleets(faction_id))
    fuel = sum(fleet_fuel_milli(world, f) for f in world.faction_fleets(faction_id))
    for arc in world.faction_arcologies(faction_id):
        for fac in arc.facilities:
            recipe = world.recipes.get(fac.kind)
            if recipe is not None:
                fuel += fac.capacity_milli * recipe.inputs.get("fuel", 0) // MILLI
    return {
        "food": (pop + crew) * t.food_per_person_milli,
        "water": (pop + crew) * t.water_per_person_milli,
        "fuel": fuel,
    }


def faction_stock(world: World, faction_id: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for arc in world.faction_arcologies(faction_id):
        for r, v in arc.stocks.items():
            out[r] = out.get(r, 0) + v
    return out


def days_of_supply(world: World, faction_id: str) -> float:
    """min over food, water, fuel of stock / daily need (capped at 999)."""
    need = faction_needs(world, faction_id)
    stock = faction_stock(world, faction_id)
    best = DAYS_CAP
    for r in SUPPLY_RESOURCES:
        if need[r] > 0:
            best = min(best, stock.get(r, 0) / need[r])
    return best


def faction_band(world: World, faction_id: str) -> str:
    return supply_band(days_of_supply(world, faction_id), world.tuning.supply_band_days)


def arcology_days(world: World, arc: Arcology, resource: str) -> float:
    t = world.tuning
    per = {"food": t.food_per_person_milli, "water": t.water_per_person_milli}.get(resource)
    if per is None or arc.population <= 0:
        return DAYS_CAP
    return arc.stocks[resource] / (arc.population * per)


# --------------------------------------------------------------------------- drawing supply
def supply_sources(world: World, faction_id: str) -> list[Arcology]:
    """Arcologies a faction draws fleet supply from: capital first, then by id."""
    arcs = world.faction_arcologies(faction_id)
    cap = world.factions[faction_id].capital
    return sorted(arcs, key=lambda a: (a.id != cap, a.id))


def draw(world: World, ledger: Ledger, faction_id: str, resource: str, amount: int, purpose: str) -> int:
    """Consume ``amount`` from the faction's arcologies (capital first). Returns amount taken."""
    left = amount
    for arc in supply_sources(world, faction_id):
        if left <= 0:
            break
        left -= ledger.consume(arc.id, resource, left, purpose)
    return amount - left


# --------------------------------------------------------------------------- production
def manager_factor(world: World, arc: Arcology) -> float:
    gov = world.people.get(arc.governor_id)
    ops = gov.competence.operations if gov is not None and gov.status == "active" else 0.3
    return 0.7 + 0.6 * ops


def produce(world: World, ledger: Ledger, arc: Arcology, band_eff: float) -> None:
    t = world.tuning
    fac_morale = 0.5 + 0.5 * effective_morale(world.factions[arc.faction_id])
    collapse = 0.5 if arc.legitimacy < t.legitimacy_collapse else 1.0
    base = fac_morale * manager_factor(world, arc) * band_eff * collapse
    order = {k: i for i, k in enumerate(FACILITY_ORDER)}
    for fac in sorted(arc.facilities, key=lambda f: (order.get(f.kind, 99), f.kind)):
        recipe = world.recipes.get(fac.kind)
        if recipe is None:
            continue
        desired = int(fac.capacity_milli * min(1.0, base * fac.condition))
        quality = 1.0
        for res, per in sorted(recipe.inputs.items()):
            need = desired * per // MILLI
            if need > 0:
                quality = min(quality, arc.stocks[res] / need)
        out = int(desired * quality)
        if out <= 0:
            continue
        for res, per in sorted(recipe.inputs.items()):
            ledger.consume(arc.id, res, out * per // MILLI, f"input:{fac.kind}")
        ledger.produce(arc.id, recipe.output, out, f"output:{fac.kind}")
        fac.condition = max(0.3, fac.condition - 0.001)


def consume_population(world: World, ledger: Ledger, arc: Arcology) -> int:
    """Population eats and drinks from its own stocks; returns unfed people."""
    t = world.tuning
    unfed = 0
    for res, per in (("food", t.food_per_person_milli), ("water", t.water_per_person_milli)):
        need = arc.population * per
        got = ledger.consume(arc.id, res, need, "population")
        if got < need:
            unfed = max(unfed, (need - got) // per)
    if unfed:
        arc.population = max(0, arc.population - max(1, unfed // 100))
    return unfed


# --------------------------------------------------------------------------- trade
def route_endpoints_ok(world: World, src: Arcology, dst: Arcology) -> bool:
    a, b = src.faction_id, dst.faction_id
    if a == b:
        return True
    return world.has_treaty(a, b, "trade") and not world.at_war(a, b)


def update_route_status(world: World) -> None:
    """open / contested (enemy fleet on the path, friendly present) / blockaded / closed."""
    present: dict[str, set[str]] = {}
    for _, fl in sorted(world.fleets.items()):
        if fl.ship_ids and fl.edge_progress == 0:
            present.setdefault(fl.node_id, set()).add(fl.faction_id)
    for _, route in sorted(world.trade_routes.items()):
        src = world.arcologies.get(route.source)
        dst = world.arcologies.get(route.dest)
        if src is None or dst is None or not route_endpoints_ok(world, src, dst):
            route.status = "closed"
            continue
        owners = {src.faction_id, dst.faction_id}
        status = "open"
        for node in [src.node_id, *route.path, dst.node_id]:
            here = present.get(node, set())
            enemies = {f for f in here if any(world.at_war(f, o) for o in owners)}
            if enemies:
                status = "contested" if here & owners else "blockaded"
                if status == "blockaded":
                    break
        route.status = status  # type: ignore[assignment]


ROUTE_FACTOR = {"open": 1.0, "contested": 0.5, "blockaded": 0.0, "closed": 0.0}


def run_trade(world: World, ledger: Ledger) -> None:
    t = world.tuning
    for _, route in sorted(world.trade_routes.items()):
        factor = ROUTE_FACTOR[route.status]
        if factor <= 0.0:
            continue
        src = world.arcologies[route.source]
        dst = world.arcologies[route.dest]
        r = route.resource
        per = {"food": t.food_per_person_milli, "water": t.water_per_person_milli}.get(r)
        if per is not None:
            surplus = src.stocks[r] - int(t.trade_reserve_days * src.population * per)
            room = int(t.trade_target_days * dst.population * per) - dst.stocks[r]
        else:
            surplus = src.stocks[r] - t.bulk_reserve_milli
            room = t.bulk_target_milli - dst.stocks[r]
        amount = min(int(route.capacity_milli * factor), surplus, room)
        if amount > 0:
            route.delivered_milli += ledger.transfer(src.id, dst.id, r, amount, f"route:{route.id}")


# --------------------------------------------------------------------------- phase
def economy_phase(world: World, ledger: Ledger) -> None:
    """Phase 2: production, population consumption, trade, facility upkeep."""
    t = world.tuning
    bands = {f: faction_band(world, f) for f in world.live_factions()}
    for fid, band in bands.items():
        log_supply_band(world, fid, band)
    for _, arc in sorted(world.arcologies.items()):
        band = bands.get(arc.faction_id, "exhausted")
        produce(world, ledger, arc, t.supply_efficiency[band_index(band)])
    for _, arc in sorted(world.arcologies.items()):
        consume_population(world, ledger, arc)
    update_route_status(world)
    run_trade(world, ledger)


def log_supply_band(world: World, fid: str, band: str) -> None:
    """Record a faction's supply band; the event log notes a fall into rationing or worse and the recovery."""
    fac = world.factions[fid]
    old, new = band_index(fac.supply_band), band_index(band)
    if new == old:
        return
    fac.supply_band = band  # type: ignore[assignment]
    rationing = band_index("rationing")
    if new > old and new >= rationing:
        days = days_of_supply(world, fid)
        world.log(
            "shortage",
            f"{fac.name}'s supplies fall to {band} ({days:.0f} days of food, water and fuel left): "
            f"production, crews and legitimacy suffer",
            fid,
        )
    elif new < rationing <= old:
        world.log("supply_recovered", f"{fac.name}'s supplies recover ({band})", fid)


def logistics_phase(world: World, ledger: Ledger) -> None:
    """Fleet upkeep after movement and battles: crew food/water and fuel (×2 if they fought)."""
    t = world.tuning
    for fid in world.live_factions():
        fac = world.factions[fid]
        short = False
        for fl in world.faction_fleets(fid):
            crew = fleet_crew(world, fl)
            for res, per in (("food", t.food_per_person_milli), ("water", t.water_per_person_milli)):
                need = crew * per
                if draw(world, ledger, fid, res, need, "fleet_upkeep") < need:
                    short = True
            need_fuel = fleet_fuel_milli(world, fl)
            if draw(world, ledger, fid, "fuel", need_fuel, "fleet_fuel") < need_fuel:
                short = True
        if short:
            fac.shortage_days += 1
