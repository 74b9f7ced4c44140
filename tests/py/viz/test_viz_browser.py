"""The HTML viewer in headless Chromium, driven over the DevTools protocol.

Skipped only when no Chromium binary is installed (CI installs Debian's
``chromium`` package in ``.ci/run``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from viz_cdp import Browser, chromium_path

from tidebreak import scenarios
from tidebreak.engine.events import event_lines, narrated
from tidebreak.replays.records import ReplayFile, load_replay
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

    events = [e for e in narrated(rf.events) if e["kind"] != "ping"]
    assert b.evaluate("window.tidebreak.eventCount()") == len(events)
    target = events[len(events) // 2]
    b.evaluate(f"document.querySelectorAll('#tb-events li')[{len(events) // 2}].click()")
    assert b.evaluate("window.tidebreak.tick()") == target["tick"] + 1  # the frame that shows its outcome
    assert b.evaluate("document.querySelector('#tb-events li.now') !== null") is True
    lines = b.evaluate("[...document.querySelectorAll('#tb-events li')].map(li => li.textContent)")
    assert lines == [e["text"] for e in events]


def test_event_lines_say_who_did_what_to_whom(duel_tbr: Path) -> None:
    rf = load_replay(duel_tbr)
    lines = [t for t in event_lines(rf.events) if t is not None]
    fires = [e for e in rf.events if e["kind"] == "fire"]
    hits = [e for e in rf.events if e["kind"] == "hit"]
    assert fires and hits
    for e in fires:
        assert f"t{e['tick']} {e['source']} fires {_WORD[e['weapon']]} at {e['target']}" in lines
    by_trace = {e["trace"]: e for e in rf.events}
    for e in hits:  # the weapon comes from the fire event that launched it; the hp from its damage event
        weapon = _WORD[by_trace[e["cause"]]["weapon"]]
        lost = sum(d["value"] for d in rf.events if d["kind"] == "damage" and d["cause"] == e["trace"])
        assert f"t{e['tick']} {e['source']}'s {weapon} hits {e['target']} (−{lost:.3g} hp)" in lines
    assert not any(" damage" in t or "→" in t for t in lines)  # damage from hits is told once, in the hit
    out = next(e for e in rf.events if e["kind"] == "out_of_action")
    assert f"t{out['tick']} {out['target']} is {out['status']} by {out['source']}" in lines


_WORD = {"gun": "gun", "torpedo": "torpedo", "asw": "ASW"}


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


def test_the_address_opens_a_tick_and_a_point_of_view(page, viz_dir: Path) -> None:  # type: ignore[no-untyped-def]
    b, rf = page
    me = rf.ship_ids[1]
    url = (viz_dir / "stage4.html").resolve().as_uri()
    b.navigate("about:blank")  # a new document, not a fragment change
    b.navigate(f"{url}#tick=150&pov={quote(me)}")
    assert b.evaluate("window.tidebreak.tick()") == 150 and b.evaluate("window.tidebreak.pov()") == me
    assert b.evaluate("document.getElementById('tb-pov').value") == me
    assert b.evaluate("window.tidebreak.visibleShips()") == 1
    b.screenshot(viz_dir / "viewer_at_tick.png")
    # the address follows the view, so it can be copied
    b.evaluate("window.tidebreak.setPov(null)")
    b.evaluate("window.tidebreak.seek(40)")
    assert b.evaluate("location.hash") == "#tick=40"
    # a later hash change moves the view; a tick past the end shows the last frame
    b.evaluate(f"location.hash = 'tick=999999&pov={quote(me)}'")
    b.evaluate("new Promise(r => setTimeout(r, 100))")
    assert b.evaluate("window.tidebreak.tick()") == rf.frames[-1]["tick"]
    assert b.evaluate("window.tidebreak.pov()") == me
    # an unknown ship is named, not obeyed
    b.navigate("about:blank")
    b.navigate(f"{url}#tick=12&pov=ghost")
    assert b.evaluate("window.tidebreak.tick()") == 12 and b.evaluate("window.tidebreak.pov()") is None
    assert 'no ship "ghost"' in b.evaluate("document.getElementById('tb-note').textContent")
    assert b.errors == []


def _still(package: dict, positions: list[tuple[float, float]]) -> ReplayFile:  # type: ignore[type-arg]
    """A one-frame replay of ``package`` with its ships at ``positions``."""
    ships = [
        {"id": s["ship_id"], "x": x, "y": y, "h": 0.0, "v": 0.0, "layer": 0, "trans": None,
         "hp": 50.0, "status": 0, "morale": 1.0, "ping": False}
        for s, (x, y) in zip(package["ships"], positions)
    ]  # fmt: skip
    frame = {"tick": 0, "ships": ships, "tracks": {}, "projectiles": [], "events": []}
    return ReplayFile(None, package, SimpleNamespace(winner_team_id=None, duration_s=0.0), [frame])


def test_labels_do_not_overlap_at_close_range(viz_dir: Path) -> None:
    pkg = scenarios.package("fleet_4v4", seed=1)
    # eight ships within 60 m of each other: a few pixels apart on the map
    rf = _still(pkg, [(6000 + 20 * (i % 3), 6000 + 25 * (i // 3)) for i in range(len(pkg["ships"]))])
    rf.package = dict(pkg, seed=7434755675892716031)
    html = write_html(rf, viz_dir / "close.html")
    assert CHROMIUM is not None
    with Browser(CHROMIUM, 1280, 1000) as b:
        b.navigate(html.resolve().as_uri())
        labels = b.evaluate("window.tidebreak.labels()")
        assert len(labels) == len(pkg["ships"])
        assert {lab["text"].split(" ")[0] for lab in labels} == {s["ship_id"] for s in pkg["ships"]}
        for i, a in enumerate(labels):
            assert 0 <= a["x"] and a["x"] + a["w"] <= 760 and 0 <= a["y"] and a["y"] + a["h"] <= 760
            for c in labels[i + 1 :]:
                apart = (
                    a["x"] + a["w"] <= c["x"]
                    or c["x"] + c["w"] <= a["x"]
                    or a["y"] + a["h"] <= c["y"]
                    or c["y"] + c["h"] <= a["y"]
                )
                assert apart, (a, c)
        # the seed exactly (a JavaScript number would print 7434755675892716000)
        assert "seed 7434755675892716031 " in b.evaluate("document.getElementById('tb-title').textContent")
        weather = b.evaluate("document.getElementById('tb-weather').textContent")
        assert "draw after 0 s (no winner)" in weather and "winner draw" not in weather
        legend = b.evaluate("document.getElementById('tb-legend').textContent")
        assert "projectiles:" in legend and "torpedo" in legend and "gun shell" in legend
        assert b.errors == []
