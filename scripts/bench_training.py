#!/usr/bin/env python3
"""Training-loop throughput, side by side in one process: tidebreak's PPO
(``tidebreak.train``, the shipped configuration) against Stable-Baselines3.

    nice -n 5 python scripts/bench_training.py Tidebreak/Duel-v0 --steps 65536 --rounds 2

Learners, each run for ``--steps`` env-steps from scratch, in turn, for
``--rounds`` rounds (so that a change in the machine's load hits them all):

``tidebreak``
    ``tidebreak.train`` with the id's configuration, evaluations off.
``sb3-default``
    SB3 ``PPO("MlpPolicy", venv)`` with every hyperparameter at its default
    over ``tidebreak.gym.sb3.make_vec_env(id, n_envs=16)`` (the documented
    way; box actions, the id's default), torch on its default thread count.
``sb3-tuned``
    sb3-contrib ``MaskablePPO`` with the configuration's envs, batch and
    hyperparameters (multidiscrete actions with masks, as ``tidebreak``).

Reported: env-steps per second of wall time of the whole ``learn`` call
(sampling, updates, logging), and per second of CPU time of this process,
best and median over the rounds, after one short warm-up run of each
learner that is not counted. Needs the ``sb3`` and ``train`` extras.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np


def run_tidebreak(env_id: str, steps: int, seed: int) -> None:
    from tidebreak.rl.train import train

    train(
        env_id,
        seed=seed,
        total_steps=steps,
        out=f"runs/bench/{seed}",
        progress=False,
        tensorboard=False,
        evaluation=False,
    )


def run_sb3_default(env_id: str, steps: int, seed: int) -> None:
    import torch
    from stable_baselines3 import PPO

    from tidebreak.gym.sb3 import make_vec_env

    torch.set_num_threads(TORCH_DEFAULT_THREADS)  # torch's own default, as a plain SB3 script has it

    venv = make_vec_env(env_id, n_envs=16, seed=seed)
    try:
        PPO("MlpPolicy", venv, seed=seed, device="cpu").learn(total_timesteps=steps)
    finally:
        venv.close()


def run_sb3_tuned(env_id: str, steps: int, seed: int) -> None:
    import torch
    from sb3_contrib import MaskablePPO

    from tidebreak.gym.sb3 import make_vec_env
    from tidebreak.rl.train import load_config

    cfg = load_config(env_id)
    p = cfg.ppo
    torch.set_num_threads(cfg.torch_threads)
    venv = make_vec_env(
        env_id, n_envs=p.num_envs, seed=seed, **cfg.env, opponent=next(iter(cfg.opponents), None)
    )
    try:
        MaskablePPO(
            "MlpPolicy",
            venv,
            n_steps=p.steps_per_env,
            batch_size=p.num_envs * p.steps_per_env // p.minibatches,
            n_epochs=p.epochs,
            learning_rate=p.learning_rate,
            gamma=p.gamma,
            gae_lambda=p.gae_lambda,
            ent_coef=p.ent_coef,
            policy_kwargs={"net_arch": list(p.hidden), "activation_fn": torch.nn.Tanh},
            seed=seed,
            device="cpu",
        ).learn(total_timesteps=steps)
    finally:
        venv.close()


TORCH_DEFAULT_THREADS = 1

LEARNERS = {"tidebreak": run_tidebreak, "sb3-default": run_sb3_default, "sb3-tuned": run_sb3_tuned}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("env_id", nargs="?", default="Tidebreak/Duel-v0")
    p.add_argument(
        "--steps",
        type=int,
        default=65_536,
        help="env-steps per run (default: 65536, two SB3 default rollouts)",
    )
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--learners", default=",".join(LEARNERS))
    p.add_argument("--json", help="write the measurements here")
    args = p.parse_args(argv)
    import torch

    global TORCH_DEFAULT_THREADS
    TORCH_DEFAULT_THREADS = torch.get_num_threads()  # before any learner sets it
    names = args.learners.split(",")
    unknown = set(names) - set(LEARNERS)
    if unknown:
        p.error(f"unknown learners {sorted(unknown)}; known: {', '.join(LEARNERS)}")
    rows: dict[str, list[dict[str, float]]] = {n: [] for n in names}
    for name in names:  # warm-up, not counted: imports, first allocations, torch's first calls
        LEARNERS[name](args.env_id, 4096, seed=99)
    load_before = list(os.getloadavg())
    for r in range(args.rounds):
        for name in names:
            t, c = time.perf_counter(), time.process_time()
            LEARNERS[name](args.env_id, args.steps, seed=r)
            wall, cpu = time.perf_counter() - t, time.process_time() - c
            rows[name].append(
                {
                    "wall_s": wall,
                    "cpu_s": cpu,
                    "steps_per_s": args.steps / wall,
                    "steps_per_cpu_s": args.steps / cpu,
                }
            )
            print(
                f"round {r} {name:12s} {args.steps / wall:>9,.0f} env-steps/s ({wall:.1f} s wall, {cpu:.1f} s CPU)",
                flush=True,
            )
    base = (
        float(np.median([x["steps_per_s"] for x in rows["sb3-default"]])) if "sb3-default" in rows else None
    )
    print(f"\n| learner | env-steps/s (median of {args.rounds}) | best | per CPU-second | vs SB3 defaults |")
    print("|---|---|---|---|---|")
    summary = {}
    for name, xs in rows.items():
        med = float(np.median([x["steps_per_s"] for x in xs]))
        best = max(x["steps_per_s"] for x in xs)
        cpu = float(np.median([x["steps_per_cpu_s"] for x in xs]))
        ratio = f"{med / base:.1f}×" if base else "–"
        summary[name] = {"median_steps_per_s": med, "best_steps_per_s": best, "steps_per_cpu_s": cpu}
        print(f"| {name} | {med:,.0f} | {best:,.0f} | {cpu:,.0f} | {ratio} |")
    load_after = list(os.getloadavg())
    print(f"\nload average before {load_before}, after {load_after}; {os.cpu_count()} CPUs")
    if args.json:
        doc: dict[str, Any] = {
            "env_id": args.env_id,
            "steps": args.steps,
            "rounds": rows,
            "summary": summary,
            "load_before": load_before,
            "load_after": load_after,
            "cpus": os.cpu_count(),
        }
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(doc, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
