"""Matplotlib rendering of replay files: animated GIF / MP4 and single stills.

Ground truth draws every ship; a point of view (``pov="corvette"``) draws
only that ship, its sensor circles and its track table (estimated
positions with error circles coloured by quality). Debug overlays: sensor
ranges, track quality, layer and transition state, zones, obstacles,
currents (arrows) and the noise field (a frame's ``noise`` grid when the
core provides one, otherwise the ambient constant is printed).
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any

from tidebreak.engine import layout
from tidebreak.engine.events import event_text, involves, narrated
from tidebreak.replays.render.scene import build_scene, visible_ships

__all__ = [
    "RenderError",
    "ffmpeg_path",
    "render_animation",
    "render_still",
    "draw_frame",
    "clock",
    "scale_length",
    "select_frames",
]

_STATUS = layout.ENUMS["status"]
_PROJ = {0: ("o", 2.5, "#212121"), 1: (">", 5, "#6a1b9a"), 2: ("s", 3.5, "#00695c")}
# Event kinds not listed on the picture.
_QUIET = ("ping",)


class RenderError(RuntimeError):
    """Rendering cannot proceed (missing ffmpeg, unknown ship, bad output name)."""


def ffmpeg_path() -> str | None:
    """An ffmpeg executable: the one on PATH, else the imageio-ffmpeg bundle, else None."""
    exe = shutil.which("ffmpeg")
    if exe:
        return exe
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except Exception:  # noqa: BLE001 - a broken bundle is the same as none
        return None


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _draw_static(ax: Any, scene: dict[str, Any], overlays: bool) -> None:
    from matplotlib.patches import Circle, Polygon

    x0, y0, x1, y1 = scene["bounds"]
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_facecolor("#dbe9f4")
    ax.set_xticks([])
    ax.set_yticks([])
    if overlays:
        for z in scene["zones"]:
            kw = dict(
                facecolor=z["color"],
                alpha=0.12 + 0.2 * z["intensity"],
                edgecolor=z["color"],
                hatch="//",
                lw=1,
            )
            patch = (
                Circle((z["x"], z["y"]), z["r"], **kw)
                if z["kind"] == "circle"
                else Polygon(z["points"], closed=True, **kw)
            )
            ax.add_patch(patch)
            cx, cy = (
                (z["x"], z["y"])
                if z["kind"] == "circle"
                else tuple(sum(p[i] for p in z["points"]) / len(z["points"]) for i in (0, 1))
            )
            ax.text(
                cx, cy, z["type"].replace("_", " "), fontsize=6, color=z["color"], ha="center", va="center"
            )
        arrows = scene["currents"]["arrows"]
        if arrows:
            ax.quiver(
                [a[0] for a in arrows],
                [a[1] for a in arrows],
                [a[2] for a in arrows],
                [a[3] for a in arrows],
                color="#4f83a8",
                alpha=0.6,
                width=0.003,
                scale=12,
                zorder=1,
            )
    for o in scene["obstacles"]:
        soft = o["material"] == "soft"
        kw = dict(
            facecolor="#a1887f" if not soft else "#bcaaa4",
            edgecolor="#5d4037",
            alpha=0.9 if not soft else 0.5,
            ls="-" if not soft else "--",
            zorder=2,
        )
        patch = (
            Circle((o["x"], o["y"]), o["r"], **kw)
            if o["kind"] == "circle"
            else Polygon(o["points"], closed=True, **kw)
        )
        ax.add_patch(patch)


def clock(tick: int) -> str:
    """A tick as battle time (one tick is 1 s), ``m:ss``.

    >>> clock(0), clock(75), clock(3600)
    ('0:00', '1:15', '60:00')
    """
    return f"{tick // 60}:{tick % 60:02d}"


def scale_length(width_m: float) -> float:
    """A round length (1, 2 or 5 × 10^n m) for a scale bar about a sixth of ``width_m``.

    >>> scale_length(12000), scale_length(40000), scale_length(500)
    (2000.0, 5000.0, 50.0)
    """
    want = max(width_m, 1e-9) / 6
    unit = 10.0 ** math.floor(math.log10(want))
    return max(k * unit for k in (1, 2, 5, 10) if k * unit <= want)


def _draw_scale_bar(ax: Any, scene: dict[str, Any]) -> None:
    """A bar of :func:`scale_length` metres in the map's top right corner."""
    x0, y0, x1, y1 = scene["bounds"]
    length = scale_length(x1 - x0)
    right, y = x1 - 0.03 * (x1 - x0), y1 - 0.04 * (y1 - y0)
    tick = 0.008 * (y1 - y0)
    xs = [right - length, right - length, right, right]
    ax.plot(xs, [y - tick, y, y, y - tick], color="#37474f", lw=1.2, solid_capstyle="butt", zorder=8)
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(
        right - length / 2, y + tick, text, ha="center", va="bottom", fontsize=7, color="#37474f", zorder=8
    )


def _draw_noise(ax: Any, scene: dict[str, Any], frame: dict[str, Any]) -> str:
    """Hook for the acoustic noise field: draw a frame's grid, or report the ambient constant."""
    grid = frame.get("noise")
    if not grid:
        return f"noise: ambient {scene['ambient_noise_db']:.0f} dB"
    x0, y0 = grid.get("origin", scene["bounds"][:2])
    cell = float(grid["cell"])
    vals = grid["values"]
    ax.imshow(
        vals,
        origin="lower",
        extent=(x0, x0 + cell * len(vals[0]), y0, y0 + cell * len(vals)),
        cmap="magma",
        alpha=0.25,
        zorder=0.5,
    )
    return "noise: field"


def draw_frame(
    ax: Any,
    scene: dict[str, Any],
    frame: dict[str, Any],
    pov: str | None = None,
    overlays: bool = True,
    events: list[dict[str, Any]] | None = None,
) -> None:
    """Draw one frame (static layers included) onto a cleared axes."""
    from matplotlib.patches import Circle

    ax.clear()
    _draw_static(ax, scene, overlays)
    meta = {s["id"]: s for s in scene["ships"]}
    noise = _draw_noise(ax, scene, frame) if overlays else ""
    for s in visible_ships(frame, pov):
        m = meta[s["id"]]
        sub = s["layer"] == 1
        alive = s["status"] == 0
        color = m["color"] if alive else "#757575"
        if overlays and alive:
            for sen in m["sensors"]:
                ls = {"radar": "-", "visual": ":", "sonar": "--"}.get(sen["type"], "-")
                ax.add_patch(
                    Circle(
                        (s["x"], s["y"]),
                        sen["effective"],
                        fill=False,
                        ec=color,
                        lw=0.6,
                        ls=ls,
                        alpha=0.35,
                        zorder=3,
                    )
                )
        if s["status"] == 2:
            ax.plot(s["x"], s["y"], marker="x", ms=9, color="#424242", mew=2, zorder=6)
        else:
            ax.plot(
                s["x"],
                s["y"],
                marker=(3, 0, math.degrees(s["h"]) - 90),
                ms=11,
                mfc="none" if sub else color,
                mec=color,
                mew=1.6,
                alpha=0.55 if sub else 1.0,
                ls="none",
                zorder=6,
            )
        if overlays and s.get("trans"):
            ax.add_patch(Circle((s["x"], s["y"]), 350, fill=False, ec="#ff9800", lw=1.5, ls="-.", zorder=5))
        label = s["id"] + ("" if alive else f" ({_STATUS[s['status']]})")
        if overlays:
            label += f"\n{s['hp']:.0f}/{m['max_hp']:.0f} hp, " + ("sub" if sub else "surf")
            if s.get("trans"):
                label += f" → {'sub' if s['trans']['to'] == 1 else 'surf'} {100 * s['trans']['p']:.0f}%"
        ax.annotate(
            label,
            (s["x"], s["y"]),
            xytext=(8, 6),
            textcoords="offset points",
            fontsize=6.5,
            color=color,
            zorder=7,
        )
    if overlays or pov is not None:
        observers = [pov] if pov is not None else [s["id"] for s in frame["ships"]]
        for obs in observers:
            for t in frame.get("tracks", {}).get(obs, []):
                qc = scene["quality_colors"][max(0, min(3, t["q"]))]
                ax.plot(t["x"], t["y"], marker="+", ms=8, color=qc, mew=1.5, zorder=4)
                if t["err"] > 0:
                    ax.add_patch(
                        Circle((t["x"], t["y"]), t["err"], fill=False, ec=qc, lw=0.8, ls=":", zorder=4)
                    )
                if pov is not None:
                    ax.annotate(
                        f"{t['target']} Q{t['q']}",
                        (t["x"], t["y"]),
                        xytext=(6, -10),
                        textcoords="offset points",
                        fontsize=6,
                        color=qc,
                    )
    for p in frame.get("projectiles", []):
        if pov is not None and p.get("owner") != pov:
            continue
        mk, ms, c = _PROJ.get(p["kind"], ("o", 3, "k"))
        ax.plot(p["x"], p["y"], marker=mk, ms=ms, color=c, ls="none", zorder=5)
    _draw_scale_bar(ax, scene)
    w = scene["weather"]
    when = f"t = {clock(frame['tick'])} (tick {frame['tick']})"
    title = f"{scene['battle_id']} · {when} · " + (f"POV {pov}" if pov else "ground truth")
    ax.set_title(title, fontsize=9)
    sub = f"sea {w.get('sea_state', 0)} · {w.get('precipitation', 'none')}" + (
        " · fog" if w.get("fog") else ""
    )
    if noise:
        sub += " · " + noise
    ax.text(0.01, 0.01, sub, transform=ax.transAxes, fontsize=6.5, color="#37474f", va="bottom")
    if events:
        lines = [e.get("text") or event_text(e) for e in events[-4:]]
        ax.text(
            0.99,
            0.01,
            "\n".join(lines),
            transform=ax.transAxes,
            fontsize=6.5,
            color="#b71c1c",
            ha="right",
            va="bottom",
        )


def select_frames(
    frames: list[dict[str, Any]], step: int = 1, start: int = 0, end: int | None = None
) -> list[dict[str, Any]]:
    """Every ``step``-th frame with a tick from ``start`` to ``end``, and always the last of
    them: a battle's final tick (where a ship is put out of action) is never skipped.

    >>> [f["tick"] for f in select_frames([{"tick": t} for t in range(10)], step=4)]
    [0, 4, 8, 9]
    """
    chosen = [f for f in frames if f["tick"] >= start and (end is None or f["tick"] <= end)]
    if not chosen:
        raise RenderError(f"no frames between tick {start} and {'the end' if end is None else end}")
    picked = chosen[::step]
    if picked[-1] is not chosen[-1]:
        picked.append(chosen[-1])
    return picked


def _pov_events(events: list[dict[str, Any]], pov: str | None) -> list[dict[str, Any]]:
    return [e for e in events if involves(e, pov)]


def _check_pov(replay: Any, pov: str | None) -> None:
    if pov is not None and pov not in replay.ship_ids:
        raise RenderError(f"--pov {pov!r}: no such ship (ships: {', '.join(replay.ship_ids)})")


def render_still(
    replay: Any,
    out: str | Path,
    tick: int | None = None,
    *,
    pov: str | None = None,
    overlays: bool = True,
    size: float = 6.0,
    dpi: int = 100,
) -> Path:
    """Write one frame (the last one by default) as a PNG."""
    _check_pov(replay, pov)
    plt = _plt()
    scene = build_scene(replay.package)
    frames = replay.frames
    i = len(frames) - 1 if tick is None else max(0, min(len(frames) - 1, tick))
    fig, ax = plt.subplots(figsize=(size, size), dpi=dpi)
    evs = [
        e
        for e in narrated([e for f in frames[: i + 1] for e in f.get("events", [])])
        if e["kind"] not in _QUIET
    ]
    draw_frame(ax, scene, frames[i], pov, overlays, _pov_events(evs, pov))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, bbox_inches="tight")
    plt.close(fig)
    return out


def render_animation(
    replay: Any,
    out: str | Path,
    *,
    pov: str | None = None,
    fps: int = 12,
    step: int = 1,
    overlays: bool = True,
    size: float = 6.0,
    dpi: int = 80,
    progress: bool = True,
    start: int = 0,
    end: int | None = None,
) -> Path:
    """Render a replay to ``out``: ``.gif`` (Pillow) or ``.mp4`` (ffmpeg).

    ``step`` draws every step-th tick, and the last one; ``start``/``end``
    clip the tick range. Each picture has the battle time and a scale bar.
    Raises :class:`RenderError` for an unknown suffix, an unknown ``pov``
    ship, or MP4 without ffmpeg.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in {".gif", ".mp4"}:
        raise RenderError(f"{out}: output must end in .gif or .mp4")
    _check_pov(replay, pov)
    if step < 1 or fps < 1:
        raise RenderError("--step and --fps must be at least 1")
    plt = _plt()
    from matplotlib import animation

    if suffix == ".mp4":
        exe = ffmpeg_path()
        if exe is None:
            raise RenderError(
                "MP4 output needs ffmpeg, which was not found: install it (Debian/Ubuntu: apt-get install ffmpeg; "
                "macOS: brew install ffmpeg) or the Python package imageio-ffmpeg (pip install imageio-ffmpeg), "
                "or write a GIF instead (--gif)"
            )
        plt.rcParams["animation.ffmpeg_path"] = exe
        writer: Any = animation.FFMpegWriter(fps=fps, codec="libx264", extra_args=["-pix_fmt", "yuv420p"])
    else:
        writer = animation.PillowWriter(fps=fps)
    scene = build_scene(replay.package)
    frames = select_frames(replay.frames, step, start, end)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(size, size), dpi=dpi)
    seen: list[dict[str, Any]] = []
    by_tick: dict[int, list[dict[str, Any]]] = {}
    for e in narrated(replay.events):
        if e["kind"] not in _QUIET:
            by_tick.setdefault(e["tick"], []).append(e)
    last = -1
    try:
        with writer.saving(fig, str(out), dpi):
            bar = _progress(progress, len(frames), f"rendering {out.name}")
            with bar as update:
                for f in frames:
                    for t in range(last + 1, f["tick"] + 1):
                        seen.extend(by_tick.get(t, []))
                    last = f["tick"]
                    draw_frame(ax, scene, f, pov, overlays, _pov_events(seen, pov))
                    writer.grab_frame()
                    update()
    finally:
        plt.close(fig)
    return out


class _NoBar:
    def __enter__(self) -> Any:
        return lambda: None

    def __exit__(self, *exc: object) -> None:
        return None


class _RichBar:
    def __init__(self, total: int, label: str) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            transient=False,
        )
        self.task = self.progress.add_task(label, total=total)

    def __enter__(self) -> Any:
        self.progress.start()
        return lambda: self.progress.advance(self.task)

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def _progress(enabled: bool, total: int, label: str) -> Any:
    return _RichBar(total, label) if enabled else _NoBar()
