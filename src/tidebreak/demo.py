"""``make demo``: simulate the default scenario, print a summary, draw the battle.

The picture (``out/demo_tracks.png``) shows each ship's track (dashed where
submerged) with time marks, every shot (a dotted line from the shooter to
the ship aimed at), every hit (with the hp it took), each ship's first
detection of an enemy, and where each ship was put out of action. It is
drawn from the battle's replay frames and the engine's events.

>>> marks = time_marks(567)
>>> marks[:3], marks[-1]
([60, 120, 180], 540)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tidebreak import scenarios

__all__ = ["BattleTrace", "trace_battle", "draw_battle", "plot_battle", "run_demo", "time_marks"]

_TEAM_COLORS = ["tab:blue", "tab:red", "tab:green", "tab:orange", "tab:purple", "tab:brown"]
_WEAPON = {"gun": "gun", "torpedo": "torpedo", "asw": "ASW"}


@dataclass
class BattleTrace:
    """What the demo picture shows, gathered from a battle's frames and events.

    ``tracks[ship]`` is an array of (x, y, layer) rows, one per tick;
    ``shots`` are (tick, shooter, target, weapon), ``hits`` (tick, shooter,
    target, weapon, hp lost), ``detections`` (tick, observer, contact) for
    the first track an observer holds on each enemy, and ``out_of_action``
    (tick, ship, status, by).
    """

    tracks: dict[str, np.ndarray]
    shots: list[tuple[int, str, str | None, str]] = field(default_factory=list)
    hits: list[tuple[int, str | None, str, str, float]] = field(default_factory=list)
    detections: list[tuple[int, str, str]] = field(default_factory=list)
    out_of_action: list[tuple[int, str, str, str | None]] = field(default_factory=list)

    def distance_km(self, ship: str) -> float:
        """The distance ``ship`` travelled, in km."""
        xy = self.tracks[ship][:, :2]
        return float(np.sum(np.hypot(*np.diff(xy, axis=0).T))) / 1000

    def position(self, ship: str, tick: int) -> tuple[float, float]:
        """Where ``ship`` was at ``tick`` (its last position if the battle ended before)."""
        rows = self.tracks[ship]
        x, y = rows[min(max(tick, 0), len(rows) - 1), :2]
        return float(x), float(y)


def trace_battle(package: dict[str, Any], result: Any) -> BattleTrace:
    """The :class:`BattleTrace` of a simulated battle, from its replay frames
    (re-run tick by tick and checked against ``result``)."""
    from tidebreak.replays.records import record_frames

    frames = record_frames(package, result)
    team = {s["ship_id"]: s["team_id"] for s in package["ships"]}
    rows: dict[str, list[tuple[float, float, float]]] = {s: [] for s in team}
    seen: set[tuple[str, str]] = set()
    trace = BattleTrace({})
    events = [e for f in frames for e in f.get("events", [])]
    for frame in frames:
        for ship in frame["ships"]:
            rows[ship["id"]].append((ship["x"], ship["y"], float(ship["layer"])))
        for observer, tracks in frame.get("tracks", {}).items():
            for t in tracks:
                pair = (observer, t["target"])
                if team.get(t["target"]) != team.get(observer) and pair not in seen:
                    seen.add(pair)
                    trace.detections.append((frame["tick"], observer, t["target"]))
    trace.tracks = {k: np.asarray(v) for k, v in rows.items()}
    by_trace = {e["trace"]: e for e in events}
    lost: dict[int, float] = {}
    for e in events:
        if e["kind"] == "damage" and by_trace.get(e["cause"], {}).get("kind") == "hit":
            lost[e["cause"]] = lost.get(e["cause"], 0.0) + float(e["value"])
    for e in events:
        if e["kind"] == "fire":
            trace.shots.append(
                (e["tick"], e["source"], e["target"], _WEAPON.get(e.get("weapon", ""), "weapon"))
            )
        elif e["kind"] == "hit":
            fired = by_trace.get(e["cause"], {})
            weapon = _WEAPON.get(fired.get("weapon", ""), "weapon")
            trace.hits.append((e["tick"], e["source"], e["target"], weapon, lost.get(e["trace"], e["value"])))
        elif e["kind"] == "out_of_action":
            trace.out_of_action.append((e["tick"], e["target"], str(e.get("status")), e["source"]))
    return trace


def time_marks(duration_s: float, most: int = 10) -> list[int]:
    """Ticks to mark along the tracks: a round interval giving at most ``most`` marks."""
    for every in (30, 60, 120, 300, 600, 1200, 1800, 3600):
        if duration_s / every <= most:
            break
    return list(range(every, int(duration_s) + 1, every))


def _clock(tick: int) -> str:
    return f"{tick // 60}:{tick % 60:02d}"


def plot_battle(package: dict[str, Any], trace: BattleTrace, result: Any, path: Path) -> None:
    """Draw the battle (:func:`draw_battle`) to a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9.5, 7), dpi=110)
    draw_battle(ax, package, trace, result)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)


def draw_battle(ax: Any, package: dict[str, Any], trace: BattleTrace, result: Any) -> None:
    """Draw the tracks with time marks, shots, hits, first detections and the
    ships put out of action onto ``ax``, zoomed to where the battle was fought."""
    from matplotlib.lines import Line2D

    from tidebreak.replays.render.mpl import scale_length

    colors = {t["team_id"]: _TEAM_COLORS[i % len(_TEAM_COLORS)] for i, t in enumerate(package["teams"])}
    color = {s["ship_id"]: colors.get(s["team_id"], "black") for s in package["ships"]}
    marks = time_marks(float(result.duration_s))
    few = len(package["ships"]) <= 4  # label every mark only when it stays readable
    for ship in package["ships"]:
        sid = ship["ship_id"]
        xyl = trace.tracks[sid]
        c = color[sid]
        submerged = xyl[:, 2] >= 1
        label = f"{sid} ({ship['controller']}): {trace.distance_km(sid):.1f} km travelled"
        ax.plot(xyl[:, 0], xyl[:, 1], color=c, lw=1.6, label=label, zorder=3)
        ax.plot(
            np.where(submerged, xyl[:, 0], np.nan),
            np.where(submerged, xyl[:, 1], np.nan),
            color="white",
            lw=0.8,
            ls=(0, (2, 2)),
            zorder=3,
        )
        ax.plot(*xyl[0, :2], "o", color=c, ms=6, zorder=4)
        ax.plot(*xyl[-1, :2], "s", color=c, ms=5, zorder=4)
        for t in marks:
            if t < len(xyl):
                ax.plot(*xyl[t, :2], ".", color="#263238", ms=4, zorder=4)
                if few:
                    ax.annotate(_clock(t), (xyl[t, 0], xyl[t, 1]), xytext=(3, 3), textcoords="offset points", fontsize=6,
                                color=c, zorder=4)  # fmt: skip
    for tick, shooter, target, _ in trace.shots:
        x0, y0 = trace.position(shooter, tick)
        ax.plot(x0, y0, "^", color=color[shooter], ms=4, zorder=5)
        if target is not None:
            x1, y1 = trace.position(target, tick)
            ax.plot([x0, x1], [y0, y1], ls=":", lw=0.8, color=color[shooter], alpha=0.6, zorder=2)
    for tick, _, target, _, hp in trace.hits:
        x, y = trace.position(target, tick + 1)
        ax.plot(x, y, "*", color="#b71c1c", ms=11, mec="white", mew=0.5, zorder=6)
        ax.annotate(f"−{hp:.0f}", (x, y), xytext=(5, -9), textcoords="offset points", fontsize=7,
                    color="#b71c1c", zorder=6)  # fmt: skip
    for tick, observer, contact in trace.detections:
        x0, y0 = trace.position(observer, tick)
        x1, y1 = trace.position(contact, tick)
        ax.plot(x0, y0, "D", mfc="none", mec=color[observer], ms=7, mew=1.2, zorder=5)
        ax.plot([x0, x1], [y0, y1], ls="--", lw=0.8, color="#607d8b", alpha=0.7, zorder=2)
    for tick, ship, status, by in trace.out_of_action:
        x, y = trace.position(ship, tick + 1)
        ax.plot(x, y, "X", color="black", ms=14, mec="white", mew=1, zorder=7)
        text = f"{ship} {status} at {_clock(tick + 1)}" + (
            f"\nby {by}" if by is not None and by != ship else ""
        )
        ax.annotate(
            text, (x, y), xytext=(9, 6), textcoords="offset points", fontsize=8, weight="bold", zorder=7
        )

    # The part of the map where the battle was fought, with a margin.
    b = package["map"]["bounds"]
    allxy = np.vstack([t[:, :2] for t in trace.tracks.values()])
    lo, hi = allxy.min(axis=0), allxy.max(axis=0)
    half = max(float(np.max(hi - lo)) * 0.6, 1500.0)
    mid = (lo + hi) / 2
    ax.set_xlim(max(b["min_x"], mid[0] - half), min(b["max_x"], mid[0] + half))
    ax.set_ylim(max(b["min_y"], mid[1] - half), min(b["max_y"], mid[1] + half))
    ax.set_aspect("equal")
    ax.set_facecolor("#dbe9f4")
    ax.set_xlabel("x (m)")
    ax.set_ylabel("y (m)")
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    bar = scale_length(x1 - x0)
    bx, by_ = x0 + 0.04 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    ax.plot([bx, bx + bar], [by_, by_], color="#37474f", lw=2, zorder=8)
    ax.text(bx + bar / 2, by_ + 0.01 * (y1 - y0), f"{bar / 1000:g} km" if bar >= 1000 else f"{bar:g} m",
            ha="center", va="bottom", fontsize=7, color="#37474f")  # fmt: skip
    outcome = f"{result.winner_team_id} wins" if result.winner_team_id else "draw"
    ax.set_title(f"{package['battle_id']}, seed {package['seed']}: {outcome} after {result.duration_s:.0f} s")
    every = marks[1] - marks[0] if len(marks) > 1 else (marks[0] if marks else 60)
    keys = [
        Line2D([], [], ls="none", marker="o", color="#455a64", label="start"),
        Line2D([], [], ls="none", marker="s", color="#455a64", ms=5, label="end"),
        Line2D([], [], color="#455a64", lw=0.8, ls=(0, (2, 2)), label="dashed: submerged"),
        Line2D(
            [], [], ls="none", marker=".", color="#263238", label=f"time mark every {_clock(every)} (m:ss)"
        ),
        Line2D([], [], ls=":", marker="^", ms=4, color="#455a64", label="shot (dotted to the ship aimed at)"),
        Line2D([], [], ls="none", marker="*", ms=10, color="#b71c1c", label="hit (hp lost)"),
        Line2D([], [], ls="--", marker="D", mfc="none", color="#607d8b", label="first detection of an enemy"),
        Line2D([], [], ls="none", marker="X", ms=10, color="black", label="put out of action"),
    ]
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=handles + keys, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def run_demo(out: Path, scenario: str = "duel", seed: int = 1) -> Any:
    """Simulate ``scenario``, print a summary table and write the battle picture to ``out``."""
    from rich.console import Console
    from rich.table import Table

    from tidebreak.engine.simulation import simulate

    package = scenarios.load(scenario, seed=seed)
    result = simulate(package)
    trace = trace_battle(package, result)
    plot_battle(package, trace, result, out)

    console = Console()
    if not console.is_terminal:  # piped or redirected: no terminal width to fit, keep the table whole
        console = Console(width=120)
    winner = result.winner_team_id or "none (draw)"
    console.print(
        f"[bold]{result.battle_id}[/bold] seed {result.seed}: {result.duration_s:.0f} s, winner {winner}"
    )
    table = Table("ship", "team", "fate", "hp", "distance travelled", "final layer", "fuel used")
    teams = {s["ship_id"]: s["team_id"] for s in package["ships"]}
    for ship in result.ships:
        table.add_row(
            ship.ship_id,
            teams[ship.ship_id],
            ship.fate,
            f"{ship.final_state.hp:.0f}",
            f"{trace.distance_km(ship.ship_id):.1f} km",
            ship.final_state.layer,
            f"{ship.consumption.fuel_used:.2f}",
        )
    console.print(table)
    console.print(
        f"{len(trace.shots)} shots, {len(trace.hits)} hits; final state hash {result.replay.final_state_hash}; "
        f"battle picture written to {out}"
    )
    return result
