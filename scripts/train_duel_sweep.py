#!/usr/bin/env python3
"""Train PPO on Tidebreak/Duel-v0 in several configurations at once.

Each configuration (agent side, opponent, algorithm) trains in its own
process (spawned, one torch thread) for up to ``--steps`` env steps and is
evaluated every ``--every`` steps against the scripted ``idle`` and
``aggressive`` opponents. Learning curves go to ``--out`` as JSON and a
summary table is printed. Used for the learning figures in docs/rl.md:

    python scripts/train_duel_sweep.py --steps 300000 --out runs/duel_sweep.json
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import time
from pathlib import Path
from typing import Any

CONFIGS: dict[str, dict[str, Any]] = {
    "corvette-vs-aggressive-then-idle-maskable": {
        "agent_ship": "corvette",
        "opponent": "aggressive",
        "opponents": ["aggressive", "idle"],
        "masked": True,
    },
    "corvette-vs-aggressive-maskable": {"agent_ship": "corvette", "opponent": "aggressive", "masked": True},
    "corvette-vs-idle-maskable-long-horizon": {
        "agent_ship": "corvette",
        "opponent": "idle",
        "masked": True,
        "gamma": 0.999,
        "ent_coef": 0.02,
    },
    "corvette-vs-aggressive-ppo": {"agent_ship": "corvette", "opponent": "aggressive", "masked": False},
    "corvette-vs-idle-maskable": {"agent_ship": "corvette", "opponent": "idle", "masked": True},
    "submarine-vs-aggressive-maskable": {"agent_ship": "submarine", "opponent": "aggressive", "masked": True},
    "submarine-vs-idle-maskable": {"agent_ship": "submarine", "opponent": "idle", "masked": True},
}


def train(
    name: str, cfg: dict[str, Any], steps: int, every: int, envs: int, seed: int, max_seconds: float
) -> dict[str, Any]:
    import torch

    torch.set_num_threads(1)
    import tidebreak.gym  # noqa: F401
    from tidebreak.gym.sb3 import make_vec_env
    from tidebreak.rl.evaluation import evaluate

    mode = "multidiscrete" if cfg["masked"] else "box"
    kwargs = {
        "agent_ship": cfg["agent_ship"],
        "opponent": cfg["opponent"],
        "action_mode": mode,
        "reward_weights": "dense",
    }
    venv = make_vec_env("Tidebreak/Duel-v0", n_envs=envs, seed=seed, **kwargs)
    common = dict(
        n_steps=256,
        batch_size=1024,
        n_epochs=5,
        learning_rate=3e-4,
        gamma=cfg.get("gamma", 0.995),
        ent_coef=cfg.get("ent_coef", 0.01),
        seed=seed,
        device="cpu",
        verbose=0,
    )
    if cfg["masked"]:
        from sb3_contrib import MaskablePPO

        model = MaskablePPO("MlpPolicy", venv, **common)
    else:
        from stable_baselines3 import PPO

        model = PPO("MlpPolicy", venv, **common)
    curve = []
    t0 = time.time()
    schedule = cfg.get("opponents")
    chunk = 0
    while model.num_timesteps < steps and time.time() - t0 < max_seconds:
        if schedule:
            # Alternate opponents every half evaluation period: the same policy
            # must hunt a passive target and fight an active one.
            for _ in range(2):
                opp = schedule[chunk % len(schedule)]
                chunk += 1
                venv.close()
                venv = make_vec_env(
                    "Tidebreak/Duel-v0", n_envs=envs, seed=seed + chunk, **{**kwargs, "opponent": opp}
                )
                model.set_env(venv)
                model.learn(total_timesteps=every // 2, reset_num_timesteps=False)
        else:
            model.learn(total_timesteps=every, reset_num_timesteps=False)
        point: dict[str, Any] = {"steps": model.num_timesteps, "wall_s": round(time.time() - t0, 1)}
        for opp in ("idle", "aggressive"):
            rep = evaluate(
                model,
                "Tidebreak/Duel-v0",
                episodes=50,
                seed=10_000,
                baselines=(),
                env_kwargs={**kwargs, "opponent": opp},
            )
            m = rep.metrics()
            point[f"win_vs_{opp}"] = m["eval/win_rate"]
            point[f"return_vs_{opp}"] = round(float(m["eval/mean_return"]), 3)
        curve.append(point)
        print(name, point, flush=True)
    venv.close()
    return {"name": name, "config": cfg, "curve": curve, "wall_s": round(time.time() - t0, 1)}


def _run(args: tuple[str, dict[str, Any], int, int, int, int, float]) -> dict[str, Any]:
    return train(*args)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=300_000)
    p.add_argument("--every", type=int, default=50_000)
    p.add_argument("--envs", type=int, default=16)
    p.add_argument("--seeds", default="0", help="comma-separated seeds; every config runs with each")
    p.add_argument("--configs", default=",".join(CONFIGS))
    p.add_argument("--out", default="runs/duel_sweep.json")
    p.add_argument("--max-seconds", type=float, default=float("inf"), help="stop each run after this long")
    args = p.parse_args()
    names = args.configs.split(",")
    seeds = [int(x) for x in args.seeds.split(",")]
    jobs = [
        (f"{n}-s{sd}", CONFIGS[n], args.steps, args.every, args.envs, sd, args.max_seconds)
        for n in names
        for sd in seeds
    ]
    with mp.get_context("spawn").Pool(len(jobs)) as pool:
        results = pool.map(_run, jobs)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    for r in results:
        last = r["curve"][-1]
        print(
            f"{r['name']:36s} {last['steps']:>7d} steps {r['wall_s']:>6.0f} s  "
            f"win vs idle {last['win_vs_idle']:.2f}  vs aggressive {last['win_vs_aggressive']:.2f}"
        )


if __name__ == "__main__":
    main()
