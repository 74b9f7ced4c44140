"""The SyncVectorEnv-vs-native comparison runs (tiny sizes; no speed claims)."""

from __future__ import annotations

from tidebreak.gym.bench import compare_sync_vs_native


def test_compare_sync_vs_native_small() -> None:
    result = compare_sync_vs_native("Tidebreak/Duel-v0", num_envs=4, steps=5)
    assert result["num_envs"] == 4 and result["steps"] == 5
    assert result["sync_steps_per_s"] > 0 and result["native_steps_per_s"] > 0
    assert result["speedup"] == result["native_steps_per_s"] / result["sync_steps_per_s"]
    multi = compare_sync_vs_native("Tidebreak/Duel-v0", num_envs=2, steps=3, action_mode="multidiscrete")
    assert multi["native_steps_per_s"] > 0


def test_render_cost_small() -> None:
    from tidebreak.gym.bench import render_cost

    result = render_cost("Tidebreak/GunDuel-v0", frames=3, render_view="truth", repeats=1)
    assert result["first_ms"] > 0 and result["frame_ms"] > 0 and result["frames"] == 3


def test_bench_parallel_small() -> None:
    from tidebreak.gym.bench import bench_parallel

    r = bench_parallel("fleet_4v4", steps=4, repeats=2)
    assert r["agents"] == 8 and r["steps"] == 4
    assert r["agent_steps_per_s"] > 0
    assert 0 < r["native_step_ms"] <= r["step_ms"]
    assert r["python_us_per_agent"] >= 0
