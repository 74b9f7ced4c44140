"""Lifecycle and shape errors: each misuse gets a clear error naming the
expected state or shape (one test per case)."""

from __future__ import annotations

import math
from typing import Any

import gymnasium
import numpy as np
import pytest
from gym_helpers import short_duel

import tidebreak
import tidebreak.gym
from tidebreak import scenarios
from tidebreak.contracts import ContractError, UnknownFieldWarning
from tidebreak.engine import layout
from tidebreak.engine.native_env import NativeEnv, NativeVecEnv
from tidebreak.gym.env import TidebreakEnv
from tidebreak.gym.vector import TidebreakVectorEnv

ZERO = np.zeros(7, np.float32)


def _agent_duel() -> dict[str, Any]:
    return scenarios.load("duel", controllers={"corvette": "agent"})


# --- after close() -------------------------------------------------------------------------


@pytest.mark.parametrize("wrapped", [True, False])
def test_single_env_refuses_step_and_reset_after_close(wrapped: bool) -> None:
    env: Any = gymnasium.make("Tidebreak/Duel-v0") if wrapped else TidebreakEnv("duel")
    env.reset(seed=0)
    env.close()
    with pytest.raises(RuntimeError, match="TidebreakEnv is closed; make a new env"):
        env.step(ZERO)
    with pytest.raises(RuntimeError, match="TidebreakEnv is closed; make a new env"):
        env.reset(seed=0)
    env.close()  # closing twice is allowed
    assert env.unwrapped._native is None, "no native env was built again"


def test_vector_env_refuses_step_and_reset_after_close() -> None:
    venv = gymnasium.make_vec("Tidebreak/Duel-v0", num_envs=2, vectorization_mode="vector_entry_point")
    venv.reset(seed=0)
    venv.close()
    with pytest.raises(RuntimeError, match="TidebreakVectorEnv is closed; make a new env"):
        venv.step(np.zeros((2, 7), np.float32))
    with pytest.raises(RuntimeError, match="TidebreakVectorEnv is closed; make a new env"):
        venv.reset(seed=0)
    assert venv._native is None


def test_parallel_env_refuses_step_and_reset_after_close() -> None:
    pytest.importorskip("pettingzoo")
    env = tidebreak.gym.parallel_env(scenario="duel")
    env.reset(seed=0)
    env.close()
    with pytest.raises(RuntimeError, match="TidebreakParallelEnv is closed; make a new env"):
        env.reset(seed=0)
    with pytest.raises(RuntimeError, match="TidebreakParallelEnv is closed; make a new env"):
        env.step({a: ZERO for a in env.possible_agents})


def test_native_envs_refuse_calls_after_close() -> None:
    env = NativeEnv(_agent_duel())
    env.reset(seed=1)
    env.close()
    with pytest.raises(RuntimeError, match="NativeEnv is closed"):
        env.step(env.zero_actions())
    with pytest.raises(RuntimeError, match="NativeEnv is closed"):
        env.reset(seed=1)
    venv = NativeVecEnv(_agent_duel(), 2)
    venv.close()
    with pytest.raises(RuntimeError, match="NativeVecEnv is closed"):
        venv.reset()


# --- step() before reset() -----------------------------------------------------------------


def test_unwrapped_env_refuses_step_before_reset() -> None:
    env = gymnasium.make("Tidebreak/Duel-v0").unwrapped
    with pytest.raises(RuntimeError, match=r"TidebreakEnv: call reset\(\) before step\(\)"):
        env.step(ZERO)
    env.reset(seed=0)
    env.step(ZERO)
    env.close()


def test_vector_env_refuses_step_before_reset() -> None:
    venv = TidebreakVectorEnv(2)
    with pytest.raises(RuntimeError, match=r"TidebreakVectorEnv: call reset\(\) before step\(\)"):
        venv.step(np.zeros((2, 7), np.float32))
    venv.close()


def test_parallel_env_refuses_step_before_reset() -> None:
    pytest.importorskip("pettingzoo")
    env = tidebreak.gym.parallel_env(scenario="duel")
    with pytest.raises(RuntimeError, match=r"TidebreakParallelEnv: call reset\(\) before step\(\)"):
        env.step({a: ZERO for a in env.possible_agents})
    env.close()


def test_native_env_refuses_step_before_reset() -> None:
    with NativeEnv(_agent_duel()) as env:
        with pytest.raises(RuntimeError, match=r"NativeEnv: call reset\(\) before step\(\)"):
            env.step(env.zero_actions())
        env.reset(seed=3)
        env.step(env.zero_actions())
    with NativeVecEnv(_agent_duel(), 3) as venv:
        with pytest.raises(RuntimeError, match=r"NativeVecEnv: call reset\(\) before step\(\)"):
            venv.step(venv.zero_actions())
        with pytest.raises(RuntimeError, match="the first reset.. must reset every env"):
            venv.reset(mask=[True, False, True])


def test_set_stage_needs_a_new_reset() -> None:
    env = TidebreakEnv(stage=1)
    env.reset(seed=0)
    env.set_stage(2)
    with pytest.raises(RuntimeError, match=r"call reset\(\) before step\(\)"):
        env.step(ZERO)
    env.reset(seed=0)
    env.step(ZERO)
    env.close()


# --- action shapes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action_mode", "action", "message"),
    [
        (
            "box",
            np.zeros((1, 7), np.float32),
            r"action has shape \(1, 7\); Box\(-1.0, 1.0, \(7,\), float32\) takes shape \(7,\)",
        ),
        ("box", np.zeros(6, np.float32), r"action has shape \(6,\); .* takes shape \(7,\)"),
        (
            "multidiscrete",
            np.zeros((1, 5), np.int64),
            r"action has shape \(1, 5\); MultiDiscrete\(\[5 5 4 3 2\]\) takes shape \(5,\)",
        ),
        ("multidiscrete", 3, r"action has shape \(\); .* takes shape \(5,\)"),
    ],
)
def test_single_env_refuses_other_action_shapes(action_mode: str, action: Any, message: str) -> None:
    env = TidebreakEnv("duel", action_mode=action_mode)
    env.reset(seed=0)
    with pytest.raises(ValueError, match=message):
        env.step(action)
    env.close()


def test_vector_action_shapes_are_refused() -> None:
    venv = TidebreakVectorEnv(4)
    venv.reset(seed=0)
    with pytest.raises(
        ValueError, match=r"actions has shape \(3, 7\); Box\(.*\) × 4 envs take shape \(4, 7\)"
    ):
        venv.step(np.zeros((3, 7), np.float32))
    with pytest.raises(ValueError, match=r"actions has shape \(28,\); .* take shape \(4, 7\)"):
        venv.step(np.zeros(28, np.float32))
    venv.close()


def test_parallel_action_shapes_are_refused() -> None:
    pytest.importorskip("pettingzoo")
    env = tidebreak.gym.parallel_env(scenario="duel", action_mode="multidiscrete")
    env.reset(seed=0)
    with pytest.raises(
        ValueError, match=r"action has shape \(7,\); MultiDiscrete\(\[5 5 4 3 2\]\) takes shape \(5,\)"
    ):
        env.step({"corvette": np.zeros(7, np.int64)})
    env.close()


# --- max_tracks ----------------------------------------------------------------------------


@pytest.mark.parametrize("max_tracks", [1, 3, 8, layout.MAX_TRACKS_LIMIT])
def test_observation_matches_its_space_for_any_max_tracks(max_tracks: int) -> None:
    env = TidebreakEnv("duel", max_tracks=max_tracks)
    obs, _ = env.reset(seed=0)
    assert env.observation_space.shape == obs.shape == (layout.obs_size(max_tracks),)
    env.close()


@pytest.mark.parametrize("max_tracks", [0, -1, layout.MAX_TRACKS_LIMIT + 1])
def test_max_tracks_out_of_range_is_refused(max_tracks: int) -> None:
    want = rf"max_tracks must be within \[1, {layout.MAX_TRACKS_LIMIT}\] \(got {max_tracks}\)"
    with pytest.raises(ValueError, match=want):
        TidebreakEnv("duel", max_tracks=max_tracks)
    with pytest.raises(ValueError, match=want):
        TidebreakVectorEnv(2, max_tracks=max_tracks)
    with pytest.raises(ValueError, match=want):
        gymnasium.make("Tidebreak/Duel-v0", max_tracks=max_tracks)


def test_native_env_refuses_zero_track_slots() -> None:
    with pytest.raises(ValueError, match=r"max_tracks must be within \[1, 64\] \(got 0\)"):
        NativeEnv(_agent_duel(), max_tracks=0)
    with pytest.raises(ValueError, match=r"max_tracks must be within \[1, 64\] \(got 0\)"):
        NativeVecEnv({"package": _agent_duel(), "max_tracks": 0}, 2)


# --- scenario dicts ------------------------------------------------------------------------


def test_scenario_dict_without_ships_gets_the_contracts_error() -> None:
    pkg = short_duel()
    del pkg["ships"]
    with pytest.raises(ContractError, match=r"ships: must have at least 1 element \(got 0\)"):
        TidebreakEnv(pkg)
    with pytest.raises(ContractError, match=r"ships: must have at least 1 element \(got 0\)"):
        gymnasium.make("Tidebreak/Duel-v0", scenario=pkg)
    with pytest.raises(ContractError, match=r"ships: must have at least 1 element \(got 0\)"):
        TidebreakVectorEnv(2, pkg)


def _typos() -> dict[str, Any]:
    """The duel with the two typos issue 17 found ignored: ``controler`` and ``max_sped``."""
    pkg = scenarios.load("duel")
    pkg["ships"][0]["controler"] = "idle"
    pkg["ships"][0]["hull"]["max_sped"] = pkg["ships"][0]["hull"].pop("max_speed")
    return pkg


@pytest.mark.parametrize("interface", ["make", "vector", "parallel"])
def test_scenario_dict_typos_are_refused_with_a_suggestion(interface: str) -> None:
    make: Any = {
        "make": lambda **kw: gymnasium.make("Tidebreak/Duel-v0", **kw),
        "vector": lambda **kw: gymnasium.make_vec(
            "Tidebreak/Duel-v0", num_envs=2, vectorization_mode="vector_entry_point", **kw
        ),
        "parallel": lambda **kw: tidebreak.gym.parallel_env(**kw),
    }[interface]
    with pytest.raises(ContractError) as info:
        make(scenario=_typos())
    message = str(info.value)
    assert 'ships[0].controler: unknown field; did you mean "controller"?' in message
    assert 'ships[0].hull.max_sped: unknown field; did you mean "max_speed"?' in message
    with pytest.warns(UnknownFieldWarning, match="controler"):
        env = make(scenario=_typos(), strict=False)
    env.reset(seed=1)
    env.close()


def test_scenario_dict_with_a_bad_value_gets_the_contracts_error() -> None:
    pkg = short_duel()
    pkg["ships"][0]["hull"]["max_speed"] = -3
    with pytest.raises(ContractError, match=r"ships\[0\].hull.max_speed"):
        TidebreakEnv(pkg)


# --- episode lengths -----------------------------------------------------------------------


def test_vector_env_refuses_a_shorter_max_episode_steps() -> None:
    limit = math.ceil(scenarios.load("duel")["time_limit_s"])
    want = (
        rf"max_episode_steps=100 is shorter than the scenario's episodes \({limit} steps, its time_limit_s\)"
    )
    with pytest.raises(ValueError, match=want):
        gymnasium.make_vec(
            "Tidebreak/Duel-v0", num_envs=2, vectorization_mode="vector_entry_point", max_episode_steps=100
        )
    venv = gymnasium.make_vec("Tidebreak/Duel-v0", num_envs=2, vectorization_mode="vector_entry_point")
    venv.close()  # the registered length is accepted
