"""``render_mode="rgb_array"`` frames of an env's battle.

A frame is drawn from the env's full state (``NativeEnv.save``) with
:func:`tidebreak.replays.render.mpl.draw_frame`, the same drawing as replay stills:
the map (bounds, zones, obstacles), ships by layer (filled on the surface,
hollow submerged, a ring while diving or surfacing), track tables and
projectiles. From a ship's point of view it shows that ship, its sensor
ranges, its tracks (estimated positions with error circles, coloured by
quality) and its own projectiles; the ground truth shows every ship and
every projectile.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["RENDER_VIEWS", "Renderer", "check_render"]

#: What ``render()`` draws: the agent's point of view or the ground truth.
RENDER_VIEWS = ("agent", "truth")


def check_render(render_mode: str | None, render_view: str) -> None:
    """Raise ValueError unless ``render_mode`` is None or "rgb_array" and
    ``render_view`` is one of :data:`RENDER_VIEWS`."""
    if render_mode not in (None, "rgb_array"):
        raise ValueError(f"render_mode must be None or 'rgb_array' (got {render_mode!r})")
    if render_view not in RENDER_VIEWS:
        raise ValueError(f"render_view must be one of {RENDER_VIEWS} (got {render_view!r})")


class Renderer:
    """Draws frames for one package; keeps its matplotlib figure between calls."""

    def __init__(self, package: dict[str, Any], size_px: int = 480) -> None:
        from tidebreak.replays.render.scene import build_scene

        self.scene = build_scene(package)
        self.ids = [s["ship_id"] for s in package["ships"]]
        self.size_px = size_px
        self._fig: Any = None
        self._ax: Any = None

    def _setup(self) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        dpi = 100
        self._fig = Figure(figsize=(self.size_px / dpi, self.size_px / dpi), dpi=dpi)
        FigureCanvasAgg(self._fig)
        self._ax = self._fig.add_axes((0.06, 0.05, 0.9, 0.88))

    def frame(self, state: bytes | str | dict[str, Any], pov: str | None) -> npt.NDArray[np.uint8]:
        """An RGB frame (H, W, 3) of ``state`` (``NativeEnv.save()`` output)
        seen by ship ``pov``, or the ground truth when ``pov`` is None."""
        from tidebreak.replays.records import frame_from_state
        from tidebreak.replays.render.mpl import draw_frame

        if self._fig is None:
            self._setup()
        st = json.loads(state) if isinstance(state, (bytes, str)) else state
        draw_frame(self._ax, self.scene, frame_from_state(st, self.ids), pov=pov)
        self._fig.canvas.draw()
        rgba = np.asarray(self._fig.canvas.buffer_rgba())
        return np.ascontiguousarray(rgba[..., :3])

    def close(self) -> None:
        self._fig = None
        self._ax = None
