"""Records and replay verification."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import tidebreak
from tidebreak import scenarios
from tidebreak.replays.records import load_record, save_record


@pytest.fixture
def record(tmp_path: Path) -> Path:
    path = tmp_path / "duel.json.gz"
    tidebreak.simulate(scenarios.package("duel", seed=12), record_path=path)
    return path


def test_replay_verifies_a_record(record: Path) -> None:
    report = tidebreak.replay(record)
    assert report.ok and report.first_divergent_tick is None
    assert report.ticks_checked > 0
    assert "verified" in str(report)


def test_replay_of_result_and_package() -> None:
    pkg = scenarios.package("gun_duel", seed=2)
    result = tidebreak.simulate(pkg)
    assert tidebreak.replay(result, package=pkg).ok
    with pytest.raises(TypeError, match="needs the package"):
        tidebreak.replay(result)


def _rewrite(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    with gzip.open(path, "rt") as f:
        doc = json.load(f)
    edit(doc)
    with gzip.open(path, "wt") as f:
        json.dump(doc, f)


def test_changed_log_reports_the_first_divergent_tick(record: Path) -> None:
    pkg, result = load_record(record)
    log = result.replay.action_log
    k = len(log) // 2
    tick = log[k].tick

    def edit(doc: dict) -> None:
        action = doc["result"]["replay"]["action_log"][k]["action"]
        action[0] = action[0] - 0.5 if action[0] > 0 else action[0] + 0.5

    _rewrite(record, edit)
    report = tidebreak.replay(record)
    assert not report.ok
    assert report.first_divergent_tick == tick + 1
    assert f"tick {tick + 1}" in str(report)


def test_changed_package_diverges_at_the_start(record: Path) -> None:
    def edit(doc: dict) -> None:
        doc["package"]["ships"][0]["initial_state"]["x"] += 10

    _rewrite(record, edit)
    report = tidebreak.replay(record)
    assert not report.ok and report.first_divergent_tick == 0


def test_changed_package_rules_diverge_later(tmp_path: Path) -> None:
    pkg = scenarios.package("gun_duel", seed=5)
    path = save_record(tmp_path / "r.json", pkg, tidebreak.simulate(pkg))
    doc = json.loads(path.read_text())
    doc["package"].setdefault("rules", {})["crit_chance"] = 0.9
    path.write_text(json.dumps(doc))
    report = tidebreak.replay(path)
    assert not report.ok and report.first_divergent_tick is not None and report.first_divergent_tick > 0


def test_bad_record_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(ValueError, match="invalid JSON"):
        load_record(bad)
    bad.write_text('{"format": "other"}')
    with pytest.raises(ValueError, match="not a Tidebreak record"):
        load_record(bad)
    bad.write_text('{"format": "tidebreak.record", "version": 99}')
    with pytest.raises(ValueError, match="record version 99"):
        load_record(bad)
    with pytest.raises(ValueError, match="cannot read"):
        load_record(tmp_path / "missing.json")
