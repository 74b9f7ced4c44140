"""The SB3 VecEnv over the native batch, and MaskablePPO with masks."""

from __future__ import annotations

import numpy as np
import pytest
from gym_helpers import short_duel
from gymnasium.vector import AutoresetMode

from tidebreak.engine.layout import NUM_REWARD_TERMS
from tidebreak.gym.env import TidebreakEnv
from tidebreak.gym.vector import TidebreakVectorEnv

# SB3 pulls in torch: these tests run in `make test-full` (marker "full").
# Without the sb3 extra the module still imports, so that `make test`
# deselects its tests instead of skipping them; run anyway, they skip.
pytestmark = pytest.mark.full
try:
    from stable_baselines3.common.vec_env import VecEnv, VecMonitor

    from tidebreak.gym.sb3 import TidebreakSB3VecEnv, make_vec_env
except ImportError:
    pass


@pytest.fixture(autouse=True)
def _needs_sb3() -> None:
    pytest.importorskip("stable_baselines3")


def test_make_vec_env_is_an_sb3_vecenv() -> None:
    venv = make_vec_env("Tidebreak/Duel-v0", n_envs=3, seed=0)
    assert isinstance(venv, VecMonitor) and isinstance(venv.venv, TidebreakSB3VecEnv)
    assert isinstance(venv, VecEnv) and venv.num_envs == 3
    obs = venv.reset()
    assert obs.shape == (3, 133) and obs.dtype == np.float32
    obs, rewards, dones, infos = venv.step(np.zeros((3, 7), np.float32))
    assert rewards.shape == (3,) and dones.shape == (3,) and len(infos) == 3
    assert infos[0]["reward_terms"].shape == (NUM_REWARD_TERMS,)
    venv.close()


def test_adapter_needs_same_step_autoreset() -> None:
    with pytest.raises(ValueError, match="SB3 expects same-step autoreset"):
        TidebreakSB3VecEnv(TidebreakVectorEnv(2, short_duel(3)))


def test_seeds_are_seed_plus_i_as_in_sb3() -> None:
    venv = make_vec_env("Tidebreak/Duel-v0", n_envs=3, seed=7, monitor=False)
    obs = venv.reset()
    for i in range(3):
        env = TidebreakEnv("duel")
        np.testing.assert_array_equal(env.reset(seed=7 + i)[0], obs[i])
        env.close()
    venv.close()


def test_terminal_observation_and_timelimit() -> None:
    venv = TidebreakSB3VecEnv(TidebreakVectorEnv(2, short_duel(3), autoreset_mode=AutoresetMode.SAME_STEP))
    venv.seed(5)
    venv.reset()
    for _ in range(2):
        _, _, dones, infos = venv.step(np.zeros((2, 7), np.float32))
        assert not dones.any() and "terminal_observation" not in infos[0]
    obs, rewards, dones, infos = venv.step(np.zeros((2, 7), np.float32))
    assert dones.all()
    for i in range(2):
        assert infos[i]["terminal_observation"].shape == (133,)
        assert infos[i]["terminal_observation"][-2] == 0, "terminal obs has no time left"
        assert infos[i]["TimeLimit.truncated"] is True
        assert infos[i]["outcome"] == "draw" and infos[i]["is_success"] is False
    assert (obs[:, -2] == 1).all(), "the returned obs starts the next episode"
    venv.close()


def test_seed_is_reproducible() -> None:
    def run(seed: int) -> np.ndarray:
        venv = make_vec_env("Tidebreak/Duel-v0", n_envs=2, seed=seed, opponent="random")
        venv.reset()
        rng = np.random.default_rng(1)
        out = [venv.step(rng.uniform(-1, 1, (2, 7)).astype(np.float32))[0] for _ in range(20)]
        venv.close()
        return np.stack(out)

    np.testing.assert_array_equal(run(3), run(3))


def test_env_method_action_masks() -> None:
    venv = make_vec_env("Tidebreak/Duel-v0", n_envs=4, seed=0, action_mode="multidiscrete")
    venv.reset()
    masks = venv.env_method("action_masks")
    assert len(masks) == 4 and masks[0].shape == (19,) and masks[0].dtype == bool
    assert venv.has_attr("action_masks")
    assert len(venv.env_method("action_masks", indices=[1, 3])) == 2
    assert venv.get_attr("action_mode") == ["multidiscrete"] * 4
    venv.close()


def test_maskable_ppo_learns_a_few_hundred_steps() -> None:
    sb3_contrib = pytest.importorskip("sb3_contrib")
    from sb3_contrib.common.maskable.utils import get_action_masks, is_masking_supported

    venv = make_vec_env("Tidebreak/Duel-v0", n_envs=4, seed=0, action_mode="multidiscrete")
    assert is_masking_supported(venv)
    assert get_action_masks(venv).shape == (4, 19)
    model = sb3_contrib.MaskablePPO(
        "MlpPolicy", venv, n_steps=32, batch_size=64, n_epochs=2, seed=0, device="cpu"
    )
    model.learn(total_timesteps=384)
    assert model.num_timesteps >= 384
    obs = venv.reset()
    action, _ = model.predict(obs, action_masks=get_action_masks(venv), deterministic=True)
    assert action.shape == (4, 5)
    venv.close()


def test_ppo_box_runs() -> None:
    from stable_baselines3 import PPO

    venv = make_vec_env("Tidebreak/Duel-v0", n_envs=2, seed=0)
    model = PPO("MlpPolicy", venv, n_steps=16, batch_size=32, n_epochs=1, seed=0, device="cpu")
    model.learn(total_timesteps=64)
    venv.close()
