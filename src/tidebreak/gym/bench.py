"""Throughput of the native vector env against Gymnasium's SyncVectorEnv.

``python -m tidebreak.gym.bench`` prints the comparison;
``python -m tidebreak.bench`` calls :func:`compare_sync_vs_native` too.
Numbers depend on the machine and its load: quote them with the command.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import gymnasium
import numpy as np

import tidebreak.gym  # noqa: F401 - registers the ids

__all__ = ["compare_sync_vs_native"]


def _rate(venv: Any, actions: np.ndarray, seed: int) -> float:
    venv.reset(seed=seed)
    venv.step(actions[0])  # warm up (first native call, buffers)
    t0 = time.perf_counter()
    for a in actions:
        venv.step(a)
    elapsed = time.perf_counter() - t0
    return float(actions.shape[0] * actions.shape[1] / elapsed)


def compare_sync_vs_native(
    env_id: str = "Tidebreak/Duel-v0",
    num_envs: int = 256,
    steps: int = 200,
    seed: int = 0,
    repeats: int = 5,
    **env_kwargs: Any,
) -> dict[str, Any]:
    """Env steps per second: SyncVectorEnv over single envs vs the native vector env.

    Both step ``num_envs`` envs ``steps`` times from the same reset with the
    same random actions (autoresets included), so they play the same
    episodes. The two are timed in turn ``repeats`` times and each keeps its
    best run, which filters out the machine's other load. Returns
    ``sync_steps_per_s``, ``native_steps_per_s``, ``speedup`` and the
    settings.

    >>> r = compare_sync_vs_native(num_envs=2, steps=3, repeats=1)
    >>> r["speedup"] == r["native_steps_per_s"] / r["sync_steps_per_s"]
    True
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1 (got {repeats})")
    probe: Any = gymnasium.make(env_id, **env_kwargs)
    probe.action_space.seed(seed)
    single = [probe.action_space.sample() for _ in range(num_envs * (steps + 1))]
    probe.close()
    actions = np.asarray(single).reshape(steps + 1, num_envs, -1)
    sync = gymnasium.make_vec(env_id, num_envs=num_envs, vectorization_mode="sync", **env_kwargs)
    native = gymnasium.make_vec(
        env_id, num_envs=num_envs, vectorization_mode="vector_entry_point", **env_kwargs
    )
    sync_rate = native_rate = 0.0
    try:
        for _ in range(repeats):
            sync_rate = max(sync_rate, _rate(sync, actions, seed))
            native_rate = max(native_rate, _rate(native, actions, seed))
    finally:
        sync.close()
        native.close()
    return {
        "env_id": env_id,
        "num_envs": num_envs,
        "steps": steps,
        "repeats": repeats,
        "sync_steps_per_s": sync_rate,
        "native_steps_per_s": native_rate,
        "speedup": native_rate / sync_rate,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env-id", default="Tidebreak/Duel-v0")
    parser.add_argument("--num-envs", type=int, default=256)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each; the best counts")
    parser.add_argument("--action-mode", default="box", choices=["box", "multidiscrete"])
    args = parser.parse_args(argv)
    result = compare_sync_vs_native(
        args.env_id, args.num_envs, args.steps, repeats=args.repeats, action_mode=args.action_mode
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
