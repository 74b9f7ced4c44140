"""Seeded random streams, one per subsystem, derived from the campaign's master seed.

Every subsystem draws from its own :class:`numpy.random.Generator` (PCG64). The
streams come from ``numpy.random.SeedSequence(master_seed).spawn(len(SUBSYSTEMS))``
in the fixed order of :data:`SUBSYSTEMS`; new subsystems are only ever appended,
so existing streams never change. The bit-generator states are JSON-friendly
dicts stored on the world, which makes save/resume exact.

Battles are the one place where draws leave these streams, on purpose: a
battle's package seed is drawn from the ``battle`` stream, and a resolver is a
pure function of its package (the same package gives the same result), so it
draws only from generators seeded by that seed — the arena's own streams in
Go, ``numpy.random.default_rng(seed)`` in the auto resolver. Applying the
result back (disposition changes) draws from the ``battle`` stream again.

>>> states = initial_states(7)
>>> rngs = Rngs(states)
>>> a = rngs["economy"].random()
>>> Rngs(initial_states(7))["economy"].random() == a
True
>>> Rngs(rngs.export())["economy"].random() == a
False
"""

from __future__ import annotations

from typing import Any

import numpy as np

SUBSYSTEMS: tuple[str, ...] = (
    "scenario",
    "faction_ai",
    "economy",
    "missions",
    "movement",
    "battle",
    "governance",
    "diplomacy",
    "weather",
    "people",
    "env",
)


def initial_states(seed: int) -> dict[str, dict[str, Any]]:
    """Return the starting bit-generator state of every subsystem stream."""
    children = np.random.SeedSequence(int(seed)).spawn(len(SUBSYSTEMS))
    return {name: dict(np.random.PCG64(child).state) for name, child in zip(SUBSYSTEMS, children)}


class Rngs:
    """A bundle of live generators built from stored states."""

    def __init__(self, states: dict[str, dict[str, Any]]) -> None:
        self._gens: dict[str, np.random.Generator] = {}
        for name in SUBSYSTEMS:
            bg = np.random.PCG64()
            bg.state = states[name]  # type: ignore[assignment]
            self._gens[name] = np.random.Generator(bg)

    def __getitem__(self, name: str) -> np.random.Generator:
        return self._gens[name]

    def export(self) -> dict[str, dict[str, Any]]:
        """Current states, ready to be stored on the world."""
        return {name: dict(gen.bit_generator.state) for name, gen in sorted(self._gens.items())}


def uniform(gen: np.random.Generator, lo: float, hi: float) -> float:
    """A float in [lo, hi) as a plain Python float."""
    return float(lo + (hi - lo) * gen.random())


def chance(gen: np.random.Generator, p: float) -> bool:
    """True with probability ``p``."""
    return bool(gen.random() < p)


def seed64(gen: np.random.Generator) -> int:
    """A fresh unsigned 63-bit seed (fits JSON integers everywhere)."""
    return int(gen.integers(1, 2**63 - 1))
