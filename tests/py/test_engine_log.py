"""The engine's log reaches Python's logging (tidebreak.engine.*), at no per-step cost when empty."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from typing import Any

import pytest

import tidebreak
from tidebreak.engine import _native, log
from tidebreak.morphospace import Universe


@pytest.fixture
def engine_log() -> Iterator[None]:
    """Restore the engine's log settings after a test changes them."""
    yield
    log.configure(level=logging.INFO, slow_call_s=log.DEFAULT_SLOW_CALL_S)


def test_a_go_warning_reaches_logging(caplog: pytest.LogCaptureFixture) -> None:
    """Stamping a value beyond a field's range is clamped in Go, which warns."""
    spec = {"name": "salinity", "min": 0.0, "max": 1.0, "default": 0.0}
    with Universe(fields=[spec], builtin=False) as u, caplog.at_level(logging.WARNING, logger="tidebreak"):
        u.stamp("salinity", value=5.0, center=(2000.0, 2000.0, 50.0), radius=300.0)
        assert u.at("salinity", 2000.0, 2000.0, 50.0) == 1.0  # clamped, as the warning says
    [record] = [r for r in caplog.records if r.name.startswith("tidebreak.engine")]
    assert record.name == "tidebreak.engine.morphospace"
    assert record.levelno == logging.WARNING
    assert record.getMessage() == (
        'tb_ms_stamp: value 5 is outside field "salinity"\'s range [0, 1]; the stamped cells are clamped to it'
    )


def test_a_value_in_range_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    spec = {"name": "salinity", "min": 0.0, "max": 1.0, "default": 0.0}
    with Universe(fields=[spec], builtin=False) as u, caplog.at_level(logging.DEBUG, logger="tidebreak"):
        u.stamp("salinity", value=0.5, center=(2000.0, 2000.0, 50.0), radius=300.0)
        u.stamp("salinity", value=5.0, center=(2000.0, 2000.0, 50.0), radius=300.0, blend="min")
    assert [r for r in caplog.records if r.name.startswith("tidebreak.engine")] == []


def test_slow_calls_are_warnings(
    caplog: pytest.LogCaptureFixture, duel_agent: dict[str, Any], engine_log: None
) -> None:
    log.configure(slow_call_s=0.0)  # every step and reset is "slow"
    with tidebreak.NativeEnv(duel_agent) as env, caplog.at_level(logging.WARNING, logger="tidebreak"):
        env.reset(seed=3)
        env.step([0.0] * env.actions.size)
    messages = [r.getMessage() for r in caplog.records if r.name == "tidebreak.engine.capi"]
    assert len(messages) == 2
    assert messages[0].startswith("tb_env_reset took ") and messages[1].startswith("tb_env_step took ")
    assert all(m.endswith("(slow-call threshold 0s)") for m in messages)


def test_a_recovered_panic_is_an_error_with_its_go_stack(caplog: pytest.LogCaptureFixture) -> None:
    lib = _native.lib()
    with caplog.at_level(logging.ERROR, logger="tidebreak"), pytest.raises(_native.NativeError) as e:
        _native.check("tb_selftest_panic", lib.tb_selftest_panic())
    assert e.value.status == "TB_ERR_PANIC"
    [record] = [r for r in caplog.records if r.name == "tidebreak.engine.capi"]
    assert record.levelno == logging.ERROR
    assert record.go_stack.startswith("goroutine ")  # type: ignore[attr-defined]
    assert "capi.go" in record.go_stack  # type: ignore[attr-defined]  # where the panic was raised
    assert record.getMessage().startswith(
        "tb_selftest_panic: recovered panic: tb_selftest_panic: deliberate panic"
    )
    assert "\nGo stack:\ngoroutine " in record.getMessage()


def test_engine_level_filters_in_go(
    caplog: pytest.LogCaptureFixture, duel_agent: dict[str, Any], engine_log: None
) -> None:
    log.configure(level=logging.ERROR, slow_call_s=0.0)  # slow calls are warnings: below ERROR
    with tidebreak.NativeEnv(duel_agent) as env, caplog.at_level(logging.DEBUG, logger="tidebreak"):
        env.reset(seed=3)
        env.step([0.0] * env.actions.size)
        assert _native._pending[0] == 0
    assert [r for r in caplog.records if r.name.startswith("tidebreak.engine")] == []


def test_nothing_is_drained_when_nothing_is_logged(
    monkeypatch: pytest.MonkeyPatch, duel_agent: dict[str, Any]
) -> None:
    """The per-step cost of the log is one memory read: no drain call without records."""
    calls = []
    monkeypatch.setattr(_native, "forward_log", lambda: calls.append(1) or 0)
    with tidebreak.NativeEnv(duel_agent) as env:
        env.reset(seed=3)
        for _ in range(50):
            env.step([0.0] * env.actions.size)
    assert calls == []


def test_configure_rejects_bad_values() -> None:
    with pytest.raises(ValueError, match="level must be"):
        log.configure(level=200)
    with pytest.raises(ValueError, match="NaN"):
        log.configure(slow_call_s=math.nan)


def test_configure_inf_turns_timing_off(
    caplog: pytest.LogCaptureFixture, duel_agent: dict[str, Any], engine_log: None
) -> None:
    log.configure(slow_call_s=math.inf)
    with tidebreak.NativeEnv(duel_agent) as env, caplog.at_level(logging.DEBUG, logger="tidebreak"):
        env.reset(seed=3)
    assert [r for r in caplog.records if r.name.startswith("tidebreak.engine")] == []
