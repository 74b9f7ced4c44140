"""A top-down matplotlib frame of one agent's view: its ship and its tracks."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from tidebreak import layout

__all__ = ["Renderer"]

_OWN = {name: i for i, name in enumerate(layout.OWN_FIELDS)}
_TRK = {name: i for i, name in enumerate(layout.TRACK_FIELDS)}


class Renderer:
    """Draws frames for one map; keeps its matplotlib figure between calls."""

    def __init__(self, package: dict[str, Any], max_tracks: int, size_px: int = 400) -> None:
        b = package["map"]["bounds"]
        self.half_w = (b["max_x"] - b["min_x"]) / 2
        self.half_h = (b["max_y"] - b["min_y"]) / 2
        self.max_tracks = max_tracks
        self.size_px = size_px
        self._fig: Any = None
        self._ax: Any = None

    def _setup(self) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        dpi = 100
        self._fig = Figure(figsize=(self.size_px / dpi, self.size_px / dpi), dpi=dpi)
        FigureCanvasAgg(self._fig)
        self._ax = self._fig.add_axes((0.02, 0.02, 0.96, 0.96))

    def frame(self, obs: npt.NDArray[np.float32], title: str = "") -> npt.NDArray[np.uint8]:
        """An RGB frame (H, W, 3) of ``obs`` (one agent's observation)."""
        if self._fig is None:
            self._setup()
        ax = self._ax
        ax.clear()
        ax.set_xlim(-1.05, 1.05)
        ax.set_ylim(-1.05, 1.05)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_facecolor("#0b2e4f")
        ax.plot([-1, 1, 1, -1, -1], [-1, -1, 1, 1, -1], color="#8aa", lw=1)
        x, y = float(obs[_OWN["x"]]), float(obs[_OWN["y"]])
        sin_h, cos_h = float(obs[_OWN["sin_heading"]]), float(obs[_OWN["cos_heading"]])
        heading = np.arctan2(sin_h, cos_h)
        submerged = obs[_OWN["layer"]] > 0.5
        colour = "#4fc3f7" if not submerged else "#26a69a"
        ax.plot([x], [y], marker="o", ms=7, color=colour)
        ax.arrow(x, y, 0.08 * cos_h, 0.08 * sin_h, color=colour, width=0.006)
        base = len(layout.OWN_FIELDS)
        width = len(layout.TRACK_FIELDS)
        for k in range(self.max_tracks):
            t = obs[base + k * width : base + (k + 1) * width]
            if t[_TRK["present"]] < 0.5:
                continue
            bearing = heading + np.arctan2(float(t[_TRK["sin_bearing"]]), float(t[_TRK["cos_bearing"]]))
            dist = float(t[_TRK["range"]]) * 10_000.0
            tx = x + dist * np.cos(bearing) / self.half_w
            ty = y + dist * np.sin(bearing) / self.half_h
            hostile = t[_TRK["iff"]] > 0
            ax.plot([tx], [ty], marker="x" if hostile else "+", ms=8, color="#ef5350" if hostile else "#aed581")
        hp = float(obs[_OWN["hp"]])
        ax.text(-1.0, 1.0, f"{title} hp {hp:.2f}", color="white", va="top", fontsize=8)
        self._fig.canvas.draw()
        rgba = np.asarray(self._fig.canvas.buffer_rgba())
        return np.ascontiguousarray(rgba[..., :3])

    def close(self) -> None:
        self._fig = None
        self._ax = None
