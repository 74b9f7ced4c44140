"""Campaign saves: atomic writes, and a loader that refuses what it cannot trust."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tidebreak.strategic import Campaign, World, build_world
from tidebreak.strategic.fuzz import base_saves, mutate, run_case
from tidebreak.strategic.save import MAX_DEPTH, SaveError, load_world, save_world


@pytest.fixture(scope="module")
def played() -> World:
    world = build_world(seed=4)
    Campaign(world).run(30)
    return world


def _doc(path: Path) -> dict:
    return json.loads(path.read_text())


def _queue(world: dict, kind: str, params: dict) -> None:
    """Put a decision of ``kind`` with ``params`` in Accord Prime's queue."""
    decision = {"id": "D9999", "kind": kind, "faction_id": "accord", "params": params}
    world["arcologies"]["accord_prime"]["decision_queue"].append(
        {**decision, "proposed_day": world["day"], "due_day": world["day"] + 5}
    )


def test_the_decisions_a_campaign_queues_pass_the_loader(tmp_path: Path) -> None:
    # Each action declares its parameters (faction_ai.Action.params), and the loader checks
    # queued decisions against them: what the AI queues must pass.
    kinds: set[str] = set()
    for seed in range(3):
        world = build_world(seed=seed)
        for _ in range(12):
            Campaign(world).run(10)
            queued = [d for a in world.arcologies.values() for d in a.decision_queue]
            kinds |= {d.kind for d in queued}
            if queued:
                path = tmp_path / "q.json"
                world.save(path)
                assert load_world(path).state_hash() == world.state_hash()
    assert len(kinds) >= 4, f"only {sorted(kinds)} were ever queued"


def _write(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc))
    return path


def test_round_trip_keeps_the_state_hash(played: World, tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    played.save(path)
    assert _doc(path)["state_hash"] == played.state_hash()
    assert World.load(path).state_hash() == played.state_hash()


def test_a_write_that_dies_leaves_the_old_save_whole(played: World, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "c.json"
    played.save(path)
    before = path.read_bytes()

    def killed(fd: int) -> None:
        raise KeyboardInterrupt  # the process is interrupted before the data reach the disk

    monkeypatch.setattr(os, "fsync", killed)
    other = build_world(seed=9)
    with pytest.raises(KeyboardInterrupt):
        save_world(other, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["c.json"], "the temporary file is removed"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda w: w.update(day=-5), "world.day: Input should be greater than or equal to 0"),
        (lambda w: w.update(day=10**18), "world.day: Input should be less than or equal to 100000"),
        (lambda w: w.update(arcologies={}), "holds no arcology but is not marked defeated"),
        (lambda w: w["ships"][sorted(w["ships"])[0]].update(template="nope"), "is not a ship template"),
        (lambda w: w["fleets"][sorted(w["fleets"])[0]].update(node_id="atlantis"), "node 'atlantis'"),
        (lambda w: w["factions"]["accord"].update(base_morale=float("nan")), "finite number"),
        (lambda w: w.update(surprise=1), "world.surprise: Extra inputs are not permitted"),
        (lambda w: w["rng_states"].pop("battle"), "rng_states has no stream 'battle'"),
        (lambda w: w["tuning"]["actions"].pop("invest"), "tuning.actions has no entry for action 'invest'"),
        (
            lambda w: w["tuning"]["actions"]["fortify"]["goals"].update(glory=1),
            "fortify.goals.glory: not a goal",
        ),
        (lambda w: w["tuning"]["mission_priority"].pop("hunt"), "mission_priority has no entry for 'hunt'"),
        (lambda w: _queue(w, "fortify", {}), "params: a fortify decision has exactly arcology (got none)"),
        (lambda w: _queue(w, "hunt", {"target_fleet": "F001"}), "'hunt' is not an action that waits"),
        (
            lambda w: _queue(w, "invest", {"arcology": "accord_prime", "facility": "99"}),
            "is not a facility index",
        ),
        (lambda w: _queue(w, "declare_war", {"target": "atlantis"}), "params.target 'atlantis' is not one"),
    ],
)
def test_values_and_references_are_checked(played: World, tmp_path: Path, edit, message: str) -> None:
    path = tmp_path / "c.json"
    played.save(path)
    doc = _doc(path)
    edit(doc["world"])
    _write(path, doc)
    with pytest.raises(SaveError):
        load_world(path)
    with pytest.raises(SaveError) as err:
        load_world(path, verify=False)
    assert message in str(err.value) and str(path) in str(err.value)


def test_a_hand_edit_that_stays_valid_loads_unverified(played: World, tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    played.save(path)
    doc = _doc(path)
    doc["world"]["factions"]["accord"]["ap"] = 0.0
    _write(path, doc)
    with pytest.raises(SaveError, match="state hash .* does not match the saved"):
        load_world(path)
    assert load_world(path, verify=False).factions["accord"].ap == 0.0


def test_a_bare_world_from_an_earlier_release_loads(played: World, tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(played.canonical_json())
    assert load_world(path).state_hash() == played.state_hash()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, f"nested deeper than {MAX_DEPTH}"),
        (b"[1, 2]", "a campaign save is a JSON object, not list"),
        (b'{"format": "other", "world": {}}', "format is 'other'"),
        (b'{"format": "tidebreak.campaign.save", "version": 9, "world": {}}', "version 9"),
    ],
)
def test_broken_files_are_refused_by_name(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    with pytest.raises(SaveError, match=message):
        load_world(path)


def test_resume_on_broken_saves_exits_2_with_one_line(played: World, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    played.save(good)
    text = good.read_bytes()
    cases = {
        "truncated": text[: len(text) // 2],
        "not_json": b"hello",
        "binary": bytes(range(256)),
        "day_negative": json.dumps({**_doc(good), "world": {**_doc(good)["world"], "day": -5}}).encode(),
        "nested": b"[" * 50_000,
    }
    for name, data in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(data)
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "tidebreak.cli",
                "campaign",
                "resume",
                str(path),
                "--days",
                "1",
                "--quiet",
            ],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 2, (name, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("tidebreak campaign resume: "), (name, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_mutated_saves_are_refused_or_play_on() -> None:
    """A small fuzz pass (the full one: python -m tidebreak.strategic.fuzz --cases 5000)."""
    rng = random.Random(1)
    bases = base_saves(seeds=(3,), days=(0, 25))
    outcomes = [run_case(mutate(rng.choice(bases), rng), verify=bool(i % 2)) for i in range(150)]
    defects = [detail for outcome, detail in outcomes if outcome in ("crash", "hang")]
    assert not defects
    assert {o for o, _ in outcomes} == {"refused", "loaded"}
