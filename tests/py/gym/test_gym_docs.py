"""Every ```python block of docs/rl.md runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[3] / "docs" / "rl.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S) if DOC.exists() else []


# Blocks that train with SB3 need torch: they run in `make test-full` (marker "full").
PARAMS = [
    pytest.param(i, marks=pytest.mark.full) if ("stable_baselines3" in code or "sb3_contrib" in code) else i
    for i, code in enumerate(BLOCKS)
]


@pytest.mark.skipif(not BLOCKS, reason="docs/rl.md not found next to the tests")
@pytest.mark.parametrize("index", PARAMS)
def test_doc_block_runs(index: int) -> None:
    code = BLOCKS[index]
    if "stable_baselines3" in code or "sb3_contrib" in code:
        pytest.importorskip("sb3_contrib")
    exec(compile(code, f"{DOC}:block{index}", "exec"), {"__name__": "__docs__"})
