"""``python -m tidebreak.morphospace.bench``: MorphoSpace against numpy.

1. Dense: the same explicit diffusion + exponential decay + clamp stencil
   (7-point, zero-flux boundaries) on a 256×256×4 grid of 10 m cells,
   D = 1 m²/s, decay 0.1/s, dt = 10 s (one sub-step), stepped by MorphoSpace
   through the ABI (``DenseGrid.step(dt, repeat)``, one call) and by a plain
   vectorised numpy implementation. Reports cell-updates per second and
   checks that both give the same field.
2. Sparse: a 1024×1024×8 world (10 m cells) and a 4096×4096×8 world, each
   with the same 20 smooth noise stamps; reports leaves and ms per 0.1 s step,
   and a 1024² world with stamps of twice the radius (about 4× the refined
   area): step time follows the refined volume, not the world size.

Numbers depend on the machine and its load: quote them with the command.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from tidebreak.morphospace import DenseGrid, Universe

SPEC: dict[str, Any] = {"name": "noise", "min": 0, "max": 200, "default": 60, "diffusion": 1, "decay": 0.1}
SHAPE = (4, 256, 256)
CELL = 10.0
DT = 10.0


def initial() -> npt.NDArray[np.float64]:
    """The benchmark's starting field: 60 + (i mod 101) over the flat index."""
    return (60.0 + np.arange(int(np.prod(SHAPE))) % 101).reshape(SHAPE).astype(np.float64)


def numpy_step(u: npt.NDArray[np.float64], tmp: npt.NDArray[np.float64], dt: float) -> None:
    """One step in place: diffusion sub-steps, exact decay, clamp (as ``morphospace.Grid``)."""
    d, k, lo, hi, default = SPEC["diffusion"], SPEC["decay"], SPEC["min"], SPEC["max"], SPEC["default"]
    rate = sum(2 * d / CELL**2 for n in SHAPE if n > 1)
    steps = max(1, int(np.ceil(dt * rate)))
    r = d * (dt / steps) / CELL**2
    for _ in range(steps):
        np.copyto(tmp, u)
        # Neighbour differences along each axis; missing neighbours at the
        # walls contribute nothing (zero flux).
        for axis in range(3):
            n = u.shape[axis]
            if n < 2:
                continue
            lo_sl = [slice(None)] * 3
            hi_sl = [slice(None)] * 3
            lo_sl[axis], hi_sl[axis] = slice(0, n - 1), slice(1, n)
            diff = u[tuple(hi_sl)] - u[tuple(lo_sl)]
            diff *= r
            tmp[tuple(lo_sl)] += diff
            tmp[tuple(hi_sl)] -= diff
        np.copyto(u, tmp)
    fac = np.exp(-k * dt)
    u -= default
    u *= fac
    u += default
    np.clip(u, lo, hi, out=u)


def _best(fn: Callable[[], object], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bench_dense(steps: int = 50) -> dict[str, float]:
    cells = float(np.prod(SHAPE))
    grid = DenseGrid(SPEC, SHAPE, (CELL, CELL, CELL))
    grid.values = initial()
    t_ms = _best(lambda: grid.step(DT, steps))
    u, tmp = initial(), np.empty(SHAPE)

    def run_numpy() -> None:
        for _ in range(steps):
            numpy_step(u, tmp, DT)

    t_np = _best(run_numpy)
    # Same scheme, same result (to rounding): compare one fresh step each.
    grid.values = initial()
    grid.step(DT, 1)
    ref = initial()
    numpy_step(ref, tmp, DT)
    err = float(np.max(np.abs(grid.values - ref)))
    grid.close()
    return {
        "morphospace_cell_updates_s": cells * steps / t_ms,
        "numpy_cell_updates_s": cells * steps / t_np,
        "speedup": t_np / t_ms,
        "max_abs_diff": err,
    }


def sparse_world(level: int, radius: float = 40.0) -> Universe:
    n = float(1 << level)
    u = Universe(size=(10 * n, 10 * n), depth=80, bands=8, max_level=level)
    for i in range(20):
        c = (500.0 + i * 4567 % 9000, 500.0 + i * 7919 % 9000, 10.0 + i * 13 % 60)
        u.stamp("noise", "sphere", center=c, radius=radius, value=120, falloff="smooth", inner=0.3)
    return u


def bench_sparse(steps: int = 20) -> list[dict[str, float]]:
    rows = []
    for level, radius in ((10, 40.0), (12, 40.0), (10, 80.0)):
        u = sparse_world(level, radius)
        leaves = u.leaves("noise")
        u.step(0.1)  # warm: builds the face lists

        def run(u: Universe = u) -> None:
            for _ in range(steps):
                u.step(0.1)

        t = _best(run, repeats=2) / steps
        rows.append(
            {"cells": float(1 << level), "radius": radius, "leaves": float(leaves), "ms_per_step": t * 1e3}
        )
        u.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--steps", type=int, default=50, help="dense steps per timing (default 50)")
    args = ap.parse_args(argv)
    d = bench_dense(args.steps)
    print(f"dense 256x256x4 diffusion+decay stencil, dt={DT:g} s, {args.steps} steps")
    print(f"  morphospace (ABI, DenseGrid): {d['morphospace_cell_updates_s']:.3e} cell-updates/s")
    print(f"  numpy (vectorised):           {d['numpy_cell_updates_s']:.3e} cell-updates/s")
    print(f"  speedup: {d['speedup']:.1f}x   max |difference| after one step: {d['max_abs_diff']:.1e}")
    print("sparse worlds, 20 smooth noise stamps, 0.1 s steps (warm)")
    for r in bench_sparse():
        n = int(r["cells"])
        print(
            f"  {n}x{n}x8 cells, stamp radius {r['radius']:g} m: {int(r['leaves'])} leaves, {r['ms_per_step']:.2f} ms/step"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
