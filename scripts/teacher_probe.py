#!/usr/bin/env python3
"""Which part of a scripted teacher's play would a trained policy gain most from?

Plays a saved policy (``best.npz`` or ``last.npz`` from ``tidebreak train``)
in its env against one scripted opponent, once as it is and once per
variant in which some action components are replaced by what the teacher
advised a step earlier (the teacher's advice for a step is known only after
it, so a variant acts on the advice one step late, as the teacher test in
tests/py/gym does). The variants:

* ``move``: throttle and rudder, always;
* ``evade``: throttle and rudder on the steps whose observation hears a
  torpedo (``own.threat_heard``), the policy's own elsewhere;
* ``fire``, ``ping``: that component, always;
* ``teacher``: every component (the teacher's own play, a step late).

Usage::

    python scripts/teacher_probe.py runs/SubDuel-v0-seed0/best.npz \\
        --opponent aggressive --episodes 200 --variants evade,move,teacher

Prints one line per variant: wins, losses and draws over the same battles.
"""

from __future__ import annotations

import argparse

import numpy as np
import numpy.typing as npt

COMPONENTS = {"move": [0, 1], "fire": [2], "ping": [4], "teacher": [0, 1, 2, 3, 4], "evade": [0, 1]}


def probe(
    path: str,
    opponent: str,
    episodes: int,
    seed: int,
    variants: list[str],
    teacher: str = "expert",
    deterministic: bool | None = None,
) -> dict[str, dict[str, float]]:
    """Win, loss and draw rates of the policy and of each variant, on the same battles."""
    from gymnasium.vector import AutoresetMode

    from tidebreak.engine import layout
    from tidebreak.gym.vector import TidebreakVectorEnv
    from tidebreak.rl.evaluation import id_kwargs
    from tidebreak.rl.policy import load_policy

    heard = layout.obs_names(1).index("own.threat_heard")
    results: dict[str, dict[str, float]] = {}
    for name in ["policy", *variants]:
        policy = load_policy(path, seed=seed)
        if deterministic is not None:
            policy.deterministic = deterministic
        if policy.action_mode != "multidiscrete":
            raise SystemExit("teacher_probe: the policy must use multidiscrete actions")
        kwargs = id_kwargs(policy.env_id, {**policy.env_kwargs, "opponent": opponent})
        env = TidebreakVectorEnv(episodes, **kwargs, teacher=teacher, autoreset_mode=AutoresetMode.SAME_STEP)
        try:
            obs, _ = env.reset(seed=list(range(seed, seed + episodes)))
            advice: npt.NDArray[np.int64] = np.tile([2, 2, 0, 0, 0], (episodes, 1))
            active = np.ones(episodes, bool)
            outcome = np.full(episodes, "", dtype=object)
            while active.any():
                action = policy(obs, env.action_masks())
                if name == "evade":
                    rows = obs[:, heard] > 0
                    action[np.ix_(rows, COMPONENTS[name])] = advice[np.ix_(rows, COMPONENTS[name])]
                elif name != "policy":
                    action[:, COMPONENTS[name]] = advice[:, COMPONENTS[name]]
                obs, _, term, trunc, info = env.step(action)
                advice = env.teacher_actions().copy()
                ended = (term | trunc) & active
                if ended.any():
                    outcome[ended] = info["final_info"]["outcome"][ended]
                    active &= ~ended
        finally:
            env.close()
        results[name] = {k: float(np.mean(outcome == k)) for k in ("win", "loss", "draw")}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("policy", help="a saved policy (.npz)")
    parser.add_argument("--opponent", default="aggressive")
    parser.add_argument("--episodes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=77, help="first battle seed (default 77)")
    parser.add_argument("--teacher", default="expert")
    parser.add_argument(
        "--variants", default="evade,move,fire,ping,teacher", help=f"of {', '.join(COMPONENTS)}"
    )
    parser.add_argument(
        "--sampled", action="store_true", help="sample actions (default: as the policy was saved)"
    )
    args = parser.parse_args(argv)
    variants = [v for v in args.variants.split(",") if v]
    unknown = [v for v in variants if v not in COMPONENTS]
    if unknown:
        parser.error(f"unknown variants {unknown}; choose from {', '.join(COMPONENTS)}")
    if not 1 <= args.episodes <= 10_000:
        parser.error("--episodes must be within 1..10000")
    res = probe(
        args.policy,
        args.opponent,
        args.episodes,
        args.seed,
        variants,
        args.teacher,
        False if args.sampled else None,
    )
    for name, r in res.items():
        print(f"{name:8s} win {r['win']:.3f}  loss {r['loss']:.3f}  draw {r['draw']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
