"""tidebreak.contracts against the shared corpus, the JSON schema, a round-trip property, and
(where a Go toolchain is present) against go/core/contract itself on generated documents.

Regenerate the Python-normalised forms after changing the models or the corpus:

    PYTHONPATH=src python tests/py/test_contracts.py --regenerate
"""

from __future__ import annotations

import copy
import json
import math
import os
import random
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tidebreak.contracts import (
    BattlePackage,
    BattleResult,
    Bounds,
    Capabilities,
    ContractError,
    Crew,
    Currents,
    FactionContext,
    Guidance,
    Hull,
    InitialState,
    Map,
    Obstacle,
    Projectile,
    Randomize,
    Rules,
    Sensor,
    Shape,
    Ship,
    Team,
    Terrain,
    TerrainRegion,
    UnknownFieldWarning,
    Weapon,
    Weather,
    Zone,
    format_errors,
    package_schema,
    parse_package,
    parse_result,
    problems_of,
    result_schema,
    unknown_fields,
)
from tidebreak.contracts._base import GO_CONTEXT

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "testdata" / "packages"
VALID = sorted(p for p in (CORPUS / "valid").glob("*.json") if not p.name.endswith(".normalized.json"))
INVALID = sorted((CORPUS / "invalid").glob("*.json"))


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def normalized(pkg: BattlePackage) -> Any:
    """The form stored in valid/NAME.normalized.json (and compared with Go's json.Marshal)."""
    return pkg.model_dump(mode="json", exclude_none=True)


def parse_quietly(data: Any) -> BattlePackage:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownFieldWarning)
        return parse_package(data)


def same_json(a: Any, b: Any) -> bool:
    """JSON equality with numbers compared by value (100 == 100.0) but booleans kept apart."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, float) or isinstance(
        b, float
    ):  # as float64 values (Go writes 2^64 as 18446744073709552000)
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and float(a) == float(b)
    return bool(a == b)


def expectation(path: Path) -> list[str]:
    lines = path.with_suffix(".expect").read_text().splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


# ------------------------------------------------------------------------------------------
# Corpus
# ------------------------------------------------------------------------------------------


def test_corpus_size() -> None:
    assert len(VALID) >= 8
    assert len(INVALID) >= 15
    for p in INVALID:
        assert p.with_suffix(".expect").is_file(), p


@pytest.mark.parametrize("path", VALID, ids=_ids(VALID))
def test_valid_matches_normalized(path: Path) -> None:
    pkg = parse_quietly(path.read_bytes())
    want = json.loads(path.with_name(path.stem + ".normalized.json").read_text())
    assert same_json(normalized(pkg), want)
    # Without exclude_none the dump is the same: Go's omitempty is built into the models.
    assert same_json(pkg.model_dump(mode="json"), want)
    # The normalised form is a fixed point.
    again = parse_quietly(json.dumps(want))
    assert again == pkg
    assert same_json(normalized(again), want)


@pytest.mark.parametrize("path", VALID, ids=_ids(VALID))
def test_valid_unknown_fields(path: Path) -> None:
    listed = path.with_suffix(".unknown")
    want = [ln for ln in listed.read_text().splitlines() if ln.strip()] if listed.exists() else []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parse_package(path.read_text())
    unknown = [w.message for w in caught if issubclass(w.category, UnknownFieldWarning)]
    if want:
        assert len(unknown) == 1 and isinstance(unknown[0], UnknownFieldWarning)
        assert unknown[0].paths == want
    else:
        assert unknown == []
    assert unknown_fields(path.read_text()) == want


@pytest.mark.parametrize("path", INVALID, ids=_ids(INVALID))
def test_invalid_reports_go_paths(path: Path) -> None:
    with pytest.raises(ContractError) as info:
        parse_quietly(path.read_bytes())
    err = info.value
    want = expectation(path)
    if want == ["invalid JSON"]:
        assert [p for p, _ in err.problems] == [""]
        assert str(err).startswith("invalid JSON")
        return
    assert sorted(set(err.paths)) == sorted(set(want)), str(err)
    for p, msg in err.problems:
        assert msg and str(err).count(p) >= 1


@pytest.mark.parametrize("path", [p for p in INVALID if p.stem != "malformed_json"], ids=lambda p: p.stem)
def test_format_errors_matches_contract_error(path: Path) -> None:
    data = json.loads(path.read_text())
    with pytest.raises(ValidationError) as info:
        BattlePackage.model_validate(data, context={GO_CONTEXT: True})
    lines = format_errors(info.value)
    with pytest.raises(ContractError) as cinfo:
        parse_package(data)
    assert lines == [f"{p}: {m}" for p, m in cinfo.value.problems]


# ------------------------------------------------------------------------------------------
# Behaviour details
# ------------------------------------------------------------------------------------------


def minimal(**kw: Any) -> dict[str, Any]:
    d: dict[str, Any] = {
        "battle_id": "b",
        "seed": 1,
        "teams": [{"team_id": "t"}],
        "ships": [{"ship_id": "s", "team_id": "t"}],
    }
    d.update(kw)
    return d


def test_defaults_match_go() -> None:
    pkg = parse_package(minimal())
    assert pkg.schema_version == "arena.v1" and pkg.time_step_s == 0.1 and pkg.time_limit_s == 600
    assert pkg.map.bounds == Bounds(min_x=0, min_y=0, max_x=20000, max_y=20000)
    assert pkg.map.weather == Weather(sea_state=1, wind_speed=5, visibility_km=20, precipitation="none")
    assert pkg.map.terrain.default == "deep" and pkg.map.currents is None
    s = pkg.ships[0]
    assert (s.class_, s.controller, s.initial_state.layer) == ("M", "idle", "surface")
    assert s.hull == Hull(mass=1000, radius=20, max_speed=15, acceleration=0.5, turn_rate=0.1, hp=100)
    assert s.capabilities == Capabilities(
        can_surface=True, can_submerge=False, dive_time_s=30, surface_time_s=20
    )
    assert s.crew == Crew(crew_count=50, gunnery=0.7, engineering=0.7, morale=0.7, fatigue=0)
    assert pkg.rules.track_timeout_s == 30 and pkg.rules.heavy_sea_state == 6


def test_partial_objects_merge_with_defaults() -> None:
    pkg = parse_package(
        minimal(map={"bounds": {"max_x": 500}, "weather": {"fog": True}}, rules={"crit_chance": 0.5})
    )
    assert pkg.map.bounds.max_x == 500 and pkg.map.bounds.max_y == 20000
    assert pkg.map.weather.fog and pkg.map.weather.visibility_km == 20
    assert pkg.rules.crit_chance == 0.5 and pkg.rules.surrender_hp == 0.3


def test_type_dependent_defaults() -> None:
    ship = {
        "ship_id": "s",
        "team_id": "t",
        "sensors": [{"type": "radar"}, {"type": "visual"}, {"type": "sonar"}],
        "weapons": [
            {"type": "gun"},
            {"type": "torpedo"},
            {"type": "asw", "projectile": {"damage": 30}},
            {"slot": "g2", "type": "gun", "projectile": {"guidance": {"kind": "homing", "turn_rate": 0.4}}},
            {"slot": "t2", "type": "torpedo", "projectile": {"guidance": {"kind": "lead"}}},
        ],
    }
    s = parse_package(minimal(ships=[ship])).ships[0]
    assert [x.range for x in s.sensors] == [12000, 6000, 4000]
    assert all(x.update_every_ticks == 1 and x.arc is None for x in s.sensors)
    gun, torp, asw, g2, t2 = s.weapons
    assert (gun.slot, gun.range, gun.cooldown_ticks, gun.ammo) == ("gun", 6000, 2, 120)
    assert (gun.projectile.speed, gun.projectile.damage, gun.projectile.guidance.kind) == (500, 6, "lead")
    assert (torp.range, torp.cooldown_ticks, torp.ammo, torp.projectile.speed) == (8000, 10, 12, 25)
    assert torp.projectile.guidance == Guidance(
        kind="homing", turn_rate=0.2, seeker_range=1500, seeker_cone=math.pi / 6
    )
    assert (asw.projectile.damage, asw.projectile.speed, asw.projectile.blast_radius) == (30, 150, 60)
    assert g2.projectile.guidance == Guidance(
        kind="homing", turn_rate=0.4, seeker_range=1500, seeker_cone=math.pi / 6
    )
    assert g2.projectile.speed == 500  # the gun's, the homing only fills the guidance
    assert t2.projectile.guidance == Guidance(kind="lead")
    assert t2.model_dump(mode="json")["projectile"]["guidance"] == {"kind": "lead"}


def test_null_in_directly_validated_models() -> None:
    w = Weapon.model_validate({"type": "torpedo", "projectile": None, "range": None})
    assert w == Weapon(type="torpedo")
    assert Sensor.model_validate({"type": "radar", "arc": None, "range": None}).range == 12000


def test_null_keeps_defaults_and_clears_pointers() -> None:
    pkg = parse_package(
        minimal(
            torch_seed=None,
            map={
                "weather": None,
                "zones": [
                    {
                        "shape": {"kind": "circle", "radius": 1},
                        "modifier_type": "current",
                        "vector": [None, 2],
                    }
                ],
            },
        )
    )
    assert pkg.torch_seed is None and pkg.map.weather == Weather()
    assert pkg.map.zones[0].vector == (1.0, 2.0)


def test_go_json_output_shape() -> None:
    out = parse_package(minimal()).model_dump(mode="json")
    assert "torch_seed" not in out and "currents" not in out["map"]
    assert out["map"]["obstacles"] is None and out["map"]["terrain"]["regions"] is None  # Go's nil slices
    assert out["ships"][0]["sensors"] is None and "hp" not in out["ships"][0]["initial_state"]
    assert out["ships"][0]["class"] == "M"
    explicit = parse_package(minimal(map={"obstacles": []})).model_dump(mode="json")
    assert explicit["map"]["obstacles"] == []
    shape = Shape(kind="circle", radius=3).model_dump(mode="json")
    assert shape == {"kind": "circle", "radius": 3.0}


def test_unknown_field_warning() -> None:
    doc = minimal(extra_top=1, map={"bounds": {"max_x": 100, "wrap": True}})
    doc["ships"][0]["hull"] = {"hp": 5, "armour": 2}
    doc["ships"][0]["initial_state"] = {"x": 1, "y": 1, "ammo": {}}
    with pytest.warns(UnknownFieldWarning) as rec:
        pkg = parse_package(json.dumps(doc))
    assert rec[0].message.paths == ["extra_top", "map.bounds.wrap", "ships[0].hull.armour"]  # type: ignore[union-attr]
    assert "armour" not in json.dumps(pkg.model_dump(mode="json"))


def test_error_messages_match_go_wording() -> None:
    doc = minimal(seed=0, time_step_s=0.3)
    doc["ships"][0]["hull"] = {"max_speed": -1.5}
    doc["ships"][0]["class"] = "Q"
    with pytest.raises(ContractError) as info:
        parse_package(doc)
    assert info.value.problems == [
        ("seed", "must be > 0"),
        ("time_step_s", "must divide 1.0 into at most 1000 substeps (got 0.3)"),
        ("ships[0].class", 'must be one of "S", "M", "L", "XL" (got "Q")'),
        ("ships[0].hull.max_speed", "must be > 0 (got -1.5)"),
        ("ships[0].initial_state.speed", "must be within ±hull.max_speed (got 0)"),
    ]
    assert str(info.value).startswith("5 problems: seed: must be > 0; time_step_s:")
    with pytest.raises(ContractError) as info:
        parse_package('{"seed": 1.5, "teams": 3, "map": {"bounds": {"min_x": "0"}}}')
    assert info.value.problems == [
        ("map.bounds.min_x", "must be a number (got a string)"),
        ("seed", "must be an integer (got 1.5)"),
        ("teams", "must be an array (got a number)"),
    ]


def test_kind_errors_stop_before_rules() -> None:
    # As in Go: with any JSON kind wrong, only the kind problems are reported.
    with pytest.raises(ContractError) as info:
        parse_package(minimal(seed=0, battle_id=5))
    assert info.value.problems == [("battle_id", "must be a string (got a number)")]


def test_model_validate_without_go_context() -> None:
    # Validating a model directly gives the same paths (enums checked while decoding).
    bad = minimal()
    bad["ships"][0]["initial_state"] = {"layer": "airborne"}
    with pytest.raises(ValidationError) as info:
        BattlePackage.model_validate(bad)
    assert [p for p, _ in problems_of(info.value)] == ["ships[0].initial_state.layer"]


def test_parse_package_accepts_models_and_bytes() -> None:
    pkg = parse_package(minimal())
    assert parse_package(pkg) == pkg
    assert parse_package(json.dumps(minimal()).encode()) == pkg
    built = BattlePackage(
        battle_id="b", seed=1, teams=[Team(team_id="t")], ships=[Ship(ship_id="s", team_id="t")]
    )
    assert built == pkg


def test_big_seed_is_exact() -> None:
    pkg = parse_package(minimal(seed=2**64 - 1, torch_seed=2**63))
    assert pkg.seed == 18446744073709551615
    assert json.loads(json.dumps(pkg.model_dump(mode="json")))["seed"] == 2**64 - 1
    with pytest.raises(ContractError) as info:
        parse_package(minimal(seed=2**64))
    assert info.value.problems == [("seed", "integer out of range (got 18446744073709551616)")]


def test_schema_export() -> None:
    schema = package_schema()
    text = json.dumps(schema)
    assert schema["title"] == "BattlePackage"
    for key in ("seed", "teams", "map", "ships", "rules", "time_step_s"):
        assert key in schema["properties"]
    defs = schema["$defs"]
    for name in ("Ship", "Hull", "Weapon", "Guidance", "Shape", "Currents", "Weather", "Rules"):
        assert name in defs
    assert defs["Shape"]["properties"]["kind"]["enum"] == ["circle", "polygon"]
    assert defs["Ship"]["properties"]["class"]["enum"] == ["S", "M", "L", "XL"]
    assert defs["Hull"]["properties"]["max_speed"]["default"] == 15.0
    assert "Infinity" not in text
    assert "BattleResult" == result_schema()["title"]


def test_result_round_trip() -> None:
    doc = {
        "schema_version": "arena.v1",
        "battle_id": "b",
        "seed": 3,
        "winner_team_id": None,
        "duration_s": 12.5,
        "ships": [
            {
                "ship_id": "s",
                "fate": "CAPTURED",
                "capture_method": "BOARDED",
                "final_state": {
                    "x": 1,
                    "y": 2,
                    "heading": 0,
                    "speed": 0,
                    "layer": "surface",
                    "hp": 4,
                    "ammo": {"gun": 3},
                },
                "final_morale": 0.2,
                "consumption": {"ammo_used": {"gun": 9}, "fuel_used": 1.5},
                "crew_casualties": {"killed": 2, "wounded": 5},
            }
        ],
        "teams": [
            {
                "team_id": "t",
                "morale_delta": -0.3,
                "ships_lost": 1,
                "ships_surrendered": 1,
                "decisive_victory": False,
            }
        ],
        "event_summary": {
            "hits": 4,
            "kills": 0,
            "surrenders": 1,
            "transitions": 0,
            "hazard_damage": 0,
            "shots_fired": 10,
            "wasted_shots": 2,
            "collisions": 0,
        },
        "replay": {
            "seed": 3,
            "trace_version": 1,
            "action_log": [{"tick": 0, "ship_id": "s", "action": [1, 0, 0, 0, 0, 0, 0]}],
            "action_log_hash": "ab",
            "initial_state_hash": "cd",
            "final_state_hash": "ef",
            "tick_hashes": ["x"],
        },
    }
    res = parse_result(json.dumps(doc))
    assert isinstance(res, BattleResult)
    assert same_json(res.model_dump(mode="json"), doc)
    assert res.model_dump(mode="json", exclude_none=True)["winner_team_id"] is None  # Go writes null
    # Go writes nil slices and maps as null; they read back as empty and are written as null again.
    nil = {**doc, "teams": None, "replay": {**doc["replay"], "action_log": None, "tick_hashes": None}}
    nil_res = parse_result(json.dumps(nil))
    assert nil_res.teams == [] and nil_res.replay.action_log == []
    assert same_json(nil_res.model_dump(mode="json"), nil)
    with pytest.raises(ContractError) as info:
        parse_result({**doc, "duration_s": "long"})
    assert info.value.paths == ["duration_s"]


# ------------------------------------------------------------------------------------------
# Round-trip property
# ------------------------------------------------------------------------------------------

IDENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=6)
COORD = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
POS = st.floats(min_value=1e-3, max_value=1e5)
UNIT = st.floats(min_value=0, max_value=1)
VEC = st.tuples(COORD, COORD)
SMALL = st.integers(min_value=0, max_value=2**31)


@st.composite
def shapes(draw: st.DrawFn) -> Shape:
    if draw(st.booleans()):
        return Shape(kind="circle", radius=draw(POS))
    return Shape(kind="polygon", vertices=draw(st.lists(VEC, min_size=3, max_size=6)))


@st.composite
def currents(draw: st.DrawFn) -> Currents | None:
    choice = draw(st.sampled_from(["none", "grid", "analytic"]))
    if choice == "none":
        return None
    if choice == "grid":
        cols = draw(st.integers(1, 4))
        rows = draw(st.lists(st.lists(VEC, min_size=cols, max_size=cols), min_size=1, max_size=3))
        return Currents(kind="grid", cell_size=draw(POS), cells=rows, base_vector=draw(VEC))
    return Currents(kind="analytic", base_vector=draw(VEC), variance=draw(st.floats(0, 10)))


@st.composite
def weapons(draw: st.DrawFn, slot: str) -> Weapon:
    kind = draw(st.sampled_from(["unguided", "lead", "homing"]))
    params = (
        {}
        if not draw(st.booleans())
        else {"turn_rate": draw(POS), "seeker_range": draw(POS), "seeker_cone": draw(st.floats(0.01, 3))}
    )
    return Weapon(
        slot=slot,
        type=draw(st.sampled_from(["gun", "torpedo", "asw"])),
        range=draw(POS),
        cooldown_ticks=draw(st.integers(1, 100)),
        ammo=draw(SMALL),
        projectile=Projectile(
            speed=draw(POS),
            damage=draw(st.floats(0, 1e4)),
            blast_radius=draw(st.floats(0, 1e3)),
            guidance=Guidance(kind=kind, **params),
        ),
    )


@st.composite
def ships(draw: st.DrawFn, ship_id: str, teams: list[str], b: Bounds) -> Ship:
    hull = Hull(
        mass=draw(POS),
        radius=draw(POS),
        max_speed=draw(POS),
        acceleration=draw(POS),
        turn_rate=draw(POS),
        hp=draw(POS),
    )
    surface, submerge = draw(st.sampled_from([(True, False), (True, True), (False, True)]))
    caps = Capabilities(
        can_surface=surface, can_submerge=submerge, dive_time_s=draw(POS), surface_time_s=draw(POS)
    )
    slots = draw(st.lists(IDENT, max_size=3, unique=True))
    ws = [draw(weapons(s)) for s in slots]
    sensors = [
        Sensor(
            type=draw(st.sampled_from(["radar", "visual", "sonar"])),
            range=draw(POS),
            arc=draw(st.none() | st.floats(0.01, 2 * math.pi)),
            noise_floor=draw(COORD),
            update_every_ticks=draw(st.integers(1, 10)),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    layer = draw(st.sampled_from([x for x, ok in (("surface", surface), ("submerged", submerge)) if ok]))
    state = InitialState(
        x=b.min_x + (b.max_x - b.min_x) * draw(UNIT),
        y=b.min_y + (b.max_y - b.min_y) * draw(UNIT),
        heading=draw(COORD),
        speed=hull.max_speed * draw(st.floats(-1, 1)),
        layer=layer,
        hp=draw(st.none() | st.just(hull.hp) | st.floats(0.01, 1).map(lambda f: hull.hp * f)),
        ammo={s: draw(SMALL) for s in slots if draw(st.booleans())},
    )
    crew = Crew(
        crew_count=draw(SMALL),
        gunnery=draw(UNIT),
        engineering=draw(UNIT),
        morale=draw(UNIT),
        fatigue=draw(UNIT),
    )
    return Ship(
        ship_id=ship_id,
        team_id=draw(st.sampled_from(teams)),
        class_=draw(st.sampled_from(["S", "M", "L", "XL"])),
        hull=hull,
        capabilities=caps,
        sensors=sensors,
        weapons=ws,
        crew=crew,
        initial_state=state,
        controller=draw(st.sampled_from(["agent", "idle", "patrol", "random"])),
    )


@st.composite
def packages(draw: st.DrawFn) -> BattlePackage:
    team_ids = draw(st.lists(IDENT, min_size=1, max_size=3, unique=True))
    teams = [
        Team(
            team_id=t,
            name=draw(st.text(max_size=8)),
            faction_context=draw(
                st.none()
                | st.builds(
                    FactionContext,
                    faction_id=IDENT,
                    philosophy=st.dictionaries(IDENT, UNIT, max_size=2),
                    tech_tags=st.lists(IDENT, max_size=2),
                    morale_state=UNIT,
                    at_war_with=st.lists(IDENT, max_size=2),
                )
            ),
        )
        for t in team_ids
    ]
    x0, y0 = draw(st.floats(-1e5, 1e5)), draw(st.floats(-1e5, 1e5))
    b = Bounds(min_x=x0, min_y=y0, max_x=x0 + draw(st.floats(1, 1e5)), max_y=y0 + draw(st.floats(1, 1e5)))
    m = Map(
        bounds=b,
        obstacles=draw(
            st.lists(
                st.builds(
                    Obstacle,
                    shape=shapes(),
                    position=VEC,
                    material=st.sampled_from(["solid", "soft"]),
                    intensity=UNIT,
                ),
                max_size=2,
            )
        ),
        zones=draw(
            st.lists(
                st.builds(
                    Zone,
                    shape=shapes(),
                    position=VEC,
                    intensity=UNIT,
                    vector=VEC,
                    modifier_type=st.sampled_from(
                        ["sensor_interference", "hazard", "current", "speed_bonus"]
                    ),
                ),
                max_size=2,
            )
        ),
        currents=draw(currents()),
        weather=draw(
            st.builds(
                Weather,
                sea_state=st.integers(0, 9),
                wind_speed=st.floats(0, 50),
                wind_direction=COORD,
                visibility_km=POS,
                precipitation=st.sampled_from(["none", "rain", "storm"]),
                fog=st.booleans(),
                lightning_risk=UNIT,
            )
        ),
        terrain=Terrain(
            default=draw(st.sampled_from(["deep", "shelf", "shallows"])),
            regions=draw(
                st.lists(
                    st.builds(
                        TerrainRegion,
                        shape=shapes(),
                        position=VEC,
                        depth_class=st.sampled_from(["deep", "shelf", "shallows"]),
                    ),
                    max_size=2,
                )
            ),
        ),
    )
    ship_ids = draw(st.lists(IDENT, min_size=1, max_size=3, unique=True))
    rules = Rules(
        **draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "track_timeout_s": POS,
                    "crit_chance": UNIT,
                    "heavy_sea_state": st.integers(0, 10),
                    "ping_cooldown_ticks": st.integers(0, 50),
                    "ambient_noise_db": st.floats(0, 200),
                },
            )
        )
    )
    return BattlePackage(
        battle_id=draw(IDENT),
        seed=draw(st.integers(1, 2**64 - 1)),
        torch_seed=draw(st.none() | st.integers(0, 2**64 - 1)),
        time_step_s=1 / draw(st.integers(1, 1000)),
        time_limit_s=draw(st.floats(1, 1e5)),
        teams=teams,
        map=m,
        ships=[draw(ships(s, team_ids, b)) for s in ship_ids],
        rules=rules,
        randomize=draw(
            st.none()
            | st.builds(
                Randomize,
                spawn_jitter_m=st.floats(0, 1e3),
                heading_jitter_rad=st.floats(0, 3),
                sea_state_delta=st.integers(0, 9),
                visibility_jitter_km=st.floats(0, 10),
            )
        ),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packages())
def test_round_trip_changes_nothing(pkg: BattlePackage) -> None:
    dumped = pkg.model_dump(mode="json")
    again = parse_package(json.dumps(dumped))
    assert again == pkg
    assert same_json(again.model_dump(mode="json"), dumped)


# ------------------------------------------------------------------------------------------
# Differential check against Go (needs a Go toolchain; TIDEBREAK_SKIP_GO=1 skips it)
# ------------------------------------------------------------------------------------------

_VALUES: list[Any] = [
    None,
    0,
    -1,
    1,
    0.5,
    2.0,
    1e20,
    2**64 - 1,
    2**64,
    "",
    "x",
    True,
    [],
    {},
    [1, 2],
    [1],
    [None, 2],
    "homing",
    "lead",
    "polygon",
    "circle",
    "grid",
    "analytic",
    "submerged",
    "soft",
    "torpedo",
    "sonar",
    "XL",
    {"kind": "homing"},
    {"kind": "circle", "radius": 5},
    {"kind": "grid", "cell_size": 10, "cells": [[[1, 0]]]},
    [[0, 0], [1, 0], [0, 1]],
    {"gun": 3},
    {"spawn_jitter_m": 50, "sea_state_delta": 2},
    {"sea_state_delta": 10},
    {"zz": 1},
    [None],
    {"type": "torpedo"},
    {"type": "sonar", "arc": 7},
]


def _mutate(doc: Any, rng: random.Random) -> Any:
    doc = copy.deepcopy(doc)
    for _ in range(rng.choice([1, 1, 2, 3])):
        spots: list[tuple[Any, Any]] = []

        def walk(node: Any) -> None:
            items = (
                node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
            )
            for k, v in list(items):
                spots.append((node, k))  # noqa: B023 (walk runs before spots is rebound)
                walk(v)

        walk(doc)
        if not spots:
            break
        parent, key = rng.choice(spots)
        r = rng.random()
        if r < 0.15 and isinstance(parent, dict):
            del parent[key]
        elif r < 0.25 and isinstance(parent, dict):
            parent["zz_unknown"] = 1
        elif r < 0.3 and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        else:
            parent[key] = copy.deepcopy(rng.choice(_VALUES))
    return doc


def _python_view(text: str) -> dict[str, Any]:
    try:
        unknown: list[str] | None = unknown_fields(text)
    except ContractError:
        unknown = None
    try:
        pkg = parse_quietly(text)
    except ContractError as e:
        return {"ok": False, "problems": [list(p) for p in e.problems], "unknown": unknown}
    return {"ok": True, "normalized": normalized(pkg), "unknown": unknown}


@pytest.mark.skipif(
    shutil.which("go") is None or os.environ.get("TIDEBREAK_SKIP_GO") == "1", reason="no Go toolchain"
)
def test_agrees_with_go_on_mutated_documents(tmp_path: Path) -> None:
    rng = random.Random(20240611)
    seeds = [json.loads(p.read_text()) for p in VALID]
    docs = [p.read_text() for p in VALID + INVALID]
    docs += [json.dumps(_mutate(rng.choice(seeds), rng)) for _ in range(400)]
    docs += [json.dumps({**seeds[0], "randomize": {"spawn_jitter_m": -1, "sea_state_delta": 1.5}})]
    docs += [json.dumps({**seeds[0], "randomize": {"heading_jitter_rad": 0.1, "visibility_jitter_km": 2}})]
    docs += [
        "",
        "{",
        "null",
        "5",
        "{} {}",
        '{"seed": -0}',
        '{"seed": 1e3}',
        '{"ships": [null], "teams": [null]}',
    ]
    req = tmp_path / "docs.json"
    req.write_text(json.dumps(docs))
    proc = subprocess.run(
        ["go", "test", "./go/core/contract", "-run", "^TestCrossCheck$", "-count=1"],
        cwd=ROOT,
        env={**os.environ, "TIDEBREAK_CONTRACT_XCHECK": str(req)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads((tmp_path / "docs.json.out").read_text())
    disagreements = []
    for doc, go in zip(docs, results, strict=True):
        py = _python_view(doc)
        if go["ok"] != py["ok"]:
            disagreements.append((doc, go, py))
        elif go["ok"]:
            if not same_json(go["normalized"], py["normalized"]):
                disagreements.append((doc, go, py))
        elif go.get("error"):  # not a validation error (JSON syntax): Python reports it without a path
            if [p for p, _ in py["problems"]] != [""]:
                disagreements.append((doc, go, py))
        elif go["problems"] != py["problems"]:
            disagreements.append((doc, go, py))
        if (go["unknown"] or []) != (py["unknown"] or []):
            disagreements.append((doc, go, py))
    assert not disagreements, json.dumps(disagreements[:3], indent=1)[:6000]


# ------------------------------------------------------------------------------------------


def regenerate() -> None:
    """Write valid/NAME.normalized.json from the Python models."""
    for path in VALID:
        out = path.with_name(path.stem + ".normalized.json")
        out.write_text(
            json.dumps(normalized(parse_quietly(path.read_bytes())), indent=2, ensure_ascii=False) + "\n"
        )
        print("wrote", out.relative_to(ROOT))


if __name__ == "__main__":
    if sys.argv[1:] == ["--regenerate"]:
        regenerate()
    else:
        sys.exit(pytest.main([__file__, "-q"]))
