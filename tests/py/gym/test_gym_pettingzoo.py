"""The PettingZoo ParallelEnv: API test, spaces, masks, agents leaving."""

from __future__ import annotations

import numpy as np
import pytest
from gym_helpers import short_duel

pytest.importorskip("pettingzoo")

from pettingzoo.test import parallel_api_test  # noqa: E402

from tidebreak import scenarios  # noqa: E402
from tidebreak.engine import layout
from tidebreak.gym import parallel_env  # noqa: E402


@pytest.mark.parametrize("action_mode", ["box", "multidiscrete"])
def test_parallel_api(action_mode: str) -> None:
    env = parallel_env(scenario="duel", action_mode=action_mode)
    parallel_api_test(env, num_cycles=200)
    env.close()


@pytest.mark.parametrize("scenario", [n for n in scenarios.names() if n != "duel"])
def test_parallel_api_every_scenario(scenario: str) -> None:
    env = parallel_env(scenario=scenario, action_mode="multidiscrete")
    assert len(env.possible_agents) == len(env.package["ships"])
    parallel_api_test(env, num_cycles=60)
    env.close()


def test_parallel_api_across_episode_end() -> None:
    env = parallel_env(scenario=short_duel(6))
    parallel_api_test(env, num_cycles=20)
    env.close()


def test_every_ship_is_an_agent() -> None:
    env = parallel_env(scenario="duel", action_mode="multidiscrete")
    assert env.possible_agents == ["corvette", "submarine"]
    assert all(s["controller"] == "agent" for s in env.package["ships"])
    obs, infos = env.reset(seed=2)
    assert set(obs) == set(env.agents) == {"corvette", "submarine"}
    assert obs["submarine"][layout.OWN_FIELDS.index("layer")] == 1
    assert infos["submarine"]["action_mask"].shape == (19,)
    np.testing.assert_array_equal(env.action_mask("corvette"), infos["corvette"]["action_mask"])
    assert env.observation_space("corvette") is env.observation_space("corvette")
    env.close()


def test_episode_end_empties_agents() -> None:
    env = parallel_env(scenario=short_duel(3))
    env.reset(seed=0)
    for _ in range(3):
        assert env.agents
        obs, rewards, terms, truncs, infos = env.step({a: np.zeros(7, np.float32) for a in env.agents})
    assert env.agents == []
    assert all(truncs.values()) and not any(terms.values())
    assert infos["corvette"]["outcome"] == "draw"
    with pytest.raises(RuntimeError, match="reset"):
        env.step({})
    env.close()


def test_out_of_action_agent_leaves(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ship whose death term fires is terminated and leaves ``agents``
    while the battle goes on (forced here: the arena's weapons may not sink
    anything within a test's budget)."""
    env = parallel_env(scenario="duel")
    env.reset(seed=0)
    native = env._env()
    real_step = native.step
    death = layout.REWARD_TERMS.index("death")

    def step(actions: np.ndarray) -> tuple:
        obs, terms, term, trunc = real_step(actions)
        terms[1, death] = 1  # the submarine is put out of action
        return obs, terms, term, trunc

    monkeypatch.setattr(native, "step", step)
    obs, rewards, terms, truncs, infos = env.step({a: np.zeros(7, np.float32) for a in env.agents})
    assert terms == {"corvette": False, "submarine": True}
    assert env.agents == ["corvette"]
    monkeypatch.setattr(native, "step", real_step)
    obs, *_ = env.step({"corvette": np.zeros(7, np.float32)})
    assert set(obs) == {"corvette"}
    env.close()
