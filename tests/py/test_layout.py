"""The layouts come from the Go library: the checked-in copy, the spaces and the docs follow it."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

import tidebreak
from tidebreak.engine import _native, layout
from tidebreak.gym import spaces

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "docs" / "observation.md", ROOT / "docs" / "abi.md"]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_layout", ROOT / "scripts" / "gen_layout.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_checked_in_layout_is_what_the_library_reports() -> None:
    """Fails after a change to go/core/arena/spec.go (or the status codes)
    until `make generate` rewrites tidebreak.engine._layout_data."""
    native = layout.native_layout()
    assert native == layout.LAYOUT, "tidebreak/engine/_layout_data.py is stale: run `make generate`"
    assert native["abi_version"] == _native.lib().tb_abi_version()


def test_checked_in_layout_is_the_generators_output() -> None:
    gen = _generator()
    text = (ROOT / "src" / "tidebreak" / "engine" / "_layout_data.py").read_text(encoding="utf-8")
    assert text == gen.HEADER + gen.literal(layout.native_layout()) + "\n"


def test_names_and_sizes_follow_the_layout() -> None:
    for block, names in [
        ("own", layout.OWN_FIELDS),
        ("track", layout.TRACK_FIELDS),
        ("env", layout.ENV_FIELDS),
        ("context", layout.CONTEXT_FIELDS),
        ("action", layout.ACTION_NAMES),
        ("mask", layout.MASK_NAMES),
        ("reward", layout.REWARD_TERMS),
    ]:
        assert names == tuple(f["name"] for f in layout.LAYOUT[block]), block
    with tidebreak.NativeEnv(tidebreak.scenarios.load("duel", controllers={"corvette": "agent"})) as env:
        assert env.spec.obs_size == layout.obs_size(layout.DEFAULT_MAX_TRACKS)
        assert env.spec.reward_terms == len(layout.LAYOUT["reward"])


def test_observation_space_bounds_come_from_the_layout() -> None:
    space = spaces.observation_space(2)
    names = layout.obs_names(2)
    by_name = {f"own.{f.name}": f for f in layout.fields("own")}
    by_name.update({f"track1.{f.name}": f for f in layout.fields("track")})
    for name, f in by_name.items():
        i = names.index(name)
        assert (space.low[i], space.high[i]) == (np.float32(f.low), np.float32(f.high)), name
    # Every bound is finite: the library squashes or clamps each value.
    assert np.isfinite(space.low).all() and np.isfinite(space.high).all()
    assert space.high[names.index("track0.range")] == 1 and space.low[names.index("own.speed")] == -1


def test_an_observation_stays_within_the_declared_bounds() -> None:
    pkg = tidebreak.scenarios.load("fleet_4v4", controllers={"b-submarine-1": "agent"})
    with tidebreak.NativeEnv(pkg) as env:
        env.reset(seed=5)
        low, high = spaces.observation_bounds(8)
        rng = np.random.default_rng(0)
        for _ in range(150):
            obs, _, term, trunc = env.step(rng.uniform(-1, 1, env.actions.shape).astype(np.float32))
            bad = (obs[0] < low) | (obs[0] > high)
            assert not bad.any(), [layout.obs_names(8)[i] for i in np.flatnonzero(bad)]
            if term or trunc:
                break


def test_enums_start_at_zero() -> None:
    """layout.ENUMS indexes names by code; an enum starting elsewhere would need 'first'."""
    assert all(e["first"] == 0 for e in layout.LAYOUT["enums"])


def test_status_names_come_from_tb_errstr() -> None:
    lib = _native.lib()
    for code, name in layout.STATUS_CODES.items():
        assert _native.ffi.string(lib.tb_errstr(code)).decode() == name
        assert getattr(lib, name) == code, f"tidebreak.h's #define {name} differs"
        assert _native.status_name(code) == name
    assert _native.status_name(99) == "unknown status"
    with pytest.raises(_native.NativeError) as info:
        tidebreak.NativeEnv({"package": {"schema_version": "arena.v1"}})
    assert info.value.status == "TB_ERR_INVALID" and info.value.code == lib.TB_ERR_INVALID


def _blocks(text: str) -> list[tuple[str, str]]:
    return re.findall(r"<!-- layout:(\w+) -->\n((?:(?!<!-- ).*\n)*)<!-- /layout -->", text)


def test_docs_tables_are_generated_from_the_layout() -> None:
    found = set()
    for doc in DOCS:
        for name, body in _blocks(doc.read_text(encoding="utf-8")):
            assert body == layout.render_doc_block(name) + "\n", (
                f"{doc.name}: block {name} is stale: run make generate"
            )
            found.add(name)
    assert found == set(layout.DOC_BLOCKS)


def test_a_renamed_field_reaches_names_and_docs_without_python_edits() -> None:
    """What `make generate` does after a rename in Go: the names and the
    rendered docs follow the report, nothing in Python names the field."""
    changed: dict[str, Any] = {**layout.LAYOUT, "own": [dict(f) for f in layout.LAYOUT["own"]]}
    changed["own"][10]["name"] = "hull_integrity"
    assert [f.name for f in layout.fields("own", changed)][10] == "hull_integrity"
    assert "`own.hull_integrity`" in layout.render_doc_block("own", changed)
    assert "`own.hp`" not in layout.render_doc_block("own", changed)


def test_import_and_spaces_do_not_start_the_go_runtime() -> None:
    code = (
        "import tidebreak, tidebreak.engine._native as n\n"
        "from tidebreak.gym import spaces\n"
        "from tidebreak.engine import layout, events\n"
        "spaces.observation_space(8); spaces.make_codec('multidiscrete').space(); layout.ENUMS['status']\n"
        "print(n.is_loaded())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
