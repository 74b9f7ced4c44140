"""Render replay files: a static scene description shared by the renderers, and
matplotlib animations (GIF, MP4) and stills.

>>> from tidebreak.replays.render import build_scene, render_animation, render_still  # doctest: +SKIP
"""

from __future__ import annotations

from tidebreak.replays.render.mpl import RenderError, ffmpeg_path, render_animation, render_still
from tidebreak.replays.render.scene import TEAM_COLORS, build_scene, effective_range, visible_ships

__all__ = [
    "TEAM_COLORS",
    "RenderError",
    "build_scene",
    "effective_range",
    "ffmpeg_path",
    "render_animation",
    "render_still",
    "visible_ships",
]
