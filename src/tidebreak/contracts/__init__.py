"""arena.v1 contracts: pydantic v2 models of BattlePackage and BattleResult that agree with the
Go side (go/core/contract) on keys, defaults, validation rules, error paths and JSON output.

>>> from tidebreak.contracts import parse_package
>>> pkg = parse_package({"battle_id": "b", "seed": 1, "teams": [{"team_id": "t"}],
...                      "ships": [{"ship_id": "s", "team_id": "t", "weapons": [{"type": "torpedo"}]}]})
>>> pkg.ships[0].weapons[0].projectile.guidance.seeker_range
1500.0
>>> parse_package({"battle_id": "b", "seed": 0})
Traceback (most recent call last):
...
tidebreak.contracts._api.ContractError: 3 problems: seed: must be > 0; teams: must list at least one team; ships: must list at least one ship

Importing this module loads no native library.
"""

from __future__ import annotations

from tidebreak.contracts._api import (
    ContractError,
    UnknownFieldWarning,
    dump_package,
    format_errors,
    load_json,
    package_schema,
    parse_package,
    parse_result,
    problems_of,
    result_schema,
    unknown_fields,
)
from tidebreak.contracts._rules import check_package
from tidebreak.contracts.models import (
    DEFAULT_MORALE,
    HOMING_DEFAULTS,
    SCHEMA_VERSION,
    SENSOR_RANGE_DEFAULTS,
    TRACE_VERSION,
    WEAPON_DEFAULTS,
    ActionRecord,
    BattlePackage,
    BattleResult,
    Bounds,
    Capabilities,
    Consumption,
    Crew,
    CrewCasualties,
    Currents,
    EventSummary,
    FactionContext,
    FinalState,
    Guidance,
    Hull,
    InitialState,
    Map,
    Obstacle,
    Projectile,
    Randomize,
    Replay,
    Rules,
    Sensor,
    Shape,
    Ship,
    ShipOutcome,
    Team,
    TeamOutcome,
    Terrain,
    TerrainRegion,
    Weapon,
    Weather,
    Zone,
    default_homing,
    default_sensor,
    default_weapon,
    sensor_defaults,
    weapon_defaults,
)

__all__ = [
    "ActionRecord", "BattlePackage", "BattleResult", "Bounds", "Capabilities", "Consumption",
    "ContractError", "Crew", "CrewCasualties", "Currents", "DEFAULT_MORALE", "EventSummary",
    "FactionContext", "FinalState", "Guidance", "HOMING_DEFAULTS", "Hull", "InitialState", "Map",
    "Obstacle", "Projectile", "Randomize", "Replay", "Rules", "SCHEMA_VERSION", "SENSOR_RANGE_DEFAULTS", "Sensor", "Shape",
    "Ship", "ShipOutcome", "TRACE_VERSION", "Team", "TeamOutcome", "Terrain", "TerrainRegion",
    "UnknownFieldWarning", "WEAPON_DEFAULTS", "Weapon", "Weather", "Zone", "check_package",
    "default_homing", "default_sensor", "default_weapon", "dump_package", "format_errors",
    "load_json", "package_schema", "parse_package", "parse_result", "problems_of", "result_schema",
    "sensor_defaults", "unknown_fields", "weapon_defaults",
]  # fmt: skip
