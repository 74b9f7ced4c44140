"""Command line: ``campaign run|resume|plot``.

``add_campaign_parser(subparsers)`` registers the ``campaign`` command on an
existing argparse sub-parser set (each leaf sets ``func``); ``main(argv)`` is a
standalone entry point (``python -m tidebreak.strategic campaign run ...``; the
leading ``campaign`` may be omitted).

    python -m tidebreak.strategic campaign run --days 365 --seed 7 --save state.json
    python -m tidebreak.strategic campaign resume state.json --days 100
    python -m tidebreak.strategic campaign plot state.json -o out.png
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from .campaign import Campaign, DayReport
from .metrics import campaign_metrics
from .scenario import DEFAULT_SCENARIO, build_world
from .world import World


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
    run.add_argument("--events", type=int, default=12, help="how many notable events to print")
    run.set_defaults(func=cmd_run)

    res = sub.add_parser("resume", help="continue a saved campaign")
    res.add_argument("state")
    res.add_argument("--days", type=int, default=100)
    res.add_argument("--save", default=None, help="where to write (default: overwrite the input)")
    res.add_argument("--resolver", choices=("auto", "arena"), default="auto")
    res.add_argument("--quiet", action="store_true")
    res.add_argument("--events", type=int, default=12)
    res.set_defaults(func=cmd_resume)

    plot = sub.add_parser("plot", help="plot a saved campaign to PNG")
    plot.add_argument("state")
    plot.add_argument("-o", "--output", default="campaign.png")
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
    for e in notable[-n_events:]:
        console.print(f"  day {e.day:>3}  {e.text}")
    status = "finished" if world.finished else "running"
    console.print(f"Campaign {status}; winner: {world.winner or '—'}; state hash {world.state_hash()[:16]}…")


def cmd_run(args: argparse.Namespace) -> int:
    world = build_world(args.scenario, seed=args.seed)
    world.day_limit = max(world.day_limit, args.days)
    camp, elapsed = _advance(world, args.days, args.resolver, args.quiet)
    if args.save:
        world.save(args.save)
    _summary(world, elapsed, camp.battle_count, args.events)
    return 0


def cmd_resume(args: argparse.Namespace) -> int:
    world = World.load(args.state)
    world.day_limit = max(world.day_limit, world.day + args.days)
    world.finished = (
        False if not any(world.factions[p].defeated for p in world.principals) else world.finished
    )
    camp, elapsed = _advance(world, args.days, args.resolver, args.quiet)
    world.save(args.save or args.state)
    _summary(world, elapsed, camp.battle_count, args.events)
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    from .plot import plot_campaign

    path = plot_campaign(World.load(args.state), args.output)
    print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    import sys

    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] != "campaign":
        argv = ["campaign", *argv]
    parser = argparse.ArgumentParser(prog="tidebreak-strategic", description="Tidebreak strategic campaign")
    subs = parser.add_subparsers(dest="command", required=True)
    add_campaign_parser(subs)
    args = parser.parse_args(argv)
    rc: int = args.func(args)
    return rc
