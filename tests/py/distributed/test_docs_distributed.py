"""Every ``python`` block of docs/distributed.md runs (``bash``/``text`` blocks do not)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[3] / "docs" / "distributed.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)


def test_doc_has_python_blocks() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_doc_block_runs(index: int) -> None:
    exec(compile(BLOCKS[index], f"{DOC.name}[block {index}]", "exec"), {"__name__": "docs_block"})


def test_doc_names_public_api() -> None:
    import tidebreak.distributed as d

    text = DOC.read_text()
    for name in (
        "simulate_many",
        "iter_simulate",
        "evaluate",
        "SweepResult",
        "register",
        "ppo_config",
        "--retry-errors",
    ):
        assert name in text
    assert set(d.__all__) >= {"simulate_many", "iter_simulate", "evaluate", "SweepResult"}
