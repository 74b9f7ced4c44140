"""Matplotlib rendering: stills, GIFs, point of view, overlays, ffmpeg handling."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tidebreak.replays.records import load_replay
from tidebreak.replays.render import (
    RenderError,
    build_scene,
    effective_range,
    mpl,
    render_animation,
    render_still,
    visible_ships,
)


def test_scene_has_the_map_layers(stage4_tbr: Path) -> None:
    scene = build_scene(load_replay(stage4_tbr).package)
    assert len(scene["obstacles"]) == 3 and {z["type"] for z in scene["zones"]} == {
        "hazard",
        "sensor_interference",
    }
    assert scene["currents"]["arrows"] and all(len(a) == 4 for a in scene["currents"]["arrows"])
    radar = next(s for s in scene["ships"][0]["sensors"] if s["type"] == "radar")
    assert radar["effective"] < radar["range"]  # stage 4 has rain and sea state 4


def test_effective_range_follows_the_weather_rules() -> None:
    assert effective_range(
        {"type": "radar", "range": 10000}, {"sea_state": 2, "precipitation": "storm"}
    ) == pytest.approx(5400)
    assert effective_range(
        {"type": "visual", "range": 6000}, {"visibility_km": 4, "fog": True}
    ) == pytest.approx(1200)
    assert effective_range({"type": "sonar", "range": 5000}, {"sea_state": 9}) == 5000


def test_still_png_ground_truth_and_pov(stage4_tbr: Path, tmp_path: Path) -> None:
    rf = load_replay(stage4_tbr)
    a = render_still(rf, tmp_path / "a.png", 150)
    b = render_still(rf, tmp_path / "b.png", 150, pov=rf.ship_ids[0])
    assert Image.open(a).size[0] > 300
    assert a.read_bytes() != b.read_bytes()
    assert [s["id"] for s in visible_ships(rf.frames[150], rf.ship_ids[0])] == [rf.ship_ids[0]]
    assert len(visible_ships(rf.frames[150])) == len(rf.ship_ids)


def test_gif_has_one_frame_per_step_and_the_last(duel_tbr: Path, tmp_path: Path) -> None:
    rf = load_replay(duel_tbr)
    assert (len(rf.frames) - 1) % 50 != 0  # the last tick is not a multiple of the step
    out = render_animation(rf, tmp_path / "d.gif", step=50, size=3, dpi=50, progress=False, pov="submarine")
    with Image.open(out) as im:
        assert im.n_frames == len(rf.frames[::50]) + 1


def test_select_frames_keeps_the_final_tick(duel_tbr: Path) -> None:
    rf = load_replay(duel_tbr)
    last = rf.frames[-1]["tick"]
    for step in (1, 2, 3, 4, 7, 50, 10_000):
        ticks = [f["tick"] for f in mpl.select_frames(rf.frames, step)]
        assert ticks[-1] == last and ticks[:-1] == [f["tick"] for f in rf.frames[::step]][: len(ticks) - 1]
    assert [f["tick"] for f in mpl.select_frames(rf.frames, 4, start=10, end=21)] == [10, 14, 18, 21]
    with pytest.raises(RenderError, match="no frames between tick 9000 and the end"):
        mpl.select_frames(rf.frames, 1, start=9000)


def test_pictures_have_the_time_and_a_scale_bar(duel_tbr: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rf = load_replay(duel_tbr)
    scene = build_scene(rf.package)
    fig, ax = plt.subplots()
    mpl.draw_frame(ax, scene, rf.frames[125])
    assert "t = 2:05 (tick 125)" in ax.get_title()
    texts = [t.get_text() for t in ax.texts]
    assert "2 km" in texts  # the duel's map is 12 km wide
    plt.close(fig)
    assert [mpl.scale_length(w) for w in (100, 1000, 12000, 60000)] == [10, 100, 2000, 10000]


def test_noise_grid_hook_is_drawn(duel_tbr: Path, tmp_path: Path) -> None:
    rf = load_replay(duel_tbr)
    rf.frames[10] = dict(
        rf.frames[10], noise={"origin": [0, 0], "cell": 3000, "values": [[50, 60, 70, 80]] * 4}
    )
    plain = render_still(rf, tmp_path / "plain.png", 9)
    noisy = render_still(rf, tmp_path / "noisy.png", 10)
    assert plain.read_bytes() != noisy.read_bytes()


def test_errors(duel_tbr: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rf = load_replay(duel_tbr)
    with pytest.raises(RenderError, match="must end in .gif or .mp4"):
        render_animation(rf, tmp_path / "x.avi", progress=False)
    with pytest.raises(RenderError, match="no such ship"):
        render_animation(rf, tmp_path / "x.gif", pov="ghost", progress=False)
    monkeypatch.setattr(mpl, "ffmpeg_path", lambda: None)
    with pytest.raises(RenderError, match="needs ffmpeg.*apt-get install ffmpeg.*imageio-ffmpeg"):
        render_animation(rf, tmp_path / "x.mp4", progress=False)


@pytest.mark.skipif(mpl.ffmpeg_path() is None, reason="no ffmpeg on PATH and no imageio-ffmpeg installed")
def test_mp4_when_ffmpeg_is_available(duel_tbr: Path, tmp_path: Path) -> None:
    out = render_animation(load_replay(duel_tbr), tmp_path / "d.mp4", step=60, size=3, dpi=60, progress=False)
    assert out.stat().st_size > 1000
