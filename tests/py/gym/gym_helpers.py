"""Helpers shared by the RL-interface tests (imported by name: this
directory is on sys.path under pytest's default import mode)."""

from __future__ import annotations

from typing import Any

import tidebreak.gym
from tidebreak import scenarios

AVAILABLE_IDS = tidebreak.gym.available_ids()
"""Registered ids whose scenario files exist: new scenarios join the tests."""


def short_duel(time_limit_s: float = 15) -> dict[str, Any]:
    """The duel with a short time limit, so tests cross many autoresets."""
    pkg = scenarios.load("duel")
    pkg["time_limit_s"] = time_limit_s
    return pkg
