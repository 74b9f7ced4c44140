"""Regenerate the pictures in docs/images from the current build.

    python scripts/docs_images.py            # all of them (needs chromium for the viewer)
    python scripts/docs_images.py --only demo

* ``viewer.png``: the viewer in the middle of the duel (seed 4), ground truth;
* ``viewer_tick.png``: the viewer opened at ``duel.html#tick=498&pov=submarine``;
* ``demo_tracks.png``: ``make demo``'s picture (the duel, seed 1);
* ``duel.gif``: ``tidebreak replay duel.tbr --gif --step 4`` at a small size.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
MID_BATTLE_TICK = 330  # both ships tracked, torpedoes running
AT_TICK = "#tick=498&pov=submarine"  # the frame that shows the first hit


def viewer_shots(work: Path) -> list[Path]:
    """The two screenshots of the viewer (headless Chromium over the DevTools protocol)."""
    sys.path.insert(0, str(ROOT / "tests" / "py" / "viz"))
    from viz_cdp import Browser, chromium_path

    from tidebreak.replays.records import load_replay
    from tidebreak.replays.viewer import write_html

    exe = chromium_path()
    if exe is None:
        raise SystemExit("the viewer screenshots need chromium (apt-get install chromium)")
    page = write_html(load_replay(work / "duel.tbr"), work / "duel.html")
    out = []
    with Browser(exe, 1230, 880) as b:
        b.call(
            "Emulation.setDeviceMetricsOverride", width=1230, height=860, deviceScaleFactor=1, mobile=False
        )
        b.navigate(page.resolve().as_uri())
        b.evaluate(f"window.tidebreak.seek({MID_BATTLE_TICK})")
        out.append(b.screenshot(IMAGES / "viewer.png"))
        b.navigate("about:blank")
        b.navigate(page.resolve().as_uri() + AT_TICK)
        out.append(b.screenshot(IMAGES / "viewer_tick.png"))
        if b.errors:
            raise SystemExit(f"the page reported errors: {b.errors}")
    return out


def demo_picture() -> Path:
    from tidebreak import scenarios
    from tidebreak.demo import plot_battle, trace_battle
    from tidebreak.engine.simulation import simulate

    package = scenarios.load("duel", seed=1)
    result = simulate(package)
    out = IMAGES / "demo_tracks.png"
    plot_battle(package, trace_battle(package, result), result, out)
    return out


def duel_gif(work: Path) -> Path:
    from tidebreak.replays.records import load_replay
    from tidebreak.replays.render import render_animation

    return render_animation(
        load_replay(work / "duel.tbr"), IMAGES / "duel.gif", step=4, size=4, dpi=72, progress=False
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--only", choices=("viewer", "demo", "gif"), action="append", help="only these pictures")
    args = p.parse_args(argv)
    only = set(args.only or ("viewer", "demo", "gif"))
    import tidebreak
    from tidebreak import scenarios

    with tempfile.TemporaryDirectory() as d:
        work = Path(d)
        tidebreak.simulate(scenarios.package("duel", seed=4), record_path=work / "duel.tbr")
        written = []
        if "viewer" in only:
            written += viewer_shots(work)
        if "demo" in only:
            written.append(demo_picture())
        if "gif" in only:
            written.append(duel_gif(work))
    for path in written:
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1e3:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
