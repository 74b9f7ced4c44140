"""``python -m tidebreak.bench`` runs and reports every figure (tiny sizes; no speed claims)."""

from __future__ import annotations

import json

import pytest

from tidebreak import bench


def test_bench_reports_every_figure_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    bench.main(["--steps", "256", "--json", "--no-gym"])
    figures = json.loads(capsys.readouterr().out)
    expected = {"abi_call_us", "native_tick_us", "single_env_steps_per_s", "single_env_overhead_us"}
    expected |= {f"batch_{n}_steps_per_s" for n in (1, 16, 256)}
    assert set(figures) == expected
    assert all(figures[k] > 0 for k in expected - {"single_env_overhead_us"})
    # The overhead is the single-env step time (µs) minus the native tick.
    step_us = 1e6 / figures["single_env_steps_per_s"]
    assert figures["single_env_overhead_us"] == pytest.approx(step_us - figures["native_tick_us"])


def test_bench_table_names_its_settings(capsys: pytest.CaptureFixture[str]) -> None:
    bench.main(["--steps", "256", "--no-gym"])
    out = capsys.readouterr().out
    assert out.startswith("tidebreak bench — duel")
    assert "batch_256_steps_per_s" in out
