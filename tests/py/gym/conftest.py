"""Fixtures for the RL-interface tests."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import tidebreak.gym
from tidebreak import scenarios

AVAILABLE_IDS = tidebreak.gym.available_ids()


def short_duel(time_limit_s: float = 15) -> dict[str, Any]:
    """The duel with a short time limit, so tests cross many autoresets."""
    pkg = scenarios.load("duel")
    pkg["time_limit_s"] = time_limit_s
    return pkg


@pytest.fixture
def quiet_inf_bounds() -> Any:
    """Silence Gymnasium's note that some observation bounds are infinite.

    Ranges, closing speeds, currents and track ages have no hard bound, and
    the observation space says so rather than inventing one.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*Box observation space (minimum|maximum) value is")
        yield
