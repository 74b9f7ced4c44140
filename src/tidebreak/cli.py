"""The ``tidebreak`` command line.

Commands: simulate, validate, schema, scenarios, demo, replay, view, diff,
bench, sweep, league, train, campaign. ``tidebreak COMMAND --help`` shows
each one's options and examples; docs/cli.md has the full reference.

Exit codes: 0 success; 1 the simulation or an output failed, a replay did
not verify, or ``diff`` found a difference; 2 bad usage or bad input
(unreadable file, malformed JSON, wrong record version, missing field,
invalid package); 130 interrupted (Ctrl-C); 141 standard output closed
early (``tidebreak scenarios | head``), quietly. Errors are one line on
standard error naming the file and the field, never a traceback
(``TIDEBREAK_DEBUG=1`` shows one for an internal error).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["main", "beside"]

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED, EXIT_PIPE_CLOSED = 130, 141
#: Suffixes of the battle files the commands read, longest first.
_BATTLE_SUFFIXES = (".json.gz", ".tbr", ".json", ".gz")


class InputError(Exception):
    """A user-supplied file or value is unusable; exits with status 2."""


def beside(path: str | Path, suffix: str) -> Path:
    """The file named like the battle file ``path`` but ending in ``suffix``, in the same folder.

    >>> str(beside("runs/duel.tbr", ".gif")), str(beside("battle.json.gz", ".html"))
    ('runs/duel.gif', 'battle.html')
    """
    path = Path(path)
    name = path.name
    for s in _BATTLE_SUFFIXES:
        if name.lower().endswith(s) and len(name) > len(s):
            name = name[: -len(s)]
            break
    return path.with_name(name + suffix)


def _read_package(path: str, strict: bool = True) -> Any:
    """Read and check a package file (``-``: standard input) with the contract; with
    ``strict=False`` unknown keys are reported on stderr and ignored."""
    import warnings

    from tidebreak.contracts import LIMITS, ContractError, UnknownFieldWarning, parse_package

    limit = LIMITS["max_package_bytes"]
    try:  # never more than the contract reads: a huge file is refused, not loaded
        if path == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(limit + 1)
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from e
    if len(data) > limit:
        raise InputError(f"{path}: larger than {limit} bytes, the limit for a package (docs/trust.md)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnknownFieldWarning)
        try:
            package = parse_package(data, strict=strict)
        except ContractError as e:
            raise InputError(f"{path}: {e}") from e
    for w in caught:
        if isinstance(w.message, UnknownFieldWarning):
            for p, m in w.message.problems:
                print(f"tidebreak: warning: {path}: {p}: {m}", file=sys.stderr)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return package


def _cmd_demo(args: argparse.Namespace) -> int:
    from tidebreak.demo import run_demo

    run_demo(Path(args.out), scenario=args.scenario, seed=args.seed)
    return EXIT_OK


def _cmd_simulate(args: argparse.Namespace) -> int:
    from tidebreak.engine.simulation import simulate

    if (args.file is None) == (args.scenario is None):
        raise InputError("give a package FILE or --scenario NAME (one of them)")
    if args.scenario is not None:
        from tidebreak import scenarios

        if args.scenario not in scenarios.names():
            raise InputError(f"--scenario {args.scenario!r}: unknown (known: {', '.join(scenarios.names())})")
        package: Any = scenarios.package(args.scenario, seed=args.seed if args.seed is not None else 1)
    else:
        package = _read_package(args.file, strict=not args.lenient)
        if args.seed is not None:
            package = package.model_copy(update={"seed": args.seed})
    result = simulate(package, record_path=args.record)
    if args.record:
        print(f"record written to {args.record}", file=sys.stderr)
    text = result.model_dump_json(indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        winner = result.winner_team_id or "none (draw)"
        print(f"{result.battle_id}: {result.duration_s:.0f} s, winner {winner}; result written to {args.out}")
    else:
        print(text)
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    package = _read_package(args.file, strict=not args.lenient)
    print(
        f"{args.file}: valid {package.schema_version} package {package.battle_id!r} "
        f"({len(package.ships)} ships, {len(package.teams)} teams)"
    )
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from tidebreak.contracts import package_schema

    print(json.dumps(package_schema(), indent=2))
    return EXIT_OK


def _cmd_scenarios(args: argparse.Namespace) -> int:
    from collections import Counter

    from tidebreak import scenarios

    for name in scenarios.names():
        ships = scenarios.load(name)["ships"]
        if len(ships) <= 6:
            what = ", ".join(f"{s['ship_id']} ({s['controller']})" for s in ships)
        else:  # a fleet: counts, not a thousand names
            teams = Counter(s["team_id"] for s in ships)
            controllers = Counter(s["controller"] for s in ships)
            what = (
                ", ".join(f"{t} {n}" for t, n in teams.items())
                + "; controllers: "
                + ", ".join(f"{c} {n}" for c, n in controllers.items())
            )
        print(f"{name:14s} {len(ships)} ships: {what}")
    return EXIT_OK


def _load_replay(path: str) -> Any:
    from tidebreak.replays.records import RecordError, load_replay

    try:
        return load_replay(path)
    except RecordError as e:
        raise InputError(str(e)) from e
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply") from None


def _cmd_replay(args: argparse.Namespace) -> int:
    from tidebreak.replays.records import RecordError, replay

    for flag, suffix in (("gif", ".gif"), ("mp4", ".mp4"), ("png", ".png")):
        if getattr(args, flag) == "":  # the flag without a name: beside the replay
            tick = f"_t{args.tick}" if flag == "png" and args.tick is not None else ""
            setattr(args, flag, str(beside(args.file, tick + suffix)))
    outputs = [o for o in (args.gif, args.mp4, args.png) if o]
    if not outputs and not args.verify:
        raise InputError("nothing to do: give --gif [OUT], --mp4 [OUT], --png [OUT] and/or --verify")
    code = EXIT_OK
    if args.verify:
        try:
            report = replay(args.file)
        except RecordError as e:
            raise InputError(str(e)) from e
        except RecursionError:
            raise InputError(f"{args.file}: JSON nested too deeply") from None
        print(f"{args.file}: {report}")
        code = EXIT_OK if report.ok else EXIT_FAILED
    if not outputs:
        return code
    rf = _load_replay(args.file)
    if args.pov is not None and args.pov not in rf.ship_ids:
        raise InputError(f"--pov {args.pov!r}: no such ship in {args.file} (ships: {', '.join(rf.ship_ids)})")
    from tidebreak.replays.render import RenderError, render_animation, render_still

    try:
        if args.png:
            render_still(rf, args.png, args.tick, pov=args.pov, overlays=not args.no_overlays)
            print(f"frame written to {args.png}")
        for out in (args.gif, args.mp4):
            if out:
                render_animation(
                    rf,
                    out,
                    pov=args.pov,
                    fps=args.fps,
                    step=args.step,
                    overlays=not args.no_overlays,
                    size=args.size,
                    dpi=args.dpi,
                    progress=not args.quiet,
                    start=args.start,
                    end=args.end,
                )
                print(f"animation written to {out}")
    except RenderError as e:
        print(f"tidebreak replay: {e}", file=sys.stderr)
        return EXIT_FAILED
    return code


def _policy_replay(args: argparse.Namespace, file: str) -> str:
    """Play one battle with the policy file ``file`` and record it beside it; the record's path."""
    from gymnasium.error import Error as GymError

    from tidebreak.rl.policy import PolicyError, load_policy, play_episode

    try:
        policy = load_policy(file, seed=args.seed)
    except PolicyError as e:
        raise InputError(str(e)) from e
    record = Path(file).with_suffix(".tbr")
    try:
        played = play_episode(
            policy, env_id=args.env, seed=args.seed, opponent=args.opponent, record_path=record
        )
    except (KeyError, ValueError, GymError) as e:
        raise InputError(f"{file}: {e}") from e
    print(f"{file}: played seed {args.seed}: {played['outcome']} after {played['length']} s; replay {record}")
    return str(record)


def _cmd_view(args: argparse.Namespace) -> int:
    from tidebreak.replays.viewer import ViewerError, write_html

    if args.out and len(args.files) > 1:
        raise InputError(
            f"-o names one page but {len(args.files)} files were given: leave -o out to write "
            "each page beside its file, or give one file"
        )
    policies = [f for f in args.files if str(f).endswith(".npz")]
    if len(policies) < len(args.files) and (args.opponent or args.env):
        raise InputError("--opponent and --env apply to policy files (.npz) only")
    pages = []
    for file in args.files:  # every file is read and checked before any page is written
        source = _policy_replay(args, file) if file in policies else file
        rf = _load_replay(source)
        out = Path(args.out) if args.out else beside(source, ".html")
        pages.append((file, rf, out))
    for file, rf, out in pages:
        try:
            write_html(rf, out, title=args.title)
        except ViewerError as e:
            raise InputError(f"{file}: {e}") from e
        except OSError as e:
            raise InputError(f"{out}: cannot write: {e.strerror}") from e
        print(
            f"viewer written to {out} ({out.stat().st_size / 1e6:.1f} MB, {len(rf.frames)} frames); "
            "open it in a browser"
        )
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from tidebreak.replays.diff import diff
    from tidebreak.replays.records import RecordError

    pkg_a = _read_package(args.package).model_dump(mode="json", exclude_none=True) if args.package else None
    pkg_b = (
        _read_package(args.package_b).model_dump(mode="json", exclude_none=True) if args.package_b else None
    )
    try:
        report = diff(args.a, args.b, package=pkg_a, package_b=pkg_b)
    except RecordError as e:
        raise InputError(str(e)) from e
    except RecursionError:
        raise InputError(f"{args.a} or {args.b}: JSON nested too deeply") from None
    if args.json:
        doc = {
            "identical": report.identical,
            "first_divergent_tick": report.first_divergent_tick,
            "hash_a": report.hash_a,
            "hash_b": report.hash_b,
            "package_changes": report.package_changes,
            "action_log_change": report.action_log_change,
            "fields": [{"entity": f.entity, "field": f.field, "a": f.a, "b": f.b} for f in report.fields],
        }
        print(json.dumps(doc, indent=2, default=str))
    else:
        print(report.render(max_fields=args.max_fields))
    return EXIT_OK if report.identical else EXIT_FAILED


def _cmd_bench(args: argparse.Namespace) -> int:
    from tidebreak.bench import main as bench_main

    rest = [a for a in args.bench_args if a != "--"]
    if "-h" in rest or "--help" in rest:
        print(
            "usage: tidebreak bench [--steps N] [--cffi-modes] [--json]\n\n"
            "Runs tidebreak.bench (python -m tidebreak.bench); its options follow.\n\n"
            "examples:\n  tidebreak bench\n  tidebreak bench --steps 5000 --json\n"
        )
    try:
        bench_main(rest)
    except SystemExit as e:  # argparse inside bench: --help exits 0, bad options exit 2
        return int(e.code or 0) if not isinstance(e.code, str) else EXIT_BAD_INPUT
    return EXIT_OK


def _add_viz_parsers(sub: Any, fmt: Any) -> None:
    p = sub.add_parser(
        "replay",
        help="verify a record, or render it to a GIF / MP4 / PNG",
        formatter_class=fmt,
        description="Render a record or replay file (.tbr) with matplotlib, "
        "ground truth or one ship's point of view, and/or verify it by re-simulation.",
        epilog="examples:\n  tidebreak replay battle.tbr --verify\n"
        "  tidebreak replay battle.tbr --gif --step 2              (writes battle.gif)\n"
        "  tidebreak replay battle.tbr --mp4 battle.mp4 --pov corvette   (needs ffmpeg)\n"
        "  tidebreak replay battle.tbr --png tick200.png --tick 200\n\n"
        "exit codes: 0 ok, 1 replay diverged or rendering failed (e.g. no ffmpeg), 2 bad input",
    )
    p.add_argument("file", help="record (.json / .json.gz) or replay file (.tbr)")
    p.add_argument("--verify", action="store_true", help="re-simulate and check every tick's state hash")
    for flag, what, named in (
        ("gif", "write an animated GIF", ".gif"),
        ("mp4", "write an MP4 (needs ffmpeg or the imageio-ffmpeg package)", ".mp4"),
        ("png", "write one frame as PNG (the last, or --tick)", "_tTICK.png or .png"),
    ):
        p.add_argument(
            f"--{flag}",
            metavar="OUT",
            nargs="?",
            const="",
            help=f"{what}; without OUT: FILE's name with {named}, beside it",
        )
    p.add_argument("--tick", type=int, help="tick for --png (default: the last)")
    p.add_argument(
        "--pov", metavar="SHIP_ID", help="draw only this ship and its tracks (default: ground truth)"
    )
    p.add_argument("--fps", type=int, default=12, help="frames per second (default: 12)")
    p.add_argument("--step", type=int, default=1, help="draw every N-th tick, and the last (default: 1)")
    p.add_argument("--start", type=int, default=0, help="first tick to draw (default: 0)")
    p.add_argument("--end", type=int, help="last tick to draw (default: the end)")
    p.add_argument("--size", type=float, default=6.0, help="figure size in inches (default: 6)")
    p.add_argument("--dpi", type=int, default=80, help="dots per inch (default: 80)")
    p.add_argument(
        "--no-overlays", action="store_true", help="hide sensor ranges, tracks, zones, currents, noise"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_replay)

    p = sub.add_parser(
        "view",
        help="write a self-contained HTML viewer for a record or replay file",
        formatter_class=fmt,
        description="One HTML file, no network needed: timeline, play/pause, "
        "speed, layers, sensor and track overlays, events, point of view.",
        epilog="examples:\n  tidebreak view battle.tbr -o battle.html\n"
        "  tidebreak view battle.json.gz            (writes battle.html)\n"
        "  tidebreak view replays/*.tbr             (one page beside each file)\n"
        "  open battle.html#tick=120&pov=corvette  (at tick 120, from the corvette's point of view)\n"
        "  tidebreak view runs/Duel-v0-seed0/best.npz --opponent aggressive --seed 3\n"
        "                                           (a trained policy plays one battle: best.tbr, best.html)\n\n"
        "exit codes: 0 ok, 2 bad input",
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="record (.json / .json.gz), replay file (.tbr) or trained policy (.npz, from tidebreak train)",
    )
    p.add_argument("-o", "--out", help="HTML file to write, for one FILE (default: FILE's name with .html)")
    p.add_argument("--title", help="page title")
    p.add_argument("--seed", type=int, default=0, help="policy files: the battle's seed (default: 0)")
    p.add_argument(
        "--opponent", help="policy files: scripted controller for the other side (default: the id's)"
    )
    p.add_argument("--env", metavar="ID", help="policy files: env id to play (default: the policy's)")
    p.set_defaults(func=_cmd_view)

    p = sub.add_parser(
        "diff",
        help="find where two battles diverge and which fields differ",
        formatter_class=fmt,
        description="Compare two records / replay files (or two result files "
        "of the same package): the first tick whose state hash differs, and the entities and fields "
        "that differ there (re-simulated), plus package and action-log differences.",
        epilog="examples:\n  tidebreak diff a.tbr b.tbr\n"
        "  tidebreak diff result_a.json result_b.json --package battle.json\n\n"
        "exit codes: 0 identical, 1 different, 2 bad input",
    )
    p.add_argument("a", help="first record, replay or result file")
    p.add_argument("b", help="second record, replay or result file")
    p.add_argument("--package", metavar="FILE", help="BattlePackage of result files")
    p.add_argument("--package-b", metavar="FILE", help="BattlePackage of B when it differs from --package")
    p.add_argument("--max-fields", type=int, default=12, help="fields shown per entity (default: 12)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=_cmd_diff)

    p = sub.add_parser(
        "bench",
        help="measure env throughput (python -m tidebreak.bench)",
        formatter_class=fmt,
        add_help=False,
        epilog="examples:\n  tidebreak bench\n  tidebreak bench --steps 5000 --json\n"
        "  tidebreak bench --help",
    )
    p.add_argument(
        "bench_args",
        nargs=argparse.REMAINDER,
        help="options for tidebreak.bench (see tidebreak bench --help)",
    )
    p.set_defaults(func=_cmd_bench)


def version_text() -> str:
    """``tidebreak --version``: the package's version and the library's build."""
    from tidebreak import __version__

    lines = [f"tidebreak {__version__}"]
    try:
        from tidebreak.engine import native as _native

        info = _native.build_info()
    except Exception as e:  # a broken install should still say which version it is
        lines.append(f"library: cannot be loaded ({e})")
    else:
        lines.append(
            f"library: {info['version']}, C ABI version {info['abi']}, {info['go']} {info['platform']}, "
            f"commit {info['commit']}"
        )
    return "\n".join(lines)


class _VersionAction(argparse.Action):
    """--version, loading the library only when asked."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        print(version_text())
        parser.exit()


def _cmd_selfcheck(args: argparse.Namespace) -> int:
    from tidebreak.engine.selfcheck import run

    checks = run()
    for c in checks:
        print(f"{'ok  ' if c.ok else 'FAIL'} {c.name}: {c.detail}")
    failed = sum(not c.ok for c in checks)
    print(f"{len(checks) - failed} passed, {failed} failed")
    return EXIT_FAILED if failed else 0


_LENIENT_HELP = "ignore keys arena.v1 does not define (warning on stderr) instead of refusing the package"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-parser per command."""
    parser = argparse.ArgumentParser(
        prog="tidebreak",
        description="Tidebreak: a deterministic naval-combat simulator for reinforcement learning.",
        epilog="Exit codes: 0 success, 1 failure, 2 bad usage or bad input.",
    )
    parser.add_argument(
        "--version",
        action=_VersionAction,
        help="print the version, the library's ABI and Go versions and commit",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    fmt = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser(
        "demo",
        help="simulate a scenario, print a summary and plot the tracks",
        formatter_class=fmt,
        epilog="example:\n  tidebreak demo --out out/duel.png",
    )
    p.add_argument("--scenario", default="duel", help="scenario name (default: duel)")
    p.add_argument("--seed", type=int, default=1, help="episode seed (default: 1)")
    p.add_argument("--out", default="out/demo_tracks.png", help="PNG to write (default: out/demo_tracks.png)")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser(
        "simulate",
        help="run a BattlePackage JSON file and print its BattleResult",
        formatter_class=fmt,
        epilog="examples:\n  tidebreak simulate battle.json\n"
        "  tidebreak simulate battle.json --seed 7 -o result.json\n"
        "  tidebreak simulate --scenario duel --seed 4 --record duel.tbr -o result.json",
    )
    p.add_argument("file", nargs="?", help="BattlePackage JSON file, or - for standard input")
    p.add_argument("--scenario", metavar="NAME", help="simulate a shipped scenario instead of a file")
    p.add_argument("--seed", type=int, help="override the package seed")
    p.add_argument("-o", "--out", help="write the result here instead of printing it")
    p.add_argument(
        "--record",
        metavar="PATH",
        help="also write a record (.json/.json.gz) or a replay file with frames (.tbr)",
    )
    p.add_argument("--lenient", action="store_true", help=_LENIENT_HELP)
    p.set_defaults(func=_cmd_simulate)

    p = sub.add_parser(
        "validate",
        help="check a BattlePackage JSON file",
        formatter_class=fmt,
        epilog="examples:\n  tidebreak validate battle.json\n  tidebreak validate --lenient newer-battle.json",
    )
    p.add_argument("file", help="BattlePackage JSON file, or - for standard input")
    p.add_argument("--lenient", action="store_true", help=_LENIENT_HELP)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "schema",
        help="print the BattlePackage JSON schema",
        formatter_class=fmt,
        epilog="example:\n  tidebreak schema > battle.schema.json",
    )
    p.set_defaults(func=_cmd_schema)

    p = sub.add_parser(
        "scenarios",
        help="list the shipped scenarios",
        formatter_class=fmt,
        epilog="example:\n  tidebreak scenarios",
    )
    p.set_defaults(func=_cmd_scenarios)

    p = sub.add_parser(
        "selfcheck",
        help="check that the installed library loads and works (ABI, exports, version, errors, an episode)",
        formatter_class=fmt,
        epilog="example:\n  tidebreak selfcheck",
    )
    p.set_defaults(func=_cmd_selfcheck)

    _add_viz_parsers(sub, fmt)

    from tidebreak.distributed.cli import add_sweep_parser

    add_sweep_parser(sub)

    from tidebreak.rl.league import add_league_parser

    add_league_parser(sub)

    from tidebreak.rl.train.cli import add_train_parser

    add_train_parser(sub)

    try:
        from tidebreak.strategic.cli import add_campaign_parser
    except ImportError:
        pass
    else:
        add_campaign_parser(sub)
        camp = sub.choices.get("campaign")
        if camp is not None and not camp.epilog:
            camp.formatter_class = fmt
            camp.epilog = (
                "examples:\n  tidebreak campaign run --help\n  tidebreak campaign resume --help\n"
                "  tidebreak campaign plot --help"
            )
    return parser


def _command_name(args: argparse.Namespace) -> str:
    sub = getattr(args, "campaign_command", None)
    return f"tidebreak {args.command}" + (f" {sub}" if sub else "")


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace | int:
    """The parsed arguments, or an exit code after a one-line usage error."""
    if argv[:1] == ["bench"]:  # every option belongs to tidebreak.bench
        return argparse.Namespace(command="bench", func=_cmd_bench, bench_args=argv[1:])
    args, extra = parser.parse_known_args(argv)
    if not extra:
        return args
    name, first = _command_name(args), extra[0]
    what = f"unknown option {first!r}" if first.startswith("-") else f"unexpected argument {first!r}"
    more = f" (and {len(extra) - 1} more)" if len(extra) > 1 else ""
    print(f"{name}: {what}{more}; see `{name} --help` for what it takes", file=sys.stderr)
    return EXIT_BAD_INPUT


def _run(args: argparse.Namespace) -> int:
    from tidebreak.engine.native import NativeError

    name = _command_name(args)
    try:
        code: int = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except InputError as e:
        print(f"{name}: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except NativeError as e:
        print(f"{name}: {e}", file=sys.stderr)
        bad_input = e.status in {"TB_ERR_JSON", "TB_ERR_INVALID", "TB_ERR_ARG"}
        return EXIT_BAD_INPUT if bad_input else EXIT_FAILED
    except RecursionError:
        print(f"{name}: input nested too deeply to read", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as e:  # a file named on the command line cannot be read or written
        if e.filename is None or isinstance(e, BrokenPipeError):
            raise
        print(f"{name}: {e.filename}: {e.strerror or e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (BrokenPipeError, KeyboardInterrupt):
        raise
    except Exception as e:  # a bug: one line unless asked for the traceback
        if os.environ.get("TIDEBREAK_DEBUG"):
            raise
        print(
            f"{name}: internal error: {type(e).__name__}: {e} "
            "(please report it; TIDEBREAK_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_FAILED


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = _parse(parser, argv)
        return args if isinstance(args, int) else _run(args)
    except BrokenPipeError:
        # The reader went away (`| head`): say nothing more. Point stdout at
        # /dev/null so that the interpreter's final flush does not complain.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_PIPE_CLOSED
    except KeyboardInterrupt:
        print("tidebreak: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
