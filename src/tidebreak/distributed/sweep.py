"""Battle sweeps: many BattlePackages, simulated in a process pool or on Ray.

>>> from tidebreak import scenarios
>>> from tidebreak.distributed import simulate_many
>>> pkgs = [dict(scenarios.package("duel", seed=s), time_limit_s=30) for s in (1, 2)]
>>> results = simulate_many(pkgs, backend="serial", progress=False)
>>> [r.status for r in results], results[0].seed
(['ok', 'ok'], 1)
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from tidebreak.distributed import _tasks
from tidebreak.distributed._backends import default_workers, ensure_ray, run_tasks

__all__ = ["SweepResult", "simulate_many", "iter_simulate", "sweep_files", "load_results", "package_files"]

Status = Literal["ok", "error"]


@dataclass(frozen=True)
class SweepResult:
    """The outcome of one package of a sweep.

    ``index`` is the package's position in the input and ``name`` its label
    (file name, mapping key, or ``battle_id``). ``status`` is "ok" with
    ``result`` (the BattleResult as JSON data, exactly as the arena wrote
    it) or "error" with ``error`` — the library's message, which names the
    offending field (``ships[0].hull.max_speed: must be > 0 (got 0)``) — and
    ``error_type`` (``TB_ERR_INVALID``, ``TB_ERR_JSON``, or an exception
    class name when the task itself failed).
    """

    index: int
    name: str
    status: Status
    battle_id: str | None = None
    seed: int | None = None
    result: dict[str, Any] | None = field(default=None, repr=False)
    error: str | None = None
    error_type: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def final_state_hash(self) -> str | None:
        """The replay's final state hash (None for a failed package)."""
        if self.result is None:
            return None
        value = self.result.get("replay", {}).get("final_state_hash")
        return str(value) if value is not None else None

    def battle_result(self) -> Any:
        """``result`` as a :class:`tidebreak.contracts.BattleResult`
        (raises ``ValueError`` with the error text for a failed package)."""
        if self.result is None:
            raise ValueError(f"{self.name}: no result ({self.error_type}: {self.error})")
        from tidebreak.contracts import BattleResult

        return BattleResult.model_validate(self.result)

    def to_record(self) -> dict[str, Any]:
        """One JSON-lines record: name, battle_id, seed, status, result or error."""
        out: dict[str, Any] = {
            "name": self.name,
            "battle_id": self.battle_id,
            "seed": self.seed,
            "status": self.status,
        }
        if self.ok:
            out["result"] = self.result
        else:
            out["error"] = self.error
            out["error_type"] = self.error_type
        return out

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> SweepResult:
        return cls(
            index=int(record.get("index", -1)),
            name=str(record["name"]),
            status=record["status"],
            battle_id=record.get("battle_id"),
            seed=record.get("seed"),
            result=record.get("result"),
            error=record.get("error"),
            error_type=record.get("error_type"),
        )


def _as_wire(package: Any) -> Any:
    """A package in a form every worker can take: dicts, str and bytes stay
    as they are, pydantic models become JSON text, paths are read here."""
    if isinstance(package, (dict, str, bytes)):
        return package
    if hasattr(package, "model_dump_json"):
        return str(package.model_dump_json(exclude_none=True))
    if isinstance(package, os.PathLike):
        return Path(package).read_bytes()
    raise TypeError(f"package must be a dict, JSON text, BattlePackage or path, not {type(package).__name__}")


def _label(i: int, package: Any) -> str:
    battle_id, _ = _tasks._identity(package)
    if isinstance(package, os.PathLike):
        return str(os.fspath(package))
    return battle_id if battle_id else f"#{i}"


def _items(packages: Iterable[Any] | Mapping[str, Any]) -> list[_tasks.Item]:
    if isinstance(packages, Mapping):
        return [(i, str(name), _as_wire(p)) for i, (name, p) in enumerate(packages.items())]
    return [(i, _label(i, p), _as_wire(p)) for i, p in enumerate(packages)]


def _auto_chunk(n: int, backend: str, workers: int | None, ray_address: str | None) -> int:
    if backend == "serial":
        return max(1, n)
    if backend == "ray":
        ray = ensure_ray(ray_address, workers)
        w = max(1, int(ray.cluster_resources().get("CPU", 1)))
    else:
        w = workers or default_workers()
    # About eight tasks per worker: few enough that the per-task overhead
    # (≈1 ms on Ray) stays small next to ms-long battles, enough that results
    # stream back steadily and a lost worker costs little rework.
    return max(1, min(64, n // (8 * w)))


def progress_bar(total: int, enabled: bool, description: str) -> Any:
    if not enabled:
        return None
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[errors]} failed"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        transient=False,
    )
    bar.start()
    bar.add_task(description, total=total, errors=0)
    return bar


def iter_simulate(
    packages: Iterable[Any] | Mapping[str, Any],
    backend: str = "local",
    *,
    workers: int | None = None,
    chunk_size: int | None = None,
    progress: bool = True,
    start_method: str = "spawn",
    max_retries: int = 3,
    ray_address: str | None = None,
    remote_options: dict[str, Any] | None = None,
    max_in_flight: int | None = None,
    _kill_once: tuple[str, int] | None = None,
) -> Iterator[SweepResult]:
    """Like :func:`simulate_many`, but yield each :class:`SweepResult` as soon
    as its chunk finishes (completion order, not input order)."""
    items = _items(packages)
    size = chunk_size or _auto_chunk(len(items), backend, workers, ray_address)
    chunks = [items[k : k + size] for k in range(0, len(items), size)]
    kill = _kill_once if _kill_once is not None else (None, None)
    calls = [(chunk, *kill) for chunk in chunks]
    bar = progress_bar(len(items), progress, f"sweep ({backend})")
    errors = 0
    try:
        for ci, ok, value in run_tasks(
            _tasks.run_chunk,
            calls,
            backend,
            workers=workers,
            start_method=start_method,
            max_retries=max_retries,
            ray_address=ray_address,
            remote_options=remote_options,
            max_in_flight=max_in_flight,
        ):
            if ok:
                results = [SweepResult(**r) for r in value]
            else:  # the task failed after its retries: report each of its packages
                text = f"task failed: {type(value).__name__}: {value}"
                results = [
                    SweepResult(index=i, name=n, status="error", error=text, error_type=type(value).__name__)
                    for i, n, _ in chunks[ci]
                ]
            errors += sum(not r.ok for r in results)
            if bar is not None:
                bar.update(bar.task_ids[0], advance=len(results), errors=errors)
            yield from results
    finally:
        if bar is not None:
            bar.stop()


def simulate_many(
    packages: Iterable[Any] | Mapping[str, Any],
    backend: str = "local",
    *,
    workers: int | None = None,
    chunk_size: int | None = None,
    progress: bool = True,
    start_method: str = "spawn",
    max_retries: int = 3,
    ray_address: str | None = None,
    remote_options: dict[str, Any] | None = None,
    on_result: Callable[[SweepResult], None] | None = None,
    max_in_flight: int | None = None,
    _kill_once: tuple[str, int] | None = None,
) -> list[SweepResult]:
    """Simulate many BattlePackages and return one :class:`SweepResult` per
    package, in input order.

    ``packages``: an iterable of packages (dicts, JSON text, BattlePackage
    models, paths of package files) or a mapping ``{name: package}``.

    ``backend``:

    * ``"local"`` — a process pool of ``workers`` processes (default: the
      CPUs available) started with ``start_method`` (``"spawn"`` or
      ``"forkserver"``; never ``"fork"``, which breaks the Go runtime);
    * ``"ray"`` — Ray tasks of one CPU each; joins ``ray_address`` (or
      ``RAY_ADDRESS``) or the caller's ``ray.init``, else starts a local
      instance with ``workers`` CPUs. ``remote_options`` go to
      ``.options()`` of the remote function (``num_cpus``, ``resources``,
      ``scheduling_strategy``…); at most ``max_in_flight`` tasks (default
      4 × the cluster's CPUs) are submitted at a time;
    * ``"serial"`` — in this process (a baseline for benchmarks).

    The results are identical whichever backend ran them: the arena is
    deterministic and every package carries its seed. A package that fails
    validation comes back with ``status="error"`` and the message naming
    the field; the others are unaffected. Packages are sent in chunks of
    ``chunk_size`` (default: about eight chunks per worker, at most 64
    packages); a chunk whose worker dies is run again (``max_retries``
    times), and if it keeps failing its packages are reported as errors.
    ``on_result`` is called with each result as it arrives; ``progress``
    shows a rich progress bar on stderr.
    """
    out: list[SweepResult] = []
    for r in iter_simulate(
        packages,
        backend,
        workers=workers,
        chunk_size=chunk_size,
        progress=progress,
        start_method=start_method,
        max_retries=max_retries,
        ray_address=ray_address,
        remote_options=remote_options,
        max_in_flight=max_in_flight,
        _kill_once=_kill_once,
    ):
        out.append(r)
        if on_result is not None:
            on_result(r)
    out.sort(key=lambda r: r.index)
    return out


# --- sweeps over package files, streamed to JSON lines ------------------------


def package_files(paths: Iterable[str | os.PathLike[str]]) -> dict[str, Path]:
    """The package files under ``paths`` (directories are searched
    recursively for ``*.json``), keyed by a stable name: the path relative
    to the directory given, or the file path as given."""
    given = [Path(p) for p in paths]
    out: dict[str, Path] = {}
    for p in given:
        if p.is_dir():
            for f in sorted(p.rglob("*.json")):
                out[f.relative_to(p).as_posix() if len(given) == 1 else f.as_posix()] = f
        elif p.is_file():
            out[p.as_posix()] = p
        else:
            raise FileNotFoundError(f"{p}: no such file or directory")
    return out


def load_results(path: str | os.PathLike[str]) -> dict[str, SweepResult]:
    """The results already in a sweep's JSON-lines file, by name (the last
    record of a name wins; a torn last line from an interrupted run is
    ignored)."""
    done: dict[str, SweepResult] = {}
    p = Path(path)
    if not p.exists():
        return done
    with p.open(encoding="utf-8") as f:
        for line in f:
            try:
                record = json.loads(line)
                r = SweepResult.from_record(record)
            except (ValueError, KeyError, TypeError):
                continue
            done[r.name] = r
    return done


def sweep_files(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    backend: str = "local",
    *,
    resume: bool = True,
    retry_errors: bool = False,
    **kwargs: Any,
) -> tuple[int, int, int]:
    """Simulate every package file under ``paths`` and append one JSON line
    per package to ``out`` as each finishes (flushed at once, so an
    interrupted sweep keeps what it finished).

    With ``resume`` (default) packages whose names already have a record in
    ``out`` are skipped; ``retry_errors`` runs the failed ones again.
    Returns ``(ran, skipped, failed)``. Other keyword arguments go to
    :func:`iter_simulate`.
    """
    paths = list(paths)
    files = package_files(paths)
    out_path = Path(out)
    done = load_results(out_path) if resume else {}
    skip = {n for n, r in done.items() if r.ok or not retry_errors}
    todo = {n: f for n, f in files.items() if n not in skip}
    failed = 0
    if not resume and out_path.exists():
        out_path.unlink()
    if todo:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        needs_newline = (
            out_path.exists() and out_path.stat().st_size > 0 and not out_path.read_bytes().endswith(b"\n")
        )
        with out_path.open("a", encoding="utf-8") as f:
            if needs_newline:  # a torn line from an interrupted run
                f.write("\n")
            for r in iter_simulate({n: p for n, p in todo.items()}, backend, **kwargs):
                failed += not r.ok
                f.write(json.dumps(r.to_record(), separators=(",", ":")) + "\n")
                f.flush()
    return len(todo), len(files) - len(todo), failed
