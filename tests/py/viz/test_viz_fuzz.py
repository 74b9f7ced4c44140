"""A short pass of the replay-reader fuzz (scripts/fuzz_tbr.py; the full campaign runs 5,000+ cases)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "fuzz_tbr.py"


def _fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_tbr", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mutated_replay_files_are_refused_or_load() -> None:
    counts = _fuzz().campaign(cases=150, seed=11, timeout=10.0, keep=None, quiet=True)
    assert counts["error"] == counts["abort"] == counts["hang"] == 0, counts
    assert counts["refused"] > 0 and counts["loaded"] > 0, counts
