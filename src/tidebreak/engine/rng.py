"""A pure-Python twin of the arena's seeded generator (``go/core/rng``).

The algorithm is SplitMix64 seeding plus xoshiro256**, with derived streams
from :func:`derive`; see the Go package for the full description. This twin
lets Python reproduce draws the arena makes (for example the spawn jitter
that :func:`tidebreak.scenarios.package` applies) without loading the
library. Tests check it against the Go golden values.

>>> r = Stream(0)
>>> hex(r.next_u64())
'0x99ec5f36cb75f2b4'
"""

from __future__ import annotations

_M = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def _splitmix(state: int) -> tuple[int, int]:
    state = (state + _GOLDEN) & _M
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M
    return state, z ^ (z >> 31)


def derive(seed: int, *labels: int) -> int:
    """Seed of the stream derived from ``seed`` and ``labels`` (as Go's rng.Derive)."""
    state, out = _splitmix(seed & _M)
    for label in labels:
        state, out = _splitmix(out ^ (label & _M))
    return out


def label(purpose: str) -> int:
    """FNV-1a (64-bit) of a purpose name, as Go's rng.Label."""
    h = 0xCBF29CE484222325
    for byte in purpose.encode():
        h = ((h ^ byte) * 0x100000001B3) & _M
    return h


def _rotl(x: int, k: int) -> int:
    return ((x << k) | (x >> (64 - k))) & _M


class Stream:
    """xoshiro256** seeded through SplitMix64 (Go's rng.New)."""

    def __init__(self, seed: int) -> None:
        state = seed & _M
        s = []
        for _ in range(4):
            state, out = _splitmix(state)
            s.append(out)
        self.s = s

    def next_u64(self) -> int:
        """The next 64 random bits."""
        s = self.s
        result = (_rotl((s[1] * 5) & _M, 7) * 9) & _M
        t = (s[1] << 17) & _M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = _rotl(s[3], 45)
        return result

    def float64(self) -> float:
        """Uniform in [0, 1) with 53 random bits."""
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))

    def uniform(self, lo: float, hi: float) -> float:
        """Uniform in [lo, hi)."""
        return lo + (hi - lo) * self.float64()

    def intn(self, n: int) -> int:
        """Uniform integer in [0, n) (Lemire's method, as Go's Intn)."""
        if n <= 0:
            raise ValueError("intn needs n > 0")
        threshold = (-n & _M) % n
        while True:
            product = self.next_u64() * n
            if product & _M >= threshold:
                return product >> 64
