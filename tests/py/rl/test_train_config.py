"""Training configurations and the opponent mix (no torch needed)."""

from __future__ import annotations

from pathlib import Path

import gymnasium
import numpy as np
import pytest

import tidebreak.gym
from tidebreak.rl.evaluation import SCRIPTED_CONTROLLERS
from tidebreak.rl.train import ConfigError, config_names, load_config
from tidebreak.rl.train.cli import parse_set
from tidebreak.rl.train.envs import OpponentMix, split_envs


def test_every_registered_id_has_a_valid_shipped_config() -> None:
    assert config_names() == sorted(tidebreak.gym.ENV_IDS)
    for env_id in config_names():
        cfg = load_config(env_id)
        assert cfg.env_id == env_id
        assert set(cfg.opponents) <= set(SCRIPTED_CONTROLLERS)
        assert cfg.total_steps > 0 and cfg.eval.episodes > 0
        gymnasium.make(env_id, **cfg.env).close()  # the env kwargs are ones the env takes


def test_duel_config_carries_the_issue_targets() -> None:
    cfg = load_config("Tidebreak/Duel-v0")
    assert cfg.eval.targets == {"idle": 0.9, "aggressive": 0.6}
    assert cfg.eval.episodes == 200 and cfg.total_steps == 300_000


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ppo.learnig_rate": 1.0}, "did you mean 'learning_rate'"),
        ({"ppo.gamma": 1.5}, "gamma"),
        ({"ppo.num_envs": 0}, "num_envs"),
        ({"ppo.hidden": [0]}, "hidden"),
        ({"ppo.epochs": "4"}, "must be an integer"),
        ({"opponents": {"kraken": 1}}, "not a scripted controller"),
        ({"eval.targets": {"patrol": 0.5}}, "not one of eval.opponents"),
        ({"eval.targets": {"idle": 2}}, r"win rate in \[0, 1\]"),
        ({"env": {"opponent": "idle"}}, "set by the trainer"),
        ({"nonsense.key": 1}, "unknown key"),
        ({"teacher.controller": "random"}, "teacher.controller must be one of aggressive, stalker, expert"),
        ({"teacher.coef": -1.0}, "teacher.coef"),
        ({"teacher.decay_steps": -5}, "teacher.decay_steps"),
        ({"teacher.heard_coef": -0.5}, "teacher.heard_coef"),
        ({"teacher.coeff": 1.0}, "did you mean 'coef'"),
        ({"teacher.min_coef": 2.0}, r"teacher.min_coef must be within \[0, teacher.coef\]"),
        ({"teacher.opponents": ["expert"]}, "not one of the \\[opponents\\] trained against"),
    ],
)
def test_bad_values_name_the_key(change: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config("Tidebreak/Duel-v0").override(change)


def test_toml_files_and_errors(tmp_path: Path) -> None:
    good = tmp_path / "mine.toml"
    good.write_text('env_id = "Tidebreak/GunDuel-v0"\ntotal_steps = 1000\n[ppo]\nhidden = [16]\n')
    cfg = load_config(good)
    assert (cfg.env_id, cfg.total_steps, cfg.ppo.hidden) == ("Tidebreak/GunDuel-v0", 1000, (16,))
    bad = tmp_path / "bad.toml"
    bad.write_text("env_id = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="no shipped training configuration"):
        load_config("Tidebreak/Nothing-v0")


def test_parse_set() -> None:
    assert parse_set(["ppo.gamma=0.99", 'eval.opponents=["idle"]', "description=x y"]) == {
        "ppo.gamma": 0.99,
        "eval.opponents": ["idle"],
        "description": "x y",
    }
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_set(["ppo.gamma"])


def test_split_envs_follows_the_shares() -> None:
    assert split_envs(66, {"idle": 2, "aggressive": 1}) == [("idle", 44), ("aggressive", 22)]
    assert split_envs(5, {"a": 1, "b": 1, "c": 1}) == [("a", 2), ("b", 2), ("c", 1)]
    assert split_envs(3, {"a": 100, "b": 1, "c": 1}) == [("a", 1), ("b", 1), ("c", 1)]
    assert split_envs(8, {}) == [(None, 8)]
    for n in range(3, 40):
        assert sum(c for _, c in split_envs(n, {"a": 3, "b": 2, "c": 0.5})) == n


def test_opponent_mix_steps_every_group_and_reports_outcomes() -> None:
    mix = OpponentMix(
        "Tidebreak/Duel-v0",
        6,
        {"idle": 1, "aggressive": 1},
        {"action_mode": "multidiscrete", "agent_ship": "corvette"},
    )
    try:
        assert mix.opponents == ["idle", "aggressive"]
        assert mix.opponent_index.tolist() == [0, 0, 0, 1, 1, 1]
        obs, masks = mix.reset(seed=0)
        assert obs.shape == (6, 133) and masks.shape == (6, 19)
        assert mix.single_observation_space.contains(obs[0])
        first = obs.copy()
        rng = np.random.default_rng(0)
        ends = 0
        for _ in range(1300):  # past the time limit: every env ends at least once
            res = mix.step(np.stack([rng.integers(0, n, 6) for n in (5, 5, 4, 3, 2)], 1))
            assert ((res.outcome >= 0) == res.dones).all()
            ends += int(res.dones.sum())
        assert ends >= 6
        mix.reset(seed=0)
        np.testing.assert_array_equal(mix.reset(seed=0)[0], first)
    finally:
        mix.close()
