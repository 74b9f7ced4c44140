"""docs/distributed.md names the public API. (Its python blocks and its tidebreak commands run in
tests/py/test_doc_blocks.py, with every other document's.)"""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[3] / "docs" / "distributed.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)


def test_doc_has_python_blocks() -> None:
    assert len(BLOCKS) >= 2


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
