"""evaluate(): policies, callables, scripted controllers, metric dicts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tidebreak.rl.evaluation import EvalReport, evaluate


def _zero(obs: np.ndarray) -> np.ndarray:
    return np.zeros((len(obs), 7), np.float32)


def test_callable_policy_and_baselines() -> None:
    report = evaluate(_zero, "Tidebreak/Duel-v0", episodes=3, seed=0, baselines=("idle", "patrol"))
    assert isinstance(report, EvalReport)
    r = report.result
    assert r.episodes == 3
    assert math.isclose(r.win_rate + r.loss_rate + r.draw_rate, 1.0)
    assert 0 <= r.survival <= 1 and 0 <= r.efficiency <= 1 and 0 <= r.final_hp <= 1
    # The duel's submarine (the stalker) finds a corvette that does nothing and sinks it.
    assert r.loss_rate == 1.0 and r.mean_length < 1200
    metrics = report.metrics()
    assert all(isinstance(v, float) for v in metrics.values())
    for key in (
        "eval/win_rate",
        "eval/survival",
        "eval/efficiency",
        "eval/mean_return",
        "eval/baseline/patrol/win_rate",
        "eval/gain_over/idle/win_rate",
        "eval/gain_over/patrol/efficiency",
    ):
        assert key in metrics
    # a gain is a difference from the baseline; the old names, read as rates, are gone
    assert metrics["eval/gain_over/patrol/efficiency"] == r.efficiency - report.baselines["patrol"].efficiency
    assert not any("_vs_" in k or "/vs/" in k for k in metrics)
    assert "eval/baseline/idle/mean_return" not in metrics, "scripted players have no shaped return"
    assert set(report.baselines) == {"idle", "patrol"}


def test_masked_callable_and_multidiscrete() -> None:
    seen = []

    def policy(obs: np.ndarray, masks: np.ndarray) -> np.ndarray:
        seen.append(masks.shape)
        return np.tile([2, 2, 0, 0, 0], (len(obs), 1))

    report = evaluate(policy, episodes=2, seed=1, baselines=(), env_kwargs={"action_mode": "multidiscrete"})
    assert seen[0] == (2, 19)
    assert report.result.episodes == 2


def test_scripted_controller_in_the_agent_seat() -> None:
    report = evaluate("random", "Tidebreak/Duel-v0", episodes=2, seed=0, baselines=())
    assert report.result.name == "random"
    assert "eval/win_rate" in report.metrics(prefix="eval/")
    assert "x/win_rate" in report.metrics(prefix="x/")


@pytest.mark.full
def test_sb3_model_predict() -> None:
    pytest.importorskip("stable_baselines3")
    from stable_baselines3 import PPO

    from tidebreak.gym.sb3 import make_vec_env

    venv = make_vec_env("Tidebreak/Duel-v0", n_envs=2, seed=0)
    model = PPO("MlpPolicy", venv, n_steps=8, batch_size=16, seed=0, device="cpu")
    report = evaluate(model, "Tidebreak/Duel-v0", episodes=2, seed=0, baselines=())
    assert report.result.name == "PPO"

    class _Logger:
        def __init__(self) -> None:
            self.values: dict[str, float] = {}

        def record(self, key: str, value: float) -> None:
            self.values[key] = value

    logger = _Logger()
    report.log_to(logger)
    assert logger.values == report.metrics()
    venv.close()


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        evaluate(_zero, episodes=0)
    with pytest.raises(TypeError):
        evaluate(42, episodes=1, baselines=())


def test_top_level_evaluate_dispatches_to_a_backend() -> None:
    import tidebreak

    here = tidebreak.evaluate("aggressive", "Tidebreak/Duel-v0", episodes=4, seed=2, baselines=())
    pooled = tidebreak.evaluate(
        "aggressive", "Tidebreak/Duel-v0", episodes=4, seed=2, baselines=(), backend="local", workers=2
    )
    assert here.metrics() == pooled.metrics()
    with pytest.raises(TypeError, match="without a backend"):
        tidebreak.evaluate("idle", episodes=1, workers=2)


def test_against_each_scripted_opponent() -> None:
    from tidebreak.rl.evaluation import SCRIPTED_CONTROLLERS

    report = evaluate(
        _zero, "Tidebreak/Duel-v0", episodes=2, seed=0, baselines=(), opponents=SCRIPTED_CONTROLLERS
    )
    assert list(report.opponents) == list(SCRIPTED_CONTROLLERS)
    idle, aggressive = report.opponents["idle"], report.opponents["aggressive"]
    assert idle.loss_rate == 0 and idle.survival == 1, "an idle opponent never sinks a still ship"
    # The same seeds against the env's own opponent are the plain result.
    own = evaluate(
        _zero, "Tidebreak/Duel-v0", episodes=2, seed=0, baselines=(), env_kwargs={"opponent": "aggressive"}
    )
    assert aggressive == own.result
    metrics = report.metrics()
    for name in SCRIPTED_CONTROLLERS:
        for k in ("win_rate", "survival", "efficiency", "mean_length"):
            assert metrics[f"eval/against/{name}/{k}"] == getattr(report.opponents[name], k)
    with pytest.raises(ValueError, match="unknown opponents"):
        evaluate(_zero, "Tidebreak/Duel-v0", episodes=1, opponents=("kraken",))


class _Recorder:
    """Stands in for a TensorBoard SummaryWriter."""

    written: list[tuple[str, str, float, int]] = []

    def __init__(self, log_dir: str) -> None:
        self.log_dir = log_dir

    def add_scalar(self, tag: str, value: float, step: int) -> None:
        self.written.append((self.log_dir, tag, value, step))

    def close(self) -> None:
        self.written.append((self.log_dir, "<closed>", 0.0, 0))


def test_metrics_go_to_tensorboard_when_it_is_installed(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    import tidebreak.rl.evaluation as ev

    monkeypatch.setattr(ev, "_summary_writer", lambda: _Recorder)
    _Recorder.written = []
    report = evaluate(
        _zero, "Tidebreak/Duel-v0", episodes=1, seed=0, baselines=("idle",), tensorboard_log=tmp_path, step=7
    )
    tags = {tag: (value, step) for _, tag, value, step in _Recorder.written}
    assert set(tags) == set(report.metrics()) | {"<closed>"}
    assert tags["eval/win_rate"] == (report.result.win_rate, 7)
    assert {d for d, *_ in _Recorder.written} == {str(tmp_path)}


def test_without_tensorboard_evaluation_warns_and_goes_on(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    import tidebreak.rl.evaluation as ev

    monkeypatch.setattr(ev, "_summary_writer", lambda: None)
    with pytest.warns(RuntimeWarning, match="TensorBoard is not installed"):
        report = evaluate(
            _zero, "Tidebreak/Duel-v0", episodes=1, seed=0, baselines=(), tensorboard_log=tmp_path
        )
    assert report.result.episodes == 1
    with pytest.warns(RuntimeWarning):
        assert report.to_tensorboard(tmp_path) is False
    assert not any(tmp_path.iterdir()), "nothing written"


@pytest.mark.full
def test_real_tensorboard_event_file(tmp_path) -> None:
    from tidebreak.rl.evaluation import _summary_writer

    if _summary_writer() is None:
        pytest.skip("neither torch's SummaryWriter (with tensorboard) nor tensorboardX is installed")
    report = evaluate(
        _zero, "Tidebreak/Duel-v0", episodes=1, seed=0, baselines=(), tensorboard_log=tmp_path, step=3
    )
    assert report.to_tensorboard(tmp_path / "again", step=4) is True
    events = list(tmp_path.rglob("events.out.tfevents.*"))
    assert len(events) == 2 and all(e.stat().st_size > 0 for e in events)


def test_scripted_damage_comes_from_engine_events() -> None:
    """A scripted player's damage is read from the engine's damage events: what
    it took adds up to the hp its result says it lost, and what it dealt is
    the damage its own weapons did (the policy path's damage_dealt term)."""
    from tidebreak.gym import config
    from tidebreak.rl.evaluation import controller_episodes

    kwargs = {"scenario": "gun_duel"}
    eps = controller_episodes("aggressive", [0, 1, 2], kwargs)
    scenario = config.scenario_for("gun_duel", None)
    pkg, agents = config.build_package(scenario)
    max_hp = next(s for s in pkg["ships"] if s["ship_id"] == agents[0])["hull"]["hp"]
    assert any(ep["dealt"] for ep in eps) and any(ep["taken"] for ep in eps)
    for ep in eps:
        assert sum(ep["taken"]) == pytest.approx(max_hp * (1 - ep["hp_frac"]), abs=1e-6)
        assert all(v > 0 for v in ep["dealt"] + ep["taken"])
