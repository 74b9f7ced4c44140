#!/usr/bin/env python3
"""Time-to-competence over many seeds: train one env id with its shipped
configuration once per seed, then write the table and the learning curves.

    nice -n 5 python scripts/learning_study.py Tidebreak/Duel-v0 --seeds 0-9 \\
        --json docs/data/learning_duel.json --plot docs/images/learning_duel.png

Each seed trains for the configuration's full budget (so that every curve
covers it) and is evaluated every ``eval.every_steps`` env-steps on
``eval.episodes`` battles against each of ``eval.opponents``. A seed
*reaches* the targets at the first evaluation that meets all of them; the
table gives the env-steps, wall time and CPU time to that point (evaluation
included), their median and range over the seeds that reached, and a
uniformly random policy's win rates on the same evaluation as the floor.
The machine's load average is recorded before and after: wall times on a
shared machine are inflated by the other work on it, CPU times much less.
Runs go one after another in this process (one torch thread each).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np


def parse_seeds(text: str) -> list[int]:
    """``"0-9"`` or ``"0,3,5"`` → a list of seeds."""
    out: list[int] = []
    for part in text.split(","):
        a, sep, b = part.partition("-")
        out += list(range(int(a), int(b) + 1)) if sep else [int(a)]
    return out


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def random_floor(env_id: str, cfg: Any) -> dict[str, float]:
    """Win rates of a uniformly random (masked) policy on the configuration's evaluation."""
    from tidebreak.rl.evaluation import evaluate
    from tidebreak.rl.policy import Policy
    from tidebreak.rl.train.envs import OpponentMix

    mix = OpponentMix(env_id, 1, {}, cfg.env)
    obs_size = mix.obs_size
    mix.close()
    policy = Policy.random(
        obs_size, (8,), action_mode=cfg.env.get("action_mode", "box"), env_id=env_id, seed=0
    )
    for w in policy.weights:
        w[:] = 0  # all-zero logits: every legal choice equally likely (box: mean 0, std 1)
    out = {}
    for k, name in enumerate(cfg.eval.opponents):
        policy.reseed(cfg.eval.seed + k)
        rep = evaluate(
            policy,
            env_id,
            cfg.eval.episodes,
            cfg.eval.seed,
            baselines=(),
            env_kwargs={**cfg.env, "opponent": name},
        )
        out[name] = rep.result.win_rate
    return out


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    reached = [r["reached"] for r in runs if r["reached"] is not None]

    def stats(key: str) -> dict[str, float] | None:
        if not reached:
            return None
        xs = np.array([p[key] for p in reached], float)
        return {"median": float(np.median(xs)), "min": float(xs.min()), "max": float(xs.max())}

    return {
        "seeds": len(runs),
        "reached": len(reached),
        "steps": stats("steps"),
        "wall_s": stats("wall_s"),
        "cpu_s": stats("cpu_s"),
        "steps_per_s": float(np.median([r["steps_per_s"] for r in runs])),
        "steps_per_s_overall": float(np.median([r["steps_per_s_overall"] for r in runs])),
    }


def table(doc: dict[str, Any]) -> str:
    """The study as a markdown table (one row per seed, then the summary and the floor)."""
    opps = doc["config"]["eval"]["opponents"]
    targets = doc["config"]["eval"]["targets"]
    head = "| seed | reached at (env-steps) | wall (s) | CPU (s) | " + " | ".join(
        f"best: win vs {o}" for o in opps
    )
    lines = [head + " |", "|" + "---|" * (4 + len(opps))]
    for r in doc["runs"]:
        rc = r["reached"]
        best = r["best"] or {"win": {}}
        cells = [str(r["seed"])]
        cells += (
            [f"{rc['steps']:,}", f"{rc['wall_s']:.0f}", f"{rc['cpu_s']:.0f}"]
            if rc
            else ["not reached", "–", "–"]
        )
        cells += [f"{best['win'].get(o, 0):.0%}" for o in opps]
        lines.append("| " + " | ".join(cells) + " |")
    s = doc["summary"]

    def rng(d: dict[str, float] | None, fmt: str) -> str:
        return "–" if d is None else f"{d['median']:{fmt}} ({d['min']:{fmt}}–{d['max']:{fmt}})"

    lines.append(
        f"| **{s['reached']}/{s['seeds']} reached** | {rng(s['steps'], ',.0f')} | {rng(s['wall_s'], '.0f')} | "
        f"{rng(s['cpu_s'], '.0f')} | " + " | ".join("" for _ in opps) + " |"
    )
    floor = doc.get("random_floor") or {}
    lines.append(
        "| random policy | – | – | – | "
        + " | ".join(f"{floor.get(o, float('nan')):.0%}" for o in opps)
        + " |"
    )
    want = ", ".join(f"≥ {v:.0%} vs {k}" for k, v in targets.items())
    return "\n".join(lines) + f"\n\nTargets: {want}; median (min–max) over the seeds that reached them.\n"


def plot(doc: dict[str, Any], path: Path) -> None:
    """Median and range of the evaluated win rate against each opponent, over env-steps."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    opps = doc["config"]["eval"]["opponents"]
    targets = doc["config"]["eval"]["targets"]
    fig, axes = plt.subplots(1, len(opps), figsize=(5 * len(opps), 3.6), sharey=True, squeeze=False)
    for ax, opp in zip(axes[0], opps):
        steps = sorted({p["steps"] for r in doc["runs"] for p in r["curve"]})
        grid = np.full((len(doc["runs"]), len(steps)), np.nan)
        for i, r in enumerate(doc["runs"]):
            for p in r["curve"]:
                grid[i, steps.index(p["steps"])] = p["win"][opp]
        x = np.array(steps) / 1000
        for row in grid:
            ax.plot(x, row, color="tab:blue", alpha=0.15, lw=0.8)
        ax.fill_between(
            x, np.nanmin(grid, 0), np.nanmax(grid, 0), color="tab:blue", alpha=0.15, label="range"
        )
        ax.plot(x, np.nanmedian(grid, 0), color="tab:blue", lw=2, label=f"median of {len(doc['runs'])} seeds")
        floor = (doc.get("random_floor") or {}).get(opp)
        if floor is not None:
            ax.axhline(floor, color="grey", ls=":", label="random policy")
        if opp in targets:
            ax.axhline(targets[opp], color="tab:red", ls="--", label="target")
        ax.set_title(f"{doc['env_id']}: win rate vs {opp}")
        ax.set_xlabel("env-steps (thousands)")
        ax.set_ylim(-0.02, 1.02)
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel(f"wins in {doc['config']['eval']['episodes']} battles")
    axes[0][0].legend(loc="best", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("env_id", help="a registered id with a shipped configuration, e.g. Tidebreak/Duel-v0")
    p.add_argument("--seeds", default="0-9", help="e.g. 0-9 or 0,3,5 (default: 0-9)")
    p.add_argument("--config", help="a TOML configuration instead of the shipped one")
    p.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="override a value (repeatable)"
    )
    p.add_argument("--steps", type=int, help="env-steps per seed (default: the configuration's)")
    p.add_argument("--runs", default="runs/study", help="directory for the runs (default: runs/study)")
    p.add_argument("--json", help="write the study here (curves, table, timings, machine)")
    p.add_argument("--plot", help="write the learning curves here (PNG)")
    p.add_argument("--no-floor", action="store_true", help="skip the random policy's evaluation")
    p.add_argument(
        "--stop-at-targets",
        action="store_true",
        help="end each seed at the targets (quicker; curves stop there)",
    )
    args = p.parse_args(argv)

    from tidebreak.rl.train import load_config, train
    from tidebreak.rl.train.cli import parse_set

    cfg = load_config(args.config or args.env_id)
    overrides = parse_set(args.set)
    if overrides:
        cfg = cfg.override(overrides)
    if args.steps:
        cfg = cfg.override({"total_steps": args.steps})
    doc: dict[str, Any] = {
        "env_id": cfg.env_id,
        "config": cfg.to_dict(),
        "overrides": overrides,
        "machine": machine(),
        "load_before": load_average(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "runs": [],
    }
    for seed in parse_seeds(args.seeds):
        out = Path(args.runs) / f"{cfg.env_id.split('/')[-1]}-seed{seed}"
        result = train(
            cfg.env_id,
            config=cfg,
            seed=seed,
            out=out,
            progress=False,
            tensorboard=False,
            stop_at_targets=args.stop_at_targets,
        )
        run = result.as_dict()
        run.pop("config")
        doc["runs"].append(run)
        rc = result.reached
        print(
            f"seed {seed}: "
            + (
                f"reached at {rc.steps:,} steps, {rc.wall_s:.0f} s wall, {rc.cpu_s:.0f} s CPU"
                if rc
                else "not reached"
            )
            + f"; best {result.best.win if result.best else {}}; {result.steps_per_s:,.0f} env-steps/s",
            flush=True,
        )
    doc["load_after"] = load_average()
    from tidebreak.rl.train.trainer import one_blas_thread

    with one_blas_thread():
        doc["random_floor"] = None if args.no_floor else random_floor(cfg.env_id, cfg)
    doc["summary"] = summarise(doc["runs"])
    doc["table"] = table(doc)
    print(doc["table"])
    print(f"load average before {doc['load_before']}, after {doc['load_after']}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(doc, indent=1) + "\n")
    if args.plot:
        plot(doc, Path(args.plot))
    return 0


if __name__ == "__main__":
    sys.exit(main())
