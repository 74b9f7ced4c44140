"""The trainer on a tiny budget: what it writes, that a seed reproduces a run,
and the command line (needs torch: make test-full)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import tidebreak
from tidebreak.cli import main as cli
from tidebreak.rl.policy import load_policy

pytestmark = pytest.mark.full

TINY = {
    "ppo.num_envs": 8,
    "ppo.steps_per_env": 16,
    "ppo.hidden": [16],
    "eval.every_steps": 256,
    "eval.episodes": 4,
}


def test_train_writes_policies_curve_and_tensorboard(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("tensorboard")
    seen: list[int] = []
    result = tidebreak.train(
        "Tidebreak/Duel-v0",
        seed=1,
        total_steps=512,
        out=tmp_path / "run",
        overrides=TINY,
        progress=False,
        on_eval=lambda p: seen.append(p.steps),
    )
    assert result.steps == 512 and seen == [256, 512]
    assert [p.steps for p in result.curve] == seen
    assert result.best is not None and result.best.score() == max(p.score() for p in result.curve)
    for name in ("best.npz", "last.npz", "result.json", "evaluations.jsonl"):
        assert (tmp_path / "run" / name).exists(), name
    assert list((tmp_path / "run" / "tb").glob("events.out.tfevents.*"))
    doc = json.loads((tmp_path / "run" / "result.json").read_text())
    assert doc["steps"] == 512 and len(doc["curve"]) == 2 and doc["config"]["ppo"]["hidden"] == [16]
    best = load_policy(result.best_path)
    assert best.env_kwargs["action_mode"] == "multidiscrete" and best.info["steps"] == result.best.steps
    report = tidebreak.evaluate(best, "Tidebreak/Duel-v0", episodes=2, baselines=())
    assert report.result.episodes == 2


def test_a_seed_reproduces_the_run(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    runs = [
        tidebreak.train(
            "Tidebreak/Duel-v0",
            seed=7,
            total_steps=512,
            out=tmp_path / f"run{i}",
            overrides=TINY,
            progress=False,
            tensorboard=False,
        )
        for i in range(3)
    ]
    curves = [[p.as_dict() | {"wall_s": 0, "cpu_s": 0} for p in r.curve] for r in runs]
    assert curves[0] == curves[1] == curves[2]
    a, b = load_policy(runs[0].last_path), load_policy(runs[1].last_path)
    for wa, wb in zip(a.weights, b.weights):
        np.testing.assert_array_equal(wa, wb)
    other = tidebreak.train(
        "Tidebreak/Duel-v0",
        seed=8,
        total_steps=512,
        out=tmp_path / "other",
        overrides=TINY,
        progress=False,
        tensorboard=False,
    )
    c = load_policy(other.last_path)
    assert not np.array_equal(a.weights[0], c.weights[0])


def test_cli_train(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("torch")
    sets = [f"--set={k}={json.dumps(v)}" for k, v in TINY.items()]
    out = tmp_path / "cli"
    code = cli(
        [
            "train",
            "Tidebreak/GunDuel-v0",
            "--steps",
            "256",
            "--out",
            str(out),
            "-q",
            "--no-tensorboard",
            *sets,
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "Tidebreak/GunDuel-v0 seed 0: 256 env-steps" in text and "best evaluation at 256" in text
    assert load_policy(out / "best.npz").env_id == "Tidebreak/GunDuel-v0"
    assert cli(["train", "Tidebreak/Duel-v0", "--set", "ppo.gamma=7", "-q"]) == 2
    assert "gamma" in capsys.readouterr().err
    assert cli(["train", "--list"]) == 0
    assert "Tidebreak/Duel-v0" in capsys.readouterr().out


def test_a_teacher_adds_an_imitation_term(tmp_path: Path) -> None:
    """With [teacher] the loss gains a falling imitation term, and the run
    differs from the same seed without one (the term changes the updates)."""
    pytest.importorskip("torch")
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    common = dict(seed=3, total_steps=2048, progress=False)
    taught = tidebreak.train(
        "Tidebreak/SubDuel-v0",
        out=tmp_path / "taught",
        overrides={**TINY, "teacher.controller": "expert", "teacher.coef": 1.0, "teacher.decay_steps": 2048},
        **common,
    )
    plain = tidebreak.train(
        "Tidebreak/SubDuel-v0", out=tmp_path / "plain", overrides=TINY, tensorboard=False, **common
    )
    ea = EventAccumulator(str(tmp_path / "taught" / "tb"))
    ea.Reload()
    coefs = [e.value for e in ea.Scalars("train/teacher_coef")]
    assert coefs[0] == pytest.approx(1.0) and coefs[-1] < coefs[0] and min(coefs) >= 0
    assert all(e.value > 0 for e in ea.Scalars("loss/imitation"))
    a, b = load_policy(taught.last_path), load_policy(plain.last_path)
    assert not np.array_equal(a.weights[0], b.weights[0])
