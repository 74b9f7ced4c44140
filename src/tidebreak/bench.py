"""``python -m tidebreak.bench``: throughput of the arena through Python.

Prints steps per second for one env and for batches of 1, 16 and 256 envs
(the ``duel`` scenario, corvette under agent control, zero actions), the
single-env overhead above the native tick, the raw cost of one ABI call
(``tb_abi_version``), and Gymnasium's ``SyncVectorEnv`` over 256 single envs
against the native vector env of 256 (random actions, both action modes; best
of 5 interleaved runs each). With ``--cffi-modes`` it also compiles a throw-away
cffi API-mode module against the same library and compares call costs
(needs a C compiler and Python headers).

Numbers depend on the machine and its load: quote them with the command.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from tidebreak import scenarios
from tidebreak.engine import native as _native
from tidebreak.engine.native_env import NativeEnv, NativeVecEnv


def _best_rate(fn: Callable[[], None], calls: int, repeats: int = 3) -> float:
    """Best-of-repeats calls per second."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return calls / best


def bench_abi_call(n: int = 200_000) -> float:
    """Seconds per ``tb_abi_version`` call through cffi's ABI mode."""
    f = _native.lib().tb_abi_version

    def loop() -> None:
        for _ in range(n):
            f()

    return 1 / _best_rate(loop, n)


def bench_single(package: dict[str, Any], steps: int) -> float:
    """Env-steps per second of one NativeEnv."""
    with NativeEnv(package) as env:
        env.reset(seed=1)
        zero = env.zero_actions()

        def loop() -> None:
            for _ in range(steps):
                _, _, term, trunc = env.step(zero)
                if term or trunc:
                    env.reset()

        return _best_rate(loop, steps)


def bench_batch(package: dict[str, Any], num_envs: int, steps: int) -> float:
    """Env-steps per second of a NativeVecEnv of num_envs."""
    with NativeVecEnv(package, num_envs) as venv:
        venv.reset(np.arange(1, num_envs + 1))
        zero = venv.zero_actions()

        def loop() -> None:
            for _ in range(steps):
                venv.step(zero)

        return _best_rate(loop, steps * num_envs)


def bench_native_tick(package: dict[str, Any], steps: int) -> float:
    """Seconds per tick inside the library (a batch of 256 stepped in one call)."""
    n = 256
    rate = bench_batch(package, n, max(1, steps // n))
    return 1 / rate


def bench_cffi_api_mode(n: int = 200_000) -> float | None:
    """Seconds per ``tb_abi_version`` call through a cffi API-mode module, or None."""
    import importlib.util
    import sys

    from cffi import FFI

    lib_path = _native.library_path()
    header = lib_path.parent / "tidebreak.h"
    ffi = FFI()
    ffi.cdef(_native.cdef_from_header(header.read_text(encoding="utf-8")))
    ffi.set_source(
        "_tb_api_bench",
        '#include "tidebreak.h"',
        include_dirs=[str(header.parent)],
        library_dirs=[str(lib_path.parent)],
        libraries=[":" + lib_path.name],
        extra_link_args=[f"-Wl,-rpath,{lib_path.parent}"],
    )
    with tempfile.TemporaryDirectory() as tmp:
        try:
            so = ffi.compile(tmpdir=tmp, verbose=False)
        except Exception as e:  # noqa: BLE001 - report and continue
            print(f"  (API mode unavailable: {e})")
            return None
        spec = importlib.util.spec_from_file_location("_tb_api_bench", so)
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        sys.modules["_tb_api_bench"] = mod
        spec.loader.exec_module(mod)
        f = mod.lib.tb_abi_version

        def loop() -> None:
            for _ in range(n):
                f()

        return 1 / _best_rate(loop, n)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmarks and print a table (or JSON with --json)."""
    parser = argparse.ArgumentParser(prog="python -m tidebreak.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20_000, help="env-steps per measurement")
    parser.add_argument("--cffi-modes", action="store_true", help="also measure a cffi API-mode build")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--no-gym", action="store_true", help="skip the Gymnasium SyncVectorEnv comparison")
    args = parser.parse_args(argv)

    package = scenarios.load("duel", controllers={"corvette": "agent"})
    figures: dict[str, float | None] = {}
    figures["abi_call_us"] = bench_abi_call() * 1e6
    if args.cffi_modes:
        api = bench_cffi_api_mode()
        figures["abi_call_api_mode_us"] = None if api is None else api * 1e6
    native_tick_us = bench_native_tick(package, args.steps * 4) * 1e6
    figures["native_tick_us"] = native_tick_us
    single = bench_single(package, args.steps)
    figures["single_env_steps_per_s"] = single
    figures["single_env_overhead_us"] = (1 / single) * 1e6 - native_tick_us
    for n in (1, 16, 256):
        figures[f"batch_{n}_steps_per_s"] = bench_batch(package, n, max(2, args.steps // n))
    if not args.no_gym:
        from tidebreak.gym.bench import compare_sync_vs_native

        for mode, prefix in (("box", "gym_"), ("multidiscrete", "gym_multidiscrete_")):
            gym_figures = compare_sync_vs_native(
                "Tidebreak/Duel-v0",
                num_envs=256,
                steps=max(100, args.steps // 100),
                repeats=5,
                action_mode=mode,
            )
            for key in ("sync_steps_per_s", "native_steps_per_s", "speedup"):
                figures[prefix + key] = float(gym_figures[key])
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"tidebreak bench — duel, 1 agent, zero actions ({args.steps} env-steps per figure, best of 3)")
    for key, value in figures.items():
        shown = "n/a" if value is None else (f"{value:,.3f}" if value < 100 else f"{value:,.0f}")
        print(f"  {key:32s} {shown}")


if __name__ == "__main__":
    main()
