"""tidebreak.simulate: package in, BattleResult out."""

from __future__ import annotations

import json

import pytest

import tidebreak
from tidebreak import scenarios
from tidebreak.contracts import BattlePackage, BattleResult


def test_accepts_dict_json_and_model() -> None:
    pkg = scenarios.package("duel", seed=5)
    a = tidebreak.simulate(pkg)
    b = tidebreak.simulate(json.dumps(pkg))
    c = tidebreak.simulate(BattlePackage.model_validate(pkg))
    assert isinstance(a, BattleResult)
    assert a.replay.final_state_hash == b.replay.final_state_hash == c.replay.final_state_hash
    assert a.seed == 5 and a.battle_id == "duel"


def test_result_is_consistent() -> None:
    result = tidebreak.simulate(scenarios.package("fleet_4v4", seed=3))
    assert {s.ship_id for s in result.ships} == {s["ship_id"] for s in scenarios.load("fleet_4v4")["ships"]}
    for team in result.teams:
        assert -0.3 <= team.morale_delta <= 0.2
    lost = sum(t.ships_lost for t in result.teams)
    fates = [s.fate for s in result.ships]
    assert lost == sum(f in ("DESTROYED", "DISABLED") for f in fates)
    assert result.event_summary.kills == lost
    assert len(result.replay.tick_hashes) == int(result.duration_s)
    for ship in result.ships:
        spec = next(s for s in scenarios.load("fleet_4v4")["ships"] if s["ship_id"] == ship.ship_id)
        for w in spec["weapons"]:
            slot = w["slot"]
            assert ship.consumption.ammo_used[slot] + ship.final_state.ammo[slot] >= 0


def test_same_package_same_result() -> None:
    pkg = scenarios.package("gun_duel", seed=8)
    assert tidebreak.simulate(pkg).model_dump() == tidebreak.simulate(pkg).model_dump()


def test_invalid_package_names_the_field() -> None:
    pkg = scenarios.package("duel", seed=1)
    pkg["ships"][0]["crew"]["gunnery"] = 1.5
    with pytest.raises(tidebreak.NativeError, match=r"ships\[0\]\.crew\.gunnery: must be within \[0, 1\]"):
        tidebreak.simulate(pkg)
    with pytest.raises(tidebreak.NativeError, match="invalid JSON"):
        tidebreak.simulate('{"battle_id": "x",')
    with pytest.raises(TypeError):
        tidebreak.simulate(3.5)
