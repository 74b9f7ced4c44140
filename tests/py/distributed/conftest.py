"""Fixtures for the distributed tests."""

from __future__ import annotations

from typing import Any

import pytest
from dist_helpers import broken, cheap_packages


@pytest.fixture(scope="session")
def packages_200() -> list[dict[str, Any]]:
    """200 cheap packages; the one at index 37 fails validation."""
    pkgs = cheap_packages(200)
    broken(pkgs[37])
    return pkgs


@pytest.fixture(scope="session")
def local_200(packages_200: list[dict[str, Any]]) -> list[Any]:
    """The 200-package sweep run on the local process-pool backend."""
    from tidebreak.distributed import simulate_many

    return simulate_many(packages_200, backend="local", workers=2, progress=False)
