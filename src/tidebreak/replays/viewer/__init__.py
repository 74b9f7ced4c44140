"""The browser viewer: one self-contained HTML file per replay.

:func:`build_html` inlines the viewer's JavaScript and CSS (shipped as
package data in ``tidebreak/replays/viewer/assets``), the static scene and every
frame as JSON, so the page needs no network and no server: open it from
disk. The page exposes ``window.tidebreak`` (``seek(tick)``, ``play()``,
``pause()``, ``setPov(shipId | null)``, ``tick()``, ``visibleShips()``,
``visibleTracks()``, ``eventCount()``, ``setLayer(name, on)``) for scripts
and tests.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["build_html", "write_html", "asset"]


def asset(name: str) -> str:
    """The text of one bundled asset (``viewer.js``, ``viewer.css``, ``template.html``)."""
    return resources.files("tidebreak.replays.viewer").joinpath("assets", name).read_text(encoding="utf-8")


def _summary(result: Any) -> str:
    winner = result.winner_team_id or "draw"
    return f"winner {winner} after {result.duration_s:.0f} s"


def build_html(replay: Any, title: str | None = None) -> str:
    """The viewer page for a loaded replay (:func:`tidebreak.replays.records.load_replay`)."""
    from tidebreak import __version__
    from tidebreak.replays.render.scene import build_scene

    data = {
        "scene": build_scene(replay.package),
        "frames": replay.frames,
        "events": replay.events,
        "summary": _summary(replay.result),
    }
    # "</" cannot appear inside a <script> element; "<\/" is the same JSON string.
    blob = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    page = asset("template.html")
    title = title or f"Tidebreak replay: {replay.package.get('battle_id', '')}"
    for key, value in (
        ("__CSS__", asset("viewer.css")),
        ("__JS__", asset("viewer.js")),
        ("__TITLE__", html.escape(title)),
        ("__VERSION__", __version__),
    ):
        page = page.replace(key, value)
    return page.replace("__DATA__", blob)


def write_html(replay: Any, out: str | Path, title: str | None = None) -> Path:
    """Write the viewer page to ``out``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_html(replay, title), encoding="utf-8")
    return out
