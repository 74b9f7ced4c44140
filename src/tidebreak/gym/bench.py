"""Throughput of the native vector env against Gymnasium's SyncVectorEnv,
and the cost of rendering.

``python -m tidebreak.gym.bench`` prints the comparison;
``python -m tidebreak.bench`` calls :func:`compare_sync_vs_native` too.
``python -m tidebreak.gym.bench --render`` times ``render()`` instead
(:func:`render_cost`), in a fresh interpreter so that the first frame pays
for what a new process pays; ``--parallel fleet_128v128`` the PettingZoo
parallel env with every ship an agent (:func:`bench_parallel`).
Numbers depend on the machine and its load: quote them with the command.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from typing import Any

import gymnasium
import numpy as np

import tidebreak.gym  # noqa: F401 - registers the ids

__all__ = ["bench_parallel", "compare_sync_vs_native", "render_cost"]


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


_RENDER_PROBE = """
import json, sys, time
t0 = time.perf_counter()
import gymnasium, numpy as np, tidebreak.gym
env = gymnasium.make(sys.argv[1], render_mode="rgb_array", render_view=sys.argv[3])
env.reset(seed=0)
env.action_space.seed(0)
t1 = time.perf_counter()
env.render()
first = time.perf_counter() - t1
times = []
for _ in range(int(sys.argv[2])):
    _, _, terminated, truncated, _ = env.step(env.action_space.sample())
    if terminated or truncated:
        env.reset()
    t = time.perf_counter()
    env.render()
    times.append(time.perf_counter() - t)
env.close()
print(json.dumps({"first_ms": 1000 * first, "frame_ms": 1000 * float(np.median(times))}))
"""


def render_cost(
    env_id: str = "Tidebreak/Duel-v0", frames: int = 100, render_view: str = "agent", repeats: int = 3
) -> dict[str, Any]:
    """Milliseconds for the first ``render()`` of a new process's env
    (``first_ms``: all it loads on the way included) and the median of the
    ``frames`` after it, one per step (``frame_ms``); the best of ``repeats``
    fresh interpreters for each.

    >>> r = render_cost(frames=2, repeats=1)
    >>> r["first_ms"] > 0 and r["frame_ms"] > 0
    True
    """
    runs = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", _RENDER_PROBE, env_id, str(frames), render_view],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {
        "env_id": env_id,
        "render_view": render_view,
        "frames": frames,
        "repeats": repeats,
        "first_ms": min(r["first_ms"] for r in runs),
        "frame_ms": min(r["frame_ms"] for r in runs),
    }


def bench_parallel(
    scenario: str = "fleet_128v128", steps: int = 50, repeats: int = 3, seed: int = 0
) -> dict[str, Any]:
    """Agent-steps per second of ``parallel_env(scenario)`` (every ship an agent).

    Every step of the parallel env is one native call for all agents; the
    rest is Python: the action dict in, the per-agent dicts out. The env is
    timed over ``steps`` steps of random actions (resetting when every agent
    is done), ``repeats`` times, and the best run counts; the time spent in
    the native call is taken inside the same run. Returns
    ``agent_steps_per_s``, ``step_ms``, ``native_step_ms`` and
    ``python_us_per_agent`` (the rest, per agent) with the settings.

    >>> r = bench_parallel("fleet_4v4", steps=3, repeats=1)
    >>> r["agents"], r["agent_steps_per_s"] > 0
    (8, True)
    """
    from tidebreak.gym.multiagent import parallel_env

    env = parallel_env(scenario=scenario)
    env.reset(seed=seed)
    space = env.action_space(env.possible_agents[0])
    space.seed(seed)
    actions = [{a: space.sample() for a in env.possible_agents} for _ in range(steps)]
    native: Any = env._env()
    native_step = native.step
    inside = 0.0

    def timed_step(a: Any) -> Any:
        nonlocal inside
        t = time.perf_counter()
        out = native_step(a)
        inside += time.perf_counter() - t
        return out

    native.step = timed_step
    best: tuple[float, float, int] = (float("inf"), 0.0, 0)
    try:
        for r in range(repeats):
            env.reset(seed=seed + r)
            stepped, inside = 0, 0.0
            t0 = time.perf_counter()
            for a in actions:
                if not env.agents:
                    env.reset()
                stepped += len(env.agents)
                env.step(a)
            elapsed = time.perf_counter() - t0
            if elapsed < best[0]:
                best = (elapsed, inside, stepped)
    finally:
        env.close()
    elapsed, inside, stepped = best
    return {
        "scenario": scenario,
        "agents": len(env.possible_agents),
        "steps": steps,
        "repeats": repeats,
        "agent_steps_per_s": stepped / elapsed,
        "step_ms": elapsed / steps * 1e3,
        "native_step_ms": inside / steps * 1e3,
        "python_us_per_agent": (elapsed - inside) / stepped * 1e6,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env-id", default="Tidebreak/Duel-v0")
    parser.add_argument("--num-envs", type=int, default=256)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each; the best counts")
    parser.add_argument("--action-mode", default="box", choices=["box", "multidiscrete"])
    parser.add_argument("--render", action="store_true", help="time render() instead (rgb_array)")
    parser.add_argument("--render-view", default="agent", choices=["agent", "truth"])
    parser.add_argument(
        "--parallel", metavar="SCENARIO", help="measure the PettingZoo parallel env on SCENARIO instead"
    )
    args = parser.parse_args(argv)
    if args.parallel:
        result = bench_parallel(args.parallel, min(args.steps, 50), args.repeats)
    elif args.render:
        result = render_cost(args.env_id, args.steps, args.render_view, repeats=min(args.repeats, 3))
    else:
        result = compare_sync_vs_native(
            args.env_id, args.num_envs, args.steps, repeats=args.repeats, action_mode=args.action_mode
        )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
