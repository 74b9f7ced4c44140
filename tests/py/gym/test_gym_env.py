"""The single-agent Gymnasium env: checkers, infos, kwargs, rendering."""

from __future__ import annotations

import math
import warnings
from typing import Any

import gymnasium
import numpy as np
import pytest
from gym_helpers import AVAILABLE_IDS, short_duel
from gymnasium.utils.env_checker import check_env

import tidebreak.gym
from tidebreak.engine import layout
from tidebreak.engine.layout import NUM_REWARD_TERMS
from tidebreak.gym import STRATEGIC_ID
from tidebreak.gym.env import TidebreakEnv
from tidebreak.gym.render import NoDisplayError

ZERO = np.zeros(7, np.float32)


def test_every_id_is_registered() -> None:
    for env_id in tidebreak.gym.ENV_IDS:
        assert env_id in gymnasium.registry
    assert "Tidebreak/Duel-v0" in AVAILABLE_IDS


@pytest.mark.parametrize("action_mode", ["box", "multidiscrete"])
@pytest.mark.parametrize("env_id", AVAILABLE_IDS)
def test_gymnasium_check_env(env_id: str, action_mode: str, display: str | None) -> None:
    env = gymnasium.make(env_id, action_mode=action_mode, render_mode="rgb_array")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if display is not None:
            check_env(env.unwrapped)  # every declared render mode, "human" included
        else:  # no display here: everything but the window, and the window's clear error
            check_env(env.unwrapped, skip_render_check=True)
            with pytest.raises(NoDisplayError, match="no display"):
                gymnasium.make(env_id, render_mode="human")
    # Every observation index is bounded, so the checker has no bound to complain about.
    assert not [str(w.message) for w in caught if "Box observation space" in str(w.message)]
    env.close()


def test_gymnasium_check_env_strategic() -> None:
    env = gymnasium.make(STRATEGIC_ID, max_days=20)
    check_env(env.unwrapped)
    env.close()


@pytest.mark.full
@pytest.mark.parametrize("action_mode", ["box", "multidiscrete"])
@pytest.mark.parametrize("env_id", AVAILABLE_IDS)
def test_sb3_check_env(env_id: str, action_mode: str) -> None:
    sb3_env_checker = pytest.importorskip("stable_baselines3.common.env_checker")
    env = gymnasium.make(env_id, action_mode=action_mode)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sb3_env_checker.check_env(env.unwrapped, warn=True)
    assert [str(w.message) for w in caught] == []
    env.close()


@pytest.mark.full
def test_sb3_check_env_strategic() -> None:
    sb3_env_checker = pytest.importorskip("stable_baselines3.common.env_checker")
    env = gymnasium.make(STRATEGIC_ID, max_days=20)
    sb3_env_checker.check_env(env.unwrapped, warn=True)
    env.close()


def test_infos_hold_masks_legal_choices_and_terms() -> None:
    env = TidebreakEnv(short_duel(5), action_mode="multidiscrete")
    obs, info = env.reset(seed=3)
    assert obs.shape == (layout.obs_size(8),) and obs.dtype == np.float32
    mask = info["action_mask"]
    assert isinstance(mask, tuple) and [m.shape for m in mask] == [(5,), (5,), (4,), (3,), (2,)]
    assert all(m.dtype == np.int8 for m in mask)
    flat = env.action_masks()
    assert flat.shape == (19,) and flat.dtype == bool
    np.testing.assert_array_equal(flat, np.concatenate(mask).astype(bool))
    legal = info["legal_choices"]
    assert legal.shape == (6,) and legal.dtype == bool
    assert mask[2].tolist() == [1, *legal[:3].astype(int)], "fire: none, then gun/torpedo/asw as legal"
    assert info["reward_terms"].shape == (NUM_REWARD_TERMS,)
    done, steps = False, 0
    while not done:
        obs, reward, terminated, truncated, info = env.step(np.array([4, 2, 0, 0, 0]))
        steps += 1
        done = terminated or truncated
        assert info["reward_terms"][layout.REWARD_TERMS.index("time")] == 1
        assert isinstance(reward, float)
    assert steps == 5 and truncated and not terminated
    assert info["outcome"] == "draw" and info["is_success"] is False
    with pytest.raises(tidebreak.NativeError, match="episode is over"):
        env.step(np.array([2, 2, 0, 0, 0]))
    env.close()


@pytest.mark.parametrize("env_id", AVAILABLE_IDS)
def test_space_sample_takes_the_info_mask(env_id: str) -> None:
    """``action_space.sample(mask=info["action_mask"])`` draws only legal
    choices (multidiscrete); a Box has no mask, and says where to look."""
    env = gymnasium.make(env_id, action_mode="multidiscrete", opponent="idle")
    _, info = env.reset(seed=1)
    env.action_space.seed(0)
    seen_illegal = False
    for _ in range(60):
        action = env.action_space.sample(mask=info["action_mask"])
        legal = info["legal_choices"]
        fire, layer, ping = int(action[2]), int(action[3]), int(action[4])
        assert fire == 0 or legal[fire - 1], f"sampled fire choice {fire} while {legal[:3]} are legal"
        assert layer == 0 or legal[2 + layer], f"sampled layer choice {layer} while dive/surface {legal[3:5]}"
        assert ping == 0 or legal[5]
        seen_illegal |= not legal.all()
        _, _, terminated, truncated, info = env.step(action)
        if terminated or truncated:
            _, info = env.reset()
    assert seen_illegal, "some choices were ruled out, so the mask was put to work"
    env.close()
    box = gymnasium.make(env_id)
    _, info = box.reset(seed=1)
    assert "action_mask" not in info and info["legal_choices"].shape == (6,)
    box.step(box.action_space.sample())
    with pytest.raises(ValueError, match=r"has no action mask .*legal_choices"):
        box.unwrapped.action_masks()
    box.close()


def test_reward_weights_and_callables() -> None:
    weights = {"time": -0.5}
    env = TidebreakEnv(short_duel(5), reward_weights=weights)
    env.reset(seed=1)
    assert env.step(np.zeros(7, np.float32))[1] == -0.5
    env.close()
    env = TidebreakEnv(short_duel(5), reward_weights=lambda t: t[..., 7] * 3.0)
    env.reset(seed=1)
    assert env.step(np.zeros(7, np.float32))[1] == 3.0
    env.close()


def test_seeds_reproduce_and_differ() -> None:
    def rollout(seed: int) -> tuple[np.ndarray[Any, Any], bytes]:
        env = TidebreakEnv("duel", opponent="random")
        first, _ = env.reset(seed=seed)
        rng = np.random.default_rng(0)
        out = [first]
        for _ in range(40):
            out.append(env.step(rng.uniform(-1, 1, 7).astype(np.float32))[0])
        state = env._native.save()
        env.close()
        return np.stack(out), state

    (a, state_a), (b, state_b) = rollout(5), rollout(5)
    np.testing.assert_array_equal(a, b)
    assert state_a == state_b
    assert rollout(6)[1] != state_a, "another seed plays another battle"


def test_agent_ship_and_opponent() -> None:
    env = TidebreakEnv("duel", agent_ship="submarine", opponent="idle")
    ships = {s["ship_id"]: s["controller"] for s in env.package["ships"]}
    assert ships == {"submarine": "agent", "corvette": "idle"}
    obs, _ = env.reset(seed=1)
    assert obs[layout.OWN_FIELDS.index("layer")] == 1, "the submarine starts submerged"
    env.close()
    default = TidebreakEnv("duel")
    assert default.agent_ship == "corvette"
    with pytest.raises(KeyError, match="no ship 'destroyer'"):
        TidebreakEnv("duel", agent_ship="destroyer")
    with pytest.raises(KeyError, match="unknown scenario"):
        TidebreakEnv("no_such_scenario")


def test_every_id_has_its_episode_length() -> None:
    for env_id, scenario in tidebreak.gym.ENV_IDS.items():
        names = [scenario] if scenario else [f"stage{n}" for n in range(1, 7)]
        want = max(math.ceil(tidebreak.scenarios.load(n)["time_limit_s"]) for n in names)
        assert gymnasium.spec(env_id).max_episode_steps == want, env_id
    strategic = gymnasium.spec(STRATEGIC_ID)
    assert strategic.max_episode_steps == strategic.kwargs["max_days"] == 365


def test_time_limit_wrapper_and_arena_end_the_episode_together() -> None:
    env = gymnasium.make("Tidebreak/GunDuel-v0", opponent="idle")
    env.reset(seed=0)
    steps, done, info = 0, False, {}
    while not done:
        _, _, terminated, truncated, info = env.step(ZERO)
        steps += 1
        done = terminated or truncated
    assert steps == gymnasium.spec("Tidebreak/GunDuel-v0").max_episode_steps
    assert truncated and info["outcome"] == "draw", "the arena's own time limit ended it too"
    env.close()


def test_curriculum_id_uses_stage() -> None:
    spec = gymnasium.spec("Tidebreak/Curriculum-v0")
    assert spec.kwargs == {"scenario": None, "stage": 1}
    with pytest.raises(ValueError, match="stage"):
        TidebreakEnv(stage=7)


@pytest.mark.parametrize("env_id", AVAILABLE_IDS)
def test_each_id_has_one_armed_agent(env_id: str) -> None:
    env = gymnasium.make(env_id).unwrapped
    agents = [s for s in env.package["ships"] if s["controller"] == "agent"]
    assert [s["ship_id"] for s in agents] == [env.agent_ship]
    assert agents[0].get("weapons"), f"{env_id}: the agent ship {env.agent_ship} has no weapons"
    env.close()


def test_record_dir_writes_verified_replays(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import gymnasium as gym

    import tidebreak
    import tidebreak.gym  # noqa: F401

    env = gym.make("Tidebreak/GunDuel-v0", record_dir=tmp_path, opponent="idle")
    env.reset(seed=3)
    done, info = False, {}
    steps = 0
    while not done and steps < 700:
        _, _, terminated, truncated, info = env.step(env.action_space.sample())
        done = terminated or truncated
        steps += 1
    env.close()
    assert done
    path = info["record_path"]
    assert path.endswith(".tbr") and tidebreak.replay(path).ok
