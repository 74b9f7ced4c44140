"""Rendering: rgb_array frames (what they show, point of view or ground
truth) and the human window (or its clear error where there is no display)."""

from __future__ import annotations

import json
import math
from typing import Any

import gymnasium
import numpy as np
import pytest
from gym_helpers import SCENARIOS

import tidebreak.gym  # noqa: F401 - registers the ids
from tidebreak.gym.env import TidebreakEnv
from tidebreak.gym.render import _PROJECTILES, NoDisplayError, Renderer, _rgb
from tidebreak.replays.records import frame_from_state
from tidebreak.replays.render.scene import TEAM_COLORS


def _state(env: TidebreakEnv) -> dict[str, Any]:
    return frame_from_state(json.loads(env._env().save()), [s["ship_id"] for s in env.package["ships"]])


def _pixels_of(frame: np.ndarray, color: str, x: float, y: float, r: int = 9) -> int:
    """How many pixels within ``r`` of (x, y) have exactly ``color``."""
    ys, xs = slice(max(0, round(y) - r), round(y) + r + 1), slice(max(0, round(x) - r), round(x) + r + 1)
    return int((frame[ys, xs] == _rgb(color).astype(np.uint8)).all(axis=-1).sum())


def test_render_rgb_array() -> None:
    env = gymnasium.make("Tidebreak/Duel-v0", render_mode="rgb_array")
    env.reset(seed=0)
    env.step(env.action_space.sample())
    frame = env.render()
    assert isinstance(frame, np.ndarray) and frame.dtype == np.uint8
    assert frame.ndim == 3 and frame.shape[2] == 3 and frame.shape[0] > 100
    assert frame.std() > 0
    env.close()
    assert TidebreakEnv("duel").render() is None
    with pytest.raises(ValueError, match="render_view"):
        TidebreakEnv("duel", render_mode="rgb_array", render_view="periscope")
    with pytest.raises(ValueError, match=r"render_mode must be None or one of \('human', 'rgb_array'\)"):
        TidebreakEnv("duel", render_mode="ansi")


@pytest.mark.parametrize("view", ["agent", "truth"])
def test_frames_show_the_agents_view_or_the_ground_truth(view: str) -> None:
    """Ships are drawn where they are, in their team's colour: the agent's own
    ship in both views, the opponent only in the ground truth (the agent sees
    its tracks instead)."""
    env = TidebreakEnv("duel", render_mode="rgb_array", render_view=view)
    env.reset(seed=1)
    frame = env.render()
    assert frame is not None
    renderer = env._renderer
    assert renderer is not None
    ships = {s["id"]: s for s in _state(env)["ships"]}
    own, other = ships[env.agent_ship], next(s for i, s in ships.items() if i != env.agent_ship)
    blue, red = TEAM_COLORS[0], TEAM_COLORS[1]
    assert _pixels_of(frame, blue, *renderer._px(own["x"], own["y"])) > 10
    enemy = _pixels_of(frame, red, *renderer._px(other["x"], other["y"]))
    assert (enemy > 0) == (view == "truth"), f"{view} view: {enemy} pixels of the opponent's colour"
    env.close()


def test_frames_show_projectiles_and_time() -> None:
    env = TidebreakEnv("gun_duel", render_mode="rgb_array", render_view="truth")
    env.reset(seed=3)
    first = env.render()
    assert first is not None
    fire = np.array([1, 0, 1, 0, 0, 0, 0], np.float32)  # full ahead, gun
    shots: list[dict[str, Any]] = []
    for _ in range(300):
        env.step(fire)
        shots = _state(env)["projectiles"]
        if shots:
            break
    assert shots, "a shot was fired within 300 ticks"
    frame = env.render()
    assert frame is not None and env._renderer is not None
    x, y = env._renderer._px(shots[0]["x"], shots[0]["y"])
    color = _PROJECTILES[shots[0]["kind"]][0]
    assert _pixels_of(frame, color, x, y, r=2) > 0, "the projectile in flight is drawn where it is"
    bar = "#37474f"  # the share of the time limit gone, along the top
    tick = _state(env)["tick"]
    assert _pixels_of(first[:6], bar, 240, 0, r=240) == 0
    assert (frame[0] == _rgb(bar).astype(np.uint8)).all(axis=-1).sum() == round(
        tick / math.ceil(env.package["time_limit_s"]) * 480
    )
    env.close()


@pytest.mark.parametrize("view", ["agent", "truth"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_renders(scenario: str, view: str) -> None:
    env = TidebreakEnv(scenario, render_mode="rgb_array", render_view=view)
    env.reset(seed=0)
    env.step(env.action_space.sample())
    frame = env.render()
    assert frame is not None and frame.shape == (488, 480, 3) and frame.dtype == np.uint8
    assert frame.std() > 0
    env.close()


def test_renderer_draws_without_a_plotting_library() -> None:
    """Frames come straight from numpy: recording episodes imports no matplotlib."""
    import subprocess
    import sys

    code = """
import sys
from tidebreak.gym.env import TidebreakEnv
env = TidebreakEnv("duel", render_mode="rgb_array")
env.reset(seed=0)
for _ in range(3):
    env.step(env.action_space.sample())
    env.render()
print("matplotlib" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_human_mode_shows_frames_in_a_window(display: str | None) -> None:
    if display is None:
        with pytest.raises(NoDisplayError, match=r'render_mode="human" .*no display.*rgb_array'):
            TidebreakEnv("duel", render_mode="human")
        return
    env = gymnasium.make("Tidebreak/Duel-v0", render_mode="human")
    env.reset(seed=0)
    env.step(env.action_space.sample())
    assert env.render() is None
    renderer = env.unwrapped._renderer
    assert isinstance(renderer, Renderer) and renderer._window is not None
    window = renderer._window
    expected = renderer.frame(env.unwrapped._env().save(), env.unwrapped.agent_ship)
    shown = window._image
    h, w = expected.shape[:2]
    assert (shown.height(), shown.width()) == (h, w)
    for x, y in [(0, 0), (w // 2, h // 2), (w - 1, h - 1), (w // 3, 2 * h // 3)]:
        assert tuple(shown.get(x, y)) == tuple(int(v) for v in expected[y, x]), f"pixel {x},{y}"
    env.close()
    assert not window._open, "closing the env closes its window"


def test_human_mode_without_a_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    with pytest.raises(NoDisplayError, match=r"\$DISPLAY is not set.*render_mode=\"rgb_array\""):
        gymnasium.make("Tidebreak/Duel-v0", render_mode="human")
    with pytest.raises(NoDisplayError, match="no display"):
        tidebreak.gym.parallel_env(scenario="duel", render_mode="human")
