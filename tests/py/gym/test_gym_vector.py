"""The native vector env: Gymnasium's vector API, same-step autoreset, and
bit-identity with single envs."""

from __future__ import annotations

import gymnasium
import numpy as np
import pytest
from gym_helpers import short_duel
from gymnasium.vector import AutoresetMode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tidebreak.gym
from tidebreak.gym.env import TidebreakEnv
from tidebreak.gym.vector import TidebreakVectorEnv


def test_make_vec_gives_the_native_vector_env() -> None:
    venv = gymnasium.make_vec("Tidebreak/Duel-v0", num_envs=3, vectorization_mode="vector_entry_point")
    assert isinstance(venv, TidebreakVectorEnv) and isinstance(venv, gymnasium.vector.VectorEnv)
    assert venv.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP
    assert venv.num_envs == 3
    assert venv.observation_space.shape == (3, 126)
    obs, infos = venv.reset(seed=0)
    assert obs.shape == (3, 126) and obs.dtype == np.float32
    assert venv.observation_space.contains(obs)
    assert infos["action_mask"].shape == (3, 6), "box mode: the native mask flags"
    obs, rewards, terminated, truncated, infos = venv.step(venv.action_space.sample())
    assert rewards.shape == (3,) and terminated.dtype == bool and truncated.dtype == bool
    venv.close()


def test_make_vec_passes_kwargs() -> None:
    venv = gymnasium.make_vec(
        "Tidebreak/Duel-v0",
        num_envs=2,
        vectorization_mode="vector_entry_point",
        action_mode="multidiscrete",
        opponent="idle",
    )
    assert venv.single_action_space == gymnasium.spaces.MultiDiscrete([5, 5, 4, 3, 2])
    assert venv.package["ships"][1]["controller"] == "idle"
    venv.reset(seed=1)
    assert venv.action_masks().shape == (2, 19)
    venv.close()


def test_same_step_autoreset_infos() -> None:
    venv = TidebreakVectorEnv(2, short_duel(4))
    venv.reset(seed=[10, 11])
    zero = np.zeros((2, 7), np.float32)
    for _ in range(3):
        _, _, term, trunc, infos = venv.step(zero)
        assert "final_obs" not in infos and not (term | trunc).any()
    obs, rewards, term, trunc, infos = venv.step(zero)
    assert trunc.all() and not term.any()
    assert infos["_final_obs"].all() and infos["_final_info"].all()
    time_left = -2  # context.time_left
    assert all(o[time_left] == 0 for o in infos["final_obs"]), "final_obs ends the old episode"
    assert (obs[:, time_left] == 1).all(), "obs starts the next one"
    assert list(infos["final_info"]["outcome"]) == ["draw", "draw"]
    assert (infos["final_info"]["reward_terms"][:, 6] == 1).all()
    assert (infos["reward_terms"] == 0).all(), "top-level infos of reset envs are reset infos"
    venv.close()


def test_seeds_come_from_seed_sequence() -> None:
    seeds = tidebreak.gym.env_seeds(42, 4)
    assert seeds == [int(s) for s in np.random.SeedSequence(42).generate_state(4, np.uint64)]
    assert len(set(seeds)) == 4


def _step_singles_and_compare(
    venv: TidebreakVectorEnv, singles: list[TidebreakEnv], actions: np.ndarray
) -> None:
    obs, rewards, term, trunc, infos = venv.step(actions)
    for i, env in enumerate(singles):
        s_obs, s_rew, s_term, s_trunc, s_info = env.step(actions[i])
        assert s_rew == rewards[i]
        assert (s_term, s_trunc) == (term[i], trunc[i])
        if s_term or s_trunc:
            np.testing.assert_array_equal(infos["final_obs"][i], s_obs)
            np.testing.assert_array_equal(infos["final_info"]["reward_terms"][i], s_info["reward_terms"])
            assert infos["final_info"]["outcome"][i] == s_info["outcome"]
            s_obs, s_info = env.reset()  # continue the seed sequence, as the batch does
        else:
            np.testing.assert_array_equal(infos["reward_terms"][i], s_info["reward_terms"])
        np.testing.assert_array_equal(obs[i], s_obs)
        np.testing.assert_array_equal(infos["action_mask"][i], s_info["action_mask"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**63),
    num_envs=st.integers(1, 6),
    time_limit=st.integers(2, 9),
    steps=st.integers(1, 30),
    action_seed=st.integers(0, 2**32 - 1),
    action_mode=st.sampled_from(["box", "multidiscrete"]),
    per_env_seeds=st.booleans(),
)
def test_vector_equals_singles(
    seed: int,
    num_envs: int,
    time_limit: int,
    steps: int,
    action_seed: int,
    action_mode: str,
    per_env_seeds: bool,
) -> None:
    pkg = short_duel(time_limit)
    kwargs = {"opponent": "random", "action_mode": action_mode, "reward_weights": "dense"}
    venv = TidebreakVectorEnv(num_envs, pkg, **kwargs)
    singles = [TidebreakEnv(pkg, **kwargs) for _ in range(num_envs)]
    if per_env_seeds:
        rng = np.random.default_rng(seed)
        seeds: list[int | None] = [
            None if rng.random() < 0.3 else int(rng.integers(0, 2**40)) for _ in range(num_envs)
        ]
        obs, infos = venv.reset(seed=seeds)
    else:
        seeds = list(tidebreak.gym.env_seeds(seed, num_envs))
        obs, infos = venv.reset(seed=seed)
    for i, env in enumerate(singles):
        s_obs, s_info = env.reset(seed=seeds[i])
        np.testing.assert_array_equal(obs[i], s_obs)
        np.testing.assert_array_equal(infos["action_mask"][i], s_info["action_mask"])
    space = venv.action_space
    space.seed(action_seed)
    for _ in range(steps):
        actions = space.sample()
        if action_mode == "box":
            actions = actions * 1.5  # out-of-range values are clipped the same way
        _step_singles_and_compare(venv, singles, actions)
    venv.close()
    for env in singles:
        env.close()


def test_set_stage_rebuilds(monkeypatch: pytest.MonkeyPatch) -> None:
    venv = TidebreakVectorEnv(2, "duel")
    venv.reset(seed=0)
    load = tidebreak.scenarios.load
    monkeypatch.setattr(tidebreak.gym._config.scenarios, "load", lambda name: load("duel"))
    venv.set_stage(2)
    assert venv.scenario == "stage2" and venv.stage == 2
    obs, _ = venv.reset(seed=0)
    assert obs.shape == (2, 126)
    venv.close()
