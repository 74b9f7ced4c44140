"""Scenarios: JSON data under ``data/`` turned into a seeded :class:`World`.

The seed drives the cast (leaders, governors, captains and their traits), the
starting weather and every later random draw (see :mod:`.rng`).

>>> w = build_world("accord_vs_dominion", seed=7)
>>> sorted(w.factions)
['accord', 'dominion', 'freeholds']
>>> build_world("accord_vs_dominion", seed=7).state_hash() == w.state_hash()
True
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .people import make_person
from .rng import Rngs, initial_states
from .shipyard import new_ship
from .tuning import Tuning
from .world import (
    MILLI,
    Arcology,
    Edge,
    Facility,
    Faction,
    Fleet,
    InternalFaction,
    Node,
    Philosophy,
    Recipe,
    ShipTemplate,
    TradeRoute,
    Treaty,
    World,
    pair_key,
)

DEFAULT_SCENARIO = "accord_vs_dominion"


class Overrides(BaseModel):
    """Knobs for experiments and property tests."""

    model_config = ConfigDict(extra="forbid")

    stock_scale: float = 1.0
    production_scale: float = 1.0
    disposition_shift: float = 0.0
    extra_ships: int = 0
    day_limit: int | None = None
    tuning: dict[str, Any] = Field(default_factory=dict)


def list_scenarios() -> list[str]:
    files = resources.files("tidebreak.strategic").joinpath("data")
    return sorted(p.name[:-5] for p in files.iterdir() if p.name.endswith(".json"))


def load_scenario(name_or_path: str) -> dict[str, Any]:
    """Load a shipped scenario by name or any scenario JSON by path."""
    p = Path(name_or_path)
    if p.suffix == ".json" and p.exists():
        data: dict[str, Any] = json.loads(p.read_text(encoding="utf-8"))
        return data
    text = (
        resources.files("tidebreak.strategic")
        .joinpath("data", f"{name_or_path}.json")
        .read_text(encoding="utf-8")
    )
    out: dict[str, Any] = json.loads(text)
    return out


def _units(d: dict[str, float], scale: float = 1.0) -> dict[str, int]:
    return {k: int(round(v * MILLI * scale)) for k, v in d.items()}


def build_world(
    scenario: str | dict[str, Any] = DEFAULT_SCENARIO,
    seed: int = 0,
    overrides: Overrides | dict[str, Any] | None = None,
) -> World:
    data = load_scenario(scenario) if isinstance(scenario, str) else scenario
    ov = overrides if isinstance(overrides, Overrides) else Overrides.model_validate(overrides or {})
    tuning = Tuning.model_validate({**data.get("tuning", {}), **ov.tuning})
    world = World(
        scenario=data["name"],
        seed=int(seed),
        day_limit=ov.day_limit or int(data.get("day_limit", 365)),
        tuning=tuning,
    )
    world.rng_states = initial_states(seed)
    rngs = Rngs(world.rng_states)
    gen = rngs["people"]
    world.recipes = {k: Recipe.model_validate(v) for k, v in sorted(data["recipes"].items())}
    world.ship_templates = {}
    for name, tpl in sorted(data["ship_templates"].items()):
        t = dict(tpl)
        t["build_cost_milli"] = _units(t.pop("build_cost", {}))
        world.ship_templates[name] = ShipTemplate.model_validate(t)
    for n in data["nodes"]:
        node = Node.model_validate(n)
        node.sea_state = node.base_sea_state
        world.nodes[node.id] = node
    world.edges = [Edge.model_validate(e) for e in data["edges"]]
    for f in data["factions"]:
        fac = Faction(
            id=f["id"],
            name=f["name"],
            color=f.get("color", "#888888"),
            philosophy=Philosophy.model_validate(f["philosophy"]),
            tech_tags=list(f.get("tech_tags", [])),
            base_morale=f.get("base_morale", 0.6),
            ap_base=f.get("ap_base", 1.0),
            ap_cap=f.get("ap_cap", 10.0),
            capital=f["capital"],
        )
        leader = make_person(world, gen, fac.id, "leader", f.get("leader_skill", 0.6))
        fac.leader_id = leader.id
        world.factions[fac.id] = fac
    for a in data["arcologies"]:
        arc = Arcology(
            id=a["id"],
            name=a["name"],
            faction_id=a["faction"],
            node_id=a["node"],
            population=int(a["population"]),
            government=a["government"],
            legitimacy=a.get("legitimacy", 0.65),
            internal_factions=[InternalFaction.model_validate(i) for i in a.get("internal_factions", [])],
            facilities=[
                Facility(kind=k, capacity_milli=int(round(v * MILLI * ov.production_scale)))
                for k, v in sorted(a.get("facilities", {}).items())
            ],
            stocks={
                **{r: 0 for r in ("fuel", "water", "food", "materials", "components")},
                **_units(a.get("stocks", {}), ov.stock_scale),
            },
            defense=a.get("defense", 200.0),
            max_defense=a.get("defense", 200.0),
            shipyard=a.get("shipyard", False),
        )
        arc.governor_id = make_person(world, gen, arc.faction_id, "governor", 0.55).id
        world.arcologies[arc.id] = arc
        world.nodes[arc.node_id].owner = arc.faction_id
    for fl in data["fleets"]:
        fleet = Fleet(id=fl["id"], name=fl["name"], faction_id=fl["faction"], node_id=fl["node"])
        world.fleets[fleet.id] = fleet
        for tpl in fl["ships"]:
            ship = new_ship(world, rngs, fleet.faction_id, tpl)
            ship.fleet_id = fleet.id
            fleet.ship_ids.append(ship.id)
    for i in range(ov.extra_ships):
        fleet = world.fleets[sorted(world.fleets)[i % len(world.fleets)]]
        ship = new_ship(
            world, rngs, fleet.faction_id, sorted(world.ship_templates)[i % len(world.ship_templates)]
        )
        ship.fleet_id = fleet.id
        fleet.ship_ids.append(ship.id)
    for r in data.get("trade_routes", []):
        route = TradeRoute(
            id=r["id"],
            source=r["source"],
            dest=r["dest"],
            resource=r["resource"],
            capacity_milli=int(r["capacity"] * MILLI),
            path=list(r.get("path", [])),
        )
        world.trade_routes[route.id] = route
    for d in data.get("dispositions", []):
        world.dispositions[pair_key(d["a"], d["b"])] = max(-1.0, min(1.0, d["value"] + ov.disposition_shift))
    fids = sorted(world.factions)
    for i, a in enumerate(fids):
        for b in fids[i + 1 :]:
            world.dispositions.setdefault(pair_key(a, b), 0.0)
    world.wars = sorted(pair_key(a, b) for a, b in data.get("wars", []))
    for t in data.get("treaties", []):
        world.treaties.append(
            Treaty(id=world.next_id("T"), kind=t["kind"], parties=sorted(t["parties"]), start_day=0)
        )
    world.principals = [p for p in data.get("principals", fids) if p in world.factions]
    world.rng_states = rngs.export()
    world.log("start", f"Campaign '{world.scenario}' begins (seed {seed})", *fids)
    return world
