"""PPO learns the duel (slow: run with ``pytest -m slow``).

Trains PPO on ``Tidebreak/Duel-v0`` for at most 300k steps over a native
batch, evaluating every ~50k steps on 32 held-out seeds; passes as soon as
the trained policy wins at least a quarter of its battles and more often
than each default scripted baseline (idle, random, patrol) in its seat and
than the do-nothing policy.
"""

from __future__ import annotations

import numpy as np
import pytest

from tidebreak.evaluation import evaluate

pytestmark = pytest.mark.slow

ROLLOUT = 16 * 256  # n_envs × n_steps
CHECK_EVERY = 12 * ROLLOUT  # 49,152
MAX_STEPS = 6 * CHECK_EVERY  # 294,912 <= 300k


def test_ppo_learns_duel() -> None:
    pytest.importorskip("stable_baselines3")
    from stable_baselines3 import PPO

    from tidebreak.gym.sb3 import make_vec_env

    venv = make_vec_env("Tidebreak/Duel-v0", n_envs=16, seed=0, reward_weights="dense")
    model = PPO("MlpPolicy", venv, n_steps=256, batch_size=1024, n_epochs=4, learning_rate=3e-4,
                ent_coef=0.01, seed=0, device="cpu")  # fmt: skip
    idle = evaluate(lambda obs: np.zeros((len(obs), 7), np.float32), episodes=32, seed=123)
    history = []
    learned = False
    while model.num_timesteps < MAX_STEPS and not learned:
        model.learn(total_timesteps=CHECK_EVERY, reset_num_timesteps=False)
        report = evaluate(model, "Tidebreak/Duel-v0", episodes=32, seed=123, env_kwargs={"reward_weights": "dense"})
        m = report.metrics()
        history.append((model.num_timesteps, m["eval/win_rate"], m["eval/mean_return"]))
        best_baseline = max(b.win_rate for b in report.baselines.values())
        learned = m["eval/win_rate"] >= 0.25 and m["eval/win_rate"] > max(best_baseline, idle.result.win_rate)
    venv.close()
    print("steps, win rate, mean return:", history)
    assert learned, f"PPO did not learn the duel within {MAX_STEPS} steps (steps, win rate, return): {history}"
