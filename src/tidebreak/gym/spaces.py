"""Observation and action spaces, and the action codecs, built from
:mod:`tidebreak.engine.layout` alone (no native library).

Observation: a flat ``Box`` of ``layout.obs_size(max_tracks)`` float32 values
laid out as ``layout.obs_names(max_tracks)``. Each index has the bounds its
normalisation guarantees, as the Go arena's layout states them
(``layout.obs_bounds``: for example ``own.hp`` in [0, 1], ``own.x`` in
[-1, 1], a track's ``class`` in [-1, 1] with -1 for unknown); fields without
a hard bound (ranges, closing speeds, currents, track ages) are unbounded on
that side.

Actions come in two modes:

``"box"``
    ``Box(-1, 1, (7,))``: the native vector, ``layout.ACTION_NAMES``. Values
    are clipped to [-1, 1] before they reach the library.
``"multidiscrete"``
    ``MultiDiscrete([5, 5, 4, 3, 2])``: throttle bin (-1, -0.5, 0, 0.5, 1),
    rudder bin (same values), fire (none, gun, torpedo, asw), layer (hold,
    dive, surface), ping (no, yes). Its mask is the 19 choices flattened
    in that order, as sb3-contrib's MaskablePPO expects.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from gymnasium import spaces

from tidebreak.engine import layout

__all__ = [
    "ACTION_MODES",
    "THROTTLE_BINS",
    "RUDDER_BINS",
    "FIRE_CHOICES",
    "LAYER_CHOICES",
    "PING_CHOICES",
    "observation_bounds",
    "observation_space",
    "ActionCodec",
    "BoxActions",
    "MultiDiscreteActions",
    "make_codec",
]

ACTION_MODES = ("box", "multidiscrete")
THROTTLE_BINS: tuple[float, ...] = (-1.0, -0.5, 0.0, 0.5, 1.0)
RUDDER_BINS: tuple[float, ...] = (-1.0, -0.5, 0.0, 0.5, 1.0)
FIRE_CHOICES: tuple[str, ...] = ("none", "gun", "torpedo", "asw")
LAYER_CHOICES: tuple[str, ...] = ("hold", "dive", "surface")
PING_CHOICES: tuple[str, ...] = ("no", "yes")


def observation_bounds(
    max_tracks: int = layout.DEFAULT_MAX_TRACKS,
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Lower and upper bound of every observation index, as the arena's
    layout gives them (:func:`tidebreak.engine.layout.obs_bounds`)."""
    low, high = layout.obs_bounds(max_tracks)
    return np.array(low, np.float32), np.array(high, np.float32)


def observation_space(max_tracks: int = layout.DEFAULT_MAX_TRACKS) -> spaces.Box:
    """The flat observation space for ``max_tracks`` track slots."""
    low, high = observation_bounds(max_tracks)
    return spaces.Box(low, high, dtype=np.float32)


class ActionCodec:
    """Maps one action space onto the native 7-float vector, batched."""

    mode = ""
    mask_size = layout.MASK_SIZE

    def space(self) -> spaces.Space[Any]:
        raise NotImplementedError

    def to_native(self, actions: npt.ArrayLike, out: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Write native actions for a batch (``out`` has shape (N, 7))."""
        raise NotImplementedError

    def mask(self, native_mask: npt.NDArray[np.float32]) -> npt.NDArray[np.bool_]:
        """This mode's boolean mask from native masks, shape (N, mask_size)."""
        raise NotImplementedError


class BoxActions(ActionCodec):
    """The native vector as a ``Box(-1, 1, (7,))``; the mask is the native one."""

    mode = "box"

    def space(self) -> spaces.Box:
        return spaces.Box(-1.0, 1.0, (layout.ACTION_SIZE,), np.float32)

    def to_native(self, actions: npt.ArrayLike, out: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        arr = np.asarray(actions, dtype=np.float32).reshape(out.shape)
        # np.clip's Python wrapper costs more than the two ufuncs; NaN stays NaN
        # (and the library rejects it with an error naming the action).
        np.maximum(arr, -1.0, out=out)
        np.minimum(out, 1.0, out=out)
        return out

    def mask(self, native_mask: npt.NDArray[np.float32]) -> npt.NDArray[np.bool_]:
        return native_mask > 0.5


class MultiDiscreteActions(ActionCodec):
    """``MultiDiscrete([5, 5, 4, 3, 2])`` with a flattened 19-choice mask."""

    mode = "multidiscrete"
    nvec = (len(THROTTLE_BINS), len(RUDDER_BINS), len(FIRE_CHOICES), len(LAYER_CHOICES), len(PING_CHOICES))
    mask_size = sum(nvec)

    def __init__(self) -> None:
        m = {name: i for i, name in enumerate(layout.MASK_NAMES)}
        always = layout.MASK_SIZE  # index of an appended column of ones
        src = [always] * (len(THROTTLE_BINS) + len(RUDDER_BINS))
        src += [always, m["fire_gun"], m["fire_torpedo"], m["fire_asw"]]
        src += [always, m["dive"], m["surface"]]
        src += [always, m["ping"]]
        self._mask_src = np.array(src, np.intp)
        self._throttle = np.array(THROTTLE_BINS, np.float32)
        self._rudder = np.array(RUDDER_BINS, np.float32)
        # fire choice -> (gun, torpedo, asw) values
        self._fire = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], np.float32)
        self._layer = np.array([0.0, 1.0, -1.0], np.float32)
        self._ping = np.array([0.0, 1.0], np.float32)
        self._nvec = np.array(self.nvec, np.int64)

    def space(self) -> spaces.MultiDiscrete:
        return spaces.MultiDiscrete(list(self.nvec))

    def to_native(self, actions: npt.ArrayLike, out: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        arr = np.asarray(actions).reshape(out.shape[0], len(self.nvec))
        if not np.issubdtype(arr.dtype, np.integer):
            if not np.all(np.equal(np.mod(arr, 1), 0)):
                raise ValueError(f"multidiscrete actions must be integers, got {arr!r}")
            arr = arr.astype(np.int64)
        if (arr < 0).any() or (arr >= self._nvec).any():
            raise ValueError(
                f"multidiscrete action out of range: each must be below {self.nvec}, got {arr.tolist()}"
            )
        out[:, 0] = self._throttle[arr[:, 0]]
        out[:, 1] = self._rudder[arr[:, 1]]
        out[:, 2:5] = self._fire[arr[:, 2]]
        out[:, 5] = self._layer[arr[:, 3]]
        out[:, 6] = self._ping[arr[:, 4]]
        return out

    def mask(self, native_mask: npt.NDArray[np.float32]) -> npt.NDArray[np.bool_]:
        n = native_mask.shape[0]
        ext = np.concatenate([native_mask, np.ones((n, 1), native_mask.dtype)], axis=1)
        out: npt.NDArray[np.bool_] = ext[:, self._mask_src] > 0.5
        return out


def make_codec(action_mode: str) -> ActionCodec:
    """The codec for ``action_mode`` ("box" or "multidiscrete")."""
    if action_mode == "box":
        return BoxActions()
    if action_mode == "multidiscrete":
        return MultiDiscreteActions()
    raise ValueError(f"action_mode must be one of {ACTION_MODES} (got {action_mode!r})")
