"""Reward shaping: weighted sums of the arena's raw reward terms.

The arena writes, per agent and tick, the raw terms named in
:data:`tidebreak.engine.layout.REWARD_TERMS`. A :class:`RewardShaper` turns a term
array of shape ``(..., 15)`` (one agent, a batch of envs, envs × agents) into
rewards of shape ``(...)`` with one vectorised numpy expression; no Python
loop runs per step.

Default weights (:data:`DEFAULT_WEIGHTS`), chosen so that standard PPO learns
with them (docs/rl.md, "Defaults that learn", has the measurements):

===============  =======  ==================================================
term             weight   raw unit
===============  =======  ==================================================
win              +1.0     1 on the final tick if the team won
loss             -1.0     1 on the final tick if the team lost
draw             -1.0     1 on the final tick of a draw or time-out
kill             +0.5     hostile ships put out of action
damage_dealt     +0.01    hp of damage done to hostiles
approach         +1.0     km closed on the nearest hostile ship (true range)
closing          +0.1     km closed on the nearest hostile track
contact          +0.001   1 while the ship holds a fresh Q1+ hostile track
hazard           -0.005   hp lost to hazards and heavy seas
collision        -0.02    collisions with obstacles or ships
damage_taken      0.0     hp lost
death             0.0     1 on the tick the ship is put out of action
time              0.0     1 every tick
wasted_shot       0.0     projectiles that expired without a hit
detected          0.0     1 while a hostile holds a track on the ship
===============  =======  ==================================================

A draw costs as much as a loss, so hiding is never safer than fighting;
being hit and dying cost nothing beyond the loss they lead to (a penalty
for them made running away, which only postpones the loss, pay); engaging
pays (approach, damage, kills). ``approach`` sums over an episode to the
distance closed, so it cannot be farmed.

Presets: :func:`sparse` (win +1, loss -1, nothing else), :func:`dense`
(the defaults with twice their shaping) and :func:`legacy` (the defaults
before these, for comparing with old runs). Anywhere a shaper is accepted,
any callable ``(terms: np.ndarray[..., 15]) -> np.ndarray[...]`` may be
given instead.

>>> import numpy as np
>>> shaper = RewardShaper({"win": 1.0, "time": -0.01})
>>> terms = np.zeros((2, 15), np.float32)
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

__all__ = ["DEFAULT_WEIGHTS", "RewardFn", "RewardShaper", "sparse", "dense", "legacy", "as_reward_fn"]

RewardFn = Callable[[npt.NDArray[np.float32]], Any]
"""Any callable mapping terms ``(..., 15)`` to rewards ``(...)``."""

DEFAULT_WEIGHTS: dict[str, float] = {
    "damage_dealt": 0.01,
    "damage_taken": 0.0,
    "kill": 0.5,
    "death": 0.0,
    "win": 1.0,
    "loss": -1.0,
    "draw": -1.0,
    "time": 0.0,
    "hazard": -0.005,
    "wasted_shot": 0.0,
    "collision": -0.02,
    "detected": 0.0,
    "contact": 0.001,
    "closing": 0.1,
    "approach": 1.0,
}

_SPARSE: dict[str, float] = {"win": 1.0, "loss": -1.0}

_SHAPING = ("damage_dealt", "approach", "closing", "contact")
_DENSE: dict[str, float] = {k: 2 * v if k in _SHAPING else v for k, v in DEFAULT_WEIGHTS.items()}

# The defaults until the learning study of docs/rl.md: a draw cost a fifth of a
# loss, so PPO learned to stay away.
_LEGACY: dict[str, float] = {
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
        """Rewards for ``terms`` of shape ``(..., n_terms)``; returns shape ``(...)``."""
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
    """The defaults with twice their shaping (damage dealt, approach, closing, contact)."""
    return RewardShaper(_DENSE)


def legacy() -> RewardShaper:
    """The default weights before the learning study (win ±5, draw -1): kept to compare with old runs."""
    return RewardShaper(_LEGACY)


RewardSpec = Mapping[str, float] | npt.ArrayLike | RewardShaper | RewardFn | None


def as_reward_fn(spec: Any) -> RewardFn:
    """A shaper for weights, or ``spec`` itself if it is a callable."""
    if isinstance(spec, RewardShaper):
        return spec
    if callable(spec):
        fn: RewardFn = spec
        return fn
    if isinstance(spec, str):
        presets = {"default": RewardShaper, "sparse": sparse, "dense": dense, "legacy": legacy}
        if spec not in presets:
            raise ValueError(f"unknown reward preset {spec!r}; known: {', '.join(presets)}")
        return presets[spec]()
    return RewardShaper(spec)
