"""The browser viewer: one self-contained HTML file per replay.

:func:`build_html` inlines the viewer's JavaScript and CSS (shipped as
package data in ``tidebreak/replays/viewer/assets``), the static scene and every
frame as JSON, so the page needs no network and no server: open it from
disk. The page exposes ``window.tidebreak`` (``seek(tick)``, ``play()``,
``pause()``, ``setPov(shipId | null)``, ``tick()``, ``visibleShips()``,
``visibleTracks()``, ``eventCount()``, ``labels()``, ``setLayer(name, on)``)
for scripts and tests. ``#tick=120&pov=corvette`` at the end of the page's
address opens it at that tick and point of view.

Everything in a replay is data from a file, so nothing of it reaches the
page as markup: the JSON is inlined with ``<``, ``>``, ``&`` and the line
separators escaped, the title is HTML-escaped, the template's placeholders
are filled in one pass (a placeholder inside a value stays text), the page's
script builds its DOM with ``textContent`` only, and a Content-Security-Policy
allows nothing but the page's own script and style (by hash): no network,
no inline event handlers, no other scripts.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["ViewerError", "build_html", "write_html", "asset", "script_json", "summary"]

#: Characters written as \\u escapes in JSON inlined in a <script> element:
#: ``<``, ``>`` and ``&`` so that no ``</script>``, ``<!--`` or entity can
#: appear, and U+2028/U+2029, which some JavaScript parsers treat as line ends.
_SCRIPT_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}
_PLACEHOLDER = re.compile(r"__(CSP|CSS|JS|TITLE|VERSION|DATA)__")


class ViewerError(ValueError):
    """A replay cannot be turned into a page (e.g. it holds NaN or infinite numbers)."""


def asset(name: str) -> str:
    """The text of one bundled asset (``viewer.js``, ``viewer.css``, ``template.html``)."""
    return resources.files("tidebreak.replays.viewer").joinpath("assets", name).read_text(encoding="utf-8")


def script_json(data: Any) -> str:
    """``data`` as JSON that is safe inside an HTML ``<script>`` element.

    Only ASCII is written; ``<``, ``>``, ``&``, U+2028 and U+2029 become
    ``\\u`` escapes (the same strings to a JSON parser). NaN and infinities
    are refused: JSON has no such numbers.

    >>> script_json({"id": "</script><!--"})
    '{"id":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    >>> script_json([float("nan")])
    Traceback (most recent call last):
    ...
    tidebreak.replays.viewer.ViewerError: the replay holds a number that is not finite (NaN or infinity)
    """
    try:
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    except ValueError as e:
        if "not JSON compliant" in str(e):
            raise ViewerError("the replay holds a number that is not finite (NaN or infinity)") from None
        raise ViewerError(f"the replay cannot be written as JSON: {e}") from None
    return text.translate(_SCRIPT_ESCAPES)


def summary(result: Any) -> str:
    """One line on how the battle ended: ``"blue won after 553 s"`` or ``"draw after 600 s (no winner)"``."""
    if result.winner_team_id:
        return f"{result.winner_team_id} won after {result.duration_s:.0f} s"
    return f"draw after {result.duration_s:.0f} s (no winner)"


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def build_html(replay: Any, title: str | None = None) -> str:
    """The viewer page for a loaded replay (:func:`tidebreak.replays.records.load_replay`).

    Raises :class:`ViewerError` when the replay cannot be drawn.
    """
    from tidebreak import __version__
    from tidebreak.engine.events import narrated
    from tidebreak.replays.render.scene import build_scene

    scene = build_scene(replay.package)
    seed = replay.package.get("seed")
    data = {
        "scene": scene,
        # A 64-bit seed is not a JavaScript number: the page shows it as text.
        "seed": None if seed is None else str(seed),
        "frames": replay.frames,
        # each event that has a line of its own, with its sentence ("text")
        "events": narrated(replay.events),
        "summary": summary(replay.result),
    }
    css, js = asset("viewer.css"), asset("viewer.js")
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(js)}; style-src {_csp_hash(css)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    title = title or f"Tidebreak replay: {replay.package.get('battle_id', '')}"
    values = {
        "CSP": html.escape(csp),
        "CSS": css,
        "JS": js,
        "TITLE": html.escape(title),
        "VERSION": html.escape(__version__),
        "DATA": script_json(data),
    }
    # One pass: a value that contains a placeholder's name stays as it is.
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], asset("template.html"))


def write_html(replay: Any, out: str | Path, title: str | None = None) -> Path:
    """Write the viewer page to ``out``."""
    page = build_html(replay, title)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
