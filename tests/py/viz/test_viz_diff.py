"""tidebreak.replays.diff: record -> replay -> diff round trip, and divergences it must find."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import tidebreak
from tidebreak import scenarios
from tidebreak.replays.diff import diff


def test_round_trip_record_replay_diff(tmp_path: Path) -> None:
    pkg = scenarios.package("duel", seed=6)
    a = tmp_path / "a.tbr"
    tidebreak.simulate(pkg, record_path=a)
    assert tidebreak.replay(a).ok
    b = tmp_path / "b.json.gz"
    tidebreak.simulate(pkg, record_path=b)  # the same battle as a plain record
    report = diff(a, b)
    assert report.identical and report.first_divergent_tick is None and not report.fields
    assert "identical" in str(report)


def test_package_change_is_found_with_entities_and_fields(tmp_path: Path) -> None:
    pkg = scenarios.package("gun_duel", seed=3)
    tidebreak.simulate(pkg, record_path=tmp_path / "a.tbr")
    changed = json.loads(json.dumps(pkg))
    ship = changed["ships"][1]
    ship["hull"]["max_speed"] *= 1.2
    tidebreak.simulate(changed, record_path=tmp_path / "b.tbr")
    report = diff(tmp_path / "a.tbr", tmp_path / "b.tbr")
    assert not report.identical
    assert report.package_changes == [
        f"ships[{ship['ship_id']}].hull.max_speed: {pkg['ships'][1]['hull']['max_speed']:.6g} -> {ship['hull']['max_speed']:.6g}"
    ]
    tick = report.first_divergent_tick
    assert tick is not None and tick >= 1
    a = tidebreak.replays.records.load_record(tmp_path / "a.tbr")[1].replay.tick_hashes
    b = tidebreak.replays.records.load_record(tmp_path / "b.tbr")[1].replay.tick_hashes
    assert a[: tick - 1] == b[: tick - 1] and a[tick - 1] != b[tick - 1]
    assert f"ship {ship['ship_id']}" in report.entities()
    fields = {f.field for f in report.fields if f.entity == f"ship {ship['ship_id']}"}
    assert fields & {"kinematics.speed", "kinematics.x", "kinematics.y"}
    assert f"first divergent tick: {tick}" in str(report)


def test_a_rule_change_diverges_mid_battle(tmp_path: Path) -> None:
    pkg = scenarios.package("duel", seed=4)
    tidebreak.simulate(pkg, record_path=tmp_path / "a.json.gz")
    pkg["rules"] = {"crit_chance": 0.9}
    tidebreak.simulate(pkg, record_path=tmp_path / "b.json.gz")
    report = diff(tmp_path / "a.json.gz", tmp_path / "b.json.gz")
    assert report.first_divergent_tick is not None and report.first_divergent_tick > 10
    assert any(c.startswith("rules") for c in report.package_changes)
    assert any(e.startswith("ship ") for e in report.entities())
    # The engine's events say what happened: a critical hit in B that A did not roll.
    assert report.event_tick == report.first_divergent_tick - 1
    assert [e["kind"] for e in report.events_b if e["kind"] == "crit"] and not any(
        e["kind"] == "crit" for e in report.events_a
    )
    assert f"events first differ during tick {report.event_tick}" in str(report)
    assert "only in B: " in str(report) and " takes a critical hit (" in str(report)


def test_result_files_with_a_package(tmp_path: Path) -> None:
    pkg = scenarios.package("gun_duel", seed=8)
    res = tidebreak.simulate(pkg)
    (tmp_path / "r1.json").write_text(res.model_dump_json())
    shutil.copy(tmp_path / "r1.json", tmp_path / "r2.json")
    assert diff(tmp_path / "r1.json", tmp_path / "r2.json", package=pkg).identical
