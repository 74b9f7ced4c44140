"""The training loop behind ``tidebreak train`` and :func:`tidebreak.train`."""

from __future__ import annotations

import contextlib
import json
import os
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tidebreak.engine import layout
from tidebreak.rl.train.config import ConfigError, TrainConfig, load_config

__all__ = ["train", "TrainResult", "EvalPoint"]


@dataclass
class EvalPoint:
    """One periodic evaluation: win/loss/draw rates against each opponent."""

    steps: int
    wall_s: float
    cpu_s: float
    win: dict[str, float]
    loss: dict[str, float]
    draw: dict[str, float]
    train_win: float
    targets_met: bool

    def score(self) -> tuple[int, float]:
        """What the best checkpoint is chosen by: targets met, then mean win rate."""
        return (int(self.targets_met), float(np.mean(list(self.win.values()))) if self.win else 0.0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "steps": self.steps,
            "wall_s": round(self.wall_s, 2),
            "cpu_s": round(self.cpu_s, 2),
            "win": self.win,
            "loss": self.loss,
            "draw": self.draw,
            "train_win": round(self.train_win, 4),
            "targets_met": self.targets_met,
        }


@dataclass
class TrainResult:
    """What a run produced and how long it took.

    ``best_path`` is the policy of the best evaluation (targets met first,
    then the mean win rate); ``reached`` the first evaluation that met every
    target (None if none did). ``steps_per_s`` counts env-steps over the
    training loop's wall time, evaluations excluded;
    ``steps_per_s_overall`` includes them.
    """

    env_id: str
    seed: int
    out_dir: Path
    best_path: Path
    last_path: Path
    steps: int
    wall_s: float
    cpu_s: float
    eval_s: float
    steps_per_s: float
    steps_per_s_overall: float
    curve: list[EvalPoint] = field(default_factory=list)
    best: EvalPoint | None = None
    reached: EvalPoint | None = None
    config: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly summary (written to ``result.json`` in the run directory)."""
        return {
            "env_id": self.env_id,
            "seed": self.seed,
            "best_path": str(self.best_path),
            "last_path": str(self.last_path),
            "steps": self.steps,
            "wall_s": round(self.wall_s, 2),
            "cpu_s": round(self.cpu_s, 2),
            "eval_s": round(self.eval_s, 2),
            "steps_per_s": round(self.steps_per_s),
            "steps_per_s_overall": round(self.steps_per_s_overall),
            "best": None if self.best is None else self.best.as_dict(),
            "reached": None if self.reached is None else self.reached.as_dict(),
            "curve": [p.as_dict() for p in self.curve],
            "config": self.config,
        }


def _summary_writer(log_dir: Path) -> Any:
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:
        warnings.warn(
            "TensorBoard is not installed, so no training scalars are written "
            "(pip install 'tidebreak[train]' brings it)",
            RuntimeWarning,
            stacklevel=3,
        )
        return None
    return SummaryWriter(log_dir=str(log_dir))


class _Progress:
    """A rich progress bar over env-steps (or nothing)."""

    def __init__(self, enabled: bool, total: int, title: str) -> None:
        self.bar: Any = None
        if enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.fields[info]}"),
            )
            self.bar.start()
            self.task = self.bar.add_task(title, total=total, rate="", info="")

    def update(self, steps: int, rate: float, info: str | None = None) -> None:
        if self.bar is not None:
            fields: dict[str, Any] = {"rate": f"{rate / 1000:.0f}k steps/s"}
            if info is not None:
                fields["info"] = info
            self.bar.update(self.task, completed=steps, **fields)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """numpy's BLAS on one thread (with threadpoolctl, which the ``train`` extra brings).

    The policy's matrix products are small; a multithreaded OpenBLAS spins on
    cores that the native batch and torch need, and on a busy machine makes an
    evaluation 10-20 times slower.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _default_out(env_id: str, seed: int) -> Path:
    return Path("runs") / f"{env_id.split('/', 1)[-1]}-seed{seed}"


def train(
    env_id: str | None = "Tidebreak/Duel-v0",
    *,
    config: str | os.PathLike[str] | Mapping[str, Any] | TrainConfig | None = None,
    seed: int = 0,
    total_steps: int | None = None,
    out: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    progress: bool = True,
    tensorboard: bool = True,
    stop_at_targets: bool = False,
    evaluation: bool = True,
    on_eval: Callable[[EvalPoint], None] | None = None,
) -> TrainResult:
    """Train a PPO policy on ``env_id`` with its shipped, tuned configuration.

    ``config`` replaces the shipped configuration (a TOML path, a mapping or
    a :class:`~tidebreak.rl.train.TrainConfig`); ``overrides`` changes
    single values (``{"ppo.ent_coef": 0.02}``); ``total_steps`` the budget
    in env-steps. ``seed`` makes the run reproducible on one machine (same
    thread count): it seeds the network, the sampling, the envs and the
    minibatch order.

    The run directory ``out`` (default ``runs/<Name>-seed<seed>``) receives
    ``best.npz`` (the policy of the best evaluation), ``last.npz``,
    ``evaluations.jsonl`` (one line per evaluation, as it happens),
    ``result.json`` (curve, timings, configuration) and TensorBoard scalars
    under ``tb/``. Every ``eval.every_steps`` env-steps the policy plays
    ``eval.episodes`` battles against each of ``eval.opponents`` (through
    :func:`tidebreak.evaluate`); ``stop_at_targets`` ends the run at the first
    evaluation that meets every ``eval.targets`` win rate. ``on_eval`` is
    called with each :class:`EvalPoint`. ``evaluation=False`` skips the
    evaluations (``best.npz`` is then the last policy), e.g. to time the loop.

    Needs the ``train`` extra (torch, TensorBoard): ``pip install 'tidebreak[train]'``.
    """
    try:
        import torch
    except ImportError as e:  # pragma: no cover - exercised without the extra
        raise ImportError("tidebreak.train needs torch: pip install 'tidebreak[train]'") from e
    from tidebreak.rl.evaluation import evaluate
    from tidebreak.rl.train.envs import OpponentMix
    from tidebreak.rl.train.ppo import ActorCritic, Rollout, advantages, update

    if config is None:
        if env_id is None:
            raise ConfigError("give an env id or a config")
        cfg = load_config(env_id)
    else:
        cfg = load_config(config)
        if env_id is not None and cfg.env_id != env_id:
            raise ConfigError(f"the config is for {cfg.env_id!r}, not {env_id!r}")
    if overrides:
        cfg = cfg.override(overrides)
    if total_steps is not None:
        cfg = cfg.override({"total_steps": int(total_steps)})
    if seed < 0:
        raise ValueError(f"seed must be >= 0 (got {seed})")
    p, ev = cfg.ppo, cfg.eval
    out_dir = Path(out) if out is not None else _default_out(cfg.env_id, seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "evaluations.jsonl").unlink(missing_ok=True)

    torch.set_num_threads(cfg.torch_threads)
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    env_kwargs = dict(cfg.env)
    tc = cfg.teacher
    envs = OpponentMix(cfg.env_id, p.num_envs, cfg.opponents, env_kwargs, teacher=tc.controller or None)
    model = ActorCritic(envs.obs_size, envs.action_mode, p.hidden, p.activation)
    optimizer = torch.optim.Adam(model.parameters(), lr=p.learning_rate, eps=1e-5, fused=True)
    rollout = Rollout.allocate(
        p.steps_per_env,
        p.num_envs,
        envs.obs_size,
        envs.mask_size,
        envs.action_mode,
        teacher=bool(tc.controller),
    )
    if rollout.teacher_weight is not None and tc.opponents:
        taught = [envs.opponents.index(name) for name in tc.opponents]
        rollout.teacher_weight[:] = np.isin(envs.opponent_index, taught)
    heard_index = layout.obs_names(1).index("own.threat_heard") if tc.heard_coef > 0 else -1
    policy_env_kwargs = {**env_kwargs}
    writer = _summary_writer(out_dir / "tb") if tensorboard else None
    bar = _Progress(progress, cfg.total_steps, cfg.env_id)

    n = p.num_envs
    ep_return = np.zeros(n)
    ep_length = np.zeros(n, np.int64)
    recent: list[tuple[int, int]] = []  # (opponent index, outcome code) of finished episodes
    starts = np.ones(n, np.float32)
    obs, masks = envs.reset(seed)
    steps = 0
    next_eval = ev.every_steps
    curve: list[EvalPoint] = []
    best: EvalPoint | None = None
    reached: EvalPoint | None = None
    eval_s = 0.0
    t0, c0 = time.perf_counter(), time.process_time()
    last_path = out_dir / "last.npz"
    best_path = out_dir / "best.npz"

    def snapshot(at: int) -> Any:
        return model.policy(
            cfg.env_id,
            policy_env_kwargs,
            deterministic=ev.deterministic,
            info={"steps": at, "seed": seed, "config": cfg.to_dict()},
        )

    def run_eval(at: int) -> EvalPoint:
        nonlocal best, reached, eval_s
        te = time.perf_counter()
        policy = snapshot(at)
        win: dict[str, float] = {}
        loss: dict[str, float] = {}
        draw: dict[str, float] = {}
        for k, name in enumerate(ev.opponents):
            policy.reseed(ev.seed + k)
            rep = evaluate(
                policy,
                cfg.env_id,
                ev.episodes,
                ev.seed,
                baselines=(),
                env_kwargs={**env_kwargs, "opponent": name},
            )
            win[name], loss[name], draw[name] = (
                rep.result.win_rate,
                rep.result.loss_rate,
                rep.result.draw_rate,
            )
        eval_s += time.perf_counter() - te
        done = [code for _, code in recent[-200:]]
        point = EvalPoint(
            steps=at,
            wall_s=time.perf_counter() - t0,
            cpu_s=time.process_time() - c0,
            win=win,
            loss=loss,
            draw=draw,
            train_win=float(np.mean([c == 0 for c in done])) if done else 0.0,
            targets_met=bool(ev.targets) and all(win.get(k, 0.0) >= v for k, v in ev.targets.items()),
        )
        curve.append(point)
        with open(out_dir / "evaluations.jsonl", "a") as f:
            f.write(json.dumps(point.as_dict()) + "\n")
        if best is None or point.score() > best.score():
            best = point
            policy.info["eval"] = point.as_dict()
            policy.save(best_path)
        if reached is None and point.targets_met:
            reached = point
        if writer is not None:
            for name in ev.opponents:
                writer.add_scalar(f"eval/win_rate/{name}", win[name], at)
                writer.add_scalar(f"eval/draw_rate/{name}", draw[name], at)
            writer.add_scalar("eval/targets_met", float(point.targets_met), at)
        if on_eval is not None:
            on_eval(point)
        return point

    info = ""
    blas = contextlib.ExitStack()
    blas.enter_context(one_blas_thread())
    try:
        while steps < cfg.total_steps:
            if p.anneal_lr:
                frac = 1.0 - steps / cfg.total_steps
                for group in optimizer.param_groups:
                    group["lr"] = p.learning_rate * frac
            for t in range(p.steps_per_env):
                rollout.obs[t] = obs
                rollout.masks[t] = masks
                rollout.starts[t] = starts
                action, logp, value = model.act(torch.from_numpy(obs), torch.from_numpy(masks))
                act_np = action.numpy()
                rollout.actions[t] = act_np
                rollout.logp[t] = logp.numpy()
                rollout.values[t] = value.numpy()
                res = envs.step(act_np)
                if rollout.teacher is not None:
                    envs.teacher_actions(rollout.teacher[t])
                obs, masks = res.obs, res.masks
                rollout.rewards[t] = res.rewards
                starts = res.dones.astype(np.float32)
                ep_return += res.rewards
                ep_length += 1
                if res.dones.any():
                    ended = np.flatnonzero(res.dones)
                    if writer is not None:
                        writer.add_scalar(
                            "train/episode_return", float(ep_return[ended].mean()), steps + t * n
                        )
                        writer.add_scalar(
                            "train/episode_length", float(ep_length[ended].mean()), steps + t * n
                        )
                    recent.extend(zip(envs.opponent_index[ended].tolist(), res.outcome[ended].tolist()))
                    ep_return[ended] = 0
                    ep_length[ended] = 0
            steps += p.steps_per_env * n
            with torch.no_grad():
                last_value = model.value(torch.from_numpy(obs)).numpy()
            adv = advantages(rollout, last_value, starts, p.gamma, p.gae_lambda)
            teacher_coef = 0.0
            if tc.controller:
                teacher_coef = tc.coef
                if tc.decay_steps:
                    frac = max(0.0, 1.0 - (steps - p.steps_per_env * n) / tc.decay_steps)
                    teacher_coef = tc.min_coef + (tc.coef - tc.min_coef) * frac
            stats = update(
                model, optimizer, rollout, adv, p, generator, teacher_coef, tc.heard_coef, heard_index
            )
            if writer is not None and tc.controller:
                writer.add_scalar("train/teacher_coef", teacher_coef, steps)
            if writer is not None:
                for k, v in stats.items():
                    writer.add_scalar(k, v, steps)
                writer.add_scalar("train/learning_rate", optimizer.param_groups[0]["lr"], steps)
                done = [c for _, c in recent[-200:]]
                if done:
                    writer.add_scalar("train/win_rate", float(np.mean([c == 0 for c in done])), steps)
                elapsed = time.perf_counter() - t0 - eval_s
                writer.add_scalar("perf/env_steps_per_s", steps / max(elapsed, 1e-9), steps)
            if evaluation and (steps >= next_eval or steps >= cfg.total_steps):
                next_eval += ev.every_steps
                point = run_eval(steps)
                info = "  ".join(f"{k} {v:.0%}" for k, v in point.win.items())
                if stop_at_targets and point.targets_met:
                    break
            bar.update(steps, steps / max(time.perf_counter() - t0 - eval_s, 1e-9), info)
    finally:
        blas.close()
        bar.close()
        envs.close()
        if writer is not None:
            writer.close()
    wall = time.perf_counter() - t0
    snapshot(steps).save(last_path)
    if best is None:
        snapshot(steps).save(best_path)
    result = TrainResult(
        env_id=cfg.env_id,
        seed=seed,
        out_dir=out_dir,
        best_path=best_path,
        last_path=last_path,
        steps=steps,
        wall_s=wall,
        cpu_s=time.process_time() - c0,
        eval_s=eval_s,
        steps_per_s=steps / max(wall - eval_s, 1e-9),
        steps_per_s_overall=steps / max(wall, 1e-9),
        curve=curve,
        best=best,
        reached=reached,
        config=cfg.to_dict(),
    )
    (out_dir / "result.json").write_text(json.dumps(result.as_dict(), indent=1) + "\n")
    return result
