#!/usr/bin/env python3
"""Throughput of 256 native duels beside busy processes (a learner's stand-in).

In training the policy runs on the same cores as the environments. This
script starts 0, 1 and 2 busy processes (pure-Python loops) and, beside
each load, measures ``Tidebreak/Duel-v0`` as a native vector env of 256
duels with random actions: once with the library's default batch crew and
once with ``GOMAXPROCS=1`` (one thread, no crew), each in its own process
(the Go runtime reads GOMAXPROCS when the library loads). Gymnasium's
``SyncVectorEnv`` over 64 single duels is the reference. The two settings
are alternated ``--rounds`` times under each load and each keeps its best
run. Run it from the repo root in the project's environment:

    python scripts/bench_contention.py [--rounds 3] [--steps 200] [--json]

Numbers depend on the machine and its load: quote them with the command
and say what else was running.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
import time
from typing import Any

LOADS = (0, 1, 2)


def _hog(stop: Any) -> None:
    """Keep one core busy until stop is set."""
    x = 0
    while not stop.is_set():
        for _ in range(100_000):
            x += 1


def measure(kind: str, steps: int, repeats: int) -> float:
    """Best env-steps/s of a vector env of duels (``native``: 256, ``sync``: 64) in this process."""
    import gymnasium

    import tidebreak.gym  # noqa: F401 - registers the ids

    if kind == "native":
        n, mode = 256, "vector_entry_point"
    else:
        n, mode, steps = 64, "sync", max(1, steps // 5)
    venv: Any = gymnasium.make_vec("Tidebreak/Duel-v0", num_envs=n, vectorization_mode=mode)
    venv.reset(seed=0)
    venv.action_space.seed(0)
    actions = [venv.action_space.sample() for _ in range(steps)]
    venv.step(actions[0])  # warm up: the crew starts, buffers are bound
    best = 0.0
    for _ in range(repeats):
        t0 = time.perf_counter()
        for a in actions:
            venv.step(a)
        best = max(best, n * steps / (time.perf_counter() - t0))
    venv.close()
    return best


def _child(kind: str, single_thread: bool, steps: int, repeats: int) -> float:
    """measure() in a fresh interpreter, with GOMAXPROCS=1 if single_thread."""
    env = dict(os.environ)
    env.pop("GOMAXPROCS", None)
    if single_thread:
        env["GOMAXPROCS"] = "1"
    code = (
        "import json, sys; sys.path.insert(0, 'scripts'); import bench_contention as b; "
        f"print(json.dumps(b.measure({kind!r}, {steps}, {repeats})))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1]))


def run(rounds: int, steps: int, repeats: int) -> dict[str, float]:
    """All figures: native (default crew and GOMAXPROCS=1) and sync, per load."""
    ctx = mp.get_context("spawn")
    out: dict[str, float] = {}
    for load in LOADS:
        stop = ctx.Event()
        hogs = [ctx.Process(target=_hog, args=(stop,), daemon=True) for _ in range(load)]
        for h in hogs:
            h.start()
        time.sleep(0.5 if load else 0)
        try:
            best = {"crew": 0.0, "gomaxprocs1": 0.0, "sync": 0.0}
            for r in range(rounds):
                order = ["crew", "gomaxprocs1"] if r % 2 == 0 else ["gomaxprocs1", "crew"]
                for name in order:
                    best[name] = max(best[name], _child("native", name == "gomaxprocs1", steps, repeats))
            best["sync"] = _child("sync", False, steps, repeats)
        finally:
            stop.set()
            for h in hogs:
                h.join()
        for name, v in best.items():
            out[f"{name}_busy{load}"] = v
        print(
            f"busy {load}: native crew {best['crew']:>12,.0f}  GOMAXPROCS=1 {best['gomaxprocs1']:>12,.0f}"
            f"  sync {best['sync']:>10,.0f} env-steps/s",
            file=sys.stderr,
        )
    return out


def main(argv: list[str] | None = None) -> None:
    """Parse the options, run, print the figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--rounds", type=int, default=3, help="alternations of the two settings per load")
    p.add_argument("--steps", type=int, default=200, help="vector steps per timed run")
    p.add_argument("--repeats", type=int, default=3, help="timed runs per process (best kept)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = p.parse_args(argv)
    figures = run(args.rounds, args.steps, args.repeats)
    if args.json:
        print(json.dumps({k: round(v) for k, v in figures.items()}))
        return
    print(f"{'busy processes':>15} {'crew':>12} {'GOMAXPROCS=1':>14} {'sync (64)':>10}")
    for load in LOADS:
        print(
            f"{load:>15} {figures[f'crew_busy{load}']:>12,.0f} {figures[f'gomaxprocs1_busy{load}']:>14,.0f}"
            f" {figures[f'sync_busy{load}']:>10,.0f}"
        )


if __name__ == "__main__":
    main()
