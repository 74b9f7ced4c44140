"""Plot a campaign's trajectories (morale, legitimacy, stockpiles, fleet strength) to PNG.

Uses matplotlib's non-interactive Agg backend; imported lazily by the CLI.
"""

from __future__ import annotations

from pathlib import Path

from .metrics import series
from .world import RESOURCES, World


def plot_campaign(world: World, out: str | Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    days = [r.day for r in world.history]
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), sharex=True)
    panels = [
        ("morale", "Effective morale"),
        ("legitimacy", "Mean legitimacy"),
        ("fleet_strength", "Fleet strength"),
    ]
    for ax, (key, title) in zip([axes[0][0], axes[0][1], axes[1][1]], panels):
        for fid in sorted(world.factions):
            ax.plot(
                days, series(world, fid, key), label=world.factions[fid].name, color=world.factions[fid].color
            )
        ax.set_title(title)
        ax.grid(alpha=0.3)
    ax = axes[1][0]
    styles = dict(zip(RESOURCES, ["-", "--", ":", "-.", (0, (1, 3))]))
    for fid in sorted(world.factions):
        for res in ("food", "fuel", "materials"):
            ax.plot(
                days,
                series(world, fid, f"stock:{res}"),
                color=world.factions[fid].color,
                linestyle=styles[res],
                label=f"{world.factions[fid].name} {res}",
            )
    ax.set_title("Stockpiles (units)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6, ncol=3)
    axes[0][0].legend(fontsize=8)
    for b in world.battles:
        for row in axes:
            for a in row:
                a.axvline(b.day, color="grey", alpha=0.15, linewidth=0.8)
    for a in axes[1]:
        a.set_xlabel("day")
    fig.suptitle(
        f"{world.scenario} — seed {world.seed}, day {world.day}, {len(world.battles)} battles, "
        f"winner: {world.winner or '—'}"
    )
    fig.tight_layout()
    path = Path(out)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
