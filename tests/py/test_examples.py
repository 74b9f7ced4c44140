"""The training examples run end to end on a small budget (make test-full: they need SB3)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

pytestmark = [
    pytest.mark.full,
    pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/ not found next to the tests"),
]


def _run(script: str, *args: str, cwd: Path) -> str:
    pytest.importorskip("sb3_contrib")
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def _last_json(stdout: str) -> dict:
    return json.loads(stdout[stdout.rindex("\n{") + 1 :])


@pytest.mark.parametrize("script", ["train_ppo_duel.py", "train_maskable_ppo.py"])
def test_training_example_saves_a_model_and_reports(script: str, tmp_path: Path) -> None:
    out = _run(
        script, "--steps", "512", "--envs", "2", "--eval-episodes", "2", "--out", "model", cwd=tmp_path
    )
    metrics = _last_json(out)
    assert metrics["eval/episodes"] == 2
    assert 0 <= metrics["eval/win_rate"] <= 1
    assert (tmp_path / "model.zip").is_file()
    if script == "train_maskable_ppo.py":
        share = float(out.split("masks rule out ", 1)[1].split("%", 1)[0])
        assert 0 < share < 100, "the masks rule out some choices, never all"


def test_selfplay_example_grows_its_pool_and_plays_it(tmp_path: Path) -> None:
    out = _run(
        "selfplay_parallel.py",
        "--steps",
        "1024",
        "--envs",
        "2",
        "--snapshot-every",
        "512",
        "--time-limit",
        "30",
        "--eval-episodes",
        "2",
        cwd=tmp_path,
    )
    result = _last_json(out)
    assert result["snapshots"] >= 3  # the untrained policy and two snapshots
    for side in ("vs_untrained", "vs_newest_snapshot"):
        rates = result[side]
        assert sum(rates.values()) == pytest.approx(1.0)
