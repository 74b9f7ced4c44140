"""The ``tidebreak`` command line.

Exit codes: 0 success; 1 the simulation or an output failed; 2 bad usage or
bad input (unreadable file, malformed JSON, invalid package).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class InputError(Exception):
    """A user-supplied file or value is unusable; exits with status 2."""


def _read_package(path: str) -> Any:
    from tidebreak.contracts import ContractError, parse_package

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from e
    try:
        return parse_package(text)
    except ContractError as e:
        raise InputError(f"{path}: {e}") from e


def _cmd_demo(args: argparse.Namespace) -> int:
    from tidebreak.demo import run_demo

    run_demo(Path(args.out), scenario=args.scenario, seed=args.seed)
    return EXIT_OK


def _cmd_simulate(args: argparse.Namespace) -> int:
    from tidebreak.simulation import simulate

    package = _read_package(args.file)
    if args.seed is not None:
        package = package.model_copy(update={"seed": args.seed})
    result = simulate(package)
    text = result.model_dump_json(indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n")
        winner = result.winner_team_id or "none (draw)"
        print(f"{result.battle_id}: {result.duration_s:.0f} s, winner {winner}; result written to {args.out}")
    else:
        print(text)
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    package = _read_package(args.file)
    print(f"{args.file}: valid {package.schema_version} package {package.battle_id!r} "
          f"({len(package.ships)} ships, {len(package.teams)} teams)")  # fmt: skip
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from tidebreak.contracts import package_schema

    print(json.dumps(package_schema(), indent=2))
    return EXIT_OK


def _cmd_scenarios(args: argparse.Namespace) -> int:
    from tidebreak import scenarios

    for name in scenarios.names():
        pkg = scenarios.load(name)
        ships = ", ".join(f"{s['ship_id']} ({s['controller']})" for s in pkg["ships"])
        print(f"{name:14s} {len(pkg['ships'])} ships: {ships}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-parser per command."""
    parser = argparse.ArgumentParser(
        prog="tidebreak",
        description="Tidebreak: a deterministic naval-combat simulator for reinforcement learning.",
        epilog="Exit codes: 0 success, 1 failure, 2 bad usage or bad input.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    fmt = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser("demo", help="simulate a scenario, print a summary and plot the tracks",
                       formatter_class=fmt, epilog="example:\n  tidebreak demo --out out/duel.png")  # fmt: skip
    p.add_argument("--scenario", default="duel", help="scenario name (default: duel)")
    p.add_argument("--seed", type=int, default=1, help="episode seed (default: 1)")
    p.add_argument("--out", default="out/demo_tracks.png", help="PNG to write (default: out/demo_tracks.png)")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("simulate", help="run a BattlePackage JSON file and print its BattleResult",
                       formatter_class=fmt, epilog="examples:\n  tidebreak simulate battle.json\n"
                       "  tidebreak simulate battle.json --seed 7 -o result.json")  # fmt: skip
    p.add_argument("file", help="BattlePackage JSON file, or - for standard input")
    p.add_argument("--seed", type=int, help="override the package seed")
    p.add_argument("-o", "--out", help="write the result here instead of printing it")
    p.set_defaults(func=_cmd_simulate)

    p = sub.add_parser("validate", help="check a BattlePackage JSON file",
                       formatter_class=fmt, epilog="example:\n  tidebreak validate battle.json")  # fmt: skip
    p.add_argument("file", help="BattlePackage JSON file, or - for standard input")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("schema", help="print the BattlePackage JSON schema",
                       formatter_class=fmt, epilog="example:\n  tidebreak schema > battle.schema.json")  # fmt: skip
    p.set_defaults(func=_cmd_schema)

    p = sub.add_parser("scenarios", help="list the shipped scenarios",
                       formatter_class=fmt, epilog="example:\n  tidebreak scenarios")  # fmt: skip
    p.set_defaults(func=_cmd_scenarios)

    try:
        from tidebreak.strategic.cli import add_campaign_parser
    except ImportError:
        pass
    else:
        add_campaign_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from tidebreak._native import NativeError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except InputError as e:
        print(f"tidebreak {args.command}: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except NativeError as e:
        print(f"tidebreak {args.command}: {e}", file=sys.stderr)
        bad_input = e.status in {"TB_ERR_JSON", "TB_ERR_INVALID", "TB_ERR_ARG"}
        return EXIT_BAD_INPUT if bad_input else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
