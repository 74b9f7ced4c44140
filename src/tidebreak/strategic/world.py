"""World state of a campaign: pydantic v2 models, JSON save/load and a canonical hash.

Resources are integers in milli-units (1 unit = 1000 milli) so that the daily
accounting is exact. Every collection that is iterated is either a list kept in
a deterministic order or a dict iterated through ``sorted``.

>>> w = World(scenario="empty", seed=1)
>>> w2 = World.from_json(w.to_json())
>>> w2.state_hash() == w.state_hash()
True
>>> len(w.state_hash())
64
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tidebreak.contracts.models import Capabilities, Hull, Sensor, Weapon

from .tuning import Tuning

RESOURCES: tuple[str, ...] = ("fuel", "water", "food", "materials", "components")
MILLI = 1000

MAX_DAY = 100_000
"""Largest day number a campaign may reach (about 270 years of daily ticks)."""
MAX_MILLI = 10**15
"""Largest resource amount (milli-units) any stock, capacity or cost may hold."""
MAX_COUNT = 10**9
"""Largest population, crew or counter value."""

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
"""A fraction or probability in [0, 1]."""
Day = Annotated[int, Field(ge=0, le=MAX_DAY)]
Milli = Annotated[int, Field(ge=0, le=MAX_MILLI)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Signed = Annotated[float, Field(ge=-1.0, le=1.0)]

ShipClass = Literal["S", "M", "L", "XL"]
GovernmentType = Literal["autocracy", "corporate", "representative"]
MissionKind = Literal["destroy", "protect", "raid", "evade", "invade"]
MissionStatus = Literal["open", "assigned", "succeeded", "failed", "expired"]
TreatyKind = Literal["non_aggression", "trade", "ceasefire", "alliance"]
ShipStatus = Literal["active", "repair"]
RouteStatus = Literal["open", "contested", "blockaded", "closed"]
SupplyBand = Literal["comfortable", "adequate", "rationing", "critical", "exhausted"]


class Model(BaseModel):
    """Base: forbid unknown fields and non-finite numbers, keep assignment cheap."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def empty_stock() -> dict[str, int]:
    return {r: 0 for r in RESOURCES}


def pair_key(a: str, b: str) -> str:
    """Canonical key of an unordered faction pair.

    >>> pair_key("dominion", "accord")
    'accord|dominion'
    """
    return f"{a}|{b}" if a <= b else f"{b}|{a}"


# --------------------------------------------------------------------------- people
class Competence(Model):
    command: Unit = 0.5
    operations: Unit = 0.5
    engineering: Unit = 0.5
    intelligence: Unit = 0.5
    politics: Unit = 0.5


class Person(Model):
    id: str
    name: str
    faction_id: str
    role: Literal["leader", "governor", "captain", "executive_officer"]
    competence: Competence = Field(default_factory=Competence)
    traits: list[str] = Field(default_factory=list)
    loyalty: Unit = 0.7
    ambition: Unit = 0.3
    status: Literal["active", "dead", "prisoner"] = "active"


# --------------------------------------------------------------------------- factions
class Philosophy(Model):
    militarism: Unit = 0.5
    commercialism: Unit = 0.5
    isolationism: Unit = 0.5
    expansionism: Unit = 0.5
    traditionalism: Unit = 0.5


class BuildOrder(Model):
    ship_id: str
    template: str
    arcology_id: str
    days_left: Day


class RepairOrder(Model):
    ship_id: str
    arcology_id: str
    ready_day: Day = 0
    """Work starts on this day (a prize waits for its refit; damage repair starts at once)."""


class Faction(Model):
    id: str
    name: str
    color: str = "#888888"
    philosophy: Philosophy = Field(default_factory=Philosophy)
    tech_tags: list[str] = Field(default_factory=list)
    base_morale: Unit = 0.6
    battle_modifier: Annotated[float, Field(ge=-10.0, le=10.0)] = 0.0
    attrition_modifier: Signed = 0.0
    ap: Annotated[float, Field(ge=0.0, le=1000.0)] = 0.0
    ap_base: Annotated[float, Field(ge=0.0, le=100.0)] = 1.0
    ap_cap: Annotated[float, Field(ge=0.0, le=1000.0)] = 10.0
    capital: str = ""
    leader_id: str = ""
    goals: dict[str, float] = Field(default_factory=dict)
    build_queue: list[BuildOrder] = Field(default_factory=list)
    repair_queue: list[RepairOrder] = Field(default_factory=list)
    last_battle_day: Day | None = None
    last_battle_won: bool | None = None
    shortage_days: Day = 0
    ships_surrendered: Count = 0
    supply_band: SupplyBand = "comfortable"
    repair_stalled_day: Day | None = None
    defeated: bool = False
    defeated_day: Day | None = None
    scripted: bool = True


# --------------------------------------------------------------------------- arcologies
class InternalFaction(Model):
    id: str
    name: str
    sector: str
    share: Unit
    satisfaction: Unit = 0.5
    radicalisation: Unit = 0.1


class Facility(Model):
    kind: str
    capacity_milli: Milli
    condition: Unit = 1.0


class Decision(Model):
    id: str
    kind: str
    faction_id: str
    params: dict[str, str] = Field(default_factory=dict)
    proposed_day: Day
    due_day: Day


class Arcology(Model):
    id: str
    name: str
    faction_id: str
    node_id: str
    population: Count
    government: GovernmentType = "representative"
    legitimacy: Unit = 0.7
    internal_factions: list[InternalFaction] = Field(default_factory=list)
    facilities: list[Facility] = Field(default_factory=list)
    stocks: dict[str, Milli] = Field(default_factory=empty_stock)
    defense: Annotated[float, Field(ge=0.0, le=1e6)] = 200.0
    max_defense: Annotated[float, Field(gt=0.0, le=1e6)] = 200.0
    governor_id: str = ""
    decision_queue: list[Decision] = Field(default_factory=list)
    shipyard: bool = False
    last_coup_day: Day | None = None


# --------------------------------------------------------------------------- map
class Node(Model):
    id: str
    name: str
    kind: Literal["arcology", "port", "kelp_platform", "shipyard", "chokepoint", "open_sea"]
    position: tuple[Annotated[float, Field(ge=-1e7, le=1e7)], Annotated[float, Field(ge=-1e7, le=1e7)]] = (
        0.0,
        0.0,
    )
    owner: str | None = None
    depth: Literal["deep", "shelf", "shallows"] = "deep"
    base_sea_state: Annotated[int, Field(ge=0, le=9)] = 3
    sea_state: Annotated[int, Field(ge=0, le=9)] = 3
    visibility_km: Annotated[float, Field(ge=0.0, le=1000.0)] = 15.0
    precipitation: Literal["none", "rain", "storm"] = "none"
    fog: bool = False
    obstacles: list[dict[str, Any]] = Field(default_factory=list)


class Edge(Model):
    a: str
    b: str
    days: Annotated[int, Field(ge=1, le=365)] = 1


class Recipe(Model):
    """A production chain step: ``inputs`` are milli-units consumed per 1000 milli of output."""

    output: str
    inputs: dict[str, Milli] = Field(default_factory=dict)


class TradeRoute(Model):
    id: str
    source: str
    dest: str
    resource: str
    capacity_milli: Milli
    path: list[str] = Field(default_factory=list)
    status: RouteStatus = "open"
    delivered_milli: Milli = 0


# --------------------------------------------------------------------------- ships and fleets
class ShipTemplate(Model):
    """A class of ship the campaign fields and builds: its hull, capabilities, sensors and
    weapons are the arena.v1 contract's own models, so a template becomes a BattlePackage
    ship without translation."""

    ship_class: ShipClass
    role: str
    hull: Hull
    capabilities: Capabilities = Field(default_factory=Capabilities)
    sensors: list[Sensor] = Field(default_factory=list, max_length=32)
    weapons: list[Weapon] = Field(default_factory=list, max_length=32)
    crew_count: Annotated[int, Field(ge=1, le=100_000)] = 40
    gunnery: Unit = 0.6
    engineering: Unit = 0.6
    fuel_base_milli: Milli = 500
    fuel_speed_milli_per_tonne: Annotated[float, Field(ge=0.0, le=1e6)] = 0.5
    build_cost_milli: dict[str, Milli] = Field(default_factory=dict)
    build_days: Annotated[int, Field(ge=1, le=3650)] = 20


class Ship(Model):
    id: str
    name: str
    template: str
    faction_id: str
    fleet_id: str | None = None
    status: ShipStatus = "active"
    hp: Annotated[float, Field(ge=0.0, le=1e7)]
    max_hp: Annotated[float, Field(gt=0.0, le=1e7)]
    crew_count: Count
    wounded: Count = 0
    gunnery: Unit = 0.6
    engineering: Unit = 0.6
    ammo: dict[str, Count] = Field(default_factory=dict)
    captain_id: str = ""


class LostShip(Model):
    id: str
    faction_id: str
    day: Day
    fate: str
    battle_id: str = ""


class Fleet(Model):
    id: str
    name: str
    faction_id: str
    node_id: str
    path: list[str] = Field(default_factory=list)
    edge_progress: Day = 0
    mission_id: str | None = None
    ship_ids: list[str] = Field(default_factory=list)
    fought_today: bool = False


class Mission(Model):
    id: str
    faction_id: str
    kind: MissionKind
    target_node: str
    target_fleet: str | None = None
    target_arcology: str | None = None
    fleet_id: str | None = None
    status: MissionStatus = "open"
    priority: Annotated[float, Field(ge=0.0, le=100.0)] = 1.0
    created_day: Day
    deadline_day: Day
    progress: Day = 0
    source: str = "problem"


class Treaty(Model):
    id: str
    kind: TreatyKind
    parties: list[str] = Field(min_length=2, max_length=2)
    start_day: Day
    end_day: Day | None = None


# --------------------------------------------------------------------------- records
class Event(Model):
    day: Day
    kind: str
    text: str
    factions: list[str] = Field(default_factory=list)


class FactionDay(Model):
    morale: float
    legitimacy: float
    stocks: dict[str, int]
    supply_days: float
    fleet_strength: float
    ships: int
    ap: float
    arcologies: int
    population: int


class DayRecord(Model):
    day: Day
    factions: dict[str, FactionDay]


class BattleRecord(Model):
    battle_id: str
    day: Day
    node_id: str
    teams: dict[str, str]
    winner_faction: str | None
    ships_lost: dict[str, int]
    resolver: str


# --------------------------------------------------------------------------- world
class World(Model):
    """The whole campaign state. Everything needed to resume lives here."""

    schema_version: str = "tidebreak.strategic.v2"
    scenario: str
    seed: Annotated[int, Field(ge=0, lt=2**64)]
    day: Day = 0
    day_limit: Day = 365
    tuning: Tuning = Field(default_factory=Tuning)
    factions: dict[str, Faction] = Field(default_factory=dict)
    arcologies: dict[str, Arcology] = Field(default_factory=dict)
    nodes: dict[str, Node] = Field(default_factory=dict)
    edges: list[Edge] = Field(default_factory=list)
    recipes: dict[str, Recipe] = Field(default_factory=dict)
    ship_templates: dict[str, ShipTemplate] = Field(default_factory=dict)
    ships: dict[str, Ship] = Field(default_factory=dict)
    lost_ships: list[LostShip] = Field(default_factory=list)
    fleets: dict[str, Fleet] = Field(default_factory=dict)
    people: dict[str, Person] = Field(default_factory=dict)
    trade_routes: dict[str, TradeRoute] = Field(default_factory=dict)
    missions: dict[str, Mission] = Field(default_factory=dict)
    treaties: list[Treaty] = Field(default_factory=list)
    wars: list[str] = Field(default_factory=list)
    dispositions: dict[str, Signed] = Field(default_factory=dict)
    counters: dict[str, Count] = Field(default_factory=dict)
    rng_states: dict[str, dict[str, Any]] = Field(default_factory=dict)
    events: list[Event] = Field(default_factory=list)
    history: list[DayRecord] = Field(default_factory=list)
    battles: list[BattleRecord] = Field(default_factory=list)
    principals: list[str] = Field(default_factory=list)
    finished: bool = False
    winner: str | None = None

    # ---------------------------------------------------------------- ids and log
    def next_id(self, prefix: str) -> str:
        """Deterministic sequential id: ``next_id("S") -> "S0001"``."""
        n = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = n
        return f"{prefix}{n:04d}"

    def log(self, kind: str, text: str, *factions: str) -> None:
        self.events.append(Event(day=self.day, kind=kind, text=text, factions=sorted(factions)))

    # ---------------------------------------------------------------- queries
    def live_factions(self) -> list[str]:
        return [f for f in sorted(self.factions) if not self.factions[f].defeated]

    def faction_arcologies(self, faction_id: str) -> list[Arcology]:
        return [a for _, a in sorted(self.arcologies.items()) if a.faction_id == faction_id]

    def faction_fleets(self, faction_id: str) -> list[Fleet]:
        return [f for _, f in sorted(self.fleets.items()) if f.faction_id == faction_id]

    def at_war(self, a: str, b: str) -> bool:
        return a != b and pair_key(a, b) in self.wars

    def disposition(self, a: str, b: str) -> float:
        return self.dispositions.get(pair_key(a, b), 0.0)

    def has_treaty(self, a: str, b: str, kind: str) -> bool:
        parties = sorted((a, b))
        return any(t.kind == kind and t.parties == parties for t in self.treaties)

    def neighbours(self, node_id: str) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        for e in self.edges:
            if e.a == node_id:
                out.append((e.b, e.days))
            elif e.b == node_id:
                out.append((e.a, e.days))
        return sorted(out)

    def edge_days(self, a: str, b: str) -> int:
        for e in self.edges:
            if (e.a == a and e.b == b) or (e.a == b and e.b == a):
                return e.days
        raise KeyError(f"no edge {a}-{b}")

    def arcology_at(self, node_id: str) -> Arcology | None:
        for _, a in sorted(self.arcologies.items()):
            if a.node_id == node_id:
                return a
        return None

    # ---------------------------------------------------------------- persistence
    def canonical_json(self) -> str:
        """Sorted-key, compact JSON of the whole state (the hash input)."""
        return json.dumps(
            self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), allow_nan=False
        )

    def state_hash(self) -> str:
        """sha256 hex digest of :meth:`canonical_json`."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    def to_json(self) -> str:
        return self.canonical_json()

    @classmethod
    def from_json(cls, text: str) -> World:
        return cls.model_validate(json.loads(text))

    def save(self, path: str | Path) -> None:
        """Write a campaign save atomically (:func:`tidebreak.strategic.save.save_world`)."""
        from .save import save_world

        save_world(self, path)

    @classmethod
    def load(cls, path: str | Path, verify: bool = True) -> World:
        """Read a campaign save, checked (:func:`tidebreak.strategic.save.load_world`)."""
        from .save import load_world

        return load_world(path, verify=verify)
