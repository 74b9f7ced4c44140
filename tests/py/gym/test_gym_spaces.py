"""Spaces and action codecs, built without the native library."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from tidebreak.engine import layout
from tidebreak.gym import spaces as tspaces


def test_spaces_do_not_load_the_library() -> None:
    code = """
import gymnasium, tidebreak.gym, tidebreak.engine._native as native
for env_id in tidebreak.gym.available_ids():
    env = gymnasium.make(env_id, action_mode="multidiscrete")
    env.observation_space, env.action_space
venv = gymnasium.make_vec("Tidebreak/Duel-v0", num_envs=4, vectorization_mode="vector_entry_point")
venv.single_observation_space, venv.single_action_space
from tidebreak.gym import parallel_env
pz = parallel_env(scenario="duel")
pz.observation_space("corvette"), pz.action_space("corvette")
assert not native.is_loaded(), "spaces loaded the library"
env.reset(seed=0)
assert native.is_loaded()
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_observation_space_follows_layout() -> None:
    for k in (1, 8, 16):
        space = tspaces.observation_space(k)
        assert space.shape == (layout.obs_size(k),) and space.dtype == np.float32
        names = layout.obs_names(k)
        lo, hi = space.low, space.high
        assert lo[names.index("own.x")] == -1 and hi[names.index("own.x")] == 1
        assert lo[names.index("own.hp")] == 0 and hi[names.index("own.hp")] == 1
        assert lo[names.index("track0.range")] == 0 and hi[names.index("track0.range")] == 1
        assert lo[names.index("track0.closing_speed")] == -1
        assert lo[names.index("context.time_left")] == 0
        assert np.isfinite(lo).all() and np.isfinite(hi).all()


def test_box_codec_clips() -> None:
    codec = tspaces.make_codec("box")
    out = np.zeros((2, 7), np.float32)
    codec.to_native([[2, -3, 0.5, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 1]], out)
    assert out[0].tolist() == [1, -1, 0.5, 0, 0, 0, 0]
    assert codec.space().shape == (7,)


def test_multidiscrete_codec_maps_choices() -> None:
    codec = tspaces.make_codec("multidiscrete")
    assert codec.space().nvec.tolist() == [5, 5, 4, 3, 2]
    out = np.zeros((4, 7), np.float32)
    codec.to_native([[4, 0, 0, 0, 0], [2, 2, 1, 1, 1], [0, 4, 2, 2, 0], [3, 1, 3, 0, 0]], out)
    np.testing.assert_array_equal(
        out,
        [
            [1, -1, 0, 0, 0, 0, 0],
            [0, 0, 1, 0, 0, 1, 1],
            [-1, 1, 0, 1, 0, -1, 0],
            [0.5, -0.5, 0, 0, 1, 0, 0],
        ],
    )
    with pytest.raises(ValueError, match="out of range"):
        codec.to_native([[5, 0, 0, 0, 0]], np.zeros((1, 7), np.float32))


def test_multidiscrete_mask_flattening() -> None:
    codec = tspaces.make_codec("multidiscrete")
    native = np.zeros((2, layout.MASK_SIZE), np.float32)
    native[1] = 1
    native[0, layout.MASK_NAMES.index("dive")] = 1
    mask = codec.mask(native)
    assert mask.shape == (2, 19) and mask.dtype == bool
    assert mask[1].all()
    # throttle and rudder bins, "none", "hold", "no ping" are always legal
    expected = [True] * 10 + [True, False, False, False] + [True, True, False] + [True, False]
    assert mask[0].tolist() == expected


def test_unknown_action_mode() -> None:
    with pytest.raises(ValueError, match="action_mode"):
        tspaces.make_codec("continuous")


def test_multidiscrete_space_mask_is_per_dimension_int8() -> None:
    codec = tspaces.make_codec("multidiscrete")
    native = np.zeros((2, layout.MASK_SIZE), np.float32)
    native[1] = 1
    native[0, layout.MASK_NAMES.index("surface")] = 1
    masks = codec.space_mask(native)
    assert [m.shape for m in masks] == [(2, 5), (2, 5), (2, 4), (2, 3), (2, 2)]
    assert all(m.dtype == np.int8 for m in masks)
    assert [m[0].tolist() for m in masks[2:]] == [[1, 0, 0, 0], [1, 0, 1], [1, 0]]
    assert all(m[1].all() for m in masks)
    np.testing.assert_array_equal(np.concatenate(masks, axis=1).astype(bool), codec.mask(native))
    space = codec.space()
    space.seed(0)
    samples = np.stack([space.sample(mask=tuple(m[0] for m in masks)) for _ in range(50)])
    assert set(samples[:, 2]) == {0} and set(samples[:, 3]) <= {0, 2} and set(samples[:, 4]) == {0}
    assert len(set(samples[:, 0])) > 1, "throttle bins stay free"


def test_box_has_legal_choices_but_no_mask() -> None:
    codec = tspaces.make_codec("box")
    native = np.ones((3, layout.MASK_SIZE), np.float32)
    native[:, 0] = 0
    assert codec.space_mask(native) is None
    legal = codec.legal(native)
    assert legal.dtype == bool and legal.shape == (3, 6) and not legal[:, 0].any() and legal[:, 1:].all()
    assert tspaces.LEGAL_CHOICE_NAMES == layout.MASK_NAMES
    with pytest.raises(ValueError, match=r"action_mode='box' has no action mask"):
        codec.mask(native)


def test_codecs_refuse_wrong_shapes() -> None:
    for mode, good in (("box", np.zeros(7, np.float32)), ("multidiscrete", np.zeros(5, np.int64))):
        codec = tspaces.make_codec(mode)
        assert codec.check(good).shape == good.shape
        assert codec.check(np.stack([good] * 3), 3).shape == (3, *good.shape)
        with pytest.raises(
            ValueError, match=rf"action has shape \(1, {good.size}\); .* takes shape \({good.size},\)"
        ):
            codec.check(good[None])
        with pytest.raises(
            ValueError, match=rf"actions has shape \(2, {good.size}\); .* × 3 envs take shape"
        ):
            codec.check(np.stack([good] * 2), 3)
        with pytest.raises(ValueError, match="actions has shape"):
            codec.to_native(np.stack([good] * 2), np.zeros((3, 7), np.float32))


def test_batched_multidiscrete_samples_with_per_dimension_masks() -> None:
    codec = tspaces.make_codec("multidiscrete")
    space = codec.batch_space(3)
    assert isinstance(space, tspaces.BatchedMultiDiscrete) and space.shape == (3, 5)
    native = np.zeros((3, layout.MASK_SIZE), np.float32)
    native[2] = 1
    masks = codec.space_mask(native)
    space.seed(1)
    draws = np.stack([space.sample(mask=masks) for _ in range(40)])
    assert (draws[:, :2, 2:] == 0).all(), "envs 0 and 1 may only hold: no fire, layer or ping"
    assert (draws[:, 2, 2:] != 0).any(), "env 2 may do anything"
    nested = tuple(tuple(m[i] for m in masks) for i in range(3))
    assert space.contains(space.sample(mask=nested)), "Gymnasium's nested form still works"


def test_multidiscrete_from_native_inverts_to_native() -> None:
    """Every choice combination survives the trip to the native vector and back."""
    codec = tspaces.MultiDiscreteActions()
    grid = np.indices(codec.nvec).reshape(len(codec.nvec), -1).T
    native = np.zeros((len(grid), 7), np.float32)
    codec.to_native(grid, native)
    np.testing.assert_array_equal(codec.from_native(native), grid)
    # off-bin commands go to the nearest bin and by the native thresholds
    odd = np.array([[0.3, -0.8, 0, 0, 0.2, 0.4, -0.1], [-0.2, 0.74, 0.5, 0, 0, -0.6, 0.01]], np.float32)
    assert codec.from_native(odd).tolist() == [[3, 0, 3, 0, 0], [2, 3, 1, 2, 1]]
