"""tidebreak.simulate: package in, BattleResult out."""

from __future__ import annotations

import _thread
import json
import threading
import time

import pytest

import tidebreak
from tidebreak import scenarios
from tidebreak.contracts import BattlePackage, BattleResult
from tidebreak.engine import simulation
from tidebreak.engine.native import status_name
from tidebreak.engine.simulation import interrupt


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


def _day_long_fleet_battle() -> dict[str, object]:
    """A package that would run for hours: 256 ships, a day of battle time."""
    pkg = scenarios.package("fleet_128v128", seed=1)
    pkg["time_limit_s"] = 86400
    return pkg


def _native_call_running() -> bool:
    """Whether the helper thread runs a main-thread simulation now."""
    return simulation._current is not None and simulation._current.running()


def test_interrupt_ends_a_simulation_on_another_thread() -> None:
    pkg = _day_long_fleet_battle()
    caught: list[BaseException] = []

    def run() -> None:
        try:
            tidebreak.simulate(pkg)
        except BaseException as e:
            caught.append(e)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    # interrupt() only ends calls in progress: repeat it until the call has returned.
    for _ in range(6000):
        interrupt()
        worker.join(0.01)
        if not worker.is_alive():
            break
    assert not worker.is_alive(), "tb_interrupt did not end the simulation"
    assert len(caught) == 1 and isinstance(caught[0], tidebreak.NativeError)
    err = caught[0]
    assert status_name(err.code) == "TB_ERR_INTERRUPTED" and "interrupted" in str(err)
    # Calls that start afterwards run normally.
    assert tidebreak.simulate(scenarios.package("duel", seed=1)).duration_s > 0


def test_ctrl_c_ends_a_simulation_on_the_main_thread() -> None:
    assert threading.current_thread() is threading.main_thread()
    pkg = _day_long_fleet_battle()

    def press_ctrl_c() -> None:
        # Wait until the battle runs on its helper thread, then raise SIGINT's exception.
        for _ in range(6000):
            if _native_call_running():
                _thread.interrupt_main()
                return
            time.sleep(0.01)

    presser = threading.Thread(target=press_ctrl_c, daemon=True)
    presser.start()
    with pytest.raises(KeyboardInterrupt):
        tidebreak.simulate(pkg)
    presser.join()
    assert not _native_call_running(), "the native call still runs after KeyboardInterrupt"
