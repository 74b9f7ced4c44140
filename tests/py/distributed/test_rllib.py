"""RLlib adapter and one PPO training iteration on fleet_4v4 (slow)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

# RLlib (and torch for its PPO) come with the ray extra: these tests run in
# `make test-full` (marker "full"). Without it the module still imports, so
# that `make test` deselects its tests instead of skipping them; run anyway,
# they skip.
pytestmark = pytest.mark.full
try:
    import ray

    from tidebreak.distributed import rllib
except ImportError:
    pass


@pytest.fixture(autouse=True)
def _needs_rllib() -> None:
    pytest.importorskip(
        "ray.rllib", reason="ray[rllib] is not installed (optional extra: pip install 'tidebreak[ray]')"
    )


def _short_fleet() -> dict:
    from tidebreak import scenarios

    pkg = scenarios.load("fleet_4v4")
    pkg["time_limit_s"] = 20
    return pkg


def test_adapter_plays_a_battle_like_the_pettingzoo_env() -> None:
    from tidebreak.gym import parallel_env

    env = rllib.TidebreakMultiAgentEnv({"scenario": _short_fleet(), "seed": 4})
    ref = parallel_env(_short_fleet())
    assert env.possible_agents == ref.possible_agents
    assert set(env.observation_spaces) == set(env.possible_agents)
    obs, infos = env.reset()
    ref_obs, _ = ref.reset(seed=4)  # runner 0, sub-env 0 starts from the base seed
    assert all(np.array_equal(obs[a], ref_obs[a]) for a in obs)
    rng = np.random.default_rng(0)
    steps = 0
    while True:
        actions = {a: rng.uniform(-1, 1, env.action_spaces[a].shape).astype(np.float32) for a in env.agents}
        obs, rew, term, trunc, infos = env.step(actions)
        ref_obs, ref_rew, *_ = ref.step(actions)
        assert rew == ref_rew and all(np.array_equal(obs[a], ref_obs[a]) for a in obs)
        steps += 1
        if term["__all__"] or trunc["__all__"]:
            break
        assert set(env.agents) == set(obs)
    assert steps == 20  # one env step per second of battle
    assert all("outcome" in i for i in infos.values())
    env.close()
    ref.close()


def test_team_mapping() -> None:
    mapping = rllib.team_policy_mapping("fleet_4v4")
    assert mapping("b-frigate-1", None) == "blue" and mapping("r-submarine-1", None) == "red"


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[None]:
    if ray.is_initialized():
        ray.shutdown()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.mark.slow
def test_one_ppo_iteration_on_fleet_4v4(ray_instance: None) -> None:
    pytest.importorskip("torch", reason="RLlib's PPO needs torch")
    pkg = _short_fleet()
    pkg["time_limit_s"] = 60
    config = rllib.ppo_config(
        pkg, num_env_runners=2, train_batch_size=1200, minibatch_size=400, num_epochs=1, train_teams=("blue",)
    )
    algo = config.build_algo()

    def weights(module_id: str) -> list[np.ndarray]:
        state = algo.learner_group.get_weights(module_ids=[module_id])[module_id]
        return [np.array(v, copy=True) for _, v in sorted(state.items())]

    try:
        before = {m: weights(m) for m in ("blue", "red")}
        result = algo.train()
        after = {m: weights(m) for m in ("blue", "red")}
    finally:
        algo.stop()
    runners = result["env_runners"]
    assert runners["num_env_steps_sampled_lifetime"] >= 1200
    assert runners["num_episodes_lifetime"] >= 1
    assert set(runners["module_episode_returns_mean"]) == {"blue", "red"}
    assert "blue" in result["learners"]
    assert any(not np.array_equal(a, b) for a, b in zip(before["blue"], after["blue"]))  # blue learned
    assert all(np.array_equal(a, b) for a, b in zip(before["red"], after["red"]))  # red is frozen
