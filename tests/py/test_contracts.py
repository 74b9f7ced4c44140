"""tidebreak.contracts: the generated models and the checks that run the Go contract.

The corpus in tests/testdata/packages pins what the contract makes of each document (the Go
tests read the same files); the reproducers of the hardening issue (huge values, case-variant
keys, controllers, typos, nesting) are pinned here one by one.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from package_strategies import packages
from pydantic import ValidationError

import tidebreak
from tidebreak import scenarios
from tidebreak.contracts import (
    CONTROLLERS,
    LIMITS,
    TYPE_DEFAULTS,
    BattlePackage,
    ContractError,
    Hull,
    Sensor,
    UnknownFieldWarning,
    Weapon,
    check_package,
    format_errors,
    package_schema,
    parse_package,
    parse_result,
    result_schema,
    unknown_fields,
    validate_package,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "testdata" / "packages"
VALID = sorted(p for p in (CORPUS / "valid").glob("*.json") if not p.name.endswith(".normalized.json"))
INVALID = sorted((CORPUS / "invalid").glob("*.json"))


def lines(path: Path) -> list[str]:
    return [
        ln.strip() for ln in path.read_text().splitlines() if ln.strip() and not ln.strip().startswith("#")
    ]


def minimal(**kw: Any) -> dict[str, Any]:
    pkg: dict[str, Any] = {
        "battle_id": "b",
        "seed": 1,
        "teams": [{"team_id": "t"}],
        "ships": [{"ship_id": "s", "team_id": "t"}],
    }
    pkg.update(kw)
    return pkg


def same_json(a: Any, b: Any) -> bool:
    """Equal as JSON values, numbers compared by value (Go writes 100.0 as 100), and null the same as
    an empty list or object (Go writes a list it never filled as null)."""
    if (a is None and b in ([], {})) or (b is None and a in ([], {})):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    return bool(a == b)


# ------------------------------------------------------------------------------------------
# The corpus
# ------------------------------------------------------------------------------------------


def test_corpus_size() -> None:
    assert len(VALID) >= 10 and len(INVALID) >= 20


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_corpus(path: Path) -> None:
    unknown_file = path.with_suffix(".unknown")
    want_unknown = lines(unknown_file) if unknown_file.exists() else []
    if want_unknown:
        with pytest.raises(ContractError) as info:
            parse_package(path.read_bytes())
        assert sorted(info.value.paths) == sorted(want_unknown)
        assert sorted(unknown_fields(path.read_bytes())) == sorted(want_unknown)
        with pytest.warns(UnknownFieldWarning) as caught:
            pkg = parse_package(path.read_bytes(), strict=False)
        assert sorted(caught[0].message.paths) == sorted(want_unknown)  # type: ignore[union-attr]
    else:
        pkg = parse_package(path.read_bytes())
    want = json.loads(path.with_name(path.stem + ".normalized.json").read_text())
    # The pinned normalised form reads into the same model ...
    assert pkg == BattlePackage.model_validate(want)
    # ... and the model, written out, is the same package to the library.
    assert same_json(validate_package(pkg), want)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_corpus(path: Path) -> None:
    want = lines(path.with_suffix(".expect"))
    with pytest.raises(ContractError) as info:
        parse_package(path.read_bytes())
    if path.stem == "malformed_json":
        assert info.value.status == "TB_ERR_JSON"
        assert all(w in str(info.value) for w in want)
    else:
        assert info.value.status == "TB_ERR_INVALID"
        assert sorted(set(info.value.paths)) == sorted(set(want))
        assert check_package(path.read_bytes()) == info.value.problems


# ------------------------------------------------------------------------------------------
# Reproducers of the hardening issue (13.2, 13.5) and the typo issue (17.7)
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1e11, 1e15, 86401, -1, 0])
def test_huge_time_limit_is_a_validation_error(limit: float) -> None:
    p = scenarios.package("duel", 1)
    p["time_limit_s"] = limit
    with pytest.raises(ContractError) as info:
        tidebreak.simulate(p)
    assert info.value.paths == ["time_limit_s"]
    assert "time_limit_s: must be" in str(info.value)
    with pytest.raises(ContractError) as again:
        parse_package(p)
    assert again.value.problems == info.value.problems


def test_case_variant_keys_are_unknown() -> None:
    p = scenarios.load("duel")
    p["SEED"] = p.pop("seed")
    with pytest.raises(ContractError) as info:
        tidebreak.simulate(p)
    assert info.value.problems == [("SEED", 'unknown field; did you mean "seed"?')]
    ship = scenarios.load("duel")["ships"][0]
    q = {**scenarios.load("duel"), "ships": [], "Ships": [ship]}
    with pytest.raises(ContractError) as info:
        tidebreak.simulate(q)
    assert info.value.paths == ["Ships"]


def test_repeated_key_is_refused() -> None:
    text = json.dumps(minimal()).replace('"seed": 1', '"seed": 1, "seed": 2')
    with pytest.raises(ContractError, match='duplicate key "seed"') as info:
        parse_package(text)
    assert info.value.status == "TB_ERR_JSON"


def test_controllers_come_from_the_arena() -> None:
    full = CORPUS / "valid" / "full.json"
    parse_package(full.read_bytes())  # every controller it names is registered
    assert {"idle", "agent", "patrol"} <= set(CONTROLLERS)
    p = json.loads(full.read_text())
    p["ships"][0]["controller"] = "ambush"
    with pytest.raises(ContractError) as validated:
        parse_package(p)
    with pytest.raises(ContractError) as simulated:
        tidebreak.simulate(p)
    assert validated.value.problems == simulated.value.problems
    assert validated.value.paths == ["ships[0].controller"]
    assert 'unknown controller "ambush"' in str(validated.value)
    p["ships"][0]["controller"] = "patorl"
    with pytest.raises(ContractError, match='did you mean "patrol"'):
        parse_package(p)


def test_typos_are_errors_with_a_suggestion() -> None:
    p = scenarios.load("duel")
    p["ships"][0]["controler"] = p["ships"][0].pop("controller")
    p["ships"][0]["hull"]["max_sped"] = p["ships"][0]["hull"].pop("max_speed")
    for call in (tidebreak.simulate, parse_package, tidebreak.NativeEnv):
        with pytest.raises(ContractError) as info:
            call(p)
        assert sorted(info.value.problems) == [
            ("ships[0].controler", 'unknown field; did you mean "controller"?'),
            ("ships[0].hull.max_sped", 'unknown field; did you mean "max_speed"?'),
        ]


def test_lenient_accepts_and_warns() -> None:
    p = scenarios.load("duel")
    p["ships"][0]["controler"] = "patrol"
    with pytest.warns(UnknownFieldWarning, match=r"ships\[0\]\.controler: unknown field ignored") as caught:
        result = tidebreak.simulate(p, strict=False)
    assert caught[0].message.paths == ["ships[0].controler"]  # type: ignore[union-attr]
    assert result.battle_id == "duel"
    with pytest.warns(UnknownFieldWarning):
        pkg = parse_package(p, strict=False)
    assert pkg.ships[0].controller == scenarios.load("duel")["ships"][0]["controller"]
    with pytest.warns(UnknownFieldWarning), tidebreak.NativeEnv(p, strict=False) as env:
        env.reset(seed=1)
    # Lenient ignores unknown keys only: a broken rule is still an error.
    p["seed"] = 0
    with pytest.raises(ContractError, match="seed"):
        parse_package(p, strict=False)


def test_missing_ships_is_the_contracts_error() -> None:
    p = scenarios.load("duel")
    del p["ships"]
    with pytest.raises(ContractError) as info:
        parse_package(p)
    assert info.value.problems == [("ships", "must have at least 1 element (got 0)")]


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deep_nesting_is_refused_cleanly(depth: int) -> None:
    text = '{"battle_id": "b", "map": ' + "[" * depth + "]" * depth + "}"
    with pytest.raises(ContractError) as info:
        parse_package(text)
    assert "nested deeper than 32" in str(info.value)
    nested: Any = 1
    for _ in range(depth if depth < 5000 else 5000):
        nested = {"a": nested}
    with pytest.raises(ContractError, match="nested deeper than 32"):
        parse_package(minimal(rules=nested))


def test_not_json_values_in_python_data() -> None:
    with pytest.raises(ContractError) as info:
        parse_package(minimal(time_limit_s=math.nan))
    assert info.value.paths == ["time_limit_s"]
    with pytest.raises(ContractError) as info:
        parse_package(minimal(teams=[{"team_id": "t", "name": {1, 2}}]))
    assert info.value.paths == ["teams[0].name"]


def test_documents_that_are_not_json() -> None:
    for doc in (b"", b"{", b'{"seed": NaN}', b"\xff\xfe{}", '{"battle_id": "\udc80"}'):
        with pytest.raises(ContractError) as info:
            parse_package(doc)
        assert info.value.status == "TB_ERR_JSON"
        assert info.value.paths == [""]


def test_oversized_documents_and_lists_are_refused_before_use() -> None:
    big = b'{"battle_id": "' + b"x" * (LIMITS["max_package_bytes"] + 1) + b'"}'
    with pytest.raises(ContractError, match="more than the limit"):
        parse_package(big)
    ship = {"ship_id": "s", "team_id": "t"}
    with pytest.raises(ContractError) as info:
        parse_package(minimal(ships=[ship] * 1025))
    assert info.value.problems == [("ships", "must have at most 1024 elements (got 1025)")]
    with pytest.raises(ContractError) as info:
        parse_package(minimal(map={"obstacles": [0] * 200_000}))
    assert info.value.paths == ["map.obstacles"]


# ------------------------------------------------------------------------------------------
# The generated models
# ------------------------------------------------------------------------------------------


def test_python_defaults_are_gos() -> None:
    """A package built from the models' own defaults is what Go fills in."""
    go = validate_package(minimal(ships=[{"ship_id": "s", "team_id": "t", "weapons": [{"type": "torpedo"}]}]))
    py = BattlePackage.model_validate(
        minimal(ships=[{"ship_id": "s", "team_id": "t", "weapons": [{"type": "torpedo"}]}])
    )
    assert py == BattlePackage.model_validate(go)


def test_type_dependent_defaults() -> None:
    for typ in TYPE_DEFAULTS["Weapon"]:
        go = validate_package(minimal(ships=[{"ship_id": "s", "team_id": "t", "weapons": [{"type": typ}]}]))
        assert Weapon(type=typ) == Weapon.model_validate(go["ships"][0]["weapons"][0])
    assert Sensor(type="sonar").range == 4000
    assert Weapon.model_validate({"type": "gun", "projectile": {"damage": 9}}).projectile.speed == 500


def test_models_check_fields_without_the_library() -> None:
    with pytest.raises(ValidationError) as info:
        Hull(max_speed=-1)
    assert format_errors(info.value)[0].startswith("max_speed: ")
    with pytest.raises(ValidationError):
        BattlePackage.model_validate({**minimal(), "Seed": 2})  # unknown keys
    with pytest.raises(ValidationError):
        BattlePackage.model_validate(minimal(seed="1"))  # kinds are strict


def test_null_means_absent() -> None:
    pkg = parse_package(minimal(map={"weather": None, "currents": None}, torch_seed=None))
    assert pkg.map.weather.sea_state == 1 and pkg.map.currents is None and pkg.torch_seed is None
    assert BattlePackage.model_validate(minimal(map={"weather": None})).map.weather.sea_state == 1


def test_big_seed_is_exact() -> None:
    assert parse_package(minimal(seed=2**64 - 1)).seed == 2**64 - 1
    with pytest.raises(ContractError, match="integer out of range"):
        parse_package(minimal(seed=2**64))


def test_schema_export() -> None:
    schema = package_schema()
    assert schema["$id"] == "arena.v1/BattlePackage"
    hull = schema["$defs"]["Hull"]["properties"]["max_speed"]
    assert hull["default"] == 15 and hull["exclusiveMinimum"] == 0 and hull["maximum"] == 1000
    assert "BattleResult" in json.dumps(result_schema())


def test_result_round_trip() -> None:
    result = tidebreak.simulate(scenarios.package("duel", 2))
    again = parse_result(result.model_dump_json())
    assert again == result
    with pytest.raises(ContractError):
        parse_result({"duration_s": "long"})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packages())
def test_round_trip_changes_nothing(pkg: BattlePackage) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = parse_package(pkg)
    assert parse_package(again.model_dump(mode="json")) == again
    assert BattlePackage.model_validate(validate_package(again)) == again


def test_gym_envs_check_scenario_dicts() -> None:
    import gymnasium

    import tidebreak.gym  # noqa: F401  (registers the ids)

    p = scenarios.load("duel")
    p["ships"][0]["controler"] = "patrol"
    with pytest.raises(ContractError, match='did you mean "controller"'):
        gymnasium.make("Tidebreak/Duel-v0", scenario=p)
    with pytest.warns(UnknownFieldWarning):
        env = gymnasium.make("Tidebreak/Duel-v0", scenario=p, strict=False)
    env.reset(seed=1)
    env.close()
    q = scenarios.load("duel")
    del q["ships"]
    with pytest.raises(ContractError) as info:
        gymnasium.make("Tidebreak/Duel-v0", scenario=q)
    assert info.value.paths == ["ships"]
