"""Monte Carlo evaluation spread over workers.

:func:`evaluate` takes the arguments of :func:`tidebreak.rl.evaluation.evaluate`
plus a backend, splits the episodes (and each baseline's episodes) into
shards of consecutive seeds, runs the shards as tasks, and rebuilds the
same :class:`~tidebreak.rl.evaluation.EvalReport` the single-process function
gives: the seeds are ``env_seeds(seed, episodes, "sequence")`` either way, env ``i`` of
a native vector env plays exactly like a single env with its seed, and the
per-episode figures are summed in the same order.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tidebreak.distributed import _tasks
from tidebreak.distributed._backends import default_workers, run_tasks
from tidebreak.rl.evaluation import (
    DEFAULT_BASELINES,
    EvalReport,
    EvalResult,
    controller_result,
    id_kwargs,
    policy_result,
)

__all__ = ["evaluate"]


def _shards(seeds: list[int], size: int) -> list[list[int]]:
    return [seeds[k : k + size] for k in range(0, len(seeds), size)]


def _joined(name: str, parts: list[Any], policy: bool) -> EvalResult:
    """One result from the shards' outputs, in seed order."""
    if policy:
        return policy_result(name, {k: np.concatenate([p[k] for p in parts]) for k in parts[0]})
    return controller_result(name, [ep for part in parts for ep in part])


def evaluate(
    policy_or_controller: Any,
    env_id: str = "Tidebreak/Duel-v0",
    episodes: int = 20,
    seed: int = 0,
    *,
    baselines: tuple[str, ...] | list[str] = DEFAULT_BASELINES,
    deterministic: bool = True,
    env_kwargs: dict[str, Any] | None = None,
    backend: str = "ray",
    workers: int | None = None,
    episodes_per_task: int | None = None,
    ray_address: str | None = None,
    remote_options: dict[str, Any] | None = None,
    start_method: str = "spawn",
    max_retries: int = 3,
) -> EvalReport:
    """:func:`tidebreak.rl.evaluation.evaluate`, with the episodes run as tasks.

    Same first arguments and the same report. ``backend`` is "ray"
    (default), "local" (a spawn/forkserver process pool) or "serial".
    ``episodes_per_task`` (default: the episodes spread over about two
    tasks per worker) sets the shard size; every shard of a policy builds
    one native vector env of that many envs and ships the policy once, so
    the policy must pickle (cloudpickle is used: lambdas and closures are
    fine; an SB3 model pickles as a whole). A policy whose actions for one
    observation depend on the rest of the batch will differ from the
    single-batch run; stateless policies give the identical report.
    """
    if episodes < 1:
        raise ValueError(f"episodes must be >= 1 (got {episodes})")
    kwargs = id_kwargs(env_id, env_kwargs)
    seeds = _evaluate_seeds(seed, episodes)
    n_workers = workers or (2 if backend == "ray" else default_workers())
    size = episodes_per_task or max(1, math.ceil(episodes / (2 * n_workers)))
    shards = _shards(seeds, size)

    calls: list[tuple[Any, ...]] = []
    kinds: list[tuple[str, str]] = []  # (player, "policy"|"controller") per call
    player = (
        policy_or_controller if isinstance(policy_or_controller, str) else type(policy_or_controller).__name__
    )
    if isinstance(policy_or_controller, str):
        calls += [(policy_or_controller, s, kwargs) for s in shards]
        kinds += [(player, "controller")] * len(shards)
    else:
        blob = _tasks.dumps_callable(policy_or_controller)
        calls += [(blob, s, kwargs, deterministic) for s in shards]
        kinds += [(player, "policy")] * len(shards)
    for base in baselines:
        calls += [(base, s, kwargs) for s in shards]
        kinds += [(f"baseline:{base}", "controller")] * len(shards)

    fn = _dispatch
    parts: dict[int, Any] = {}
    tagged = [(kind, *args) for (_, kind), args in zip(kinds, calls)]
    for i, ok, value in run_tasks(
        fn,
        tagged,
        backend,
        workers=workers,
        start_method=start_method,
        max_retries=max_retries,
        ray_address=ray_address,
        remote_options=remote_options,
    ):
        if not ok:
            raise RuntimeError(f"evaluation task {i} ({kinds[i][0]}) failed: {value}") from value
        parts[i] = value

    def collect(label: str) -> list[Any]:
        return [parts[i] for i in range(len(calls)) if kinds[i][0] == label]

    report = EvalReport(
        env_id, seed, _joined(player, collect(player), not isinstance(policy_or_controller, str))
    )
    for base in baselines:
        report.baselines[base] = _joined(base, collect(f"baseline:{base}"), False)
    return report


def _evaluate_seeds(seed: int, episodes: int) -> list[int]:
    from tidebreak.gym.config import env_seeds
    from tidebreak.rl.evaluation import SEEDING

    return env_seeds(seed, episodes, SEEDING)


def _dispatch(kind: str, *args: Any) -> Any:
    """One evaluation task (module-level so workers import it by name)."""
    if kind == "policy":
        return _tasks.eval_policy_shard(*args)
    return _tasks.eval_controller_shard(*args)
