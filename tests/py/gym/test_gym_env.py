"""The single-agent Gymnasium env: checkers, infos, kwargs, rendering."""

from __future__ import annotations

import json
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
from tidebreak.gym.env import TidebreakEnv


def test_every_id_is_registered() -> None:
    for env_id in tidebreak.gym.ENV_IDS:
        assert env_id in gymnasium.registry
    assert "Tidebreak/Duel-v0" in AVAILABLE_IDS


@pytest.mark.usefixtures("quiet_inf_bounds")
@pytest.mark.parametrize("action_mode", ["box", "multidiscrete"])
@pytest.mark.parametrize("env_id", AVAILABLE_IDS)
def test_gymnasium_check_env(env_id: str, action_mode: str) -> None:
    env = gymnasium.make(env_id, action_mode=action_mode, render_mode="rgb_array")
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


def test_infos_hold_mask_and_terms() -> None:
    env = TidebreakEnv(short_duel(5), action_mode="multidiscrete")
    obs, info = env.reset(seed=3)
    assert obs.shape == (layout.obs_size(8),) and obs.dtype == np.float32
    assert info["action_mask"].shape == (19,) and info["action_mask"].dtype == bool
    np.testing.assert_array_equal(env.action_masks(), info["action_mask"])
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


def test_curriculum_id_uses_stage() -> None:
    spec = gymnasium.spec("Tidebreak/Curriculum-v0")
    assert spec.kwargs == {"scenario": None, "stage": 1}
    with pytest.raises(ValueError, match="stage"):
        TidebreakEnv(stage=7)


def test_render_rgb_array() -> None:
    env = gymnasium.make("Tidebreak/Duel-v0", render_mode="rgb_array")
    env.reset(seed=0)
    env.step(env.action_space.sample())
    frame = env.render()
    assert isinstance(frame, np.ndarray) and frame.dtype == np.uint8
    assert frame.ndim == 3 and frame.shape[2] == 3 and frame.shape[0] > 100
    assert frame.std() > 0
    env.close()
    assert TidebreakEnv("duel").render() is None
    with pytest.raises(ValueError, match="render_view"):
        TidebreakEnv("duel", render_mode="rgb_array", render_view="periscope")


@pytest.mark.parametrize("view", ["agent", "truth"])
def test_render_draws_the_agents_view_or_the_ground_truth(view: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import tidebreak.replays.render.mpl as mpl

    drawn: list[tuple[dict, str | None]] = []
    draw = mpl.draw_frame
    monkeypatch.setattr(
        mpl,
        "draw_frame",
        lambda ax, scene, frame, pov=None, **kw: (
            drawn.append((frame, pov)),
            draw(ax, scene, frame, pov, **kw),
        ),
    )
    env = TidebreakEnv("gun_duel", render_mode="rgb_array", render_view=view)
    env.reset(seed=3)
    fire = np.array([1, 0, 1, 0, 0, 0, 0], np.float32)  # full ahead, gun
    for _ in range(200):
        env.step(fire)
        if any(p["alive"] for p in json.loads(env._env().save())["world"]["projectiles"]):
            break
    frame = env.render()
    state, pov = drawn[-1]
    assert pov == (env.agent_ship if view == "agent" else None)
    assert state["projectiles"], "shells in flight reach the frame"
    assert {s["id"] for s in state["ships"]} == {s["ship_id"] for s in env.package["ships"]}
    assert frame is not None and frame.shape[2] == 3
    env.close()


def test_render_views_differ_where_the_agent_has_no_contact() -> None:
    frames = {}
    for view in ("agent", "truth"):
        env = TidebreakEnv("duel", render_mode="rgb_array", render_view=view)
        env.reset(seed=1)
        frames[view] = env.render()
        env.close()
    assert frames["agent"].shape == frames["truth"].shape
    assert not np.array_equal(frames["agent"], frames["truth"])


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
