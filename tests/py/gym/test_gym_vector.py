"""The native vector env: Gymnasium's vector API, same-step autoreset, and
bit-identity with single envs."""

from __future__ import annotations

import gymnasium
import numpy as np
import pytest
from gym_helpers import short_duel
from gymnasium.vector import AutoresetMode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tidebreak.gym
from tidebreak.gym.env import TidebreakEnv
from tidebreak.gym.vector import TidebreakVectorEnv


def test_make_vec_gives_the_native_vector_env() -> None:
    venv = gymnasium.make_vec("Tidebreak/Duel-v0", num_envs=3, vectorization_mode="vector_entry_point")
    assert isinstance(venv, TidebreakVectorEnv) and isinstance(venv, gymnasium.vector.VectorEnv)
    assert venv.metadata["autoreset_mode"] == AutoresetMode.NEXT_STEP, "Gymnasium's default"
    assert venv.num_envs == 3
    assert venv.observation_space.shape == (3, 133)
    obs, infos = venv.reset(seed=0)
    assert obs.shape == (3, 133) and obs.dtype == np.float32
    assert venv.observation_space.contains(obs)
    assert infos["legal_choices"].shape == (3, 6) and infos["legal_choices"].dtype == bool
    assert "action_mask" not in infos, "box mode: a Box has no mask"
    obs, rewards, terminated, truncated, infos = venv.step(venv.action_space.sample())
    assert rewards.shape == (3,) and terminated.dtype == bool and truncated.dtype == bool
    venv.close()


def test_make_vec_passes_kwargs() -> None:
    venv = gymnasium.make_vec(
        "Tidebreak/Duel-v0",
        num_envs=2,
        vectorization_mode="vector_entry_point",
        action_mode="multidiscrete",
        opponent="idle",
    )
    assert venv.single_action_space == gymnasium.spaces.MultiDiscrete([5, 5, 4, 3, 2])
    assert venv.package["ships"][1]["controller"] == "idle"
    _, infos = venv.reset(seed=1)
    assert venv.action_masks().shape == (2, 19)
    assert [m.shape for m in infos["action_mask"]] == [(2, 5), (2, 5), (2, 4), (2, 3), (2, 2)]
    np.testing.assert_array_equal(venv.action_masks(), np.concatenate(infos["action_mask"], axis=1) == 1)
    venv.close()


def test_batched_space_samples_with_the_vector_mask() -> None:
    venv = TidebreakVectorEnv(4, "duel", action_mode="multidiscrete", opponent="idle")
    _, infos = venv.reset(seed=2)
    venv.action_space.seed(0)
    for _ in range(30):
        actions = venv.action_space.sample(mask=infos["action_mask"])
        assert actions.shape == (4, 5)
        legal = infos["legal_choices"]
        fire = actions[:, 2]
        assert ((fire == 0) | legal[np.arange(4), np.maximum(fire - 1, 0)]).all()
        _, _, _, _, infos = venv.step(actions)
    venv.close()


def test_same_step_autoreset_infos() -> None:
    venv = TidebreakVectorEnv(2, short_duel(4), autoreset_mode=AutoresetMode.SAME_STEP)
    assert venv.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP
    venv.reset(seed=[10, 11])
    zero = np.zeros((2, 7), np.float32)
    for _ in range(3):
        _, _, term, trunc, infos = venv.step(zero)
        assert "final_obs" not in infos and not (term | trunc).any()
    obs, rewards, term, trunc, infos = venv.step(zero)
    assert trunc.all() and not term.any()
    assert infos["_final_obs"].all() and infos["_final_info"].all()
    time_left = -2  # context.time_left
    assert all(o[time_left] == 0 for o in infos["final_obs"]), "final_obs ends the old episode"
    assert (obs[:, time_left] == 1).all(), "obs starts the next one"
    assert list(infos["final_info"]["outcome"]) == ["draw", "draw"]
    assert (infos["final_info"]["reward_terms"][:, 6] == 1).all()
    assert (infos["reward_terms"] == 0).all(), "top-level infos of reset envs are reset infos"
    venv.close()


def test_next_step_autoreset() -> None:
    """The ending step returns the terminal observation and the outcome; the
    next step resets (its action ignored), with reward 0 and no flags."""
    venv = TidebreakVectorEnv(2, short_duel(4), reward_weights=lambda t: t[..., 7] + 1.0)
    venv.reset(seed=[10, 11])
    zero = np.zeros((2, 7), np.float32)
    for _ in range(3):
        venv.step(zero)
    obs, rewards, term, trunc, infos = venv.step(zero)
    time_left = -2
    assert trunc.all() and (obs[:, time_left] == 0).all(), "the terminal observation"
    assert "final_obs" not in infos
    assert list(infos["outcome"]) == ["draw", "draw"] and infos["_outcome"].all()
    assert not infos["is_success"].any()
    assert (rewards == 2.0).all()
    obs, rewards, term, trunc, infos = venv.step(np.ones((2, 7), np.float32))
    assert (obs[:, time_left] == 1).all(), "the first observation of the next episode"
    assert (rewards == 0).all() and not (term | trunc).any()
    assert (infos["reward_terms"] == 0).all() and "outcome" not in infos
    obs, rewards, *_ = venv.step(zero)
    assert (obs[:, time_left] < 1).all() and (rewards == 2.0).all(), "then the episode runs"
    venv.close()


def test_disabled_autoreset_needs_a_masked_reset() -> None:
    venv = TidebreakVectorEnv(3, short_duel(3), autoreset_mode="disabled")
    venv.reset(seed=[1, 2, 3])
    zero = np.zeros((3, 7), np.float32)
    for _ in range(3):
        _, _, term, trunc, _ = venv.step(zero)
    assert (term | trunc).all()
    with pytest.raises(RuntimeError, match=r"envs \[0, 1, 2\] finished .*reset_mask"):
        venv.step(zero)
    obs, infos = venv.reset(options={"reset_mask": np.array([True, False, False])})
    assert obs[0, -2] == 1 and (obs[1:, -2] == 0).all(), "only env 0 starts again"
    assert infos["_reward_terms"].tolist() == [True, False, False]
    with pytest.raises(RuntimeError, match=r"envs \[1, 2\] finished"):
        venv.step(zero)
    venv.reset(options={"reset_mask": np.array([False, True, True])})
    venv.step(zero)
    with pytest.raises(TypeError, match="numpy bool array"):
        venv.reset(options={"reset_mask": [True, True, True]})
    with pytest.raises(ValueError, match=r"has shape \(2,\), want \(3,\)"):
        venv.reset(options={"reset_mask": np.array([True, False])})
    venv.close()


def test_autoreset_mode_names() -> None:
    for name in ("next_step", "NEXT_STEP", "NextStep", AutoresetMode.NEXT_STEP):
        assert TidebreakVectorEnv(1, autoreset_mode=name).autoreset_mode == AutoresetMode.NEXT_STEP
    with pytest.raises(ValueError, match="autoreset_mode must be one of AutoresetMode.NEXT_STEP"):
        TidebreakVectorEnv(1, autoreset_mode="sometimes")


def test_gymnasium_vector_wrappers_run_in_next_step_mode() -> None:
    from gymnasium.wrappers.vector import NormalizeObservation, RecordEpisodeStatistics

    venv = RecordEpisodeStatistics(NormalizeObservation(TidebreakVectorEnv(3, short_duel(5))))
    obs, _ = venv.reset(seed=0)
    lengths: list[int] = []
    zero = np.zeros((3, 7), np.float32)
    for _ in range(17):  # three episodes of 5 steps each, and a reset step after each
        obs, _, term, trunc, infos = venv.step(zero)
        assert np.isfinite(obs).all()
        if "episode" in infos:
            lengths += infos["episode"]["l"][infos["_episode"]].tolist()
    assert lengths == [5] * 9, "every episode counted once, with its length"
    raw = venv.unwrapped.step(zero)[0]
    assert not np.allclose(obs, raw), "the observations were normalised"
    venv.close()
    with pytest.raises(ValueError, match="NEXT_STEP or DISABLED"):
        NormalizeObservation(TidebreakVectorEnv(2, autoreset_mode=AutoresetMode.SAME_STEP))


def test_native_and_sync_vector_envs_agree() -> None:
    """The same reset(seed=5) and actions give the same results in
    Gymnasium's SyncVectorEnv over single envs and in the native vector env,
    autoresets (NEXT_STEP) included."""
    kwargs = {"scenario": short_duel(4), "opponent": "random", "action_mode": "multidiscrete"}
    sync = gymnasium.make_vec("Tidebreak/Duel-v0", num_envs=3, vectorization_mode="sync", **kwargs)
    native = gymnasium.make_vec(
        "Tidebreak/Duel-v0", num_envs=3, vectorization_mode="vector_entry_point", **kwargs
    )
    assert sync.metadata["autoreset_mode"] == native.metadata["autoreset_mode"] == AutoresetMode.NEXT_STEP
    s_obs, s_info = sync.reset(seed=5)
    n_obs, n_info = native.reset(seed=5)
    np.testing.assert_array_equal(s_obs, n_obs)
    rng = np.random.default_rng(0)
    for _ in range(14):
        actions = np.stack([native.single_action_space.sample() for _ in range(3)])
        actions[:, 0] = rng.integers(0, 5, 3)
        s = sync.step(actions)
        n = native.step(actions)
        for a, b in zip(s[:4], n[:4], strict=True):
            np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(s[4]["reward_terms"], n[4]["reward_terms"])
        np.testing.assert_array_equal(s[4]["legal_choices"], n[4]["legal_choices"])
        if "outcome" in s[4]:
            assert list(s[4]["outcome"]) == list(n[4]["outcome"])
            np.testing.assert_array_equal(s[4]["_outcome"], n[4]["_outcome"])
        else:
            assert "outcome" not in n[4]
    sync.close()
    native.close()


def test_seeding_offset_and_sequence() -> None:
    assert tidebreak.gym.env_seeds(42, 4) == [42, 43, 44, 45]
    seeds = tidebreak.gym.env_seeds(42, 4, "sequence")
    assert seeds == [int(s) for s in np.random.SeedSequence(42).generate_state(4, np.uint64)]
    with pytest.raises(ValueError, match="seeding must be one of"):
        tidebreak.gym.env_seeds(42, 4, "random")
    venv = TidebreakVectorEnv(4, "duel", seeding="sequence")
    obs, _ = venv.reset(seed=42)
    for i, s in enumerate(seeds):
        env = TidebreakEnv("duel")
        np.testing.assert_array_equal(env.reset(seed=s)[0], obs[i])
        env.close()
    venv.close()
    with pytest.raises(ValueError, match="seeding must be one of"):
        TidebreakVectorEnv(2, seeding="random")


def _infos_of(infos: dict, i: int, keys: tuple[str, ...]) -> dict:
    """Env ``i``'s entries of batched infos (the masks in the space's form)."""
    out = {}
    for k in keys:
        if k in infos and infos[f"_{k}"][i]:
            v = infos[k]
            out[k] = tuple(m[i] for m in v) if isinstance(v, tuple) else v[i]
    return out


def _assert_same_info(batched: dict, single: dict) -> None:
    assert batched.keys() == single.keys() - {"outcome", "is_success"} | (
        batched.keys() & {"outcome", "is_success"}
    )
    for k, v in batched.items():
        if isinstance(v, tuple):
            assert len(v) == len(single[k])
            for a, b in zip(v, single[k], strict=True):
                np.testing.assert_array_equal(a, b)
        else:
            np.testing.assert_array_equal(v, single[k])


_KEYS = ("reward_terms", "legal_choices", "action_mask")


def _step_singles_and_compare(
    venv: TidebreakVectorEnv, singles: list[TidebreakEnv], actions: np.ndarray, ended: list[bool]
) -> None:
    """Step the vector env and the singles as Gymnasium's vector envs would in
    the vector env's autoreset mode, and compare everything env by env.
    ``ended[i]``: env i's episode ended on the previous step (updated)."""
    mode = venv.autoreset_mode
    if mode == AutoresetMode.DISABLED and any(ended):
        mask = np.array(ended)
        obs, infos = venv.reset(options={"reset_mask": mask})
        for i in np.flatnonzero(mask):
            s_obs, s_info = singles[i].reset()
            np.testing.assert_array_equal(obs[i], s_obs)
            _assert_same_info(_infos_of(infos, i, _KEYS), s_info)
            ended[i] = False
    obs, rewards, term, trunc, infos = venv.step(actions)
    for i, env in enumerate(singles):
        if mode == AutoresetMode.NEXT_STEP and ended[i]:  # this step resets it
            s_obs, s_info = env.reset()
            s_rew, s_term, s_trunc = 0.0, False, False
        else:
            s_obs, s_rew, s_term, s_trunc, s_info = env.step(actions[i])
        assert s_rew == rewards[i]
        assert (s_term, s_trunc) == (term[i], trunc[i])
        done = s_term or s_trunc
        if done:
            if mode == AutoresetMode.SAME_STEP:
                np.testing.assert_array_equal(infos["final_obs"][i], s_obs)
                np.testing.assert_array_equal(infos["final_info"]["reward_terms"][i], s_info["reward_terms"])
                assert infos["final_info"]["outcome"][i] == s_info["outcome"]
                s_obs, s_info = env.reset()  # continue the seed sequence, as the batch does
            else:
                assert infos["outcome"][i] == s_info["outcome"] and infos["_outcome"][i]
                assert infos["is_success"][i] == s_info["is_success"]
        elif "outcome" in infos:
            assert not infos["_outcome"][i]
        np.testing.assert_array_equal(obs[i], s_obs)
        _assert_same_info(_infos_of(infos, i, _KEYS), {k: v for k, v in s_info.items() if k in _KEYS})
        ended[i] = done


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**63),
    num_envs=st.integers(1, 6),
    time_limit=st.integers(2, 9),
    steps=st.integers(1, 30),
    action_seed=st.integers(0, 2**32 - 1),
    action_mode=st.sampled_from(["box", "multidiscrete"]),
    autoreset=st.sampled_from(list(AutoresetMode)),
    seeding=st.sampled_from(["offset", "sequence", "per-env"]),
)
def test_vector_equals_singles(
    seed: int,
    num_envs: int,
    time_limit: int,
    steps: int,
    action_seed: int,
    action_mode: str,
    autoreset: AutoresetMode,
    seeding: str,
) -> None:
    """Env i of the native vector env plays bit for bit like a single env
    reset with its seed, in every autoreset mode, across episode ends."""
    pkg = short_duel(time_limit)
    kwargs = {"opponent": "random", "action_mode": action_mode, "reward_weights": "dense"}
    venv = TidebreakVectorEnv(
        num_envs,
        pkg,
        autoreset_mode=autoreset,
        seeding="offset" if seeding == "per-env" else seeding,
        **kwargs,
    )
    singles = [TidebreakEnv(pkg, **kwargs) for _ in range(num_envs)]
    if seeding == "per-env":
        rng = np.random.default_rng(seed)
        seeds: list[int | None] = [
            None if rng.random() < 0.3 else int(rng.integers(0, 2**40)) for _ in range(num_envs)
        ]
        obs, infos = venv.reset(seed=seeds)
    else:
        seeds = list(tidebreak.gym.env_seeds(seed, num_envs, seeding))
        obs, infos = venv.reset(seed=seed)
    for i, env in enumerate(singles):
        s_obs, s_info = env.reset(seed=seeds[i])
        np.testing.assert_array_equal(obs[i], s_obs)
        _assert_same_info(_infos_of(infos, i, _KEYS), s_info)
    space = venv.action_space
    space.seed(action_seed)
    ended = [False] * num_envs
    for _ in range(steps):
        actions = space.sample()
        if action_mode == "box":
            actions = actions * 1.5  # out-of-range values are clipped the same way
        _step_singles_and_compare(venv, singles, actions, ended)
    venv.close()
    for env in singles:
        env.close()


def test_set_stage_rebuilds(monkeypatch: pytest.MonkeyPatch) -> None:
    venv = TidebreakVectorEnv(2, "duel")
    venv.reset(seed=0)
    load = tidebreak.scenarios.load
    monkeypatch.setattr(tidebreak.gym.config.scenarios, "load", lambda name: load("duel"))
    venv.set_stage(2)
    assert venv.scenario == "stage2" and venv.stage == 2
    obs, _ = venv.reset(seed=0)
    assert obs.shape == (2, 133)
    venv.close()


def _play_with_lagged_teacher(opponent: str, follow: bool, n: int = 64) -> float:
    """Win rate of the submarine when it does, each step, what its teacher
    advised one step earlier (``follow``) or nothing at all."""
    env = TidebreakVectorEnv(
        n,
        "sub_duel",
        agent_ship="blue-sub",
        opponent=opponent,
        action_mode="multidiscrete",
        teacher="expert",
        autoreset_mode=AutoresetMode.SAME_STEP,
    )
    env.reset(seed=2024)
    action = np.tile(np.array([2, 2, 0, 0, 0], np.int64), (n, 1))  # stop, rudder amidships
    ended = np.zeros(n, bool)
    won = np.zeros(n, bool)
    while not ended.all():
        _, _, terminated, truncated, info = env.step(action)
        advice = env.teacher_actions()
        assert advice.shape == (n, 5) and advice.dtype == np.int64
        assert (advice >= 0).all() and (advice < np.array(env.single_action_space.nvec)).all()
        if follow:
            action = advice.copy()
        first = (terminated | truncated) & ~ended
        if first.any():
            won[first] = info["final_info"]["outcome"][first] == "win"
            ended |= first
    env.close()
    return float(won.mean())


def test_teacher_advice_wins_the_teachers_battles() -> None:
    """Following the expert's advice a step late wins like the expert
    (86 % against the aggressive submarine in balance.md); ignoring it wins
    nothing."""
    assert _play_with_lagged_teacher("aggressive", follow=True) >= 0.7
    assert _play_with_lagged_teacher("idle", follow=True) >= 0.9
    assert _play_with_lagged_teacher("aggressive", follow=False) <= 0.1


def test_teacher_errors() -> None:
    env = TidebreakVectorEnv(2, "duel")
    env.reset(seed=0)
    env.step(np.zeros((2, 7), np.float32))
    with pytest.raises(RuntimeError, match="without teacher="):
        env.teacher_actions()
    env.close()
    with pytest.raises(ValueError, match="teacher must be one of"):
        TidebreakVectorEnv(2, "duel", teacher="idle")  # refused when made, before the library loads
    boxed = TidebreakVectorEnv(2, "duel", teacher="stalker")
    boxed.reset(seed=0)
    boxed.step(np.zeros((2, 7), np.float32))
    advice = boxed.teacher_actions()
    assert advice.shape == (2, 7) and advice.dtype == np.float32
    assert ((advice >= -1) & (advice <= 1)).all()
    boxed.close()
