"""The ``sweep`` command: ``tidebreak sweep packages/ --backend ray --out results.jsonl``.

:func:`add_sweep_parser` adds it to the ``tidebreak`` command line;
``python -m tidebreak.distributed sweep ...`` runs it on its own.

Exit codes: 0 every package ran; 1 some package failed (its line in the
output says why); 2 bad usage (no packages found, unknown path).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["add_sweep_parser", "main"]

EXAMPLES = """\
examples:
  tidebreak sweep packages/ --out results.jsonl                 # process pool, all CPUs
  tidebreak sweep packages/ --backend ray --out results.jsonl   # local Ray, or RAY_ADDRESS's cluster
  tidebreak sweep packages/ --backend ray --address auto --out results.jsonl
  tidebreak sweep packages/ --out results.jsonl --retry-errors  # rerun only the failed ones

Each finished package is appended to --out as one JSON line
{"name", "battle_id", "seed", "status": "ok"|"error", "result" | "error"}.
Running the same command again skips the packages already in --out.
"""


def _cmd_sweep(args: argparse.Namespace) -> int:
    from tidebreak.distributed.sweep import sweep_files

    try:
        ran, skipped, failed = sweep_files(
            args.paths,
            args.out,
            args.backend,
            resume=not args.no_resume,
            retry_errors=args.retry_errors,
            workers=args.workers,
            chunk_size=args.chunk_size,
            progress=not args.no_progress,
            ray_address=args.address,
            start_method=args.start_method,
        )
    except FileNotFoundError as e:
        print(f"tidebreak sweep: {e}", file=sys.stderr)
        return 2
    if ran + skipped == 0:
        print(f"tidebreak sweep: no *.json package files under {' '.join(args.paths)}", file=sys.stderr)
        return 2
    print(f"{ran} packages run ({failed} failed), {skipped} already in {args.out}", file=sys.stderr)
    return 1 if failed else 0


def add_sweep_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``sweep`` subcommand to an ``argparse`` subparsers object
    (sets ``func``, which returns the exit code)."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "sweep",
        help="simulate many package files (process pool or Ray), streaming results to JSON lines",
        description="Simulate every *.json BattlePackage under PATHS and append one JSON line per "
        "package to --out as each finishes; packages already in --out are skipped.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help="package files or directories (searched for *.json)"
    )
    p.add_argument("--out", "-o", required=True, help="JSON-lines results file (appended to)")
    p.add_argument(
        "--backend",
        choices=("local", "ray", "serial"),
        default="local",
        help="local: process pool (default); ray: Ray tasks; serial: this process",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="local: pool size (default: CPUs); ray: CPUs of a Ray instance started here",
    )
    p.add_argument(
        "--address",
        default=None,
        help="Ray cluster to join (e.g. auto, ray://head:10001); default RAY_ADDRESS or a local instance",
    )
    p.add_argument("--chunk-size", type=int, default=None, help="packages per task (default: automatic)")
    p.add_argument(
        "--start-method", choices=("spawn", "forkserver"), default="spawn", help="local pool start method"
    )
    p.add_argument(
        "--retry-errors", action="store_true", help="rerun packages whose earlier record is an error"
    )
    p.add_argument(
        "--no-resume", action="store_true", help="overwrite --out instead of skipping what it holds"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_sweep)
    return p


def main(argv: list[str] | None = None) -> int:
    """``python -m tidebreak.distributed {sweep,bench} ...``"""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:
        from tidebreak.distributed.bench import main as bench_main

        return bench_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m tidebreak.distributed")
    sub = parser.add_subparsers(dest="command", required=True)
    add_sweep_parser(sub)
    sub.add_parser("bench", help="sweep throughput of the backends (see --help of bench)")
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code
