"""``tidebreak train``: the command-line front of :func:`tidebreak.train`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

__all__ = ["add_train_parser", "parse_set"]

EPILOG = """examples:
  tidebreak train Tidebreak/Duel-v0
  tidebreak train Tidebreak/Duel-v0 --seed 3 --out runs/duel3
  tidebreak train Tidebreak/SubDuel-v0 --steps 500000 --set ppo.ent_coef=0.02
  tidebreak train --list
  tensorboard --logdir runs/

The run directory holds best.npz (the best evaluated policy), last.npz,
result.json and TensorBoard scalars (tb/). Evaluate or watch a policy with
  tidebreak view runs/Duel-v0-seed0/best.npz --opponent aggressive -o duel.html

exit codes: 0 trained, 1 the targets were asked for (--require-targets) and not met, 2 bad input"""


def parse_set(items: list[str]) -> dict[str, Any]:
    """``["ppo.gamma=0.99", "eval.opponents=[\\"idle\\"]"]`` → a dict; values are JSON, else strings."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--set {item!r}: want KEY=VALUE, e.g. ppo.learning_rate=0.001")
        try:
            out[key] = json.loads(raw)
        except json.JSONDecodeError:
            out[key] = raw
    return out


def _cmd_train(args: argparse.Namespace) -> int:
    from tidebreak.cli import EXIT_FAILED, EXIT_OK, InputError
    from tidebreak.rl.train import ConfigError, config_names, load_config

    if args.list:
        for env_id in config_names():
            cfg = load_config(env_id)
            print(f"{env_id:28s} {cfg.total_steps:>9,d} steps  {cfg.description}")
        return EXIT_OK
    if args.env_id is None and args.config is None:
        raise InputError("give an env id (e.g. Tidebreak/Duel-v0) or --config FILE")
    try:
        overrides = parse_set(args.set or [])
        from tidebreak.rl.train import train

        result = train(
            args.env_id,
            config=args.config,
            seed=args.seed,
            total_steps=args.steps,
            out=args.out,
            overrides=overrides,
            progress=not args.quiet,
            tensorboard=not args.no_tensorboard,
            stop_at_targets=args.stop_at_targets,
        )
    except (ConfigError, ValueError) as e:
        raise InputError(str(e)) from e
    best = result.best
    print(
        f"{result.env_id} seed {result.seed}: {result.steps:,} env-steps in {result.wall_s:.0f} s "
        f"({result.cpu_s:.0f} s CPU; {result.steps_per_s:,.0f} env-steps/s training, "
        f"{result.eval_s:.0f} s evaluating)"
    )
    if best is not None:
        wins = ", ".join(f"{k} {v:.0%}" for k, v in best.win.items())
        print(f"best evaluation at {best.steps:,} steps: wins vs {wins} -> {result.best_path}")
    if result.reached is not None:
        r = result.reached
        print(f"targets met at {r.steps:,} env-steps, {r.wall_s:.0f} s ({r.cpu_s:.0f} s CPU)")
    elif result.config["eval"]["targets"]:
        print("targets not met", file=sys.stderr)
        if args.require_targets:
            return EXIT_FAILED
    return EXIT_OK


def add_train_parser(sub: Any) -> None:
    """Add ``tidebreak train`` to the command line's sub-parsers."""
    p = sub.add_parser(
        "train",
        help="train a policy on an env id with its tuned configuration (needs the train extra)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Train PPO on a registered env id with the configuration shipped for it "
        "(tidebreak/rl/configs/), evaluating against scripted controllers as it goes and keeping "
        "the best policy. Needs torch: pip install 'tidebreak[train]'.",
        epilog=EPILOG,
    )
    p.add_argument("env_id", nargs="?", help="a registered id, e.g. Tidebreak/Duel-v0")
    p.add_argument("--config", metavar="FILE", help="a TOML configuration instead of the shipped one")
    p.add_argument("--seed", type=int, default=0, help="seed of the run (default: 0)")
    p.add_argument("--steps", type=int, metavar="N", help="env-steps to train (default: the config's)")
    p.add_argument("--out", metavar="DIR", help="run directory (default: runs/<Name>-seed<seed>)")
    p.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override one configuration value, e.g. ppo.ent_coef=0.02 (repeatable)",
    )
    p.add_argument(
        "--stop-at-targets", action="store_true", help="stop at the first evaluation meeting the targets"
    )
    p.add_argument("--require-targets", action="store_true", help="exit 1 if no evaluation met the targets")
    p.add_argument("--no-tensorboard", action="store_true", help="write no TensorBoard scalars")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--list", action="store_true", help="list the env ids with a shipped configuration")
    p.set_defaults(func=_cmd_train)
