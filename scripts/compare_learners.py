#!/usr/bin/env python3
"""Time-to-competence of two learners on the same id, envs, budget and
evaluation: tidebreak's own PPO (``tidebreak.train``) and sb3-contrib's
MaskablePPO with the same hyperparameters (SB3 tuned for large batches).

    nice -n 5 python scripts/compare_learners.py Tidebreak/Duel-v0 --seeds 0-4 --json runs/compare.json

Both train on the configuration's opponent mix (one native batch per
opponent; SB3 sees it through a small ``VecEnv`` adapter), with the
configuration's envs, rollout length, minibatches, epochs, learning rate
(annealed linearly in both), discount, GAE, clipping, entropy and value
coefficients, gradient clipping and network (two tanh layers, separate actor
and critic). Both are evaluated every ``eval.every_steps`` env-steps on the
same battles through ``tidebreak.evaluate``, sampling their actions. A run
stops at the first evaluation that meets every target; the table gives
env-steps, wall and CPU time to it. Seeds alternate between the learners so
that changes in the machine's load hit both. Needs the ``sb3`` and
``train`` extras.
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


def parse_seeds(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        a, sep, b = part.partition("-")
        out += list(range(int(a), int(b) + 1)) if sep else [int(a)]
    return out


def run_tidebreak(env_id: str, seed: int, overrides: dict[str, Any]) -> dict[str, Any]:
    from tidebreak.rl.train import train

    r = train(
        env_id,
        seed=seed,
        overrides=overrides,
        out=f"runs/compare/tidebreak-{seed}",
        progress=False,
        tensorboard=False,
        stop_at_targets=True,
    )
    reached = r.reached.as_dict() if r.reached else None
    return {
        "reached": reached,
        "steps": r.steps,
        "wall_s": r.wall_s,
        "cpu_s": r.cpu_s,
        "curve": [p.as_dict() for p in r.curve],
    }


def run_sb3(env_id: str, seed: int, overrides: dict[str, Any]) -> dict[str, Any]:
    import torch
    from sb3_contrib import MaskablePPO
    from stable_baselines3.common.callbacks import BaseCallback
    from stable_baselines3.common.vec_env import VecEnv

    from tidebreak.rl.evaluation import evaluate
    from tidebreak.rl.train import load_config
    from tidebreak.rl.train.envs import OpponentMix
    from tidebreak.rl.train.trainer import one_blas_thread

    cfg = load_config(env_id).override(overrides)
    p, ev = cfg.ppo, cfg.eval
    torch.set_num_threads(cfg.torch_threads)

    class MixVecEnv(VecEnv):  # type: ignore[misc]
        """SB3's view of an OpponentMix: episode ends are terminal, masks by env_method."""

        def __init__(self, mix: OpponentMix) -> None:
            self.mix = mix
            super().__init__(mix.num_envs, mix.single_observation_space, mix.single_action_space)
            self._masks = np.ones((mix.num_envs, mix.mask_size), bool)
            self._actions: Any = None

        def reset(self) -> Any:
            obs, masks = self.mix.reset(seed)
            self._masks = masks.copy()
            return obs.copy()

        def step_async(self, actions: Any) -> None:
            self._actions = actions

        def step_wait(self) -> Any:
            res = self.mix.step(np.asarray(self._actions))
            self._masks = res.masks.copy()
            infos: list[dict[str, Any]] = [{} for _ in range(self.num_envs)]
            for i in np.flatnonzero(res.dones):
                infos[i]["is_success"] = bool(res.outcome[i] == 0)
            return res.obs.copy(), res.rewards.copy(), res.dones.copy(), infos

        def env_method(self, name: str, *args: Any, indices: Any = None, **kwargs: Any) -> Any:
            if name != "action_masks":
                raise NotImplementedError(name)
            return list(self._masks)

        def close(self) -> None:
            self.mix.close()

        def get_attr(self, name: str, indices: Any = None) -> Any:
            return [None] * self.num_envs  # render_mode and the like: nothing to report

        def set_attr(self, name: str, value: Any, indices: Any = None) -> None:
            raise NotImplementedError(name)

        def env_is_wrapped(self, wrapper_class: Any, indices: Any = None) -> list[bool]:
            return [False] * self.num_envs

        def seed(self, seed: int | None = None) -> Any:
            return [None] * self.num_envs

    venv = MixVecEnv(OpponentMix(env_id, p.num_envs, cfg.opponents, cfg.env))
    model = MaskablePPO(
        "MlpPolicy",
        venv,
        n_steps=p.steps_per_env,
        batch_size=p.num_envs * p.steps_per_env // p.minibatches,
        n_epochs=p.epochs,
        learning_rate=(lambda frac: p.learning_rate * frac) if p.anneal_lr else p.learning_rate,
        gamma=p.gamma,
        gae_lambda=p.gae_lambda,
        clip_range=p.clip_coef,
        ent_coef=p.ent_coef,
        vf_coef=p.vf_coef,
        max_grad_norm=p.max_grad_norm,
        policy_kwargs={
            "net_arch": {"pi": list(p.hidden), "vf": list(p.hidden)},
            "activation_fn": torch.nn.Tanh if p.activation == "tanh" else torch.nn.ReLU,
        },
        seed=seed,
        device="cpu",
    )

    def policy(obs: np.ndarray, masks: np.ndarray) -> np.ndarray:
        action, _ = model.predict(obs, action_masks=masks, deterministic=ev.deterministic)
        return np.asarray(action)

    state: dict[str, Any] = {"next": ev.every_steps, "curve": [], "reached": None}
    t0, c0 = time.perf_counter(), time.process_time()

    class Eval(BaseCallback):  # type: ignore[misc]
        def _on_step(self) -> bool:
            return True

        def _on_rollout_end(self) -> None:
            steps = self.model.num_timesteps
            if steps < state["next"]:
                return
            state["next"] += ev.every_steps
            torch.manual_seed(ev.seed)
            win = {}
            for name in ev.opponents:
                rep = evaluate(
                    policy,
                    env_id,
                    ev.episodes,
                    ev.seed,
                    baselines=(),
                    env_kwargs={**cfg.env, "opponent": name},
                )
                win[name] = rep.result.win_rate
            met = all(win[k] >= v for k, v in ev.targets.items())
            point = {
                "steps": steps,
                "wall_s": time.perf_counter() - t0,
                "cpu_s": time.process_time() - c0,
                "win": win,
                "targets_met": met,
            }
            state["curve"].append(point)
            if met and state["reached"] is None:
                state["reached"] = point
                self.model._stop = True

    class Stop(BaseCallback):  # type: ignore[misc]
        def _on_step(self) -> bool:
            return not getattr(self.model, "_stop", False)

    with one_blas_thread():
        model.learn(total_timesteps=cfg.total_steps, callback=[Eval(), Stop()])
    venv.close()
    return {
        "reached": state["reached"],
        "steps": model.num_timesteps,
        "wall_s": time.perf_counter() - t0,
        "cpu_s": time.process_time() - c0,
        "curve": state["curve"],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("env_id", nargs="?", default="Tidebreak/Duel-v0")
    p.add_argument("--seeds", default="0-4")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--json")
    args = p.parse_args(argv)
    from tidebreak.rl.train.cli import parse_set

    overrides = parse_set(args.set)
    out: dict[str, Any] = {
        "env_id": args.env_id,
        "overrides": overrides,
        "load_before": list(os.getloadavg()),
        "runs": {"tidebreak": {}, "sb3-tuned": {}},
    }
    for seed in parse_seeds(args.seeds):
        for name, fn in (("tidebreak", run_tidebreak), ("sb3-tuned", run_sb3)):
            r = fn(args.env_id, seed, overrides)
            out["runs"][name][seed] = r
            rc = r["reached"]
            print(
                f"seed {seed} {name:10s} "
                + (
                    f"reached at {rc['steps']:,} env-steps, {rc['wall_s']:.0f} s wall, {rc['cpu_s']:.0f} s CPU"
                    if rc
                    else f"not reached in {r['steps']:,} env-steps ({r['wall_s']:.0f} s wall, {r['cpu_s']:.0f} s CPU)"
                ),
                flush=True,
            )
    out["load_after"] = list(os.getloadavg())
    print(
        "\n| learner | reached | env-steps to targets, median | wall s, median | CPU s, median | CPU s per 100k env-steps |"
    )
    print("|---|---|---|---|---|---|")
    for name, runs in out["runs"].items():
        hit = [r["reached"] for r in runs.values() if r["reached"]]
        per = np.median([r["cpu_s"] / r["steps"] * 1e5 for r in runs.values()])
        med = {
            k: f"{np.median([h[k] for h in hit]):,.0f}" if hit else "–" for k in ("steps", "wall_s", "cpu_s")
        }
        print(
            f"| {name} | {len(hit)}/{len(runs)} | {med['steps']} | {med['wall_s']} | {med['cpu_s']} | {per:.0f} |"
        )
    print(f"\nload average before {out['load_before']}, after {out['load_after']}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
