"""Many campaigns, one table: who wins, and how battles and wars relate.

:func:`study` plays the same scenario over a range of seeds (in parallel
worker processes when ``jobs > 1``; they are started with ``spawn``, so the
arena's Go runtime never crosses a fork) and collects one :class:`SeedOutcome`
per seed. :func:`win_table` and :func:`markdown` summarise them; ``tidebreak
campaign study`` prints the same.

>>> report = study(seeds=range(2), days=20, resolver="auto")
>>> [o.seed for o in report.outcomes]
[0, 1]
>>> sorted(win_table(report)) == sorted([*report.principals, "draw"])
True
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from .campaign import Campaign
from .metrics import campaign_metrics
from .scenario import DEFAULT_SCENARIO, build_world

__all__ = ["FactionOutcome", "SeedOutcome", "StudyReport", "markdown", "play_seed", "study", "win_table"]


@dataclass(frozen=True)
class FactionOutcome:
    """One faction at the end of one campaign."""

    arcologies: int
    ships: int
    ships_lost: int
    battles: int
    battles_won: int
    ships_in_repair: int


@dataclass(frozen=True)
class SeedOutcome:
    """One campaign: its winner (None: undecided), the day it ended and each faction's state."""

    seed: int
    winner: str | None
    day: int
    factions: dict[str, FactionOutcome]
    state_hash: str


@dataclass
class StudyReport:
    """Outcomes of one scenario over several seeds."""

    scenario: str
    resolver: str
    days: int
    principals: list[str]
    names: dict[str, str]
    outcomes: list[SeedOutcome] = field(default_factory=list)


def play_seed(scenario: str, seed: int, days: int, resolver: str) -> SeedOutcome:
    """Play one campaign to its end (or ``days``) and describe how it ended."""
    world = build_world(scenario, seed=seed)
    world.day_limit = days
    Campaign(world, resolver=resolver).run(days)
    metrics = campaign_metrics(world)
    factions = {}
    for fid, fm in metrics.factions.items():
        repair = sum(1 for s in world.ships.values() if s.faction_id == fid and s.status == "repair")
        factions[fid] = FactionOutcome(
            arcologies=fm.arcologies_end,
            ships=fm.ships_end,
            ships_lost=fm.ships_lost,
            battles=fm.battles,
            battles_won=fm.battles_won,
            ships_in_repair=repair,
        )
    return SeedOutcome(seed, world.winner, world.day, factions, world.state_hash())


def study(
    seeds: Iterable[int] = range(20),
    scenario: str = DEFAULT_SCENARIO,
    days: int = 365,
    resolver: str = "arena",
    jobs: int = 1,
    on_outcome: Callable[[SeedOutcome], None] | None = None,
) -> StudyReport:
    """Play ``scenario`` once per seed; outcomes come back in seed order whatever ``jobs`` is."""
    seeds = list(seeds)
    world = build_world(scenario, seed=0)
    report = StudyReport(
        scenario=world.scenario,
        resolver=resolver,
        days=days,
        principals=list(world.principals),
        names={fid: f.name for fid, f in sorted(world.factions.items())},
    )
    if jobs <= 1:
        for seed in seeds:
            outcome = play_seed(scenario, seed, days, resolver)
            report.outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
        return report
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        futures = [pool.submit(play_seed, scenario, s, days, resolver) for s in seeds]
        for fut in futures:
            outcome = fut.result()
            report.outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
    return report


def win_table(report: StudyReport) -> dict[str, int]:
    """Campaigns won per principal faction, and undecided ones under ``"draw"``."""
    table = {p: 0 for p in report.principals}
    table["draw"] = 0
    for o in report.outcomes:
        table[o.winner if o.winner in table else "draw"] += 1
    return table


def markdown(report: StudyReport) -> str:
    """The win table and the per-faction averages as Markdown tables."""
    n = max(1, len(report.outcomes))
    wins = win_table(report)
    lines = [
        f"{report.scenario}, {len(report.outcomes)} seeds, {report.days} days, {report.resolver} resolver",
        "",
        "| winner | campaigns | share |",
        "|---|---|---|",
    ]
    for k, v in wins.items():
        label = report.names.get(k, "undecided at the day limit" if k == "draw" else k)
        lines.append(f"| {label} | {v} | {100 * v / n:.0f} % |")
    lines += [
        "",
        "| faction | battles won | ships lost | ships left | in repair at the end | arcologies at the end |",
        "|---|---|---|---|---|---|",
    ]
    for fid, name in report.names.items():
        rows = [o.factions[fid] for o in report.outcomes if fid in o.factions]
        if not rows:
            continue
        won, fought = sum(r.battles_won for r in rows), sum(r.battles for r in rows)
        lines.append(
            f"| {name} | {won}/{fought} ({100 * won / max(1, fought):.0f} %) "
            f"| {sum(r.ships_lost for r in rows) / len(rows):.1f} "
            f"| {sum(r.ships for r in rows) / len(rows):.1f} "
            f"| {sum(r.ships_in_repair for r in rows) / len(rows):.1f} "
            f"| {sum(r.arcologies for r in rows) / len(rows):.1f} |"
        )
    lines += [
        "",
        "| seed | winner | day | " + " | ".join(report.names[p] for p in report.principals) + " |",
        "|---|---|---|" + "---|" * len(report.principals),
    ]
    for o in report.outcomes:
        cells = [
            f"{o.factions[p].arcologies} arcologies, {o.factions[p].battles_won}/{o.factions[p].battles} won"
            for p in report.principals
        ]
        winner = report.names.get(o.winner, "—") if o.winner else "—"
        lines.append(f"| {o.seed} | {winner} | {o.day} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
