"""Saved env states: the wire names, the seal, and the loader's checks (through the C ABI)."""

from __future__ import annotations

import doctest
import json
import random
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tidebreak
from tidebreak.engine import state as st
from tidebreak.engine._native import NativeError
from tidebreak.replays.records import frame_from_state


@pytest.fixture(scope="module")
def fleet_state() -> bytes:
    """A fleet_4v4 env's state after 60 ticks (every ship scripted)."""
    with tidebreak.NativeEnv(tidebreak.scenarios.load("fleet_4v4")) as env:
        env.reset(seed=7)
        for _ in range(60):
            env.step(env.zero_actions())
        return env.save()


def _edited(blob: bytes, change: Callable[[dict[str, Any]], None]) -> bytes:
    doc = st.parse_state(blob)
    change(doc)
    return st.seal(doc)


def _ship(doc: dict[str, Any], i: int = 4) -> dict[str, Any]:
    ship: dict[str, Any] = doc["world"]["ships"][i]
    return ship


def test_module_examples() -> None:
    assert doctest.testmod(st, raise_on_error=True).attempted >= 5


def test_wire_names(fleet_state: bytes) -> None:
    doc = st.parse_state(fleet_state)
    assert list(doc) == ["format", "version", "checksum", "episode_seed", "world"]
    ship = doc["world"]["ships"][0]
    assert {
        "id",
        "team",
        "class",
        "kinematics",
        "transition",
        "hp",
        "max_hp",
        "status",
        "mounts",
        "tracks",
        "sensor_stream",
        "damage_stream",
        "killed_by",
    } <= set(ship)
    assert set(ship["mounts"][0]) == {"kind", "ammo", "ammo_start", "cooldown", "reload", "fired"}
    assert not any(k[0].isupper() for k in ship), "Go field names leaked into the wire format"


def test_seal_round_trips(fleet_state: bytes) -> None:
    assert st.seal(st.parse_state(fleet_state)) == fleet_state


# Each reproducer used to load: the first hung the next step (an all-zero
# xoshiro state spins the normal-distribution loop), the next gave NaN/Inf
# observations, class 127 panicked. Now each is refused, naming the field.
REPRODUCERS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    (
        "sensor null",
        lambda d: _ship(d).update(sensor_stream=None),
        "ships[4].sensor_stream: null, want an array",
    ),
    (
        "sensor zero",
        lambda d: _ship(d).update(sensor_stream=[0, 0, 0, 0]),
        "ships[4].sensor_stream: an all-zero",
    ),
    ("Sensor key", lambda d: _ship(d).update(Sensor={"S": [0, 0, 0, 0]}), 'ships[4]."Sensor": unknown key'),
    (
        "renamed key",
        lambda d: _ship(d).update(Damage=_ship(d).pop("damage_stream")),
        "damage_stream: missing",
    ),
    ("hp -1e308", lambda d: _ship(d).update(hp=-1e308), "ships[4].hp: -1e+308 is outside [0, "),
    ("max_hp 0", lambda d: _ship(d).update(max_hp=0), "ships[4].max_hp: 0, but this env's package gives"),
    ("reload 0", lambda d: _ship(d)["mounts"][0].update(reload=0), "ships[4].mounts[0].reload: 0, but"),
    (
        "class 127",
        lambda d: _ship(d).update({"class": 127}),
        "ships[4].class: 127, but this env's package gives",
    ),
]


@pytest.mark.parametrize(("change", "message"), [r[1:] for r in REPRODUCERS], ids=[r[0] for r in REPRODUCERS])
def test_bad_states_are_refused(
    fleet_state: bytes, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    with tidebreak.NativeEnv(tidebreak.scenarios.load("fleet_4v4")) as env:
        env.reset(seed=1)
        before = env.state_hash()
        with pytest.raises(NativeError) as e:
            env.load(_edited(fleet_state, change))
        assert e.value.status == "TB_ERR_INVALID"
        assert message in e.value.message
        assert env.state_hash() == before, "a refused state changed the env"
        env.load(fleet_state)
        obs, _, _, _ = env.step(env.zero_actions())
        assert np.isfinite(obs).all()


def test_edits_without_a_seal_are_refused(fleet_state: bytes) -> None:
    doc = json.loads(fleet_state)
    doc["world"]["ships"][4]["hp"] = 1.0
    with tidebreak.NativeEnv(tidebreak.scenarios.load("fleet_4v4")) as env:
        with pytest.raises(NativeError, match="checksum mismatch"):
            env.load(json.dumps(doc, separators=(",", ":")).encode())


def test_bit_flips_never_load(fleet_state: bytes) -> None:
    rng = random.Random(5)
    accepted = 0
    with tidebreak.NativeEnv(tidebreak.scenarios.load("fleet_4v4")) as env:
        env.reset(seed=1)
        for _ in range(500):
            blob = bytearray(fleet_state)
            bit = rng.randrange(8 * len(blob))
            blob[bit // 8] ^= 1 << (bit % 8)
            try:
                env.load(bytes(blob))
                accepted += 1
            except NativeError as e:
                assert e.status in ("TB_ERR_INVALID", "TB_ERR_JSON")
    assert accepted == 0


def test_readers_refuse_other_layouts(fleet_state: bytes) -> None:
    ids = [s["ship_id"] for s in tidebreak.scenarios.load("fleet_4v4")["ships"]]
    frame = frame_from_state(fleet_state, ids)
    assert frame["tick"] == 60 and len(frame["ships"]) == 8
    old = {"episode_seed": 1, "world": {"version": 1, "ships": [{"Kin": {"Pos": {"X": 0}}}]}}
    with pytest.raises(st.StateError, match="not a saved state"):
        frame_from_state(old, ids)
    with pytest.raises(st.StateError, match="world layout version 1"):
        frame_from_state(old["world"], ids)


def test_fuzz_campaign_script_runs(tmp_path: Any) -> None:
    """scripts/fuzz_states.py on a few cases: every class runs and nothing goes wrong."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "fuzz_states.py"
    out = tmp_path / "counts.json"
    run = subprocess.run(
        [sys.executable, str(script), "--env", "40", "--ms", "40", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    counts = json.loads(out.read_text())["counts"]
    for cls in ("env", "ms"):
        c = counts[cls]
        assert c["cases"] == 40 and c["raw"] > 0 and c["sealed"] > 0
        assert c["refused"] > 0
        assert c["aborts"] == c["hangs"] == c["nonfinite"] == c["raw_accepted"] == c["step_errors"] == 0
