"""pydantic v2 models of arena.v1 (mirrors go/core/contract: same keys, defaults and rules).

Every field has the default the Go side gives a missing key. Values are checked for their JSON
kind while decoding; the rules of validate.go (ranges, cross-field rules) are checked when a
:class:`BattlePackage` is validated, as Go's ``BattlePackage.Validate`` does.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, ClassVar, Final, Literal

from pydantic import BaseModel, Field, ValidationInfo, model_validator

from tidebreak.contracts._base import (
    U64,
    Action7,
    Bool,
    DeferredEnum,
    GoInt,
    GoModel,
    Num,
    Str,
    Vec2,
    contract_error,
)

SCHEMA_VERSION: Final = "arena.v1"
DEFAULT_MORALE = 0.7

#: Go's zero value for an enum: invalid until set, so a missing required enum is reported as Go reports it.
_ZERO_STR: Any = ""
TRACE_VERSION = 1

SchemaVersion = Annotated[Literal["arena.v1"], DeferredEnum]
ShapeKind = Annotated[Literal["circle", "polygon"], DeferredEnum]
Material = Annotated[Literal["solid", "soft"], DeferredEnum]
ModifierType = Annotated[Literal["sensor_interference", "hazard", "current", "speed_bonus"], DeferredEnum]
CurrentsKind = Annotated[Literal["grid", "analytic"], DeferredEnum]
Precipitation = Annotated[Literal["none", "rain", "storm"], DeferredEnum]
DepthClass = Annotated[Literal["deep", "shelf", "shallows"], DeferredEnum]
ShipClass = Annotated[Literal["S", "M", "L", "XL"], DeferredEnum]
SensorType = Annotated[Literal["radar", "visual", "sonar"], DeferredEnum]
WeaponType = Annotated[Literal["gun", "torpedo", "asw"], DeferredEnum]
GuidanceKind = Annotated[Literal["unguided", "lead", "homing"], DeferredEnum]
Layer = Annotated[Literal["surface", "submerged"], DeferredEnum]
Fate = Literal["OPERATIONAL", "DISABLED", "DESTROYED", "SCUTTLED", "CAPTURED"]
CaptureMethod = Literal["BOARDED", "SURRENDERED"]

# Type-dependent defaults (defaults.go).
SENSOR_RANGE_DEFAULTS: dict[str, float] = {"radar": 12000.0, "visual": 6000.0, "sonar": 4000.0}
HOMING_DEFAULTS: dict[str, float] = {
    "turn_rate": 0.2,
    "seeker_range": 1500.0,
    "seeker_cone": 0.5235987755982988,
}
WEAPON_DEFAULTS: dict[str, dict[str, Any]] = {
    "gun": {
        "range": 6000.0,
        "cooldown_ticks": 2,
        "ammo": 120,
        "projectile": {"speed": 500.0, "damage": 6.0, "blast_radius": 0.0, "guidance": {"kind": "lead"}},
    },
    "torpedo": {
        "range": 8000.0,
        "cooldown_ticks": 10,
        "ammo": 12,
        "projectile": {
            "speed": 25.0,
            "damage": 45.0,
            "blast_radius": 0.0,
            "guidance": {"kind": "homing", **HOMING_DEFAULTS},
        },
    },
    "asw": {
        "range": 1500.0,
        "cooldown_ticks": 8,
        "ammo": 30,
        "projectile": {
            "speed": 150.0,
            "damage": 25.0,
            "blast_radius": 60.0,
            "guidance": {"kind": "unguided"},
        },
    },
}


def sensor_defaults(typ: str) -> dict[str, Any]:
    """The JSON a sensor of type ``typ`` takes for every key it omits (unknown types get range 0)."""
    return {
        "type": typ,
        "range": SENSOR_RANGE_DEFAULTS.get(typ, 0.0),
        "noise_floor": 0.0,
        "update_every_ticks": 1,
    }


def weapon_defaults(typ: str) -> dict[str, Any]:
    """The JSON a weapon of type ``typ`` takes for every key it omits; ``slot`` defaults to the type."""
    base: dict[str, Any] = {
        "slot": typ,
        "type": typ,
        "range": 0.0,
        "cooldown_ticks": 0,
        "ammo": 0,
        "projectile": {"speed": 0.0, "damage": 0.0, "blast_radius": 0.0, "guidance": {"kind": ""}},
    }
    return _merge(base, WEAPON_DEFAULTS.get(typ, {}))


def _as_mapping(v: Any) -> dict[str, Any] | None:
    if isinstance(v, dict):
        return v
    if isinstance(v, BaseModel):  # a model stands for the keys it was given
        return {name: getattr(v, name) for name in v.model_fields_set}
    return None


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Decode ``over`` on top of ``base`` as Go's json.Unmarshal does into a pre-filled struct."""
    out = dict(base)
    for k, v in over.items():
        if v is None and k in out:
            continue  # null leaves the default in place
        sub, prev = _as_mapping(v), out.get(k)
        out[k] = _merge(prev, sub) if sub is not None and isinstance(prev, dict) else v
    return out


# ---------------------------------------------------------------------------------------------
# BattlePackage
# ---------------------------------------------------------------------------------------------


class FactionContext(GoModel):
    """The strategic layer's view of a team's faction."""

    go_omit_zero: ClassVar[frozenset[str]] = frozenset({"philosophy"})

    faction_id: Str = ""
    philosophy: dict[str, Num] = Field(default_factory=dict, description="Weights, each in [0, 1].")
    tech_tags: list[Str] = Field(default_factory=list)
    morale_state: Num = Field(default=DEFAULT_MORALE, description="In [0, 1].")
    at_war_with: list[Str] = Field(default_factory=list)


class Team(GoModel):
    """One side of the battle."""

    go_omit_none: ClassVar[frozenset[str]] = frozenset({"faction_context"})

    team_id: Str = Field(default=_ZERO_STR, description="Required, unique.")
    name: Str = ""
    faction_context: FactionContext | None = None


class Bounds(GoModel):
    """The rectangle ships cannot leave; its edges are walls."""

    min_x: Num = 0.0
    min_y: Num = 0.0
    max_x: Num = Field(default=20000.0, description="> min_x.")
    max_y: Num = Field(default=20000.0, description="> min_y.")


class Shape(GoModel):
    """A circle (``radius`` > 0) or a polygon (>= 3 ``vertices``), relative to its owner's position."""

    go_omit_zero: ClassVar[frozenset[str]] = frozenset({"radius", "vertices"})

    kind: ShapeKind = Field(default=_ZERO_STR, description='"circle" or "polygon" (required).')
    radius: Num = 0.0
    vertices: list[Vec2] = Field(default_factory=list)


class Obstacle(GoModel):
    """An island, reef or wreck: solid obstacles stop ships, soft ones slow them by ``intensity``."""

    shape: Shape = Field(default_factory=Shape)
    position: Vec2 = (0.0, 0.0)
    material: Material = "solid"
    intensity: Num = Field(default=1.0, description="In [0, 1].")


class Zone(GoModel):
    """An area that modifies what happens inside it."""

    shape: Shape = Field(default_factory=Shape)
    position: Vec2 = (0.0, 0.0)
    modifier_type: ModifierType = Field(default=_ZERO_STR, description="Required.")
    intensity: Num = Field(default=1.0, description="In [0, 1].")
    vector: Vec2 = Field(default=(1.0, 0.0), description="Flow of a current zone, m/s at intensity 1.")


class Currents(GoModel):
    """Drift of the water: a grid of ``[u, v]`` cells or an analytic base vector with variance."""

    go_omit_zero: ClassVar[frozenset[str]] = frozenset({"cell_size", "cells"})

    kind: CurrentsKind = Field(default=_ZERO_STR, description='"grid" or "analytic" (required).')
    cell_size: Num = Field(default=0.0, description="Grid: > 0.")
    cells: list[list[Vec2]] = Field(default_factory=list, description="Grid: non-empty rows of equal length.")
    base_vector: Vec2 = (0.0, 0.0)
    variance: Num = Field(default=0.0, description="Analytic: >= 0.")


class Weather(GoModel):
    """Constant over a battle in arena.v1."""

    sea_state: GoInt = Field(default=1, description="In [0, 9].")
    wind_speed: Num = Field(default=5.0, description=">= 0.")
    wind_direction: Num = 0.0
    visibility_km: Num = Field(default=20.0, description="> 0.")
    precipitation: Precipitation = "none"
    fog: Bool = False
    lightning_risk: Num = Field(default=0.0, description="In [0, 1].")


class TerrainRegion(GoModel):
    """An area of one depth class."""

    shape: Shape = Field(default_factory=Shape)
    position: Vec2 = (0.0, 0.0)
    depth_class: DepthClass = Field(default=_ZERO_STR, description="Required.")


class Terrain(GoModel):
    """Depth class of the sea floor: ``default`` everywhere except inside ``regions``."""

    default: DepthClass = "deep"
    regions: list[TerrainRegion] = Field(default_factory=list)


class Map(GoModel):
    """The battle space: bounds, obstacles, zones, currents, weather and terrain."""

    go_omit_none: ClassVar[frozenset[str]] = frozenset({"currents"})

    bounds: Bounds = Field(default_factory=Bounds)
    obstacles: list[Obstacle] = Field(default_factory=list)
    zones: list[Zone] = Field(default_factory=list)
    currents: Currents | None = None
    weather: Weather = Field(default_factory=Weather)
    terrain: Terrain = Field(default_factory=Terrain)


class Hull(GoModel):
    """A ship's physical description; every value must be > 0."""

    mass: Num = 1000.0
    radius: Num = 20.0
    max_speed: Num = 15.0
    acceleration: Num = 0.5
    turn_rate: Num = 0.1
    hp: Num = 100.0


class Capabilities(GoModel):
    """Which layers a ship can reach and how fast (times > 0)."""

    can_surface: Bool = True
    can_submerge: Bool = False
    dive_time_s: Num = 30.0
    surface_time_s: Num = 20.0


class Sensor(GoModel):
    """One detector. ``range`` defaults by type: radar 12 km, visual 6 km, sonar 4 km."""

    go_omit_none: ClassVar[frozenset[str]] = frozenset({"arc"})

    type: SensorType = Field(default=_ZERO_STR, description="Required.")
    range: Num = Field(default=0.0, description="> 0; defaults by type.")
    arc: Num | None = Field(default=None, description="In (0, 2π] radians; omitted = all round.")
    noise_floor: Num = 0.0
    update_every_ticks: GoInt = Field(default=1, description=">= 1.")

    @model_validator(mode="before")
    @classmethod
    def _type_defaults(cls, data: Any) -> Any:
        if isinstance(data, dict):
            typ = data.get("type")
            return _merge(sensor_defaults(typ if isinstance(typ, str) else ""), data)
        return data


class Guidance(GoModel):
    """How a projectile steers. Homing parameters left at 0 take the torpedo seeker's
    (turn 0.2 rad/s, seeker 1500 m, cone π/6); other kinds carry no parameters."""

    go_omit_zero: ClassVar[frozenset[str]] = frozenset({"turn_rate", "seeker_range", "seeker_cone"})

    kind: GuidanceKind = Field(default=_ZERO_STR, description='"unguided", "lead" or "homing" (required).')
    turn_rate: Num = 0.0
    seeker_range: Num = 0.0
    seeker_cone: Num = 0.0

    @model_validator(mode="after")
    def _homing_rule(self) -> Guidance:
        for name, default in HOMING_DEFAULTS.items():
            if self.kind != "homing":
                setattr(self, name, 0.0)
            elif getattr(self, name) == 0:
                setattr(self, name, default)
        return self


class Projectile(GoModel):
    """What a weapon launches."""

    speed: Num = Field(default=0.0, description="> 0.")
    damage: Num = Field(default=0.0, description=">= 0.")
    guidance: Guidance = Field(default_factory=Guidance)
    blast_radius: Num = Field(default=0.0, description=">= 0.")


class Weapon(GoModel):
    """One mount; every number defaults by type (gun, torpedo, asw) and ``slot`` to the type."""

    slot: Str = Field(default=_ZERO_STR, description="Unique within the ship; defaults to the type.")
    type: WeaponType = Field(default=_ZERO_STR, description="Required.")
    range: Num = Field(default=0.0, description="> 0.")
    cooldown_ticks: GoInt = Field(default=0, description=">= 1.")
    ammo: GoInt = Field(default=0, description=">= 0.")
    projectile: Projectile = Field(default_factory=Projectile)

    @model_validator(mode="before")
    @classmethod
    def _type_defaults(cls, data: Any) -> Any:
        if isinstance(data, dict):
            typ = data.get("type")
            return _merge(weapon_defaults(typ if isinstance(typ, str) else ""), data)
        return data


class Crew(GoModel):
    """Crew size, skill and morale (all but the count in [0, 1])."""

    crew_count: GoInt = Field(default=50, description=">= 0.")
    gunnery: Num = 0.7
    engineering: Num = 0.7
    morale: Num = 0.7
    fatigue: Num = 0.0


class InitialState(GoModel):
    """Where and how a ship starts. ``hp`` defaults to hull.hp and ``ammo`` (by slot) to each weapon's."""

    go_omit_none: ClassVar[frozenset[str]] = frozenset({"hp"})
    go_omit_zero: ClassVar[frozenset[str]] = frozenset({"ammo"})

    x: Num = 0.0
    y: Num = 0.0
    heading: Num = 0.0
    speed: Num = Field(default=0.0, description="Within ±hull.max_speed.")
    layer: Layer = "surface"
    hp: Num | None = Field(default=None, description="In (0, hull.hp].")
    ammo: dict[str, GoInt] = Field(default_factory=dict, description="Keys name weapon slots; values >= 0.")


class Ship(GoModel):
    """A ShipSnapshot. Missing keys take a class-M surface ship's values."""

    ship_id: Str = Field(default=_ZERO_STR, description="Required, unique.")
    team_id: Str = Field(default=_ZERO_STR, description="Required; names a team.")
    class_: ShipClass = Field(default="M", alias="class")
    hull: Hull = Field(default_factory=Hull)
    capabilities: Capabilities = Field(default_factory=Capabilities)
    sensors: list[Sensor] = Field(default_factory=list)
    weapons: list[Weapon] = Field(default_factory=list)
    crew: Crew = Field(default_factory=Crew)
    initial_state: InitialState = Field(default_factory=InitialState)
    controller: Str = Field(default="idle", description='A scripted policy name or "agent".')


class Rules(GoModel):
    """The arena's tuning numbers (SPEC §6); a package may override any of them under ``rules``."""

    # Sensors and tracks.
    track_timeout_s: Num = Field(
        default=30.0, description="> 0. Tracks drop after this long without an update."
    )
    track_error_growth_m_s: Num = Field(
        default=5.0, description=">= 0. Track position error growth per second of age."
    )
    radar_sea_state_loss: Num = Field(
        default=0.05, description="In [0, 1]. Radar range × (1 − this × sea_state)."
    )
    radar_rain_factor: Num = Field(default=0.8, description="In [0, 1]. Radar range factor in rain.")
    radar_storm_factor: Num = Field(default=0.6, description="In [0, 1]. Radar range factor in storms.")
    radar_emission_factor: Num = Field(
        default=1.5, description="> 0. Radar emitters are heard at this × their range."
    )
    fog_visual_factor: Num = Field(default=0.3, description="In [0, 1]. Visual range factor in fog.")
    interference_strength: Num = Field(
        default=0.7, description="In [0, 1]. Range × (1 − this × zone intensity)."
    )
    lightning_blackout_ticks: GoInt = Field(default=3, description=">= 0. Sensor blackout after a strike.")
    ambient_noise_db: Num = Field(default=60.0, description=">= 0. Sonar ambient noise.")
    storm_noise_db: Num = Field(
        default=10.0, description=">= 0. Extra ambient noise in storms (half in rain)."
    )
    sea_state_noise_db: Num = Field(default=1.0, description=">= 0. Extra ambient noise per sea-state step.")
    transition_bloom_db: Num = Field(default=20.0, description=">= 0. Noise while diving or surfacing.")
    ping_loudness_db: Num = Field(default=40.0, description=">= 0. How loud an active ping makes the pinger.")
    ping_cooldown_ticks: GoInt = Field(default=5, description=">= 0. Ticks between pings.")
    torpedo_noise_db: Num = Field(default=150.0, description=">= 0. Source level of a running torpedo.")
    sonar_absorption_db_km: Num = Field(
        default=1.0, description=">= 0. Transmission loss per km beyond spreading."
    )
    detection_slope_db: Num = Field(default=3.0, description="> 0. Width of the detection-probability curve.")
    # Weapons and damage.
    crit_chance: Num = Field(default=0.1, description="In [0, 1]. Chance a hit is critical.")
    crit_duration_ticks: GoInt = Field(default=30, description=">= 0. Base critical-effect duration.")
    fire_damage_per_tick: Num = Field(default=1.0, description=">= 0. hp lost per tick on fire.")
    mobility_speed_cap: Num = Field(
        default=0.2, description="In [0, 1]. Speed cap while mobility is disabled."
    )
    misfire_scale: Num = Field(default=0.1, description="In [0, 1]. Misfire chance = this × (1 − morale).")
    hazard_damage_per_tick: Num = Field(
        default=2.0, description=">= 0. × zone intensity, class S surface ships."
    )
    heavy_sea_state: GoInt = Field(
        default=6, description="In [0, 10]. Sea state from which small craft take damage."
    )
    heavy_sea_damage: Num = Field(
        default=0.5, description=">= 0. hp per tick per sea-state step at or above it."
    )
    collision_damage_per_m_s: Num = Field(default=2.0, description=">= 0. hp per m/s of closing speed.")
    # Crew.
    surrender_hp: Num = Field(default=0.3, description="In [0, 1]. Surrender below this hp fraction...")
    surrender_morale: Num = Field(default=0.3, description="In [0, 1]. ...when morale is below this.")
    morale_loss_per_damage: Num = Field(
        default=0.5, description=">= 0. Morale lost per max-hp fraction of damage."
    )
    morale_loss_friend_lost: Num = Field(
        default=0.1, description="In [0, 1]. Morale lost when a teammate is put out."
    )
    morale_gain_kill: Num = Field(
        default=0.05, description="In [0, 1]. Morale gained when the team puts a hostile out."
    )
    # Termination.
    rout_fraction: Num = Field(
        default=1.0,
        description="In (0, 1]. A team is defeated once this fraction of its ships is out of action.",
    )


class Randomize(GoModel):
    """How a battle's start varies with its seed (applied by the arena from the seed's "spawn" stream):
    each ship's x, y and heading get uniform jitter (clamped inside the bounds), then the sea state
    moves by up to ``sea_state_delta`` within [0, 9] and visibility by up to ``visibility_jitter_km``."""

    spawn_jitter_m: Num = Field(default=0.0, description=">= 0.")
    heading_jitter_rad: Num = Field(default=0.0, description=">= 0.")
    sea_state_delta: GoInt = Field(default=0, description="In [0, 9].")
    visibility_jitter_km: Num = Field(default=0.0, description=">= 0; visibility stays at least 0.5 km.")


class BattlePackage(GoModel):
    """Everything the arena needs to simulate one battle (arena.v1).

    Validating one checks JSON kinds first (reporting only those if any are wrong), then fills
    defaults, then checks every rule of validate.go; problems carry Go's field paths.
    """

    go_omit_none: ClassVar[frozenset[str]] = frozenset({"torch_seed", "randomize"})

    schema_version: SchemaVersion = SCHEMA_VERSION
    battle_id: Str = Field(default=_ZERO_STR, description="Required.")
    seed: U64 = Field(default=0, description="> 0, u64.")
    torch_seed: U64 | None = None
    time_step_s: Num = Field(
        default=0.1, description="Substep length: > 0 and 1/time_step_s a whole number <= 1000."
    )
    time_limit_s: Num = Field(default=600.0, description=">= 1.")
    teams: list[Team] = Field(default_factory=list, description="At least one.")
    map: Map = Field(default_factory=Map)
    ships: list[Ship] = Field(default_factory=list, description="At least one.")
    rules: Rules = Field(
        default_factory=Rules, description="Tuning overrides; omitted keys keep their defaults."
    )
    randomize: Randomize | None = Field(
        default=None, description="Seeded variation of the start; omitted = none."
    )

    @model_validator(mode="before")
    @classmethod
    def _go_decode(cls, data: Any, info: ValidationInfo) -> Any:
        from tidebreak.contracts._walk import decode

        if isinstance(data, BattlePackage):
            return data
        problems: list[tuple[str, str]] = []
        out = decode(data, problems)
        if problems:
            raise contract_error(problems)
        return out

    @model_validator(mode="after")
    def _go_rules(self) -> BattlePackage:
        from tidebreak.contracts._rules import check_package

        problems = check_package(self)
        if problems:
            raise contract_error(problems)
        return self


# ---------------------------------------------------------------------------------------------
# BattleResult
# ---------------------------------------------------------------------------------------------


class FinalState(GoModel):
    """A ship's state when the battle ended."""

    x: Num = 0.0
    y: Num = 0.0
    heading: Num = 0.0
    speed: Num = 0.0
    layer: Layer = "surface"
    hp: Num = 0.0
    ammo: dict[str, GoInt] = Field(default_factory=dict)


class Consumption(GoModel):
    """What a ship spent."""

    ammo_used: dict[str, GoInt] = Field(default_factory=dict)
    fuel_used: Num = 0.0


class CrewCasualties(GoModel):
    """A ship's crew losses."""

    killed: GoInt = 0
    wounded: GoInt = 0


class ShipOutcome(GoModel):
    """One ship's fate and what it used."""

    ship_id: Str = ""
    fate: Fate = "OPERATIONAL"
    capture_method: CaptureMethod | None = None
    final_state: FinalState = Field(default_factory=FinalState)
    final_morale: Num = 0.0
    consumption: Consumption = Field(default_factory=Consumption)
    crew_casualties: CrewCasualties = Field(default_factory=CrewCasualties)


class TeamOutcome(GoModel):
    """A team's result; ``morale_delta`` lies in [-0.3, +0.2]."""

    team_id: Str = ""
    morale_delta: Num = 0.0
    ships_lost: GoInt = 0
    ships_surrendered: GoInt = 0
    decisive_victory: Bool = False


class EventSummary(GoModel):
    """Counts of what happened."""

    hits: GoInt = 0
    kills: GoInt = 0
    surrenders: GoInt = 0
    transitions: GoInt = 0
    hazard_damage: Num = 0.0
    shots_fired: GoInt = 0
    wasted_shots: GoInt = 0
    collisions: GoInt = 0


class ActionRecord(GoModel):
    """One ship's command from one tick, recorded when it differs from the previous one."""

    tick: GoInt = 0
    ship_id: Str = ""
    action: Action7 = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


class Replay(GoModel):
    """What re-simulating the battle needs beyond the package, and hashes to verify against."""

    seed: U64 = 0
    trace_version: GoInt = TRACE_VERSION
    action_log: list[ActionRecord] = Field(default_factory=list)
    action_log_hash: Str = ""
    initial_state_hash: Str = ""
    final_state_hash: Str = ""
    tick_hashes: list[Str] = Field(default_factory=list)


class BattleResult(GoModel):
    """What the arena reports after a battle."""

    go_omit_none: ClassVar[frozenset[str]] = frozenset({"torch_seed"})

    schema_version: Literal["arena.v1"] = SCHEMA_VERSION
    battle_id: Str = ""
    seed: U64 = 0
    torch_seed: U64 | None = None
    winner_team_id: Str | None = Field(default=None, description="null = draw or timeout.")
    duration_s: Num = 0.0
    ships: list[ShipOutcome] = Field(default_factory=list)
    teams: list[TeamOutcome] = Field(default_factory=list)
    event_summary: EventSummary = Field(default_factory=EventSummary)
    replay: Replay = Field(default_factory=Replay)


def default_homing() -> Guidance:
    """The torpedo seeker: turn 0.2 rad/s, 1500 m range, 30° cone."""
    return Guidance(kind="homing")


def default_sensor(typ: str) -> Sensor:
    """A sensor of type ``typ`` with every other field at its default."""
    return Sensor.model_validate({"type": typ})


def default_weapon(typ: str) -> Weapon:
    """A weapon of type ``typ`` with every other field at its default."""
    return Weapon.model_validate({"type": typ})


assert math.isclose(HOMING_DEFAULTS["seeker_cone"], math.pi / 6)
