"""The demo picture: tracks with time marks, shots, hits, detections, ships put out of action."""

from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
import pytest

from tidebreak import scenarios
from tidebreak.demo import draw_battle, time_marks, trace_battle
from tidebreak.engine.simulation import simulate
from tidebreak.replays.records import record_frames

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def battle() -> tuple[dict[str, Any], Any]:
    package = scenarios.load("duel", seed=1)
    return package, simulate(package)


def test_the_trace_holds_what_happened(battle: tuple[dict[str, Any], Any]) -> None:
    package, result = battle
    trace = trace_battle(package, result)
    events = [e for f in record_frames(package, result) for e in f["events"]]
    assert [(s[0], s[1], s[2]) for s in trace.shots] == [
        (e["tick"], e["source"], e["target"]) for e in events if e["kind"] == "fire"
    ]
    assert len(trace.hits) == sum(e["kind"] == "hit" for e in events) > 0
    lost = {s.ship_id: 0.0 for s in result.ships}
    for _, _, target, weapon, hp in trace.hits:
        assert weapon in {"gun", "torpedo", "ASW"}
        lost[target] += hp
    for ship in package["ships"]:  # the hp the hits took is what each ship lost
        final = next(s for s in result.ships if s.ship_id == ship["ship_id"]).final_state.hp
        assert lost[ship["ship_id"]] == pytest.approx(ship["hull"]["hp"] - final, abs=1e-6)
    loser = next(s.ship_id for s in result.ships if s.fate != "OPERATIONAL")
    assert [o[1] for o in trace.out_of_action] == [loser]
    teams = {s["ship_id"]: s["team_id"] for s in package["ships"]}
    assert trace.detections and all(teams[a] != teams[b] for _, a, b in trace.detections)
    xy = trace.tracks["corvette"][:, :2]
    assert trace.distance_km("corvette") == pytest.approx(np.hypot(*np.diff(xy, axis=0).T).sum() / 1000)


def test_the_picture_shows_and_explains_it(battle: tuple[dict[str, Any], Any]) -> None:
    import matplotlib.pyplot as plt

    package, result = battle
    trace = trace_battle(package, result)
    fig, ax = plt.subplots()
    draw_battle(ax, package, trace, result)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    for ship in ("corvette", "submarine"):
        assert any(
            t.startswith(f"{ship} (") and t.endswith(f"{trace.distance_km(ship):.1f} km travelled")
            for t in legend
        )
    for key in ("shot (dotted to the ship aimed at)", "hit (hp lost)", "first detection of an enemy",
                "put out of action", "time mark every 1:00 (m:ss)"):  # fmt: skip
        assert key in legend
    texts = [t.get_text() for t in ax.texts]
    tick, ship, status, by = trace.out_of_action[0]
    assert f"{ship} {status} at {(tick + 1) // 60}:{(tick + 1) % 60:02d}\nby {by}" in texts
    assert sum(t.startswith("−") for t in texts) == len(trace.hits)
    assert {"1:00", "2:00"} <= set(texts)
    plt.close(fig)


def test_time_marks_are_round_and_few() -> None:
    assert time_marks(447) == [60, 120, 180, 240, 300, 360, 420]
    assert time_marks(100) == [30, 60, 90]
    assert len(time_marks(3600)) <= 10 and time_marks(3600)[0] == 600
