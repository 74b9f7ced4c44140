"""MorphoSpace bounds over the C ABI: the level cap, the leaf budget, the work of a step, checked loads."""

from __future__ import annotations

import random

import pytest

from tidebreak.engine._native import NativeError
from tidebreak.morphospace import DenseGrid, Universe


def test_max_level_is_capped() -> None:
    with pytest.raises(NativeError, match="MaxLevel 20 is outside"):
        Universe(size=(10000, 10000), depth=100, max_level=20)


def test_whole_world_stamp_at_the_deepest_level_ends_within_the_budget() -> None:
    with Universe(size=(10000, 10000), depth=100, max_level=16, max_leaves=20000) as u:
        u.stamp("noise", "box", box=(0, 0, 0, 10000, 10000, 100), value=150, falloff="linear")
        assert u.leaves("noise") <= 20000


def test_steps_too_long_are_refused_unchanged() -> None:
    with Universe(size=(1000, 1000), depth=100, bands=2, max_level=6) as u:
        u.stamp("noise", "sphere", center=(500, 500, 50), radius=200, value=150, falloff="smooth")
        before = u.hash()
        with pytest.raises(NativeError, match="take shorter steps"):
            u.step(1e300)
        assert u.hash() == before
    g = DenseGrid({"name": "x", "min": 0, "max": 1, "default": 0, "diffusion": 1}, (4, 64, 64), (1, 1, 1))
    with pytest.raises(NativeError, match="more than"):
        g.step(1.0, repeat=2**31 - 1)


def test_damaged_saves_are_refused() -> None:
    with Universe(size=(1000, 1000), depth=100, bands=2, max_level=5) as u:
        u.stamp("noise", "sphere", center=(400, 500, 50), radius=150, value=120, falloff="smooth")
        blob = u.save()
        with Universe(size=(1000, 1000), depth=100, bands=2, max_level=5) as v:
            before = v.hash()
            rng = random.Random(1)
            for _ in range(300):
                bad = bytearray(blob)
                bit = rng.randrange(8 * len(bad))
                bad[bit // 8] ^= 1 << (bit % 8)
                with pytest.raises(NativeError) as e:
                    v.load(bytes(bad))
                assert e.value.status == "TB_ERR_INVALID"
            assert v.hash() == before
            v.load(blob)
            assert v.hash() == u.hash()
        with Universe(size=(1000, 1001), depth=100, bands=2, max_level=5) as other:
            with pytest.raises(NativeError, match="another geometry"):
                other.load(blob)
