from __future__ import annotations

import argparse

import numpy as np
from gymnasium.utils.env_checker import check_env

from tidebreak.strategic import World
from tidebreak.strategic.cli import add_campaign_parser, main
from tidebreak.strategic.env import StrategicEnv
from tidebreak.strategic.faction_ai import ACTION_NAMES
from tidebreak.strategic.metrics import campaign_metrics, series


def test_cli_run_resume_plot(tmp_path) -> None:
    state = tmp_path / "state.json"
    assert main(["campaign", "run", "--days", "40", "--seed", "3", "--save", str(state), "--quiet"]) == 0
    assert World.load(state).day == 40
    assert main(["resume", str(state), "--days", "20", "--quiet"]) == 0
    w = World.load(state)
    assert w.day == 60 and len(w.history) == 60
    png = tmp_path / "out.png"
    assert main(["campaign", "plot", str(state), "-o", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_add_campaign_parser_registers_on_foreign_cli() -> None:
    parser = argparse.ArgumentParser(prog="tidebreak")
    subs = parser.add_subparsers(dest="command")
    add_campaign_parser(subs)
    args = parser.parse_args(["campaign", "run", "--days", "5", "--seed", "1", "--resolver", "arena"])
    assert args.days == 5 and args.resolver == "arena" and callable(args.func)


def test_metrics(full_run) -> None:  # type: ignore[no-untyped-def]
    world, _ = full_run
    m = campaign_metrics(world)
    assert m.days == world.day and m.battles == len(world.battles)
    assert series(world, "accord", "morale").shape == (len(world.history),)
    for fm in m.factions.values():
        assert 0.0 <= fm.win_rate <= 1.0


def test_strategic_env_passes_check_env() -> None:
    env = StrategicEnv(max_days=20)
    check_env(env, skip_render_check=True)


def test_strategic_env_episode_and_masks() -> None:
    env = StrategicEnv(max_days=25)
    obs, info = env.reset(seed=4)
    assert env.observation_space.contains(obs)
    assert info["action_mask"].shape == (len(ACTION_NAMES),) and info["action_mask"][0] == 1
    rng = np.random.default_rng(0)
    done = False
    steps = 0
    while not done:
        mask = env.action_masks()
        action = int(rng.choice(np.flatnonzero(mask)))
        obs, reward, term, trunc, info = env.step(action)
        assert env.observation_space.contains(obs) and np.isfinite(reward)
        done = term or trunc
        steps += 1
    assert steps == 25 or term
    obs2, _ = env.reset(seed=4)
    obs3, _ = StrategicEnv(max_days=25).reset(seed=4)
    assert np.array_equal(obs2, obs3)
