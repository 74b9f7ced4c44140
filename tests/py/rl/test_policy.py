"""Saved policies: numpy only, masks obeyed, files checked, loadable by
evaluate, the viewer and the PettingZoo env."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tidebreak
from tidebreak.cli import main as cli
from tidebreak.gym.spaces import MultiDiscreteActions
from tidebreak.rl.policy import Policy, PolicyError, load_policy, play_episode

DUEL_KWARGS = {"agent_ship": "corvette", "action_mode": "multidiscrete"}
NVEC = MultiDiscreteActions.nvec


def duel_policy(seed: int = 0, **kw: object) -> Policy:
    return Policy.random(133, (32, 32), env_kwargs=DUEL_KWARGS, seed=seed, **kw)  # type: ignore[arg-type]


def test_save_load_round_trip(tmp_path: Path) -> None:
    p = duel_policy(3)
    p.info["note"] = "kept"
    path = p.save(tmp_path / "pol")
    assert path.name == "pol.npz"
    q = load_policy(path)
    obs = np.random.default_rng(0).uniform(-1, 1, (16, 133)).astype(np.float32)
    np.testing.assert_array_equal(p.output(obs), q.output(obs))
    assert (q.env_id, q.env_kwargs, q.info["note"]) == (p.env_id, DUEL_KWARGS, "kept")


def test_sampling_is_seeded_and_deterministic_mode_is_argmax() -> None:
    obs = np.random.default_rng(1).uniform(-1, 1, (64, 133)).astype(np.float32)
    a, b = duel_policy(0), duel_policy(0)
    a.reseed(5)
    b.reseed(5)
    np.testing.assert_array_equal(a(obs), b(obs))
    a.deterministic = True
    out = a.output(obs)
    want = [np.argmax(out[:, s : s + n], axis=1) for s, n in zip(np.cumsum((0, *NVEC[:-1])), NVEC)]
    np.testing.assert_array_equal(a(obs), np.stack(want, axis=1))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.booleans(), min_size=19, max_size=19), st.integers(0, 2**16))
def test_illegal_choices_are_never_sampled(mask_bits: list[bool], seed: int) -> None:
    mask = np.array(mask_bits, bool)
    starts = np.cumsum((0, *NVEC[:-1]))
    for s, n in zip(starts, NVEC):
        if not mask[s : s + n].any():
            mask[s] = True  # every component keeps one legal choice, as the env's masks do
    p = duel_policy(seed)
    obs = np.random.default_rng(seed).uniform(-1, 1, (32, 133)).astype(np.float32)
    actions = p(obs, np.tile(mask, (32, 1)))
    for g, s in enumerate(starts):
        assert mask[s + actions[:, g]].all(), f"component {g} sampled an illegal choice"


def test_box_policy_acts_within_bounds() -> None:
    p = Policy.random(133, (8,), action_mode="box", seed=0)
    a = p(np.zeros((10, 133), np.float32))
    assert a.shape == (10, 7) and a.dtype == np.float32 and np.abs(a).max() <= 1


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("meta"), "no 'meta' entry"),
        (lambda d: d.update(meta=np.array(json.dumps({"format": "other"}))), "not a tidebreak policy"),
        (lambda d: d.update(meta=np.array("{")), "not JSON"),
        (lambda d: d.pop("w1"), "missing arrays"),
        (lambda d: d.update(w1=np.zeros((32, 5), np.float32)), "takes 5 inputs"),
        (lambda d: d.update(b0=np.full(32, np.nan, np.float32)), "NaN"),
        (lambda d: d.update(w2=np.zeros((7, 32), np.float32), b2=np.zeros(7, np.float32)), "need 19"),
    ],
)
def test_bad_files_raise_clear_errors(tmp_path: Path, mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    good = duel_policy().save(tmp_path / "good.npz")
    with np.load(good) as z:
        arrays = {k: z[k] for k in z.files}
    mutate(arrays)
    bad = tmp_path / "bad.npz"
    np.savez(bad, **arrays)
    with pytest.raises(PolicyError, match=message):
        load_policy(bad)


def test_not_an_npz_and_version_mismatch(tmp_path: Path) -> None:
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip file")
    with pytest.raises(PolicyError, match="not a policy file"):
        load_policy(junk)
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "missing.npz")
    path = duel_policy().save(tmp_path / "p.npz")
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(str(arrays["meta"]))
    meta["version"] = 99
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez(path, **arrays)
    with pytest.raises(PolicyError, match="version 99"):
        load_policy(path)


def test_evaluate_takes_a_policy_file_and_its_env_kwargs(tmp_path: Path) -> None:
    # The policy emits multidiscrete actions: evaluating it in the id's default
    # box mode would fail, so this passes only if evaluate uses the policy's kwargs.
    path = duel_policy().save(tmp_path / "p.npz")
    report = tidebreak.evaluate(str(path), "Tidebreak/Duel-v0", episodes=3, seed=0, baselines=())
    assert report.result.episodes == 3
    assert report.result.win_rate + report.result.loss_rate + report.result.draw_rate == pytest.approx(1)


def test_play_episode_records_a_replay(tmp_path: Path) -> None:
    out = play_episode(duel_policy(), seed=2, opponent="aggressive", record_path=tmp_path / "b.tbr")
    assert out["outcome"] in ("win", "loss", "draw") and out["length"] > 0
    report = tidebreak.replay(out["record_path"])
    assert report.ok


def test_view_plays_a_policy_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = duel_policy().save(tmp_path / "p.npz")
    html = tmp_path / "p.html"
    assert cli(["view", str(path), "--seed", "4", "--opponent", "idle", "-o", str(html)]) == 0
    assert html.stat().st_size > 10_000 and (tmp_path / "p.tbr").exists()
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"junk")
    assert cli(["view", str(bad)]) == 2
    assert "not a policy file" in capsys.readouterr().err
    assert cli(["view", str(tmp_path / "p.tbr"), "--opponent", "idle"]) == 2


def test_pettingzoo_agent_acts_with_a_policy_file(tmp_path: Path) -> None:
    """A saved policy loaded from its file drives one agent of the PettingZoo
    env, taking that agent's ``action_mask`` as the env gives it (the space's
    tuple form). The policy is made to want the torpedo, which the corvette
    does not carry: the mask must rule it out every step."""
    pytest.importorskip("pettingzoo")
    from tidebreak.gym import parallel_env

    made = duel_policy(seed=1)
    made.biases[-1][int(np.cumsum((0, *NVEC))[2]) + 2] = 50.0  # fire: torpedo
    policy = load_policy(made.save(tmp_path / "corvette.npz"), seed=2)
    env = parallel_env(scenario="duel", action_mode="multidiscrete")
    observations, infos = env.reset(seed=3)
    steps = 0
    while env.agents and steps < 50:
        actions = {a: env.action_space(a).sample() for a in env.agents}
        if "corvette" in env.agents:
            mask = infos["corvette"]["action_mask"]
            assert isinstance(mask, tuple) and len(mask) == len(NVEC)
            actions["corvette"] = policy.act(observations["corvette"], mask)
            assert env.action_space("corvette").contains(actions["corvette"])
            assert actions["corvette"][2] != 2 and mask[2][actions["corvette"][2]]
        observations, _, _, _, infos = env.step(actions)
        steps += 1
    env.close()
    assert steps == 50


def test_tuple_and_flat_masks_act_alike() -> None:
    mask = np.ones(19, bool)
    mask[10:14] = [True, False, True, False]
    parts = tuple(np.asarray(m, np.int8) for m in np.split(mask, np.cumsum(NVEC)[:-1]))
    obs = np.random.default_rng(4).uniform(-1, 1, 133).astype(np.float32)
    a, b = duel_policy(5), duel_policy(5)
    a.reseed(9)
    b.reseed(9)
    assert [a.act(obs, mask).tolist() for _ in range(20)] == [b.act(obs, parts).tolist() for _ in range(20)]


def test_loading_needs_no_torch(tmp_path: Path) -> None:
    path = duel_policy().save(tmp_path / "p.npz")
    code = f"""
import sys
from tidebreak.rl.policy import load_policy
import tidebreak
p = load_policy({str(path)!r})
tidebreak.evaluate(p, "Tidebreak/Duel-v0", episodes=2, baselines=())
assert "torch" not in sys.modules, "loading or evaluating a policy imported torch"
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
