"""Determinism properties over packages generated from the pydantic models."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from package_strategies import packages  # the shared generator of valid packages

import tidebreak
from tidebreak.contracts import BattlePackage, parse_package


def _short(pkg: BattlePackage) -> BattlePackage:
    """Keep generated battles small: at most 30 ticks of at most 100 substeps."""
    return pkg.model_copy(
        update={
            "time_limit_s": min(pkg.time_limit_s, 30.0),
            "time_step_s": max(pkg.time_step_s, 0.01) if 1 / max(pkg.time_step_s, 0.01) % 1 == 0 else 0.1,
        }
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(packages())
def test_two_simulations_are_identical(pkg: BattlePackage) -> None:
    pkg = _short(pkg)
    a = tidebreak.simulate(pkg)
    b = tidebreak.simulate(pkg)
    assert a.model_dump() == b.model_dump()
    assert a.replay.final_state_hash == b.replay.final_state_hash


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(packages())
def test_serialising_and_reloading_changes_nothing(pkg: BattlePackage) -> None:
    pkg = _short(pkg)
    reloaded = parse_package(json.dumps(pkg.model_dump(mode="json")))
    assert reloaded == pkg
    assert (
        tidebreak.simulate(reloaded).replay.final_state_hash
        == tidebreak.simulate(pkg).replay.final_state_hash
    )
