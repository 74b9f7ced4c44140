"""Sweep throughput of the backends: ``python -m tidebreak.distributed bench``.

For each workload (cheap: short battles of a few ms; full: whole fleet_4v4
battles of a few hundred ms) and each backend (serial, local process pool,
Ray) it reports battles/s, first call (process start-up included) and
second call (workers already up; the local pool is started again by every
call, Ray workers stay), and the per-task overhead measured with tasks that
do nothing.
"""

from __future__ import annotations

import argparse
import functools
import json
import time
from typing import Any

from tidebreak.distributed import _tasks
from tidebreak.distributed._backends import ensure_ray, run_tasks
from tidebreak.distributed.sweep import simulate_many

__all__ = ["workloads", "run_bench", "main"]


def workloads(cheap: int, full: int) -> dict[str, list[dict[str, Any]]]:
    from tidebreak import scenarios

    names = ("duel", "gun_duel", "sub_duel", "fleet_4v4")
    short = []
    for i in range(cheap):
        pkg = scenarios.package(names[i % 4], seed=i + 1)
        pkg["time_limit_s"] = 60
        short.append(pkg)
    whole = [scenarios.package("fleet_4v4", seed=i + 1) for i in range(full)]
    return {f"cheap x{cheap} (60 s battles)": short, f"full x{full} (fleet_4v4, 900 s)": whole}


def _timed(fn: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def _overhead(backend: str, workers: int, n: int) -> float:
    """Seconds of wall time per no-op task, times the workers (the cost one
    worker slot pays per task)."""
    calls = [(i,) for i in range(n)]
    list(run_tasks(_tasks.noop, calls[: workers * 2], backend, workers=workers))  # warm up
    wall, _ = _timed(lambda: list(run_tasks(_tasks.noop, calls, backend, workers=workers)))
    return wall * (1 if backend == "serial" else workers) / n


def run_bench(
    cheap: int = 400, full: int = 16, workers: int = 2, backends: tuple[str, ...] = ("serial", "local", "ray")
) -> dict[str, Any]:
    report: dict[str, Any] = {"workers": workers, "workloads": {}, "overhead_ms_per_task": {}}
    if "ray" in backends:
        init_s, _ = _timed(lambda: ensure_ray(num_cpus=workers))
        report["ray_init_s"] = round(init_s, 2)
    reference: dict[str, Any] = {}
    for label, pkgs in workloads(cheap, full).items():
        rows = report["workloads"][label] = {}
        for backend in backends:
            run = functools.partial(simulate_many, pkgs, backend, workers=workers, progress=False)
            cold, first = _timed(run)
            warm, second = _timed(run)
            assert first == second
            if label in reference:
                assert first == reference[label], f"{backend} results differ"
            reference.setdefault(label, first)
            rows[backend] = {
                "first_call_s": round(cold, 3),
                "second_call_s": round(warm, 3),
                "battles_per_s": round(len(pkgs) / warm, 1),
            }
    for backend in backends:
        n = 200 if backend == "local" else 2000
        report["overhead_ms_per_task"][backend] = round(1000 * _overhead(backend, workers, n), 3)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tidebreak.distributed bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--cheap", type=int, default=400)
    parser.add_argument("--full", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backends", default="serial,local,ray")
    args = parser.parse_args(argv)
    report = run_bench(args.cheap, args.full, args.workers, tuple(args.backends.split(",")))
    print(json.dumps(report, indent=2))
    return 0
