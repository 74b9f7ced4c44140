"""Shipped scenarios and their seeded randomisation."""

from __future__ import annotations

import json

import pytest

import tidebreak
from tidebreak import scenarios

EXPECTED = {"duel", "gun_duel", "sub_duel", "fleet_4v4", "fleet_16v16", "convoy"} | {
    f"stage{i}" for i in range(1, 7)
}

SCALE = {"fleet_128v128": 128, "fleet_512v512": 512}


def test_all_scenarios_are_listed() -> None:
    assert EXPECTED | set(SCALE) <= set(scenarios.names())


@pytest.mark.parametrize("name", sorted(SCALE))
def test_scale_battles_start_within_reach(name: str) -> None:
    """Each side fields n ships, and every ship of the front rank has an enemy inside its radar range."""
    pkg = scenarios.load(name)
    n = SCALE[name]
    teams = {t["team_id"]: [s for s in pkg["ships"] if s["team_id"] == t["team_id"]] for t in pkg["teams"]}
    assert sorted(len(v) for v in teams.values()) == [n, n]
    blue, red = teams["blue"], teams["red"]
    radar = max(x["range"] for x in blue[0]["sensors"] if x["type"] == "radar")
    gap = min(r["initial_state"]["x"] for r in red) - max(b["initial_state"]["x"] for b in blue)
    jitter = pkg["randomize"]["spawn_jitter_m"]
    assert 0 < gap + 2 * jitter < radar


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_scenario_simulates(name: str) -> None:
    result = tidebreak.simulate(scenarios.package(name, seed=11))
    assert result.battle_id == name
    assert len(result.ships) == len(scenarios.load(name)["ships"])
    assert 0 < result.duration_s <= scenarios.load(name)["time_limit_s"]


@pytest.mark.parametrize("name", ["duel", "fleet_4v4", "stage3"])
@pytest.mark.parametrize("seed", [1, 99, 2**63 + 5])
def test_package_reproduces_the_arena_randomisation(name: str, seed: int) -> None:
    """The concrete package starts exactly where the arena starts the original."""
    original = scenarios.load(name, seed=seed)
    concrete = scenarios.package(name, seed=seed)
    assert "randomize" not in concrete and "randomize" in original
    a = tidebreak.simulate(original)
    b = tidebreak.simulate(concrete)
    assert a.replay.initial_state_hash == b.replay.initial_state_hash
    assert a.replay.final_state_hash == b.replay.final_state_hash
    with tidebreak.NativeEnv(original) as env:
        env.reset(seed=seed)
        ships = json.loads(env.save())["world"]["ships"]
    for ship, spec in zip(ships, concrete["ships"]):
        assert ship["kinematics"]["x"] == spec["initial_state"]["x"]
        assert ship["kinematics"]["y"] == spec["initial_state"]["y"]


def test_seeds_change_spawns_and_weather() -> None:
    starts = {
        (p["ships"][0]["initial_state"]["x"], p["map"]["weather"]["visibility_km"])
        for p in (scenarios.package("duel", seed=s) for s in range(1, 20))
    }
    assert len(starts) == 19


def test_unknown_scenario_and_ship() -> None:
    with pytest.raises(KeyError, match="unknown scenario 'nope'"):
        scenarios.load("nope")
    with pytest.raises(KeyError, match="has no ship 'ghost'"):
        scenarios.load("duel", controllers={"ghost": "agent"})
