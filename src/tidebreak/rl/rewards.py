"""Reward shaping: weighted sums of the arena's raw reward terms.

The arena writes, per agent and tick, the raw terms named in
:data:`tidebreak.engine.layout.REWARD_TERMS`. A :class:`RewardShaper` turns a term
array of shape ``(..., 14)`` (one agent, a batch of envs, envs × agents) into
rewards of shape ``(...)`` with one vectorised numpy expression; no Python
loop runs per step.

Default weights (:data:`DEFAULT_WEIGHTS`):

===============  =======  ==================================================
term             weight   raw unit
===============  =======  ==================================================
damage_dealt     +0.02    hp of damage done to hostiles
damage_taken     -0.02    hp lost
kill             +1.0     hostile ships put out of action
death            -1.0     1 on the tick the ship is put out of action
win              +5.0     1 on the final tick if the team won
loss             -5.0     1 on the final tick if the team lost
draw             -1.0     1 on the final tick of a draw or time-out
time             -0.001   1 every tick
hazard           -0.02    hp lost to hazards and heavy seas
wasted_shot      -0.01    projectiles that expired without a hit
collision        -0.2     collisions with obstacles or ships
detected          0.0     1 while a hostile holds a track on the ship
contact           0.0     1 while the ship holds a fresh Q1+ hostile track
closing           0.0     km closed on the nearest hostile track this tick
===============  =======  ==================================================

Presets: :func:`sparse` (win +1, loss -1, nothing else) and :func:`dense`
(larger shaping terms). Anywhere a shaper is accepted, any callable
``(terms: np.ndarray[..., 14]) -> np.ndarray[...]`` may be given instead.

>>> import numpy as np
>>> shaper = RewardShaper({"win": 1.0, "time": -0.01})
>>> terms = np.zeros((2, 14), np.float32)
>>> terms[:, 7] = 1; terms[1, 4] = 1
>>> shaper(terms).tolist()
[-0.01, 0.99]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from tidebreak.engine.layout import NUM_REWARD_TERMS, REWARD_TERMS

__all__ = ["DEFAULT_WEIGHTS", "RewardFn", "RewardShaper", "sparse", "dense", "as_reward_fn"]

RewardFn = Callable[[npt.NDArray[np.float32]], Any]
"""Any callable mapping terms ``(..., 14)`` to rewards ``(...)``."""

DEFAULT_WEIGHTS: dict[str, float] = {
    "damage_dealt": 0.02,
    "damage_taken": -0.02,
    "kill": 1.0,
    "death": -1.0,
    "win": 5.0,
    "loss": -5.0,
    "draw": -1.0,
    "time": -0.001,
    "hazard": -0.02,
    "wasted_shot": -0.01,
    "collision": -0.2,
    "detected": 0.0,
    "contact": 0.0,
    "closing": 0.0,
}

_SPARSE: dict[str, float] = {"win": 1.0, "loss": -1.0}

_DENSE: dict[str, float] = {
    "damage_dealt": 0.05,
    "damage_taken": -0.05,
    "kill": 2.0,
    "death": -2.0,
    "win": 10.0,
    "loss": -10.0,
    "draw": -2.0,
    "time": -0.005,
    "hazard": -0.05,
    "wasted_shot": -0.02,
    "collision": -0.5,
    "detected": -0.005,
    "contact": 0.002,
    "closing": 0.1,
}


class RewardShaper:
    """A weighted sum of reward terms.

    ``weights`` is a mapping from term name to weight (terms left out weigh
    0), a sequence of one weight per term in :data:`~tidebreak.engine.layout.REWARD_TERMS`
    order, another shaper, or None for :data:`DEFAULT_WEIGHTS`.
    Rewards are computed in float64 as the dot product of each row of terms
    with the weights (``numpy.vecdot`` over C-contiguous rows), so one env
    and a batch give bit-identical values.
    """

    def __init__(self, weights: Mapping[str, float] | npt.ArrayLike | RewardShaper | None = None) -> None:
        if weights is None:
            weights = DEFAULT_WEIGHTS
        if isinstance(weights, RewardShaper):
            vec = weights.weights.copy()
        elif isinstance(weights, Mapping):
            unknown = sorted(set(weights) - set(REWARD_TERMS))
            if unknown:
                raise KeyError(f"unknown reward terms {unknown}; known: {', '.join(REWARD_TERMS)}")
            vec = np.array([float(weights.get(name, 0.0)) for name in REWARD_TERMS], np.float64)
        else:
            vec = np.asarray(weights, np.float64).reshape(-1)
            if vec.size != NUM_REWARD_TERMS:
                raise ValueError(f"want {NUM_REWARD_TERMS} weights, got {vec.size}")
        if not np.isfinite(vec).all():
            raise ValueError(f"weights must be finite (got {vec.tolist()})")
        self.weights: npt.NDArray[np.float64] = vec
        self.weights.setflags(write=False)

    def __call__(self, terms: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Rewards for ``terms`` of shape ``(..., 12)``; returns shape ``(...)``."""
        arr = np.asarray(terms)
        if arr.shape[-1:] != (NUM_REWARD_TERMS,):
            raise ValueError(f"terms must have shape (..., {NUM_REWARD_TERMS}), got {arr.shape}")
        # Widening float32 terms is exact. A C-contiguous float64 row takes
        # the same dot-product path whether it is one env or one of a batch.
        rows = np.ascontiguousarray(arr, dtype=np.float64)
        out: npt.NDArray[np.float64] = np.vecdot(rows, self.weights)
        return out

    def as_dict(self) -> dict[str, float]:
        """Weights by term name."""
        return {name: float(w) for name, w in zip(REWARD_TERMS, self.weights)}

    def __repr__(self) -> str:
        nonzero = {k: v for k, v in self.as_dict().items() if v}
        return f"RewardShaper({nonzero})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RewardShaper) and bool(np.array_equal(self.weights, other.weights))

    __hash__ = None  # type: ignore[assignment]


def sparse() -> RewardShaper:
    """Win +1, loss -1, nothing else."""
    return RewardShaper(_SPARSE)


def dense() -> RewardShaper:
    """Stronger per-tick shaping than the defaults, for early training."""
    return RewardShaper(_DENSE)


RewardSpec = Mapping[str, float] | npt.ArrayLike | RewardShaper | RewardFn | None


def as_reward_fn(spec: Any) -> RewardFn:
    """A shaper for weights, or ``spec`` itself if it is a callable."""
    if isinstance(spec, RewardShaper):
        return spec
    if callable(spec):
        fn: RewardFn = spec
        return fn
    if isinstance(spec, str):
        presets = {"default": RewardShaper, "sparse": sparse, "dense": dense}
        if spec not in presets:
            raise ValueError(f"unknown reward preset {spec!r}; known: {', '.join(presets)}")
        return presets[spec]()
    return RewardShaper(spec)
