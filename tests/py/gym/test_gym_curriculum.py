"""Curriculum stages, the promotion tracker and the SB3 callback."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from tidebreak import scenarios
from tidebreak.rl import curriculum
from tidebreak.rl.curriculum import STAGES, CurriculumTracker, stage_scenario


def test_six_stages() -> None:
    assert [s.number for s in STAGES] == [1, 2, 3, 4, 5, 6]
    assert stage_scenario(3) == "stage3"
    with pytest.raises(ValueError):
        stage_scenario(0)


def test_tracker_promotes_on_rolling_win_rate() -> None:
    t = CurriculumTracker(threshold=0.5, window=4, max_stage=3)
    assert not any(t.record(w) for w in (False, False, False, True))
    assert t.stage == 1 and t.win_rate == 0.25
    # window F F T T: 0.5 reaches the threshold
    assert t.record(True) is True
    assert t.stage == 2 and t.win_rate == 0.0, "the window restarts on promotion"
    assert not any(t.record(w) for w in (True, False, False))
    assert t.record(False) is False and t.stage == 2, "0.25 < 0.5"
    for _ in range(20):
        t.record(True)
    assert t.stage == 3, "stops at max_stage"
    assert [stage for _, stage in t.history] == [2, 3]


def test_tracker_validates() -> None:
    with pytest.raises(ValueError):
        CurriculumTracker(threshold=0)
    with pytest.raises(ValueError):
        CurriculumTracker(window=0)


@pytest.mark.full
def test_callback_switches_the_env_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("stable_baselines3")
    from stable_baselines3 import PPO

    from tidebreak.gym import config
    from tidebreak.gym.sb3 import make_vec_env

    load = scenarios.load
    if "stage2" not in scenarios.names():
        monkeypatch.setattr(
            config.scenarios, "load", lambda name: load("duel" if name.startswith("stage") else name)
        )
    venv = make_vec_env("Tidebreak/Duel-v0", n_envs=2, seed=0, reward_weights={"time": -1})
    model = PPO("MlpPolicy", venv, n_steps=8, batch_size=16, n_epochs=1, seed=0, device="cpu")
    callback: Any = curriculum.make_callback(threshold=0.5, window=1, max_stage=2)
    # Every finished episode counts as a win: promote after the first one.
    monkeypatch.setattr(callback, "_on_step", _always_win(callback))
    model.learn(total_timesteps=16, callback=callback)
    assert callback.tracker.stage == 2
    assert venv.get_attr("scenario") == ["stage2", "stage2"]
    assert isinstance(curriculum.CurriculumCallback, type)
    venv.close()


def _always_win(callback: Any) -> Any:
    def on_step() -> bool:
        if callback.tracker.record(True):
            callback._pending = True
        return True

    return on_step


@pytest.mark.full
def test_callback_reads_is_success() -> None:
    pytest.importorskip("stable_baselines3")
    callback: Any = curriculum.make_callback(threshold=1.0, window=2, max_stage=2)

    class _Logger:
        def record(self, *args: Any) -> None:
            pass

    callback.model = SimpleNamespace(logger=_Logger())
    callback.locals = {"dones": np.array([True, False]), "infos": [{"is_success": True}, {}]}
    callback._on_step()
    callback.locals = {"dones": np.array([True]), "infos": [{"is_success": True}]}
    callback._on_step()
    assert callback.tracker.stage == 2 and callback._pending
