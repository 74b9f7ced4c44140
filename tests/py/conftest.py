"""Shared fixtures for the Python tests."""

from __future__ import annotations

from typing import Any

import pytest

from tidebreak import scenarios


@pytest.fixture
def duel_agent() -> dict[str, Any]:
    """The duel scenario with the corvette under agent control."""
    return scenarios.load("duel", controllers={"corvette": "agent"})


@pytest.fixture
def duel() -> dict[str, Any]:
    """The duel scenario with its scripted controllers."""
    return scenarios.load("duel")
