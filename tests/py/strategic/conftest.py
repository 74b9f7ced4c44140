from __future__ import annotations

import pytest

from tidebreak.strategic import Campaign, World, build_world


@pytest.fixture(scope="session")
def full_run() -> tuple[World, float]:
    """One uninterrupted 365-day campaign (seed 7), shared by several tests."""
    import time

    world = build_world("accord_vs_dominion", seed=7)
    world.day_limit = 365
    start = time.perf_counter()
    Campaign(world, resolver="auto").run(365)
    return world, time.perf_counter() - start
