"""The HTML viewer in headless Chromium, driven over the DevTools protocol.

Skipped only when no Chromium binary is installed (CI installs Debian's
``chromium`` package in ``.ci/run``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from viz_cdp import Browser, chromium_path

from tidebreak.replays.records import load_replay
from tidebreak.replays.viewer import write_html

CHROMIUM = chromium_path()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def page(stage4_tbr: Path, viz_dir: Path) -> Iterator[tuple[Browser, object]]:
    rf = load_replay(stage4_tbr)
    html = write_html(rf, viz_dir / "stage4.html")
    assert CHROMIUM is not None
    with Browser(CHROMIUM, 1280, 1000) as b:
        b.navigate(html.resolve().as_uri())
        assert b.evaluate("window.tidebreak && window.tidebreak.ready") is True
        yield b, rf


def _alive_at(rf, tick: int) -> int:  # type: ignore[no-untyped-def]
    return len(next(f for f in rf.frames if f["tick"] == tick)["ships"])


def test_ground_truth_shows_every_ship(page) -> None:  # type: ignore[no-untyped-def]
    b, rf = page
    for tick in (0, 120, rf.frames[-1]["tick"]):
        assert b.evaluate(f"window.tidebreak.seek({tick})") == tick
        assert b.evaluate("window.tidebreak.visibleShips()") == _alive_at(rf, tick)
        assert b.evaluate("document.getElementById('tb-tick').textContent").startswith(f"tick {tick} ")
        assert b.evaluate("document.querySelectorAll('#tb-ships tbody tr').length") == len(rf.ship_ids)


def test_point_of_view_shows_one_ship_and_its_tracks(page) -> None:  # type: ignore[no-untyped-def]
    b, rf = page
    tick = next(f["tick"] for f in rf.frames if f["tracks"][rf.ship_ids[0]])
    me = rf.ship_ids[0]
    b.evaluate(f"window.tidebreak.seek({tick})")
    b.evaluate(
        f"(() => {{ const s = document.getElementById('tb-pov'); s.value = '{me}'; s.dispatchEvent(new Event('change')); }})()"
    )
    assert b.evaluate("window.tidebreak.pov()") == me
    assert b.evaluate("window.tidebreak.visibleShips()") == 1
    frame = next(f for f in rf.frames if f["tick"] == tick)
    assert b.evaluate("window.tidebreak.visibleTracks()") == len(frame["tracks"][me])
    b.evaluate("window.tidebreak.setPov(null)")
    assert b.evaluate("window.tidebreak.visibleShips()") == len(rf.ship_ids)


def test_scrubber_play_and_event_list(page) -> None:  # type: ignore[no-untyped-def]
    b, rf = page
    last = rf.frames[-1]["tick"]
    rect = b.evaluate(
        "(() => { const r = document.getElementById('tb-scrub').getBoundingClientRect();"
        " return [r.left, r.top, r.width, r.height]; })()"
    )
    left, top, width, height = rect
    b.click(left + 0.75 * width, top + height / 2)  # a real mouse click on the timeline
    tick = b.evaluate("window.tidebreak.tick()")
    assert abs(tick - 0.75 * last) <= 0.03 * last
    assert b.evaluate("Number(document.getElementById('tb-scrub').value)") == tick

    b.evaluate("window.tidebreak.seek(0)")
    b.evaluate("document.getElementById('tb-play').click()")
    b.evaluate("new Promise(r => setTimeout(r, 600))")
    assert b.evaluate("window.tidebreak.playing()") is True
    b.evaluate("document.getElementById('tb-play').click()")
    assert b.evaluate("window.tidebreak.playing()") is False
    assert b.evaluate("window.tidebreak.tick()") > 0

    events = [e for e in rf.events if e["kind"] != "ping"]
    assert b.evaluate("window.tidebreak.eventCount()") == len(events)
    target = events[len(events) // 2]
    b.evaluate(f"document.querySelectorAll('#tb-events li')[{len(events) // 2}].click()")
    assert b.evaluate("window.tidebreak.tick()") == target["tick"] + 1  # the frame that shows its outcome
    assert b.evaluate("document.querySelector('#tb-events li.now') !== null") is True


def test_layers_toggle_and_no_console_errors(page) -> None:  # type: ignore[no-untyped-def]
    b, _ = page
    for layer in ("sensors", "tracks", "zones", "obstacles", "currents", "noise", "projectiles", "labels"):
        b.evaluate(f"window.tidebreak.setLayer('{layer}', false)")
        b.evaluate(f"window.tidebreak.setLayer('{layer}', true)")
    b.evaluate("window.tidebreak.seek(10)")
    assert b.errors == []


def test_the_driver_does_see_console_errors(viz_dir: Path) -> None:
    bad = viz_dir / "bad.html"
    bad.write_text("<script>console.error('boom'); undefinedFunction();</script>")
    assert CHROMIUM is not None
    with Browser(CHROMIUM) as b:
        b.navigate(bad.resolve().as_uri())
        b.evaluate("1")
        assert any("boom" in e for e in b.errors) and any("undefinedFunction" in e for e in b.errors)
