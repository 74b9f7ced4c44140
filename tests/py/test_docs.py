"""The documentation stays in step with the code it documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tidebreak.engine import layout

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_observation_doc_names_every_index() -> None:
    text = (DOCS / "observation.md").read_text()
    for name in layout.obs_names(1):
        documented = name.replace("track0.", "trackk.")
        assert f"`{documented}`" in text, f"docs/observation.md does not document {name}"
    for name in (*layout.ACTION_NAMES, *layout.REWARD_TERMS):
        assert f"`{name}`" in text, f"docs/observation.md does not document {name}"
    assert f"obs_size(K) = {len(layout.OWN_FIELDS)} + {len(layout.TRACK_FIELDS)}·K" in text


@pytest.mark.parametrize("doc", ["observation.md", "replay.md", "state.md"])
def test_doc_python_blocks_run(doc: str, capsys: pytest.CaptureFixture[str]) -> None:
    blocks = re.findall(r"```python\n(.*?)```", (DOCS / doc).read_text(), re.S)
    for i, code in enumerate(blocks):
        exec(compile(code, f"{doc}:block{i}", "exec"), {"__name__": "__docs__"})
    if doc == "observation.md":
        assert blocks and "fired a gun at" in capsys.readouterr().out
    if doc == "state.md":
        assert capsys.readouterr().out.split() == ["30", "True", "True", "TB_ERR_INVALID", "True"]
