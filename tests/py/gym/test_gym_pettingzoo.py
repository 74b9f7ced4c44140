"""The PettingZoo ParallelEnv: API test, spaces, masks, agents leaving."""

from __future__ import annotations

import numpy as np
import pytest
from gym_helpers import SCENARIOS, short_duel

pytest.importorskip("pettingzoo")

from pettingzoo.test import api_test, parallel_api_test, parallel_seed_test, render_test  # noqa: E402
from pettingzoo.utils.conversions import parallel_to_aec  # noqa: E402

from tidebreak.engine import layout
from tidebreak.gym import parallel_env  # noqa: E402
from tidebreak.gym.render import NoDisplayError  # noqa: E402


@pytest.mark.parametrize("action_mode", ["box", "multidiscrete"])
def test_parallel_api(action_mode: str) -> None:
    env = parallel_env(scenario="duel", action_mode=action_mode)
    parallel_api_test(env, num_cycles=200)
    env.close()


@pytest.mark.parametrize("scenario", [n for n in SCENARIOS if n != "duel"])
def test_parallel_api_every_scenario(scenario: str) -> None:
    env = parallel_env(scenario=scenario, action_mode="multidiscrete")
    assert len(env.possible_agents) == len(env.package["ships"])
    parallel_api_test(env, num_cycles=60)
    env.close()


@pytest.mark.parametrize("action_mode", ["box", "multidiscrete"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_aec_api_test(scenario: str, action_mode: str) -> None:
    """PettingZoo's api_test on the AEC form: its random agent samples with
    ``action_space(agent).sample(info["action_mask"])`` in multidiscrete mode."""
    env = parallel_to_aec(parallel_env(scenario=scenario, action_mode=action_mode))
    api_test(env, num_cycles=8)
    env.close()


@pytest.mark.parametrize("action_mode", ["box", "multidiscrete"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_parallel_seed_test(scenario: str, action_mode: str) -> None:
    parallel_seed_test(lambda: parallel_env(scenario=scenario, action_mode=action_mode), num_cycles=10)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_render_test(scenario: str, display: str | None) -> None:
    def make(render_mode: str | None = None) -> object:
        return parallel_to_aec(
            parallel_env(scenario=scenario, action_mode="multidiscrete", render_mode=render_mode)
        )

    if display is None:  # no window can open here: the clear error, and the arrays
        with pytest.raises(NoDisplayError, match="no display"):
            make("human")
        env = make("rgb_array")
        env.reset(seed=0)
        assert env.render().shape == (488, 480, 3)
        env.close()
        return
    render_test(make)


def test_infos_mask_samples_legal_choices() -> None:
    env = parallel_env(scenario="duel", action_mode="multidiscrete")
    _, infos = env.reset(seed=1)
    for a in env.agents:
        space = env.action_space(a)
        action = space.sample(mask=infos[a]["action_mask"])
        assert space.contains(action)
        legal = infos[a]["legal_choices"]
        assert action[2] == 0 or legal[action[2] - 1]
    env.close()
    box = parallel_env(scenario="duel")
    _, infos = box.reset(seed=1)
    assert all("action_mask" not in i and i["legal_choices"].shape == (6,) for i in infos.values())
    with pytest.raises(ValueError, match="has no action mask"):
        box.action_mask("corvette")
    box.close()


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
    assert [m.shape for m in infos["submarine"]["action_mask"]] == [(5,), (5,), (4,), (3,), (2,)]
    for got, want in zip(env.action_mask("corvette"), infos["corvette"]["action_mask"], strict=True):
        np.testing.assert_array_equal(got, want)
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


def test_step_outputs_outlive_the_next_step() -> None:
    """Observations and reward terms handed out are not overwritten by later steps."""
    env = parallel_env(scenario="fleet_4v4")
    env.reset(seed=3)
    rng = np.random.default_rng(0)
    space = env.action_space(env.possible_agents[0])
    obs, _, _, _, infos = env.step({a: space.sample() for a in env.agents})
    kept = {a: (o.copy(), infos[a]["reward_terms"].copy()) for a, o in obs.items()}
    for _ in range(5):
        env.step({a: rng.uniform(-1, 1, space.shape).astype(np.float32) for a in env.agents})
    for a, (o, t) in kept.items():
        np.testing.assert_array_equal(obs[a], o)
        np.testing.assert_array_equal(infos[a]["reward_terms"], t)
    env.close()
