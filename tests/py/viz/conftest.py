"""Shared replay files for the visualisation tests (built once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

import tidebreak
from tidebreak import scenarios


@pytest.fixture(scope="session")
def viz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("viz")


@pytest.fixture(scope="session")
def duel_tbr(viz_dir: Path) -> Path:
    """The corvette-vs-submarine duel, seed 4, as a replay file."""
    path = viz_dir / "duel.tbr"
    tidebreak.simulate(scenarios.package("duel", seed=4), record_path=path)
    return path


@pytest.fixture(scope="session")
def stage4_tbr(viz_dir: Path) -> Path:
    """Curriculum stage 4 (obstacles, currents, hazard and interference zones, weather)."""
    path = viz_dir / "stage4.tbr"
    tidebreak.simulate(scenarios.package("stage4", seed=4), record_path=path)
    return path
