"""``make demo``: simulate the default scenario, print a summary, plot the tracks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tidebreak import scenarios

__all__ = ["trace_battle", "plot_tracks", "run_demo"]


def trace_battle(package: dict[str, Any], result: Any) -> dict[str, np.ndarray]:
    """Each ship's (x, y, layer) track, one row per tick, from the replay
    frames of a simulated battle (re-run tick by tick and checked against
    ``result``)."""
    from tidebreak.replays.records import record_frames

    tracks: dict[str, list[tuple[float, float, float]]] = {s["ship_id"]: [] for s in package["ships"]}
    for frame in record_frames(package, result):
        for ship in frame["ships"]:
            tracks[ship["id"]].append((ship["x"], ship["y"], float(ship["layer"])))
    return {k: np.asarray(v) for k, v in tracks.items()}


def plot_tracks(package: dict[str, Any], tracks: dict[str, np.ndarray], path: Path) -> None:
    """Draw every ship's track over the map (dashed while submerged) to a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    b = package["map"]["bounds"]
    fig, ax = plt.subplots(figsize=(7, 7), dpi=110)
    colors = {
        t["team_id"]: c for t, c in zip(package["teams"], ["tab:blue", "tab:red", "tab:green", "tab:orange"])
    }
    for ship in package["ships"]:
        xyl = tracks[ship["ship_id"]]
        color = colors.get(ship["team_id"], "black")
        submerged = xyl[:, 2] >= 1
        ax.plot(xyl[:, 0], xyl[:, 1], color=color, lw=1.5, label=f"{ship['ship_id']} ({ship['controller']})")
        ax.plot(
            np.where(submerged, xyl[:, 0], np.nan),
            np.where(submerged, xyl[:, 1], np.nan),
            color="white",
            lw=0.8,
            ls=(0, (2, 2)),
        )
        ax.plot(*xyl[0, :2], "o", color=color)
        ax.plot(*xyl[-1, :2], "s", color=color)
    ax.set_xlim(b["min_x"], b["max_x"])
    ax.set_ylim(b["min_y"], b["max_y"])
    ax.set_aspect("equal")
    ax.set_facecolor("#dbe9f4")
    ax.set_xlabel("x (m)")
    ax.set_ylabel("y (m)")
    ax.set_title(f"{package['battle_id']} — seed {package['seed']} (o start, ■ end, dashed submerged)")
    ax.legend(loc="upper right", fontsize=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)


def run_demo(out: Path, scenario: str = "duel", seed: int = 1) -> Any:
    """Simulate ``scenario``, print a summary table and write the track plot to ``out``."""
    from rich.console import Console
    from rich.table import Table

    from tidebreak.engine.simulation import simulate

    package = scenarios.load(scenario, seed=seed)
    result = simulate(package)
    tracks = trace_battle(package, result)
    plot_tracks(package, tracks, out)

    console = Console()
    winner = result.winner_team_id or "none (draw)"
    console.print(
        f"[bold]{result.battle_id}[/bold] seed {result.seed}: {result.duration_s:.0f} s, winner {winner}"
    )
    table = Table("ship", "team", "fate", "hp", "distance (km)", "final layer", "fuel used")
    teams = {s["ship_id"]: s["team_id"] for s in package["ships"]}
    for ship in result.ships:
        xy = tracks[ship.ship_id][:, :2]
        dist = float(np.sum(np.hypot(*np.diff(xy, axis=0).T))) / 1000
        table.add_row(
            ship.ship_id,
            teams[ship.ship_id],
            ship.fate,
            f"{ship.final_state.hp:.0f}",
            f"{dist:.1f}",
            ship.final_state.layer,
            f"{ship.consumption.fuel_used:.2f}",
        )
    console.print(table)
    console.print(f"final state hash {result.replay.final_state_hash}; track plot written to {out}")
    return result
