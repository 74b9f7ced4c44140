"""Distributed battle sweeps, Monte Carlo evaluation and RLlib training.

Nothing here imports Ray or loads the Go library until it is used; Ray is
the optional ``ray`` extra (``pip install 'tidebreak[ray]'``: Ray, RLlib and
torch); sweeps and evaluation need only ``ray-core`` (Ray alone).

``simulate_many(packages, backend="local"|"ray")``
    many BattlePackages in a process pool or as Ray tasks; one
    :class:`SweepResult` per package, in input order, identical whichever
    backend ran them; failures reported per package.
``iter_simulate(...)``
    the same, streaming results as they finish.
``sweep_files(paths, out)``
    package files to a JSON-lines file, streamed and resumable (the
    ``tidebreak sweep`` command).
``evaluate(policy_or_controller, env_id, ..., backend="ray")``
    :func:`tidebreak.rl.evaluation.evaluate` with its episodes spread over
    workers; the same report.
``tidebreak.distributed.rllib.register()``
    the PettingZoo env as an RLlib multi-agent env.

See docs/distributed.md for running the same calls on a Ray cluster.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "SweepResult",
    "simulate_many",
    "iter_simulate",
    "sweep_files",
    "load_results",
    "evaluate",
    "ensure_ray",
    "run_tasks",
    "default_workers",
    "dumps_callable",
    "progress_bar",
    "BACKENDS",
]

_LAZY = {
    "SweepResult": ("tidebreak.distributed.sweep", "SweepResult"),
    "simulate_many": ("tidebreak.distributed.sweep", "simulate_many"),
    "iter_simulate": ("tidebreak.distributed.sweep", "iter_simulate"),
    "sweep_files": ("tidebreak.distributed.sweep", "sweep_files"),
    "load_results": ("tidebreak.distributed.sweep", "load_results"),
    "evaluate": ("tidebreak.distributed.evaluation", "evaluate"),
    "ensure_ray": ("tidebreak.distributed._backends", "ensure_ray"),
    "run_tasks": ("tidebreak.distributed._backends", "run_tasks"),
    "default_workers": ("tidebreak.distributed._backends", "default_workers"),
    "BACKENDS": ("tidebreak.distributed._backends", "BACKENDS"),
    "dumps_callable": ("tidebreak.distributed._tasks", "dumps_callable"),
    "progress_bar": ("tidebreak.distributed.sweep", "progress_bar"),
}

if TYPE_CHECKING:
    from tidebreak.distributed._backends import BACKENDS, default_workers, ensure_ray, run_tasks
    from tidebreak.distributed._tasks import dumps_callable
    from tidebreak.distributed.evaluation import evaluate
    from tidebreak.distributed.sweep import (
        SweepResult,
        iter_simulate,
        load_results,
        progress_bar,
        simulate_many,
        sweep_files,
    )


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'tidebreak.distributed' has no attribute {name!r}")
    module, attr = _LAZY[name]
    value = getattr(import_module(module), attr)
    globals()[name] = value
    return value
