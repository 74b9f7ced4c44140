"""Fixtures for the RL-interface tests."""

from __future__ import annotations

import warnings
from typing import Any

import pytest


@pytest.fixture
def quiet_inf_bounds() -> Any:
    """Silence Gymnasium's note that some observation bounds are infinite.

    Ranges, closing speeds, currents and track ages have no hard bound, and
    the observation space says so rather than inventing one.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*Box observation space (minimum|maximum) value is")
        yield
