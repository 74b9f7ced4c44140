"""Functions that run inside worker processes (process-pool workers or Ray workers).

Everything here is importable without Ray and without loading the Go
library; the library is loaded by the first battle a worker runs, once per
worker process, and stays loaded for the worker's lifetime.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
from typing import Any

__all__ = ["run_chunk", "run_one", "eval_policy_shard", "eval_controller_shard", "dumps_callable"]

Item = tuple[int, str, Any]
"""One package of a sweep: (input index, name, package as JSON text or dict)."""


def _kill_self_once(marker: str) -> None:
    """Test hook: SIGKILL this worker the first time ``marker`` is claimed.

    The marker file is created atomically (O_EXCL), so exactly one attempt in
    the whole sweep dies and the retried attempt proceeds normally.
    """
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    os.kill(os.getpid(), signal.SIGKILL)


def _identity(package: Any) -> tuple[str | None, int | None]:
    """battle_id and seed of a package, best effort (the package may be malformed)."""
    data = package
    if isinstance(package, (str, bytes)):
        try:
            data = json.loads(package)
        except ValueError:
            return None, None
    if not isinstance(data, dict):
        return None, None
    battle_id = data.get("battle_id")
    seed = data.get("seed")
    return (
        battle_id if isinstance(battle_id, str) else None,
        seed if isinstance(seed, int) and not isinstance(seed, bool) else None,
    )


def run_one(index: int, name: str, package: Any) -> dict[str, Any]:
    """Simulate one package; never raises for a bad package.

    Returns the fields of a :class:`~tidebreak.distributed.SweepResult`:
    ``status`` "ok" with ``result`` (the BattleResult as JSON data) or
    "error" with ``error`` (the library's message, which names the field)
    and ``error_type``.
    """
    from tidebreak.engine.native import NativeError
    from tidebreak.engine.simulation import simulate_json

    battle_id, seed = _identity(package)
    out: dict[str, Any] = {"index": index, "name": name, "battle_id": battle_id, "seed": seed}
    try:
        raw = simulate_json(package)
    except NativeError as e:
        return {**out, "status": "error", "error": e.message, "error_type": e.status}
    except (TypeError, ValueError, OSError) as e:
        return {**out, "status": "error", "error": str(e), "error_type": type(e).__name__}
    result = json.loads(raw)
    return {**out, "battle_id": result.get("battle_id", battle_id), "status": "ok", "result": result}


def run_chunk(
    items: list[Item], kill_marker: str | None = None, kill_index: int | None = None
) -> list[dict[str, Any]]:
    """Simulate a chunk of packages in order (one task = one chunk).

    ``kill_marker``/``kill_index`` are a test hook: the worker that reaches
    package ``kill_index`` first kills itself with SIGKILL, to show that the
    retried chunk loses nothing.
    """
    out = []
    for index, name, package in items:
        if kill_marker is not None and index == kill_index:
            _kill_self_once(kill_marker)
        out.append(run_one(index, name, package))
    return out


# --- Monte Carlo evaluation -------------------------------------------------


def dumps_callable(obj: Any) -> bytes:
    """Serialise a policy for the workers (cloudpickle when available, so
    lambdas and local functions work)."""
    try:
        import cloudpickle  # type: ignore[import-untyped,unused-ignore]

        dumps: Any = cloudpickle.dumps
        data: bytes = dumps(obj)
        return data
    except ImportError:
        pass
    try:
        from ray import cloudpickle as ray_cloudpickle

        ray_dumps: Any = ray_cloudpickle.dumps
        data = ray_dumps(obj)
        return data
    except ImportError:
        return pickle.dumps(obj)


def eval_policy_shard(
    policy_blob: bytes, seeds: list[int], kwargs: dict[str, Any], deterministic: bool
) -> dict[str, Any]:
    """Play one episode per seed with a policy in a native vector env.

    Returns per-episode arrays, in seed order, from which
    :func:`tidebreak.distributed.evaluate` rebuilds the exact metrics of
    :func:`tidebreak.rl.evaluation.evaluate` (env ``i`` of a vector env reset
    with a seed list plays exactly like one reset with ``seeds[i]``).
    """
    from tidebreak.rl.evaluation import play_episodes, policy_fn

    policy = pickle.loads(policy_blob)
    return play_episodes(policy_fn(policy, deterministic), list(seeds), len(seeds), kwargs)


def eval_controller_shard(controller: str, seeds: list[int], kwargs: dict[str, Any]) -> list[dict[str, Any]]:
    """Play one battle per seed with ``controller`` in the agent's seat
    (:func:`tidebreak.rl.evaluation.controller_episodes`)."""
    from tidebreak.rl.evaluation import controller_episodes

    return controller_episodes(controller, seeds, kwargs)


def noop(i: int) -> int:
    """A task that does nothing (for measuring per-task overhead)."""
    return i
