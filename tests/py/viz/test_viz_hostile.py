"""Viewer pages built from hostile ids, team names and battle ids, opened in headless Chromium.

A replay is a file from anywhere: its ids and names must reach the page as
text only. Each page is opened twice: as written (with its
Content-Security-Policy) and with the policy bypassed over the DevTools
protocol, so that the page's own code is shown to inject nothing even
where no policy would stop it. Skipped only when no Chromium binary is
installed (CI installs Debian's ``chromium`` package in ``.ci/run``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from viz_cdp import Browser, chromium_path

import tidebreak
from tidebreak import scenarios
from tidebreak.replays.records import load_replay
from tidebreak.replays.viewer import ViewerError, asset, build_html, script_json, write_html

CHROMIUM = chromium_path()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)

# Each would run script, break out of an element, or fill a placeholder if
# it reached the page as markup or through a second template pass.
TEAM_ID = '<img src=x onerror="window.__pwned=1">'
TEAM_NAME = "</script><script>window.__pwned=2</script>"
BATTLE_ID = "b __DATA__ __JS__ </title><script>window.__pwned=3</script> \u2028 &amp;"
SHIP_IDS = {
    "duel": ["<!--<script>", "__proto__"],
    "gun_duel": ["constructor", '"><svg onload=window.__pwned=4>\u2029'],
}


def _hostile(name: str) -> dict[str, Any]:
    pkg = scenarios.package(name, seed=4)
    old_team = pkg["teams"][0]["team_id"]
    pkg["teams"][0].update(team_id=TEAM_ID, name=TEAM_NAME)
    for s, new in zip(pkg["ships"], SHIP_IDS[name]):
        s["ship_id"] = new
        if s["team_id"] == old_team:
            s["team_id"] = TEAM_ID
    pkg["battle_id"] = BATTLE_ID
    return pkg


@pytest.fixture(scope="module", params=sorted(SHIP_IDS))
def hostile(request: pytest.FixtureRequest, viz_dir: Path) -> tuple[Path, Any]:
    tbr = viz_dir / f"hostile_{request.param}.tbr"
    tidebreak.simulate(_hostile(request.param), record_path=tbr)
    rf = load_replay(tbr)
    return write_html(rf, viz_dir / f"hostile_{request.param}.html"), rf


def test_the_page_holds_the_data_as_escaped_text(hostile: tuple[Path, Any]) -> None:
    page, rf = hostile
    text = page.read_text(encoding="utf-8")
    head = text.split("<body>")[0]
    assert "<script" not in head and "<img" not in head  # the title holds the battle id as text
    assert text.count("<script") == 2 and text.count("</script>") == 2  # the data block and the viewer
    data = text.split('<script type="application/json" id="tb-data">', 1)[1].split("</script>", 1)[0]
    assert not re.search(r"[<>&\u2028\u2029]", data)
    assert json.loads(data)["scene"]["battle_id"] == BATTLE_ID
    assert "<title>Tidebreak replay: b __DATA__ __JS__ &lt;/title&gt;" in text
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text)
    assert csp is not None and "default-src &#x27;none&#x27;" in csp.group(1)
    assert "unsafe-inline" not in csp.group(1) and "unsafe-eval" not in csp.group(1)


def _open(b: Browser, page: Path, bypass_csp: bool) -> None:
    b.call("Page.setBypassCSP", enabled=bypass_csp)
    b.navigate(page.resolve().as_uri())
    assert b.evaluate("window.tidebreak && window.tidebreak.ready") is True


@needs_chromium
@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "csp-bypassed"])
def test_hostile_ids_run_no_script_and_the_page_plays(hostile: tuple[Path, Any], bypass_csp: bool) -> None:
    page, rf = hostile
    assert CHROMIUM is not None
    with Browser(CHROMIUM, 1280, 1000) as b:
        _open(b, page, bypass_csp)
        ids = rf.ship_ids
        for sid in ids:  # every ship as point of view, through the select element
            b.evaluate(
                "(() => { const s = document.getElementById('tb-pov'); s.value = "
                + json.dumps(sid)
                + "; s.dispatchEvent(new Event('change')); })()"
            )
            assert b.evaluate("window.tidebreak.pov()") == sid
            assert b.evaluate("window.tidebreak.visibleShips()") == 1
        b.evaluate("window.tidebreak.setPov(null)")
        b.evaluate("window.tidebreak.seek(0)")
        b.evaluate("document.getElementById('tb-play').click()")
        b.evaluate("new Promise(r => setTimeout(r, 500))")
        assert b.evaluate("window.tidebreak.tick()") > 0  # it plays
        last = rf.frames[-1]["tick"]
        assert b.evaluate(f"window.tidebreak.seek({last})") == last
        assert b.evaluate("window.tidebreak.visibleShips()") == len(ids)
        b.evaluate("new Promise(r => setTimeout(r, 300))")  # let an injected image fail to load

        assert b.evaluate("window.__pwned") is None
        assert b.evaluate("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
        assert b.evaluate("document.scripts.length") == 2
        assert b.evaluate("document.title") == f"Tidebreak replay: {BATTLE_ID}"
        assert b.evaluate("document.getElementById('tb-title').textContent").startswith(BATTLE_ID + " · ")
        legend = b.evaluate("document.getElementById('tb-legend').textContent")
        assert f"{TEAM_NAME} ({TEAM_ID})" in legend
        options = b.evaluate("[...document.querySelectorAll('#tb-pov option')].map(o => o.value)")
        assert options == ["", *ids]
        rows = b.evaluate(
            "[...document.querySelectorAll('#tb-ships td:first-child')].map(t => t.textContent)"
        )
        assert rows == ids
        assert b.evaluate("window.tidebreak.eventCount()") > 0
        assert b.errors == []


@needs_chromium
def test_the_policy_blocks_injected_script(hostile: tuple[Path, Any]) -> None:
    page, _ = hostile
    assert CHROMIUM is not None
    with Browser(CHROMIUM) as b:
        _open(b, page, bypass_csp=False)
        b.evaluate(
            'document.body.insertAdjacentHTML(\'beforeend\', \'<img src="data:," onerror="window.__csp=1">'
            '<img src="x" onerror="window.__csp=2">\');'
            "const s = document.createElement('script'); s.textContent = 'window.__csp = 3';"
            " document.body.appendChild(s);"
        )
        b.evaluate("new Promise(r => setTimeout(r, 300))")
        assert b.evaluate("window.__csp") is None
        assert any("Content Security Policy" in e for e in b.errors)


def test_no_markup_sinks_in_the_viewer() -> None:
    js = asset("viewer.js")
    for sink in ("innerHTML", "outerHTML", "document.write", "insertAdjacentHTML", "setAttribute", "eval("):
        assert sink not in js, sink
    assert "new Function" not in js


def test_one_pass_templating_and_script_json(duel_tbr: Path) -> None:
    rf = load_replay(duel_tbr)
    rf.package = dict(rf.package, battle_id="__CSS__ __VERSION__ __DATA__ __TITLE__")
    page = build_html(rf)
    assert "<title>Tidebreak replay: __CSS__ __VERSION__ __DATA__ __TITLE__</title>" in page
    assert page.count("window.tidebreak = {") == 1
    assert script_json({"s": "<\u2028>&"}) == '{"s":"\\u003c\\u2028\\u003e\\u0026"}'
    assert json.loads(script_json({"s": "</script>\ud800"})) == {"s": "</script>\ud800"}


def test_a_seed_of_64_bits_is_written_as_text(duel_tbr: Path) -> None:
    rf = load_replay(duel_tbr)
    rf.package = dict(rf.package, seed=7434755675892716031)
    page = build_html(rf)
    assert '"seed":"7434755675892716031"' in page


def test_non_finite_numbers_are_refused(duel_tbr: Path) -> None:
    rf = load_replay(duel_tbr)
    rf.frames = [dict(rf.frames[0], ships=[dict(rf.frames[0]["ships"][0], x=float("nan"))])]
    with pytest.raises(ViewerError, match="not finite"):
        build_html(rf)
