"""Execution backends: run a list of task calls and yield results as they finish.

``serial``
    in this process, one call after another (a baseline; loads the Go
    library here).
``local``
    a :class:`concurrent.futures.ProcessPoolExecutor` whose workers are
    started with ``spawn`` (default) or ``forkserver``, never ``fork``: a
    child forked after the Go runtime started cannot use it. If a worker dies
    the pool breaks; the calls that had not returned are resubmitted to a
    fresh pool (up to ``max_retries`` times).
``ray``
    Ray tasks (``ray.remote``), on the local machine or an existing cluster.
    Ray reruns a task whose worker died (``max_retries``); tasks are
    submitted through a bounded window so a large sweep does not put every
    package into the object store at once.

Each backend yields ``(task_index, ok, value)``: ``value`` is the return
value, or, where ``ok`` is false, the exception that failed the task after
its retries (a crashed worker; a bug raised inside the task).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import Any

__all__ = ["BACKENDS", "run_tasks", "ensure_ray", "default_workers"]

BACKENDS = ("local", "ray", "serial")
Outcome = tuple[int, bool, Any]


def default_workers() -> int:
    """Worker processes for the local backend: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def ensure_ray(address: str | None = None, num_cpus: int | None = None, **init_kwargs: Any) -> Any:
    """Import Ray and start or join it once per process.

    Nothing happens when Ray is already initialised (the caller's own
    ``ray.init(...)`` wins). Otherwise ``address`` (or the ``RAY_ADDRESS``
    environment variable) joins an existing cluster — ``"auto"`` finds the
    local node's cluster — and with neither a local instance is started
    with ``num_cpus`` CPUs.
    """
    try:
        import ray
    except ImportError as e:  # pragma: no cover - depends on the extra
        raise ImportError("backend='ray' needs Ray: pip install 'tidebreak[ray]'") from e
    if not ray.is_initialized():
        kwargs: dict[str, Any] = {"ignore_reinit_error": True, "log_to_driver": False, **init_kwargs}
        joining = address is not None or os.environ.get("RAY_ADDRESS")
        if address is not None:
            kwargs["address"] = address
        if not joining and num_cpus is not None:
            kwargs["num_cpus"] = num_cpus
        ray.init(**kwargs)
    return ray


def _run_serial(fn: Callable[..., Any], calls: Sequence[tuple[Any, ...]]) -> Iterator[Outcome]:
    for i, args in enumerate(calls):
        yield i, True, fn(*args)


def _run_local(
    fn: Callable[..., Any],
    calls: Sequence[tuple[Any, ...]],
    workers: int,
    start_method: str,
    max_retries: int,
) -> Iterator[Outcome]:
    if start_method not in ("spawn", "forkserver"):
        raise ValueError(
            f"start_method must be 'spawn' or 'forkserver' (got {start_method!r}): "
            "a child forked after the Go runtime started cannot use it"
        )
    ctx = multiprocessing.get_context(start_method)
    pending = dict(enumerate(calls))
    failures = 0
    while pending:
        pool = cf.ProcessPoolExecutor(max_workers=min(workers, len(pending)), mp_context=ctx)
        broken: BaseException | None = None
        try:
            futures = {pool.submit(fn, *args): i for i, args in pending.items()}
            for fut in cf.as_completed(futures):
                i = futures[fut]
                try:
                    value = fut.result()
                except BrokenProcessPool as e:
                    broken = e
                    continue
                except Exception as e:  # noqa: BLE001 - reported per task
                    del pending[i]
                    yield i, False, e
                    continue
                del pending[i]
                yield i, True, value
        finally:
            pool.shutdown(wait=broken is None, cancel_futures=True)
        if broken is not None:
            failures += 1
            if failures > max_retries:
                for i in sorted(pending):
                    yield i, False, RuntimeError(f"worker process died {failures} times: {broken}")
                return


def _run_ray(
    fn: Callable[..., Any],
    calls: Sequence[tuple[Any, ...]],
    max_retries: int,
    max_in_flight: int | None,
    address: str | None,
    num_cpus: int | None,
    remote_options: dict[str, Any] | None,
) -> Iterator[Outcome]:
    ray = ensure_ray(address, num_cpus)
    options = {"num_cpus": 1, "max_retries": max_retries, "retry_exceptions": False, **(remote_options or {})}
    remote = ray.remote(fn).options(**options)
    if max_in_flight is None:
        cpus = int(ray.cluster_resources().get("CPU", 1))
        max_in_flight = max(4, 4 * cpus)
    queue = iter(enumerate(calls))
    in_flight: dict[Any, int] = {}

    def submit() -> None:
        for i, args in queue:
            in_flight[remote.remote(*args)] = i
            if len(in_flight) >= max_in_flight:
                return

    submit()
    try:
        while in_flight:
            ready, _ = ray.wait(list(in_flight), num_returns=1)
            for ref in ready:
                i = in_flight.pop(ref)
                try:
                    value = ray.get(ref)
                except Exception as e:  # noqa: BLE001 - worker crashed after its retries, or a bug
                    yield i, False, e
                else:
                    yield i, True, value
            submit()
    finally:
        for ref in in_flight:
            ray.cancel(ref, force=False)


def run_tasks(
    fn: Callable[..., Any],
    calls: Sequence[tuple[Any, ...]],
    backend: str = "local",
    *,
    workers: int | None = None,
    start_method: str = "spawn",
    max_retries: int = 3,
    max_in_flight: int | None = None,
    ray_address: str | None = None,
    ray_num_cpus: int | None = None,
    remote_options: dict[str, Any] | None = None,
) -> Iterator[Outcome]:
    """Run ``fn(*args)`` for every ``args`` of ``calls`` on ``backend``,
    yielding ``(index, ok, value)`` in completion order."""
    if backend == "serial":
        return _run_serial(fn, calls)
    if backend == "local":
        return _run_local(fn, calls, workers or default_workers(), start_method, max_retries)
    if backend == "ray":
        return _run_ray(
            fn, calls, max_retries, max_in_flight, ray_address, ray_num_cpus or workers, remote_options
        )
    raise ValueError(f"backend must be one of {', '.join(BACKENDS)} (got {backend!r})")
