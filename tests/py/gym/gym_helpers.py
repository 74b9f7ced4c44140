"""Helpers shared by the RL-interface tests (imported by name: this
directory is on sys.path under pytest's default import mode)."""

from __future__ import annotations

from typing import Any

import pytest

import tidebreak.gym
from tidebreak import scenarios

AVAILABLE_IDS = tidebreak.gym.available_ids()
"""Registered ids whose scenario files exist: new scenarios join the tests."""


def short_duel(time_limit_s: float = 15) -> dict[str, Any]:
    """The duel with a short time limit, so tests cross many autoresets."""
    pkg = scenarios.load("duel")
    pkg["time_limit_s"] = time_limit_s
    return pkg


BIG_FLEET = 64
"""Ships above which a scenario's per-scenario interface tests run in
``make test-full`` only (marker "slow"): PettingZoo's checkers step every
agent, and a 1024-ship battle's full state is read for every frame."""

SCENARIOS = [
    pytest.param(n, marks=pytest.mark.slow) if len(scenarios.load(n)["ships"]) > BIG_FLEET else n
    for n in scenarios.names()
]
"""Every shipped scenario, the big fleets marked slow."""
