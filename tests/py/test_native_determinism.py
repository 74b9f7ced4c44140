"""Determinism through Python: same seed and actions, same observations."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidebreak import NativeEnv, NativeVecEnv, scenarios

DUEL = scenarios.load("duel", controllers={"corvette": "agent"})

actions_st = st.lists(
    st.lists(st.floats(-1, 1, allow_nan=False, width=32), min_size=7, max_size=7),
    min_size=1,
    max_size=60,
)


def _rollout(seed: int, actions: list[list[float]]) -> np.ndarray:
    with NativeEnv(DUEL) as env:
        env.reset(seed=seed)
        out = []
        for a in actions:
            obs, rew, term, trunc = env.step(np.asarray(a, np.float32))
            out.append(np.concatenate([obs.ravel(), rew.ravel()]))
            if term or trunc:
                break
        return np.stack(out)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(1, 2**64 - 1), actions=actions_st)
def test_same_seed_and_actions_give_identical_observations(seed: int, actions: list[list[float]]) -> None:
    a = _rollout(seed, actions)
    b = _rollout(seed, actions)
    assert a.tobytes() == b.tobytes()


@settings(max_examples=10, deadline=None)
@given(seeds=st.lists(st.integers(1, 2**63), min_size=1, max_size=5), steps=st.integers(1, 40))
def test_vector_env_equals_single_envs(seeds: list[int], steps: int) -> None:
    rng = np.random.default_rng(len(seeds) * 1000 + steps)
    acts = rng.uniform(-1, 1, size=(steps, len(seeds), 7)).astype(np.float32)
    with NativeVecEnv(DUEL, len(seeds)) as venv:
        venv.reset(seeds)
        vec = [venv.step(a)[0].copy() for a in acts]
    for i, seed in enumerate(seeds):
        with NativeEnv(DUEL) as env:
            env.reset(seed=seed)
            for t in range(steps):
                obs = env.step(acts[t, i])[0]
                assert obs.tobytes() == vec[t][i : i + 1].tobytes()


def test_different_seeds_move_the_random_submarine_differently() -> None:
    import json

    zero = np.zeros(7, np.float32)
    positions = []
    with NativeEnv(DUEL) as env:
        for seed in (1, 2):
            env.reset(seed=seed)
            for _ in range(60):
                env.step(zero)
            positions.append(json.loads(env.save())["world"]["ships"][1]["kinematics"])
    assert positions[0] != positions[1]
