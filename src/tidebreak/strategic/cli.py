"""The ``tidebreak campaign run|resume|plot`` commands.

``add_campaign_parser(subparsers)`` registers ``campaign`` on the ``tidebreak``
command line (each leaf sets ``func``); ``main(argv)`` runs the same commands
on their own (``python -m tidebreak.strategic run ...``).

    tidebreak campaign run --days 365 --seed 7 --save state.json
    tidebreak campaign resume state.json --days 100
    tidebreak campaign plot state.json -o out.png

A save that cannot be read (see :mod:`tidebreak.strategic.save`) ends the
command with one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from .campaign import Campaign, DayReport
from .metrics import campaign_metrics
from .save import SaveError
from .scenario import DEFAULT_SCENARIO, build_world, list_scenarios
from .world import MAX_DAY, World

EXIT_BAD_INPUT = 2


def add_campaign_parser(subparsers: Any) -> argparse.ArgumentParser:
    camp: argparse.ArgumentParser = subparsers.add_parser("campaign", help="strategic campaign layer")
    sub = camp.add_subparsers(dest="campaign_command", required=True)

    run = sub.add_parser("run", help="start a new campaign")
    run.add_argument("--scenario", default=DEFAULT_SCENARIO, help="shipped scenario name or JSON path")
    run.add_argument("--days", type=int, default=365)
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--save", default=None, help="write the final state to this JSON file")
    run.add_argument("--resolver", choices=("auto", "arena"), default="auto")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.add_argument("--events", type=int, default=12, help="how many notable events to print (0: none)")
    run.set_defaults(func=cmd_run)

    res = sub.add_parser("resume", help="continue a saved campaign")
    res.add_argument("state")
    res.add_argument("--days", type=int, default=100)
    res.add_argument("--save", default=None, help="where to write (default: overwrite the input)")
    res.add_argument("--resolver", choices=("auto", "arena"), default="auto")
    res.add_argument("--quiet", action="store_true")
    res.add_argument("--events", type=int, default=12, help="how many notable events to print (0: none)")
    res.add_argument(
        "--no-verify",
        action="store_true",
        help="load a hand-edited save whose state hash no longer matches (values are still checked)",
    )
    res.set_defaults(func=cmd_resume)

    stu = sub.add_parser(
        "study",
        help="play many seeds and print who wins (the campaign balance table)",
        epilog="example: tidebreak campaign study --seeds 20 --resolver arena --jobs 2 --markdown",
    )
    stu.add_argument("--scenario", default=DEFAULT_SCENARIO, help="shipped scenario name or JSON path")
    stu.add_argument("--seeds", type=int, default=20, help="play seeds 0 … N-1 (default 20)")
    stu.add_argument("--first-seed", type=int, default=0)
    stu.add_argument("--days", type=int, default=365)
    stu.add_argument("--resolver", choices=("auto", "arena"), default="arena")
    stu.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    stu.add_argument("--markdown", action="store_true", help="print Markdown tables")
    stu.add_argument("--quiet", action="store_true", help="no progress bar")
    stu.set_defaults(func=cmd_study)

    plot = sub.add_parser("plot", help="plot a saved campaign to PNG")
    plot.add_argument("state")
    plot.add_argument("-o", "--output", default="campaign.png")
    plot.add_argument("--no-verify", action="store_true", help="accept a hand-edited save")
    plot.set_defaults(func=cmd_plot)
    return camp


def _advance(world: World, days: int, resolver: str, quiet: bool) -> tuple[Campaign, float]:
    camp = Campaign(world, resolver=resolver)
    start = time.perf_counter()
    if quiet:
        camp.run(days)
    else:
        from rich.progress import Progress

        with Progress(transient=True) as prog:
            task = prog.add_task(f"{world.scenario} day {world.day}", total=days)

            def on_day(rep: DayReport) -> None:
                prog.update(
                    task,
                    advance=1,
                    description=f"{world.scenario} day {rep.day} · battles {camp.battle_count}",
                )

            camp.run(days, on_day=on_day)
    return camp, time.perf_counter() - start


def _summary(world: World, elapsed: float, battles: int, n_events: int) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:  # piped or redirected: no terminal width to fit, keep names whole
        console = Console(width=160)
    m = campaign_metrics(world)
    table = Table(
        title=f"{world.scenario} · seed {world.seed} · day {world.day} · {battles} battles this run "
        f"({m.battles} total) · {elapsed:.2f} s"
    )
    for col in (
        "faction",
        "arcologies",
        "ships",
        "lost",
        "battles won",
        "morale",
        "legitimacy",
        "supply days",
        "shortage days",
    ):
        table.add_column(col, justify="right" if col != "faction" else "left")
    for fid, fm in m.factions.items():
        last = world.history[-1].factions[fid] if world.history else None
        table.add_row(
            world.factions[fid].name + (" (defeated)" if world.factions[fid].defeated else ""),
            str(fm.arcologies_end),
            str(fm.ships_end),
            str(fm.ships_lost),
            f"{fm.battles_won}/{fm.battles}",
            f"{last.morale:.2f}" if last else "-",
            f"{last.legitimacy:.2f}" if last else "-",
            f"{min(last.supply_days, 999):.0f}" if last else "-",
            str(fm.shortage_days),
        )
    console.print(table)
    notable = [
        e
        for e in world.events
        if e.kind
        in ("war", "ceasefire", "treaty", "arcology_captured", "coup", "defeat", "invasion", "treaty_broken")
    ]
    for e in notable[-n_events:] if n_events > 0 else []:
        console.print(f"  day {e.day:>3}  {e.text}")
    status = "finished" if world.finished else "running"
    console.print(f"Campaign {status}; winner: {world.winner or '—'}; state hash {world.state_hash()[:16]}…")


def _bad(args: argparse.Namespace, message: str) -> int:
    print(f"tidebreak campaign {args.campaign_command}: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_run(args: argparse.Namespace) -> int:
    if not 0 <= args.days <= MAX_DAY:
        return _bad(args, f"--days must be in [0, {MAX_DAY}], not {args.days}")
    if not 0 <= args.seed < 2**64:
        return _bad(args, f"--seed must be in [0, 2**64), not {args.seed}")
    try:
        world = build_world(args.scenario, seed=args.seed)
    except FileNotFoundError:
        return _bad(args, f"no scenario {args.scenario!r} (shipped: {', '.join(list_scenarios())})")
    except (OSError, ValueError, KeyError, TypeError) as e:  # unreadable or malformed scenario JSON
        return _bad(args, f"scenario {args.scenario!r} cannot be built: {type(e).__name__}: {e}")
    world.day_limit = min(MAX_DAY, max(world.day_limit, args.days))
    camp, elapsed = _advance(world, args.days, args.resolver, args.quiet)
    if args.save:
        world.save(args.save)
    _summary(world, elapsed, camp.battle_count, args.events)
    return 0


def _load(args: argparse.Namespace) -> World | None:
    try:
        return World.load(args.state, verify=not args.no_verify)
    except SaveError as e:
        _bad(args, str(e))
        return None


def cmd_resume(args: argparse.Namespace) -> int:
    if not 0 <= args.days <= MAX_DAY:
        return _bad(args, f"--days must be in [0, {MAX_DAY}], not {args.days}")
    world = _load(args)
    if world is None:
        return EXIT_BAD_INPUT
    world.day_limit = min(MAX_DAY, max(world.day_limit, world.day + args.days))
    world.finished = (
        False if not any(world.factions[p].defeated for p in world.principals) else world.finished
    )
    camp, elapsed = _advance(world, args.days, args.resolver, args.quiet)
    world.save(args.save or args.state)
    _summary(world, elapsed, camp.battle_count, args.events)
    return 0


def cmd_study(args: argparse.Namespace) -> int:
    from .study import markdown, study

    if not 1 <= args.seeds <= 100_000 or not 0 <= args.first_seed < 2**63:
        return _bad(args, "--seeds must be in [1, 100000] and --first-seed in [0, 2**63)")
    if not 1 <= args.days <= MAX_DAY or not 1 <= args.jobs <= 256:
        return _bad(args, f"--days must be in [1, {MAX_DAY}] and --jobs in [1, 256]")
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    if args.quiet:
        report = study(seeds, args.scenario, args.days, args.resolver, args.jobs)
    else:
        from rich.progress import Progress

        with Progress(transient=True) as prog:
            task = prog.add_task(f"{args.scenario}: {args.seeds} campaigns", total=args.seeds)
            report = study(
                seeds, args.scenario, args.days, args.resolver, args.jobs, lambda _: prog.advance(task)
            )
    text = markdown(report)
    if not args.markdown:
        from rich.console import Console
        from rich.markdown import Markdown

        console = Console()
        if not console.is_terminal:
            console = Console(width=160)
        console.print(Markdown(text))
    else:
        print(text, end="")
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    from .plot import plot_campaign

    world = _load(args)
    if world is None:
        return EXIT_BAD_INPUT
    path = plot_campaign(world, args.output)
    print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] != "campaign":
        argv = ["campaign", *argv]
    parser = argparse.ArgumentParser(prog="tidebreak-strategic", description="Tidebreak strategic campaign")
    subs = parser.add_subparsers(dest="command", required=True)
    add_campaign_parser(subs)
    args = parser.parse_args(argv)
    rc: int = args.func(args)
    return rc
