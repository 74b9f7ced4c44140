"""Frames of an env's battle: ``render_mode="rgb_array"`` returns them,
``render_mode="human"`` shows them in a window.

A frame is drawn from the env's full state (``NativeEnv.save``, read by
:func:`tidebreak.replays.records.frame_from_state`) and the battle's scene
(:func:`tidebreak.replays.render.scene.build_scene`), straight into a numpy
image, so that recording every step of an episode stays cheap (no plotting
library is imported). It shows the map (sea, zones, obstacles, currents),
the ships (a triangle pointing along the heading, filled on the surface,
hollow submerged, ringed orange while diving or surfacing, a grey cross
when destroyed; team colours, grey once out of action) with an hp bar,
their sensor ranges (solid radar, dotted visual, dashed sonar), track
estimates (a plus with a dotted error circle, coloured by quality Q0–Q3),
projectiles (shell, torpedo, depth charge), and along the top the share of
the time limit gone. From a ship's point of view it shows that ship, its
sensor ranges, its tracks and its own projectiles; the ground truth shows
every ship, every ship's tracks and every projectile. The replay stills and
animations (:mod:`tidebreak.replays.render`) draw the same scene with
labels, with matplotlib.

>>> from tidebreak import scenarios
>>> from tidebreak.gym.render import Renderer
>>> r = Renderer(scenarios.load("duel"), "rgb_array")
>>> r.frame_shape
(488, 480, 3)
"""

from __future__ import annotations

import functools
import json
import math
import os
import sys
import time
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["RENDER_MODES", "RENDER_VIEWS", "NoDisplayError", "Renderer", "check_render", "display_problem"]

#: Render modes of the single and the PettingZoo env.
RENDER_MODES = ("human", "rgb_array")
#: What ``render()`` draws: the agent's point of view or the ground truth.
RENDER_VIEWS = ("agent", "truth")

_SEA = "#dbe9f4"
_BACKDROP = "#eceff1"
_GREY = "#757575"
_TRANSITION = "#ff9800"
_HP_GOOD, _HP_LOST = "#43a047", "#e53935"
_CURRENT = "#4f83a8"
# projectile kind -> (colour, half size in px): shell, torpedo, depth charge
_PROJECTILES = {0: ("#212121", 1), 1: ("#6a1b9a", 2), 2: ("#00695c", 2)}
_SENSOR_DASH = {"radar": 0, "visual": 3, "sonar": 8}  # px on and off; 0: solid
_TOP = 8  # px of the time bar


class NoDisplayError(RuntimeError):
    """``render_mode="human"`` needs a display (or tkinter) that is missing."""


def display_problem() -> str | None:
    """Why no window can be opened here, or None when one can."""
    try:
        import tkinter  # noqa: F401
    except ImportError:
        return "it needs tkinter (Python's Tk binding), which this Python lacks"
    if sys.platform not in ("win32", "darwin") and not os.environ.get("DISPLAY"):
        return "no display was found ($DISPLAY is not set)"
    return None


def check_render(render_mode: str | None, render_view: str) -> None:
    """Raise ValueError unless ``render_mode`` is None or one of
    :data:`RENDER_MODES` and ``render_view`` one of :data:`RENDER_VIEWS`;
    :class:`NoDisplayError` for "human" where no window can be opened."""
    if render_mode is not None and render_mode not in RENDER_MODES:
        raise ValueError(f"render_mode must be None or one of {RENDER_MODES} (got {render_mode!r})")
    if render_view not in RENDER_VIEWS:
        raise ValueError(f"render_view must be one of {RENDER_VIEWS} (got {render_view!r})")
    if render_mode == "human":
        problem = display_problem()
        if problem is not None:
            raise NoDisplayError(
                f'render_mode="human" shows the battle in a window, but {problem}; '
                'use render_mode="rgb_array" to get the frames as arrays '
                "(or run under a virtual display, e.g. xvfb-run)"
            )


@functools.cache
def _rgb(color: str) -> npt.NDArray[np.float32]:
    c = color.lstrip("#")
    return np.array([int(c[i : i + 2], 16) for i in (0, 2, 4)], np.float32)


def _stamp(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """The (row, column) offsets of a boolean stamp's pixels around its centre."""
    r = mask.shape[0] // 2
    ys, xs = np.nonzero(mask)
    return np.stack([ys - r, xs - r], axis=1).astype(np.intp)


def _ship_stamps(directions: int = 32, size: int = 8) -> tuple[list[Any], list[Any]]:
    """Filled and hollow triangles pointing along each of ``directions``
    headings (pixel offsets), nose ``size`` px ahead of the centre."""
    yy, xx = np.mgrid[-size : size + 1, -size : size + 1].astype(np.float32)
    filled, hollow = [], []
    for k in range(directions):
        h = 2 * math.pi * k / directions
        fwd = np.array([math.cos(h), -math.sin(h)], np.float32)  # rows grow downwards
        side = np.array([-fwd[1], fwd[0]], np.float32)
        tri = [size * fwd, -0.6 * size * fwd + 0.6 * size * side, -0.6 * size * fwd - 0.6 * size * side]
        inside = np.ones(xx.shape, bool)
        edge = np.zeros(xx.shape, bool)
        for a, b in zip(tri, tri[1:] + tri[:1], strict=True):
            # signed distance (px) of each pixel centre from the edge a→b, inside positive
            d = ((b[0] - a[0]) * (yy - a[1]) - (b[1] - a[1]) * (xx - a[0])) / float(np.hypot(*(b - a)))
            d = -d if k % 1 else d
            inside &= d >= -0.5
            edge |= np.abs(d) < 0.8
        filled.append(_stamp(inside))
        hollow.append(_stamp(inside & edge))
    return filled, hollow


class _Canvas:
    """A uint8 RGB image and a few primitives, each vectorised over every
    item it draws (all the rings of one colour at once, say)."""

    def __init__(self, img: npt.NDArray[np.uint8]) -> None:
        self.img = img
        self.h, self.w = img.shape[:2]

    def points(
        self, ys: npt.NDArray[np.intp], xs: npt.NDArray[np.intp], color: str, alpha: float = 1.0
    ) -> None:
        """Blend ``color`` into the pixels (ys, xs) that lie in the image."""
        keep = (ys >= 0) & (ys < self.h) & (xs >= 0) & (xs < self.w)
        ys, xs = ys[keep], xs[keep]
        c = _rgb(color)
        if alpha >= 1:
            self.img[ys, xs] = c
        else:
            self.img[ys, xs] = (
                self.img[ys, xs] * np.float32(1 - alpha) + c * np.float32(alpha) + np.float32(0.5)
            )

    def stamps(
        self,
        x: npt.ArrayLike,
        y: npt.ArrayLike,
        offsets: npt.NDArray[np.intp],
        color: str,
        alpha: float = 1.0,
    ) -> None:
        """One stamp (``offsets``: (k, 2) rows and columns) at each centre."""
        cx = np.rint(np.asarray(x, np.float64)).astype(np.intp).reshape(-1, 1)
        cy = np.rint(np.asarray(y, np.float64)).astype(np.intp).reshape(-1, 1)
        self.points((cy + offsets[:, 0]).ravel(), (cx + offsets[:, 1]).ravel(), color, alpha)

    def rings(
        self,
        x: npt.ArrayLike,
        y: npt.ArrayLike,
        r: npt.ArrayLike,
        color: str,
        alpha: float = 1.0,
        dash: int = 0,
        width: int = 1,
    ) -> None:
        """Circle outlines, by points one pixel apart along each; ``dash`` px on
        and off (0: solid)."""
        x, y, r = (np.asarray(v, np.float64).reshape(-1) for v in (x, y, r))
        keep = r > 0.5
        x, y, r = x[keep], y[keep], r[keep]
        if not len(r):
            return
        n = np.clip(np.ceil(2 * np.pi * r), 8, 8192).astype(np.intp)
        item = np.repeat(np.arange(len(r)), n)
        t = np.arange(len(item)) - np.repeat(np.cumsum(n) - n, n)
        if dash:
            on = (t // dash) % 2 == 0
            item, t = item[on], t[on]
        ang = t * (2 * np.pi) / n[item]
        cos, sin = np.cos(ang), np.sin(ang)
        for k in range(width):
            rr = r[item] + k - (width - 1) / 2
            xs = np.rint(x[item] + rr * cos).astype(np.intp)
            ys = np.rint(y[item] + rr * sin).astype(np.intp)
            self.points(ys, xs, color, alpha)

    def disk(self, x: float, y: float, r: float, color: str, alpha: float = 1.0) -> None:
        box = self._box(x - r, y - r, x + r, y + r)
        if box is not None:
            xx, yy, i0, j0 = box
            self._fill((xx - x) ** 2 + (yy - y) ** 2 <= r * r, i0, j0, color, alpha)

    def polygon(self, pts: npt.NDArray[np.float32], color: str, alpha: float = 1.0) -> None:
        """Fill a polygon (even-odd rule); ``pts`` is (n, 2) pixel coordinates."""
        box = self._box(*pts.min(axis=0), *pts.max(axis=0))
        if box is None or len(pts) < 3:
            return
        xx, yy, i0, j0 = box
        inside = np.zeros(xx.shape, bool)
        for (ax, ay), (bx, by) in zip(pts, np.roll(pts, -1, axis=0), strict=True):
            if ay == by:
                continue
            crosses = (ay > yy) != (by > yy)
            x_at = ax + (yy - ay) * (bx - ax) / (by - ay)
            inside ^= crosses & (xx < x_at)
        self._fill(inside, i0, j0, color, alpha)

    def segments(
        self,
        x0: npt.ArrayLike,
        y0: npt.ArrayLike,
        x1: npt.ArrayLike,
        y1: npt.ArrayLike,
        color: str,
        alpha: float = 1.0,
    ) -> None:
        """Straight lines from (x0, y0) to (x1, y1), sampled every half pixel."""
        x0, y0, x1, y1 = (np.asarray(v, np.float64).reshape(-1) for v in (x0, y0, x1, y1))
        n = np.clip(np.ceil(2 * np.hypot(x1 - x0, y1 - y0)), 1, 8192).astype(np.intp) + 1
        item = np.repeat(np.arange(len(n)), n)
        t = (np.arange(len(item)) - np.repeat(np.cumsum(n) - n, n)) / (n[item] - 1)
        xs = np.rint(x0[item] + t * (x1 - x0)[item]).astype(np.intp)
        ys = np.rint(y0[item] + t * (y1 - y0)[item]).astype(np.intp)
        self.points(ys, xs, color, alpha)

    def outline(self, pts: npt.NDArray[np.float32], color: str, alpha: float = 1.0) -> None:
        nxt = np.roll(pts, -1, axis=0)
        self.segments(pts[:, 0], pts[:, 1], nxt[:, 0], nxt[:, 1], color, alpha)

    def rect(self, x0: int, y0: int, x1: int, y1: int, color: str) -> None:
        x0, x1 = max(0, x0), min(self.w, x1)
        y0, y1 = max(0, y0), min(self.h, y1)
        if x0 < x1 and y0 < y1:
            self.img[y0:y1, x0:x1] = _rgb(color)

    def _box(
        self, x0: float, y0: float, x1: float, y1: float
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], int, int] | None:
        """Pixel-centre grids of the box clipped to the image, and its corner."""
        i0, i1 = max(0, math.floor(x0)), min(self.w, math.ceil(x1) + 1)
        j0, j1 = max(0, math.floor(y0)), min(self.h, math.ceil(y1) + 1)
        if i0 >= i1 or j0 >= j1:
            return None
        yy, xx = np.mgrid[j0:j1, i0:i1].astype(np.float32)
        return xx, yy, i0, j0

    def _fill(self, inside: npt.NDArray[np.bool_], i0: int, j0: int, color: str, alpha: float) -> None:
        ys, xs = np.nonzero(inside)
        self.points(ys + j0, xs + i0, color, alpha)


_DIRECTIONS = 32
_FILLED, _HOLLOW = _ship_stamps(_DIRECTIONS)
_PLUS = _stamp(np.add.outer(*(2 * [np.arange(9) == 4])) > 0)
_CROSS = _stamp(np.eye(11, dtype=bool) | np.eye(11, dtype=bool)[::-1])
_SQUARES = {h: _stamp(np.ones((2 * h + 1, 2 * h + 1), bool)) for h in (1, 2)}
_BAR = np.stack(np.meshgrid(np.arange(-13, -10), np.arange(-8, 8), indexing="ij"), axis=-1).reshape(-1, 2)


class Renderer:
    """Draws (and in "human" mode shows) the frames of one package's battles.

    The map is drawn once; each frame copies it and draws what moves.
    """

    def __init__(self, package: dict[str, Any], mode: str = "rgb_array", size_px: int = 480) -> None:
        from tidebreak.replays.render.scene import build_scene

        self.mode = mode
        self.scene = build_scene(package)
        self.ids = [s["ship_id"] for s in package["ships"]]
        self.meta = {s["id"]: s for s in self.scene["ships"]}
        self.max_ticks = max(1, math.ceil(float(package.get("time_limit_s", 600))))
        self.size_px = size_px
        x0, y0, x1, y1 = self.scene["bounds"]
        span = max(x1 - x0, y1 - y0, 1e-9)
        self.scale = (size_px - 2) / span  # px per metre, a pixel of margin on each side
        self.frame_shape = (size_px + _TOP, size_px, 3)
        self._ox = 1 + (size_px - 2 - (x1 - x0) * self.scale) / 2 - x0 * self.scale
        self._oy = _TOP + 1 + (size_px - 2 + (y1 - y0) * self.scale) / 2 + y0 * self.scale
        self._background = self._draw_background()
        self._window: _Window | None = None

    def _px(self, x: Any, y: Any) -> tuple[Any, Any]:
        """Pixel coordinates (column, row) of map points (y up)."""
        return self._ox + np.asarray(x, np.float64) * self.scale, self._oy - np.asarray(
            y, np.float64
        ) * self.scale

    def _pts(self, points: list[list[float]]) -> npt.NDArray[np.float32]:
        xy = np.asarray(points, np.float64).reshape(-1, 2)
        return np.stack(self._px(xy[:, 0], xy[:, 1]), axis=1).astype(np.float32)

    def _draw_background(self) -> npt.NDArray[np.uint8]:
        img = np.empty(self.frame_shape, np.uint8)
        img[:] = _rgb(_BACKDROP)
        c = _Canvas(img)
        x0, y0, x1, y1 = self.scene["bounds"]
        (a, b), (d, e) = self._px(x0, y1), self._px(x1, y0)
        c.rect(round(float(a)), round(float(b)), round(float(d)), round(float(e)), _SEA)
        for z in self.scene["zones"]:
            alpha = 0.12 + 0.2 * float(z["intensity"])
            if z["kind"] == "circle":
                x, y = self._px(z["x"], z["y"])
                c.disk(float(x), float(y), z["r"] * self.scale, z["color"], alpha)
                c.rings(x, y, z["r"] * self.scale, z["color"], 0.8)
            elif z["points"]:
                pts = self._pts(z["points"])
                c.polygon(pts, z["color"], alpha)
                c.outline(pts, z["color"], 0.8)
        arrows = np.asarray(self.scene["currents"]["arrows"], np.float64).reshape(-1, 4)
        if len(arrows):
            speed = np.hypot(arrows[:, 2], arrows[:, 3])
            k = 0.4 * self.size_px / math.sqrt(len(arrows)) / (speed.max() or 1.0)  # px per m/s
            px, py = self._px(arrows[:, 0], arrows[:, 1])
            tx, ty = px + arrows[:, 2] * k, py - arrows[:, 3] * k
            c.segments(px, py, tx, ty, _CURRENT, 0.6)
            c.stamps(tx, ty, _SQUARES[1], _CURRENT, 0.6)
        for o in self.scene["obstacles"]:
            soft = o["material"] == "soft"
            fill, alpha = ("#bcaaa4", 0.5) if soft else ("#a1887f", 0.9)
            if o["kind"] == "circle":
                x, y = self._px(o["x"], o["y"])
                c.disk(float(x), float(y), o["r"] * self.scale, fill, alpha)
                c.rings(x, y, o["r"] * self.scale, "#5d4037", 1.0, dash=4 if soft else 0)
            elif o["points"]:
                pts = self._pts(o["points"])
                c.polygon(pts, fill, alpha)
                c.outline(pts, "#5d4037")
        return img

    def frame(self, state: bytes | str | dict[str, Any], pov: str | None) -> npt.NDArray[np.uint8]:
        """An RGB frame (H, W, 3) of ``state`` (``NativeEnv.save()`` output)
        seen by ship ``pov``, or the ground truth when ``pov`` is None."""
        from tidebreak.replays.records import frame_from_state
        from tidebreak.replays.render.scene import visible_ships

        st = json.loads(state) if isinstance(state, (bytes, str)) else state
        f = frame_from_state(st, self.ids)
        c = _Canvas(self._background.copy())
        ships = visible_ships(f, pov)
        self._sensors(c, ships)
        observers = [pov] if pov is not None else [sh["id"] for sh in f["ships"]]
        self._tracks(c, [t for o in observers for t in f["tracks"].get(o, [])])
        self._ships(c, ships)
        shots = [p for p in f["projectiles"] if pov is None or p.get("owner") == pov]
        for kind, (color, half) in _PROJECTILES.items():  # on top: they are small
            mine = [p for p in shots if p["kind"] == kind]
            if mine:
                x, y = self._px([p["x"] for p in mine], [p["y"] for p in mine])
                c.stamps(x, y, _SQUARES[half], color)
        gone = min(1.0, f["tick"] / self.max_ticks)
        c.rect(0, 0, round(gone * self.size_px), _TOP - 2, "#37474f")
        return c.img

    def _sensors(self, c: _Canvas, ships: list[dict[str, Any]]) -> None:
        groups: dict[tuple[str, int], list[tuple[float, float, float]]] = {}
        for sh in ships:
            if sh["status"] != 0:
                continue
            m = self.meta[sh["id"]]
            for sen in m["sensors"]:
                key = (m["color"], _SENSOR_DASH.get(sen["type"], 0))
                groups.setdefault(key, []).append((sh["x"], sh["y"], sen["effective"]))
        for (color, dash), rows in groups.items():
            arr = np.asarray(rows, np.float64)
            x, y = self._px(arr[:, 0], arr[:, 1])
            c.rings(x, y, arr[:, 2] * self.scale, color, 0.35, dash)

    def _tracks(self, c: _Canvas, tracks: list[dict[str, Any]]) -> None:
        if not tracks:
            return
        arr = np.asarray([(t["x"], t["y"], t["err"], t["q"]) for t in tracks], np.float64)
        x, y = self._px(arr[:, 0], arr[:, 1])
        q = np.clip(arr[:, 3], 0, 3).astype(int)
        for level, color in enumerate(self.scene["quality_colors"]):
            sel = q == level
            if sel.any():
                c.rings(x[sel], y[sel], arr[sel, 2] * self.scale, color, 0.9, dash=2)
                c.stamps(x[sel], y[sel], _PLUS, color)

    def _ships(self, c: _Canvas, ships: list[dict[str, Any]]) -> None:
        if not ships:
            return
        x, y = self._px([s["x"] for s in ships], [s["y"] for s in ships])
        for i, sh in enumerate(ships):
            m = self.meta[sh["id"]]
            if sh["status"] == 2:  # destroyed
                c.stamps(x[i], y[i], _CROSS, "#424242")
                continue
            color = m["color"] if sh["status"] == 0 else _GREY
            d = (
                round(sh["h"] / (2 * math.pi) * _DIRECTIONS) % _DIRECTIONS
            )  # heading: counter-clockwise from east
            c.stamps(x[i], y[i], (_HOLLOW if sh["layer"] == 1 else _FILLED)[d], color)
            if sh.get("trans"):
                c.rings(x[i], y[i], max(350 * self.scale, 10.0), _TRANSITION, 1.0, dash=3, width=2)
            frac = max(0.0, min(1.0, sh["hp"] / m["max_hp"]))
            good = _BAR[:, 1] < -8 + round(16 * frac)
            c.stamps(x[i], y[i], _BAR[~good], _HP_LOST)
            c.stamps(x[i], y[i], _BAR[good], _HP_GOOD)

    def render(self, state: bytes | str | dict[str, Any], pov: str | None) -> npt.NDArray[np.uint8] | None:
        """The frame ("rgb_array"), or None after showing it in the window ("human")."""
        frame = self.frame(state, pov)
        if self.mode != "human":
            return frame
        if self._window is None:
            self._window = _Window(f"Tidebreak · {self.scene['battle_id']}")
        self._window.show(frame)
        return None

    def close(self) -> None:
        if self._window is not None:
            self._window.close()
            self._window = None


class _Window:
    """A Tk window that shows frames, at most ``fps`` a second."""

    def __init__(self, title: str, fps: float = 10.0) -> None:
        import tkinter

        try:
            self._root = tkinter.Tk()
        except tkinter.TclError as e:
            raise NoDisplayError(f'render_mode="human" could not open a window: {e}') from e
        self._tk = tkinter
        self._root.title(title)
        self._label = tkinter.Label(self._root)
        self._label.pack()
        self._image: Any = None
        self._open = True
        self._root.protocol("WM_DELETE_WINDOW", self.close)
        self._period = 1.0 / fps
        self._last = 0.0

    def show(self, frame: npt.NDArray[np.uint8]) -> None:
        if not self._open:
            return  # the user closed the window: keep running without it
        h, w = frame.shape[:2]
        ppm = b"P6 %d %d 255\n" % (w, h) + np.ascontiguousarray(frame).tobytes()
        self._image = self._tk.PhotoImage(data=ppm, format="PPM")
        self._label.configure(image=self._image)
        wait = self._last + self._period - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        self._root.update()
        self._last = time.perf_counter()

    def close(self) -> None:
        if self._open:
            self._open = False
            self._root.destroy()
