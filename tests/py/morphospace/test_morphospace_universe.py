"""tidebreak.morphospace.Universe over the C ABI: API, errors and the
package's properties (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidebreak.engine._native import NativeError
from tidebreak.morphospace import DenseGrid, Universe

SIZE = 1000.0
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def make(level: int = 5) -> Universe:
    return Universe(size=(SIZE, SIZE), depth=100, bands=2, max_level=level)


coord = st.floats(min_value=50, max_value=950)
radius = st.floats(min_value=20, max_value=300)
stamps = st.lists(
    st.tuples(coord, coord, st.floats(0, 100), radius, st.floats(0, 200)), min_size=1, max_size=5
)


def apply(u: Universe, field: str, ss: list[tuple[float, float, float, float, float]]) -> None:
    for x, y, z, r, v in ss:
        u.stamp(
            field, "sphere", center=(x, y, z), radius=r, value=v, blend="max", falloff="smooth", inner=0.2
        )


def test_defaults_queries_and_shapes() -> None:
    with make() as u:
        assert u.num_fields == 8
        assert u.at("noise", 10, 10, 10) == 60.0  # never written reads the default, not 0
        u.stamp("noise", "box", box=(0, 0, 0, 500, 500, 100), value=100)
        u.stamp("smoke", "capsule", a=(100, 100, 10), b=(900, 900, 10), radius=50, value=0.5, blend="add")
        pts = np.array([[100, 100, 10], [900, 900, 90]], float)
        assert list(u.point("noise", pts)) == [100.0, 60.0]
        assert u.point("noise", (1, 2, 3)).shape == ()
        assert u.volume("noise", (0, 0, 0, 1000, 1000, 100)) == pytest.approx(70.0)
        fov = u.foveate("noise", (500, 500, 10), heading=0.0, shells=[100, 400], sectors=4)
        assert fov.shape == (2, 4) and fov.min() >= 60 and fov.max() <= 100
        assert u.leaves("noise") > 1 and u.total("noise") > 0
        oil = u.add_field({"name": "oil", "min": 0, "max": 1, "default": 0.25, "diffusion": 1})
        assert u.field("oil") == oil == 8 and u.at(oil, 5, 5, 5) == 0.25


def test_errors_are_native_errors() -> None:
    u = make()
    with pytest.raises(NativeError, match="unknown field"):
        u.field("nope")
    with pytest.raises(NativeError, match="duplicate"):
        u.add_field({"name": "noise", "min": 0, "max": 1, "default": 0})
    with pytest.raises(NativeError, match="field id 99"):
        u.leaves(99)
    with pytest.raises(NativeError, match="radius"):
        u.stamp("noise", "sphere", center=(1, 1, 1), radius=-1, value=1)
    with pytest.raises(NativeError, match="dt"):
        u.step(float("nan"))
    with pytest.raises(NativeError) as e:
        Universe(size=(0, 1), depth=1)
    assert e.value.status == "TB_ERR_INVALID"
    with pytest.raises(NativeError) as e:
        u.foveate("noise", (1, 1, 1), 0.0, shells=[5, 1], sectors=2)
    assert e.value.status == "TB_ERR_ARG"
    u.close()
    with pytest.raises(NativeError) as e:
        u.step(1.0)
    assert e.value.status == "TB_ERR_HANDLE"


def test_save_load_roundtrip() -> None:
    a, b = make(), make()
    apply(a, "noise", [(300, 300, 10, 100, 150), (700, 200, 60, 50, 120)])
    a.step(1.0)
    b.load(a.save())
    assert a.hash() == b.hash()
    a.step(1.0)
    b.step(1.0)
    assert a.hash() == b.hash()
    with pytest.raises(NativeError):
        b.load(b"garbage")


@SETTINGS
@given(stamps, st.integers(1, 6))
def test_leaves_never_grow_without_stamps(ss: list[tuple[float, float, float, float, float]], n: int) -> None:
    with make() as u:
        apply(u, "noise", ss)
        before = u.leaves("noise")
        for _ in range(n):
            u.step(0.5)
            now = u.leaves("noise")
            assert now <= before
            before = now


@SETTINGS
@given(stamps, st.floats(0.1, 5))
def test_diffusion_conserves_mass(ss: list[tuple[float, float, float, float, float]], dt: float) -> None:
    spec = {"name": "dye", "min": 0, "max": 1000, "default": 0, "diffusion": 40}
    with Universe(size=(SIZE, SIZE), depth=100, bands=2, max_level=5, fields=[spec], builtin=False) as u:
        apply(u, "dye", ss)
        m0 = u.total("dye")
        for _ in range(3):
            u.step(dt)
        assert u.total("dye") == pytest.approx(m0, rel=1e-9)


@SETTINGS
@given(stamps, st.floats(0.05, 3))
def test_decay_monotone_toward_default(ss: list[tuple[float, float, float, float, float]], dt: float) -> None:
    merge_tol = 0.05
    spec = {
        "name": "heat",
        "min": 0,
        "max": 200,
        "default": 60,
        "decay": 0.4,
        "split_tol": 0.2,
        "merge_tol": merge_tol,
    }
    with Universe(size=(SIZE, SIZE), depth=100, bands=2, max_level=5, fields=[spec], builtin=False) as u:
        apply(u, "heat", ss)
        pts = np.array([[x, y, z] for x, y, z, _, _ in ss] + [[500, 500, 50]], float)
        dev = np.abs(u.point("heat", pts) - 60)
        for _ in range(4):
            u.step(dt)
            now = np.abs(u.point("heat", pts) - 60)
            # Pointwise toward the default, up to the averaging of a merge.
            assert np.all(now <= dev + merge_tol)
            dev = now


@SETTINGS
@given(coord, coord, st.floats(20, 80), st.floats(0, 40), st.floats(100, 200))
def test_stamp_then_query_inside_outside(x: float, y: float, z: float, half: float, v: float) -> None:
    with make(level=6) as u:
        h = half + 40  # wider than a finest cell (1000/64 ≈ 16 m)
        u.stamp("noise", "box", box=(x - h, y - h, 0, x + h, y + h, 100), value=v)
        assert u.at("noise", x, y, z) == v  # inside (the cell at the centre lies wholly inside)
        far = (x + 500) % 1000
        assert u.at("noise", far, (y + 500) % 1000, z) == 60.0  # outside reads the default


@SETTINGS
@given(stamps)
def test_same_inputs_same_hash(ss: list[tuple[float, float, float, float, float]]) -> None:
    hashes = set()
    for _ in range(2):
        with make() as u:
            apply(u, "noise", ss)
            u.step(1.0)
            hashes.add(u.hash())
    assert len(hashes) == 1


def test_dense_grid_matches_numpy() -> None:
    from tidebreak.morphospace.bench import numpy_step

    spec = {"name": "noise", "min": 0, "max": 200, "default": 60, "diffusion": 1, "decay": 0.1}
    rng = np.random.default_rng(1)
    init = 60 + 100 * rng.random((4, 256, 256))
    with DenseGrid(spec, init.shape, (10, 10, 10)) as g:
        g.values = init
        g.step(10.0, repeat=3)
        ref, tmp = init.copy(), np.empty_like(init)
        for _ in range(3):
            numpy_step(ref, tmp, 10.0)
        np.testing.assert_allclose(g.values, ref, atol=1e-9)
        with pytest.raises(NativeError):
            g.values = np.full(init.shape, 500.0)
