"""Replay files (.tbr): writing, loading, frames and events, the Recorder, bad files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tidebreak
from tidebreak import scenarios
from tidebreak.engine import layout
from tidebreak.replays.records import (
    REPLAY_FORMAT,
    REPLAY_VERSION,
    Recorder,
    RecordError,
    load_record,
    load_replay,
    save_record,
)


def _doc(path: Path) -> dict[str, Any]:
    with gzip.open(path, "rt") as f:
        return json.load(f)  # type: ignore[no-any-return]


def _write(path: Path, doc: dict[str, Any]) -> Path:
    with gzip.open(path, "wt") as f:
        json.dump(doc, f)
    return path


def test_tbr_holds_package_log_and_frames(duel_tbr: Path) -> None:
    doc = _doc(duel_tbr)
    assert doc["format"] == REPLAY_FORMAT == "tidebreak.replay" and doc["version"] == REPLAY_VERSION == 2
    assert doc["package"]["battle_id"] == "duel"
    assert doc["action_log"] == doc["result"]["replay"]["action_log"] and doc["action_log"]
    frames = doc["frames"]
    assert [f["tick"] for f in frames] == list(range(len(frames)))
    assert len(frames) == len(doc["result"]["replay"]["tick_hashes"]) + 1
    ship = frames[0]["ships"][0]
    assert set(ship) >= {"id", "x", "y", "h", "layer", "hp", "status", "trans"}
    assert frames[0]["ships"][1]["layer"] == 1  # the submarine starts submerged


def test_frames_match_the_result(duel_tbr: Path) -> None:
    rf = load_replay(duel_tbr)
    last = rf.frames[-1]
    for outcome in rf.result.ships:
        s = next(s for s in last["ships"] if s["id"] == outcome.ship_id)
        assert s["x"] == pytest.approx(outcome.final_state.x, abs=0.06)
        assert s["hp"] == pytest.approx(outcome.final_state.hp, abs=0.06)
    assert tidebreak.replay(duel_tbr).ok


def test_frames_carry_the_engines_events(duel_tbr: Path) -> None:
    rf = load_replay(duel_tbr)
    kinds = {e["kind"] for e in rf.events}
    assert {"fire", "hit", "damage", "out_of_action"} <= kinds  # the duel ends with a loser
    for f in rf.frames:
        assert all(e["tick"] == f["tick"] - 1 for e in f["events"]), (
            "a frame holds the events of the step into it"
        )
    traces = [e["trace"] for e in rf.events]
    assert len(set(traces)) == len(traces) and traces == sorted(traces)
    by_trace = {e["trace"]: e for e in rf.events}
    hits = [e for e in rf.events if e["kind"] == "hit"]
    assert hits
    for hit in hits:
        shot = by_trace[hit["cause"]]  # a hit names the shot that made it
        assert shot["kind"] == "fire" and shot["source"] == hit["source"] and shot["tick"] <= hit["tick"]
        damage = next(e for e in rf.events if e["kind"] == "damage" and e["cause"] == hit["trace"])
        before = next(s for s in rf.frames[hit["tick"]]["ships"] if s["id"] == hit["target"])
        after = next(s for s in rf.frames[hit["tick"] + 1]["ships"] if s["id"] == hit["target"])
        assert damage["target"] == hit["target"] and damage["value"] <= hit["value"]
        assert before["hp"] - after["hp"] >= damage["value"] - 0.11
    end = next(e for e in rf.events if e["kind"] == "out_of_action")
    loser = next(s for s in rf.frames[-1]["ships"] if s["id"] == end["target"])
    assert loser["status"] == layout.ENUMS["status"].index(end["status"]) != 0
    tracked = [t for f in rf.frames for ts in f["tracks"].values() for t in ts]
    assert tracked and all(0 <= t["q"] <= 3 for t in tracked)


def test_frame_events_are_what_the_env_reports(tmp_path: Path) -> None:
    """records.py takes events from the engine, tick for tick; it derives none."""
    pkg = scenarios.package("gun_duel", seed=5)
    path = tmp_path / "g.tbr"
    tidebreak.simulate(pkg, record_path=path)
    rf = load_replay(path)
    with tidebreak.NativeEnv(pkg) as env:
        env.reset(seed=pkg["seed"])
        for f in rf.frames[1:]:
            env.step(env.zero_actions())
            assert f["events"] == env.event_dicts(), f"tick {f['tick']}"


def test_plain_records_still_work_and_get_frames(tmp_path: Path) -> None:
    pkg = scenarios.package("gun_duel", seed=2)
    path = tmp_path / "g.json.gz"
    result = tidebreak.simulate(pkg, record_path=path)
    p, r = load_record(path)
    assert r.replay.final_state_hash == result.replay.final_state_hash and p["battle_id"] == "gun_duel"
    rf = load_replay(path)
    assert len(rf.frames) == len(result.replay.tick_hashes) + 1


def test_recorder_records_an_agent_episode(tmp_path: Path) -> None:
    pkg = scenarios.load("duel", controllers={"corvette": "agent"})
    rng = np.random.default_rng(1)
    with tidebreak.NativeEnv(pkg) as env:
        env.reset(seed=11)
        rec = Recorder(pkg)
        rec.record_tick(env.save())
        while True:
            a = rng.uniform(-1, 1, env.zero_actions().shape).astype(np.float32)
            _, _, term, trunc = env.step(a)
            rec.record_tick(env.save(), env.event_dicts())
            if term or trunc:
                break
    path = rec.save(tmp_path / "agent.tbr")
    rf = load_replay(path)
    assert rf.package["seed"] == 11 and len(rf.frames) == len(rec.frames)
    assert rf.result.replay.action_log  # the agent's commands were rebuilt from the states
    assert tidebreak.replay(path).ok
    assert rf.events and rf.events == [e for f in rec.frames for e in f["events"]]


def test_recorder_rejects_gaps_and_empty_saves(tmp_path: Path) -> None:
    pkg = scenarios.load("duel")
    rec = Recorder(pkg)
    with pytest.raises(ValueError, match="nothing recorded"):
        rec.save(tmp_path / "x.tbr")
    with tidebreak.NativeEnv(pkg) as env:
        env.reset(seed=1)
        env.step(env.zero_actions())
        with pytest.raises(ValueError, match="first state must be tick 0"):
            rec.record_tick(env.save())


def test_recorder_catches_a_battle_that_does_not_reproduce(tmp_path: Path) -> None:
    pkg = scenarios.load("duel")
    with tidebreak.NativeEnv(pkg) as env:
        env.reset(seed=2)
        rec = Recorder(pkg)
        rec.record_tick(env.save())
        for _ in range(30):
            env.step(env.zero_actions())
            rec.record_tick(env.save(), env.event_dicts())
    with pytest.raises(RecordError, match="do not reproduce"):
        rec.save(tmp_path / "short.tbr")  # unfinished: the re-simulated battle runs on
    assert rec.save(tmp_path / "short.tbr", verify=False).exists()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(version=7), "record version 7"),
        (lambda d: d.update(format="nope"), "not a Tidebreak record"),
        (lambda d: d.pop("frames"), "record has no 'frames'"),
        (lambda d: d["frames"][3].pop("ships"), r"frames\[3\]\.ships: Field required"),
        (lambda d: d["package"]["ships"][1].pop("ship_id"), r"package\.ships\[1\]\.ship_id"),
        (lambda d: d["frames"][2]["ships"][0].update(x=None), r"frames\[2\]\.ships\[0\]\.x"),
        (lambda d: d["frames"][2]["ships"][0].update(status=9), r"frames\[2\]\.ships\[0\]\.status"),
        (lambda d: d["frames"][2]["ships"][0].update(id="ghost"), r"frames\[2\]\.ships: must list"),
        (lambda d: d["frames"].__setitem__(1, None), r"frames\[1\]: Input should be"),
        (lambda d: d["frames"][4].update(tick=2), r"frames\[4\]\.tick: 2 does not follow"),
        (lambda d: d["frames"][5]["events"].append({"kind": "nope"}), r"frames\[5\]\.events\[\d+\]"),
        (lambda d: d["frames"][5].update(script="<b>"), r"frames\[5\]\.script: Extra inputs"),
        (lambda d: d["result"]["ships"].pop(), r"result\.ships: must report"),
        (
            lambda d: d["frames"][6]["ships"][0].update(hp=1e9),
            r"frames\[6\]\.ships\[0\]\.hp: 1000000000.0 is above",
        ),
        (
            lambda d: d["frames"][6]["ships"][1].update(x=-1e7),
            r"frames\[6\]\.ships\[1\]: position .* off the map",
        ),
        (lambda d: d["result"].update(duration_s=1e12), r"result\.duration_s: .* not within the time limit"),
        (lambda d: d["package"].update(seed=0), r"package\.seed"),
        (lambda d: d["result"].update(duration_s="soon"), r"result\.duration_s"),
    ],
)
def test_bad_replay_files_name_the_file_and_field(
    duel_tbr: Path, tmp_path: Path, edit: Any, message: str
) -> None:
    doc = _doc(duel_tbr)
    edit(doc)
    bad = _write(tmp_path / "bad.tbr", doc)
    with pytest.raises(RecordError, match=message) as e:
        load_replay(bad)
    assert str(bad) in str(e.value)


@pytest.mark.parametrize("where", ["frame", "result"])
def test_nan_is_refused_as_json(duel_tbr: Path, tmp_path: Path, where: str) -> None:
    """Python's json writes NaN and reads it back; JSON has no NaN, so the reader refuses it
    (a NaN in a result's action log once reached float() through pydantic's JSON dump as null)."""
    doc = _doc(duel_tbr)
    if where == "frame":
        doc["frames"][3]["ships"][1]["y"] = float("nan")
    else:
        doc["result"]["replay"]["action_log"][5]["action"][3] = float("nan")
    with pytest.raises(RecordError, match="not a record .NaN is not a JSON number"):
        load_replay(_write(tmp_path / "nan.tbr", doc))


def test_decompressed_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A small file that inflates past the limit is refused after reading limit + 1 bytes."""
    bomb = tmp_path / "bomb.tbr"
    with gzip.open(bomb, "wb") as f:
        for _ in range(64):
            f.write(b" " * 2**20)  # 64 MiB of blanks: about 64 KB on disk
    assert bomb.stat().st_size < 2**20
    with pytest.raises(RecordError, match="decompresses to more than 1048576 bytes"):
        load_replay(bomb, max_bytes=2**20)
    monkeypatch.setenv("TIDEBREAK_MAX_REPLAY_BYTES", str(2**20))
    with pytest.raises(RecordError, match="TIDEBREAK_MAX_REPLAY_BYTES"):
        load_record(bomb)


def test_deep_nesting_is_a_clear_error(tmp_path: Path) -> None:
    deep = tmp_path / "deep.tbr"
    deep.write_bytes(gzip.compress(b"[" * 100_000 + b"]" * 100_000))
    with pytest.raises(RecordError, match="nested too deeply"):
        load_replay(deep)


def test_version_1_files_get_engine_events_by_rebuilding(duel_tbr: Path, tmp_path: Path) -> None:
    doc = _doc(duel_tbr)
    doc.update(format="tidebreak.replays", version=1)  # the name version 1 was written under for a while
    for f in doc["frames"]:
        f["events"] = [{"tick": f["tick"], "type": "shot", "ship": "corvette"}]
    old = _write(tmp_path / "v1.tbr", doc)
    rf = load_replay(old)
    assert rf.events == load_replay(duel_tbr).events


def test_truncated_gzip_is_a_clear_error(duel_tbr: Path, tmp_path: Path) -> None:
    bad = tmp_path / "cut.tbr"
    bad.write_bytes(duel_tbr.read_bytes()[:500])
    with pytest.raises(RecordError, match="cannot read record"):
        load_replay(bad)


def test_save_record_to_tbr_checks_the_result(tmp_path: Path) -> None:
    pkg = scenarios.package("gun_duel", seed=3)
    other = tidebreak.simulate(scenarios.package("gun_duel", seed=4))
    with pytest.raises(RecordError, match="do not reproduce"):
        save_record(tmp_path / "wrong.tbr", pkg, other)


def test_coupled_battle_frames_carry_the_noise_field(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """With MorphoSpace coupling on, frames carry the noise picture and the renderer draws it."""
    import gzip
    import json

    import tidebreak
    from tidebreak import scenarios

    pkg = scenarios.package("duel", seed=3)
    pkg["fields"] = {}
    pkg["time_limit_s"] = 40
    path = tmp_path / "coupled.tbr"
    tidebreak.simulate(pkg, record_path=path)
    with gzip.open(path, "rt") as f:
        frames = json.load(f)["frames"]
    grid = frames[30]["noise"]
    values = [v for row in grid["values"] for v in row]
    assert len(grid["values"]) == 32 and max(values) > min(values)
    png = tmp_path / "t30.png"
    from tidebreak.cli import main

    assert main(["replay", str(path), "--png", str(png), "--tick", "30", "-q"]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
