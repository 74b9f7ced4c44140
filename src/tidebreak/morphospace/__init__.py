"""MorphoSpace from Python: sparse environment fields over the C ABI.

:class:`Universe` wraps one ``go/morphospace`` Space (``tb_ms_*`` in
``tidebreak.h``): fields registered from JSON-able specs, stamps (sphere, box,
capsule; set/add/subtract/multiply/max/min/lerp; hard/linear/smooth falloff),
propagation steps, point/volume/foveated queries returning numpy arrays, leaf
counts and the canonical state hash. :class:`DenseGrid` is the dense
diffusion + decay stencil (``morphospace.Grid``). Errors raise
:class:`tidebreak.NativeError` with the library's message.

>>> from tidebreak.morphospace import Universe
>>> u = Universe(size=(4000, 4000), depth=200, bands=4, max_level=8)
>>> u.stamp("noise", "sphere", center=(2000, 2000, 10), radius=100, value=140, blend="max",
...         falloff="smooth", inner=0.3)
>>> u.step(1.0)
>>> float(u.at("noise", 2000, 2000, 10)) > 100, float(u.at("noise", 100, 100, 10))
(True, 60.0)
>>> u.foveate("noise", (2200, 2000, 10), heading=3.14159, shells=[200, 600], sectors=8).shape
(2, 8)
>>> u.close()
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from tidebreak.engine import native as _native
from tidebreak.engine.native import NativeError

__all__ = ["BLENDS", "FALLOFFS", "SHAPES", "DenseGrid", "NativeError", "Universe"]

SHAPES = {"sphere": 0, "box": 1, "capsule": 2}
"""Stamp shapes and their ABI codes (TB_MS_SPHERE, …)."""
BLENDS = {"set": 0, "add": 1, "subtract": 2, "multiply": 3, "max": 4, "min": 5, "lerp": 6}
"""Blend modes and their ABI codes."""
FALLOFFS = {"hard": 0, "linear": 1, "smooth": 2}
"""Falloff kinds and their ABI codes."""

Field = int | str
Spec = dict[str, Any]


def _doubles(values: Any, name: str) -> npt.NDArray[np.float64]:
    arr = np.ascontiguousarray(values, dtype=np.float64)
    if arr.ndim == 0:
        raise ValueError(f"{name} must be a sequence of numbers")
    return arr


def _ptr(arr: npt.NDArray[Any]) -> Any:
    return _native.ffi.cast("double *", _native.ffi.from_buffer(arr))


class Universe:
    """One MorphoSpace world of ``size[0] × size[1] × depth`` metres.

    ``fields`` registers extra field specs (dicts as in docs/morphospace.md)
    after the built-in fields (or instead of them with ``builtin=False``).
    Fields are addressed by name or id. ``max_level`` is at most 16;
    ``max_leaves`` bounds the leaves of all fields together (0: 2**20), and
    with it the memory and the work of every stamp (docs/morphospace.md,
    "Bounds").
    """

    def __init__(
        self,
        size: Sequence[float] = (4000.0, 4000.0),
        depth: float = 200.0,
        bands: int = 1,
        max_level: int = 8,
        fields: Iterable[Spec] | None = None,
        builtin: bool = True,
        max_leaves: int = 0,
    ) -> None:
        self._handle = 0
        self._lib = _native.lib()
        config: dict[str, Any] = {
            "size_x": float(size[0]),
            "size_y": float(size[1]),
            "depth": float(depth),
            "bands": int(bands),
            "max_level": int(max_level),
            "max_leaves": int(max_leaves),
            "builtin": bool(builtin),
        }
        if fields is not None:
            config["fields"] = list(fields)
        raw = json.dumps(config).encode()
        out = _native.ffi.new("uint64_t *")
        _native.check("tb_ms_create", self._lib.tb_ms_create(raw, len(raw), out))
        self._handle = int(out[0])
        self._ids: dict[str, int] = {}

    # lifecycle -------------------------------------------------------------

    def close(self) -> None:
        """Free the universe; later calls raise NativeError (TB_ERR_HANDLE)."""
        if self._handle:
            _native.check("tb_ms_destroy", self._lib.tb_ms_destroy(self._handle))
            self._handle = 0

    def __enter__(self) -> Universe:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            if self._handle and _native.is_loaded():
                self._lib.tb_ms_destroy(self._handle)
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    # fields ----------------------------------------------------------------

    def field(self, name: Field) -> int:
        """The id of a field given by name (ids pass through)."""
        if isinstance(name, int):
            return name
        if name not in self._ids:
            out = _native.ffi.new("int32_t *")
            raw = name.encode()
            _native.check("tb_ms_field", self._lib.tb_ms_field(self._handle, raw, len(raw), out))
            self._ids[name] = int(out[0])
        return self._ids[name]

    def add_field(self, spec: Spec | str) -> int:
        """Register a field from a spec dict (or its JSON) and return its id."""
        raw = (spec if isinstance(spec, str) else json.dumps(spec)).encode()
        out = _native.ffi.new("int32_t *")
        _native.check("tb_ms_add_field", self._lib.tb_ms_add_field(self._handle, raw, len(raw), out))
        return int(out[0])

    @property
    def num_fields(self) -> int:
        out = _native.ffi.new("int32_t *")
        _native.check("tb_ms_num_fields", self._lib.tb_ms_num_fields(self._handle, out))
        return int(out[0])

    # writing ---------------------------------------------------------------

    def stamp(
        self,
        field: Field,
        shape: str = "sphere",
        *,
        value: float,
        center: Sequence[float] | None = None,
        radius: float | None = None,
        box: Sequence[float] | None = None,
        a: Sequence[float] | None = None,
        b: Sequence[float] | None = None,
        blend: str = "set",
        alpha: float = 0.0,
        falloff: str = "hard",
        inner: float = 0.0,
    ) -> None:
        """Apply one stamp.

        ``sphere`` takes ``center`` (x, y, z) and ``radius``; ``box`` takes
        ``box`` = (min_x, min_y, min_z, max_x, max_y, max_z); ``capsule``
        takes end points ``a``, ``b`` and ``radius``.
        """
        if shape not in SHAPES:
            raise ValueError(f"shape must be one of {sorted(SHAPES)}, not {shape!r}")
        if blend not in BLENDS:
            raise ValueError(f"blend must be one of {sorted(BLENDS)}, not {blend!r}")
        if falloff not in FALLOFFS:
            raise ValueError(f"falloff must be one of {sorted(FALLOFFS)}, not {falloff!r}")
        params: list[float]
        if shape == "sphere":
            if center is None or radius is None:
                raise ValueError("a sphere needs center and radius")
            params = [*center, radius]
        elif shape == "box":
            if box is None:
                raise ValueError("a box needs box=(min_x, min_y, min_z, max_x, max_y, max_z)")
            params = list(box)
        else:
            if a is None or b is None or radius is None:
                raise ValueError("a capsule needs a, b and radius")
            params = [*a, *b, radius]
        arr = _doubles(params, "params")
        rc = self._lib.tb_ms_stamp(
            self._handle,
            self.field(field),
            SHAPES[shape],
            _ptr(arr),
            arr.size,
            float(value),
            BLENDS[blend],
            float(alpha),
            FALLOFFS[falloff],
            float(inner),
        )
        _native.check("tb_ms_stamp", rc)

    def step(self, dt: float) -> None:
        """Propagate every field by ``dt`` seconds (diffusion, advection, decay)."""
        _native.check("tb_ms_step", self._lib.tb_ms_step(self._handle, float(dt)))

    # reading ---------------------------------------------------------------

    def point(self, field: Field, xyz: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Values at points: ``xyz`` has shape (3,) or (N, 3); returns () or (N,)."""
        pts = _doubles(xyz, "xyz")
        single = pts.ndim == 1
        pts = pts.reshape(-1, 3) if pts.size % 3 == 0 else pts
        if pts.ndim != 2 or pts.shape[1] != 3:
            raise ValueError(f"xyz must have shape (3,) or (N, 3), not {np.shape(xyz)}")
        pts = np.ascontiguousarray(pts)
        out = np.empty(pts.shape[0], np.float64)
        rc = self._lib.tb_ms_point(
            self._handle, self.field(field), _ptr(pts), pts.shape[0], _ptr(out), out.size
        )
        _native.check("tb_ms_point", rc)
        return out.reshape(()) if single else out

    def at(self, field: Field, x: float, y: float, z: float) -> float:
        """The value at one point."""
        return float(self.point(field, (x, y, z)))

    def volume(
        self, field: Field, box: Sequence[float], variance: float = 0.0, min_size: float = 0.0
    ) -> float:
        """Volume-weighted mean over ``box`` (min_x, min_y, min_z, max_x, max_y, max_z)."""
        arr = _doubles(box, "box")
        if arr.size != 6:
            raise ValueError("box must hold 6 numbers")
        out = _native.ffi.new("double *")
        rc = self._lib.tb_ms_volume(
            self._handle, self.field(field), _ptr(arr), float(variance), float(min_size), out
        )
        _native.check("tb_ms_volume", rc)
        return float(out[0])

    def foveate(
        self, field: Field, position: Sequence[float], heading: float, shells: Sequence[float], sectors: int
    ) -> npt.NDArray[np.float64]:
        """Shells × sectors means around ``position`` (x, y, z); sector 0 looks along ``heading``."""
        pose = _doubles([*position, heading], "pose")
        if pose.size != 4:
            raise ValueError("position must be (x, y, z)")
        sh = _doubles(shells, "shells")
        out = np.empty((sh.size, int(sectors)), np.float64)
        rc = self._lib.tb_ms_foveate(
            self._handle, self.field(field), _ptr(pose), _ptr(sh), sh.size, int(sectors), _ptr(out), out.size
        )
        _native.check("tb_ms_foveate", rc)
        return out

    def leaves(self, field: Field) -> int:
        """Number of leaves of the field's tree."""
        out = _native.ffi.new("int64_t *")
        _native.check("tb_ms_leaves", self._lib.tb_ms_leaves(self._handle, self.field(field), out))
        return int(out[0])

    def total(self, field: Field) -> float:
        """Integral of the field over the world (value × m³)."""
        out = _native.ffi.new("double *")
        _native.check("tb_ms_total", self._lib.tb_ms_total(self._handle, self.field(field), out))
        return float(out[0])

    def hash(self) -> int:
        """The canonical 64-bit state hash (FNV-1a, see docs/morphospace.md)."""
        out = _native.ffi.new("uint64_t *")
        _native.check("tb_ms_hash", self._lib.tb_ms_hash(self._handle, out))
        return int(out[0])

    def save(self) -> bytes:
        """The field state as bytes (load it into a universe with the same fields)."""
        blob, length = _native.ffi.new("uint64_t *"), _native.ffi.new("int64_t *")
        _native.check("tb_ms_save", self._lib.tb_ms_save(self._handle, blob, length))
        return _native.take_blob(int(blob[0]), int(length[0]))

    def load(self, state: bytes) -> None:
        """Restore field state written by :meth:`save`."""
        _native.check("tb_ms_load", self._lib.tb_ms_load(self._handle, state, len(state)))


class DenseGrid:
    """One field on a dense ``nx × ny × nz`` block with the 7-point
    diffusion + decay stencil (the fast path for fully refined regions).

    ``values`` are read and written as float64 arrays of shape (nz, ny, nx).
    """

    def __init__(self, spec: Spec, shape: Sequence[int], cell: Sequence[float]) -> None:
        self._handle = 0
        self._lib = _native.lib()
        nz, ny, nx = (int(v) for v in shape)
        self.shape = (nz, ny, nx)
        raw = json.dumps(spec).encode()
        c = _doubles(cell, "cell")
        if c.size != 3:
            raise ValueError("cell must be (dx, dy, dz)")
        out = _native.ffi.new("uint64_t *")
        _native.check(
            "tb_ms_grid_create", self._lib.tb_ms_grid_create(raw, len(raw), nx, ny, nz, _ptr(c), out)
        )
        self._handle = int(out[0])
        self._buf = np.empty(self.shape, np.float64)

    def close(self) -> None:
        if self._handle:
            _native.check("tb_ms_grid_destroy", self._lib.tb_ms_grid_destroy(self._handle))
            self._handle = 0

    def __enter__(self) -> DenseGrid:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def values(self) -> npt.NDArray[np.float64]:
        """A copy of the cells, shape (nz, ny, nx)."""
        _native.check(
            "tb_ms_grid_get", self._lib.tb_ms_grid_get(self._handle, _ptr(self._buf), self._buf.size)
        )
        return self._buf.copy()

    @values.setter
    def values(self, v: npt.ArrayLike) -> None:
        arr = np.ascontiguousarray(np.broadcast_to(np.asarray(v, np.float64), self.shape))
        _native.check("tb_ms_grid_set", self._lib.tb_ms_grid_set(self._handle, _ptr(arr), arr.size))

    def step(self, dt: float, repeat: int = 1) -> int:
        """Run ``repeat`` steps of ``dt`` in one call; returns the diffusion sub-steps taken."""
        out = _native.ffi.new("int64_t *")
        _native.check("tb_ms_grid_step", self._lib.tb_ms_grid_step(self._handle, float(dt), int(repeat), out))
        return int(out[0])
