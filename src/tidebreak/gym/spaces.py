"""Observation and action spaces, and the action codecs, built from
:mod:`tidebreak.engine.layout` alone (no native library).

Observation: a flat ``Box`` of ``layout.obs_size(max_tracks)`` float32 values
laid out as ``layout.obs_names(max_tracks)``. Each index has the bounds its
normalisation guarantees, as the Go arena's layout states them
(``layout.obs_bounds``: for example ``own.hp`` in [0, 1], ``own.x`` in
[-1, 1], a track's ``class`` in [-1, 1] with -1 for unknown). Every bound is
finite: the library clamps or squashes each value into it (a track's range
reads r / (r + 5 km)), so no normalising wrapper is needed.

Actions come in two modes:

``"box"``
    ``Box(-1, 1, (7,))``: the native vector, ``layout.ACTION_NAMES``. Values
    are clipped to [-1, 1] before they reach the library.
``"multidiscrete"``
    ``MultiDiscrete([5, 5, 4, 3, 2])``: throttle bin (-1, -0.5, 0, 0.5, 1),
    rudder bin (same values), fire (none, gun, torpedo, asw), layer (hold,
    dive, surface), ping (no, yes).

What is legal now comes in three forms:

* the legal choices, six booleans named by :data:`LEGAL_CHOICE_NAMES`
  (``fire_gun, fire_torpedo, fire_asw, dive, surface, ping``), in both modes
  (``info["legal_choices"]``);
* the action mask in the space's own form, for multidiscrete: a tuple of
  one int8 array per dimension (lengths 5, 5, 4, 3, 2; 1 = legal), which
  ``MultiDiscrete.sample(mask=...)`` takes (``info["action_mask"]``). A
  ``Box`` has no mask;
* the same mask flattened into 19 booleans, as sb3-contrib's MaskablePPO
  expects (``action_masks()``).

Actions must have the space's shape: ``(7,)`` or ``(5,)`` for one env, with
a leading ``num_envs`` axis for a vector env.

>>> import numpy as np
>>> codec = make_codec("multidiscrete")
>>> native = np.zeros((1, len(LEGAL_CHOICE_NAMES)), np.float32)   # nothing may fire, dive or ping
>>> mask = codec.space_mask(native)
>>> [m.shape for m in mask], mask[2][0].tolist()
([(1, 5), (1, 5), (1, 4), (1, 3), (1, 2)], [1, 0, 0, 0])
>>> codec.space().sample(mask=tuple(m[0] for m in mask))[2:].tolist()
[0, 0, 0]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from gymnasium import spaces

from tidebreak.engine import layout

__all__ = [
    "ACTION_MODES",
    "LEGAL_CHOICE_NAMES",
    "BatchedMultiDiscrete",
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
LEGAL_CHOICE_NAMES: tuple[str, ...] = layout.MASK_NAMES
"""What ``info["legal_choices"]`` says, flag by flag: whether each weapon may
fire, the ship may dive or surface, and the sonar may ping now."""


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


def _shape_error(
    got: tuple[int, ...], want: tuple[int, ...], space: spaces.Space[Any], num_envs: int | None
) -> str:
    if num_envs is None:
        return f"action has shape {got}; {space} takes shape {want}"
    return f"actions has shape {got}; {space} × {num_envs} envs take shape {want}"


class BatchedMultiDiscrete(spaces.MultiDiscrete):
    """A vector env's batched ``MultiDiscrete`` whose ``sample`` also takes the
    vector env's ``infos["action_mask"]``: a tuple of one ``(num_envs, n)``
    int8 array per dimension (besides Gymnasium's nested per-env tuples)."""

    def sample(self, mask: Any = None, probability: Any = None) -> npt.NDArray[np.int64]:
        nvec = self.nvec
        for name, value in (("mask", mask), ("probability", probability)):
            if (
                isinstance(value, tuple)
                and nvec.ndim == 2
                and len(value) == nvec.shape[1]
                and all(isinstance(m, np.ndarray) and m.ndim == 2 for m in value)
            ):
                nested = tuple(tuple(m[i] for m in value) for i in range(nvec.shape[0]))
                if name == "mask":
                    mask = nested
                else:
                    probability = nested
        out: npt.NDArray[np.int64] = super().sample(mask=mask, probability=probability)
        return out


class ActionCodec:
    """Maps one action space onto the native 7-float vector, batched."""

    mode = ""
    shape: tuple[int, ...] = ()
    mask_size = layout.MASK_SIZE

    def space(self) -> spaces.Space[Any]:
        raise NotImplementedError

    def batch_space(self, num_envs: int) -> spaces.Space[Any]:
        """The vector env's action space for ``num_envs`` envs."""
        from gymnasium.vector.utils import batch_space

        return batch_space(self.space(), num_envs)

    def check(self, actions: npt.ArrayLike, num_envs: int | None = None) -> npt.NDArray[Any]:
        """``actions`` as an array of exactly the space's shape (with a leading
        ``num_envs`` axis unless None), else a ValueError naming the shape."""
        arr = np.asarray(actions)
        want = self.shape if num_envs is None else (num_envs, *self.shape)
        if arr.shape != want:
            raise ValueError(_shape_error(arr.shape, want, self.space(), num_envs))
        return arr

    def to_native(self, actions: npt.ArrayLike, out: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Write native actions for a batch of shape ``(N, *shape)`` into ``out``
        (shape (N, 7)); a ValueError names the shape when ``actions`` has another."""
        raise NotImplementedError

    def from_native(self, native: npt.NDArray[np.float32]) -> npt.NDArray[Any]:
        """The space's action nearest each native action of ``native`` (shape
        (N, 7)): how a scripted controller's command (a teacher's, see
        :meth:`tidebreak.engine.native_env.NativeVecEnv.teacher_actions`)
        reads in this space. Shape (N, *shape)."""
        raise NotImplementedError

    @staticmethod
    def legal(native_mask: npt.NDArray[np.float32]) -> npt.NDArray[np.bool_]:
        """The legal choices (:data:`LEGAL_CHOICE_NAMES`) from native masks, shape (N, 6)."""
        out: npt.NDArray[np.bool_] = native_mask > 0.5
        return out

    def mask(self, native_mask: npt.NDArray[np.float32]) -> npt.NDArray[np.bool_]:
        """The flat boolean mask MaskablePPO takes, shape (N, mask_size)."""
        raise ValueError(
            f"action_mode={self.mode!r} has no action mask (a Box has none); "
            'info["legal_choices"] says what may fire, dive, surface or ping now'
        )

    def space_mask(self, native_mask: npt.NDArray[np.float32]) -> tuple[npt.NDArray[np.int8], ...] | None:
        """The mask in the space's own form, batched (None: the space has none)."""
        return None


class BoxActions(ActionCodec):
    """The native vector as a ``Box(-1, 1, (7,))``; it has no mask."""

    mode = "box"
    shape = (layout.ACTION_SIZE,)

    def space(self) -> spaces.Box:
        return spaces.Box(-1.0, 1.0, self.shape, np.float32)

    def from_native(self, native: npt.NDArray[np.float32]) -> npt.NDArray[Any]:
        """The native actions themselves (a copy), shape (N, 7)."""
        return np.array(native, np.float32)

    def to_native(self, actions: npt.ArrayLike, out: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        arr = np.asarray(actions, dtype=np.float32)
        if arr.shape != out.shape:
            raise ValueError(_shape_error(arr.shape, out.shape, self.space(), out.shape[0]))
        # np.clip's Python wrapper costs more than the two ufuncs; NaN stays NaN
        # (and the library rejects it with an error naming the action).
        np.maximum(arr, -1.0, out=out)
        np.minimum(out, 1.0, out=out)
        return out


class MultiDiscreteActions(ActionCodec):
    """``MultiDiscrete([5, 5, 4, 3, 2])`` with per-dimension masks."""

    mode = "multidiscrete"
    nvec = (len(THROTTLE_BINS), len(RUDDER_BINS), len(FIRE_CHOICES), len(LAYER_CHOICES), len(PING_CHOICES))
    shape = (len(nvec),)
    mask_size = sum(nvec)

    def __init__(self) -> None:
        m = {name: i for i, name in enumerate(layout.MASK_NAMES)}
        always = layout.MASK_SIZE  # index of an appended column of ones
        src = [always] * (len(THROTTLE_BINS) + len(RUDDER_BINS))
        src += [always, m["fire_gun"], m["fire_torpedo"], m["fire_asw"]]
        src += [always, m["dive"], m["surface"]]
        src += [always, m["ping"]]
        self._mask_src = np.array(src, np.intp)
        ends = np.cumsum(self.nvec)
        self._dims = [slice(int(e - n), int(e)) for e, n in zip(ends, self.nvec, strict=True)]
        self._throttle = np.array(THROTTLE_BINS, np.float32)
        self._rudder = np.array(RUDDER_BINS, np.float32)
        # fire choice -> (gun, torpedo, asw) values
        self._fire = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], np.float32)
        self._layer = np.array([0.0, 1.0, -1.0], np.float32)
        self._ping = np.array([0.0, 1.0], np.float32)
        self._nvec = np.array(self.nvec, np.int64)
        # the native vector of every choice combination, in np.ravel_multi_index order
        grid = np.indices(self.nvec).reshape(len(self.nvec), -1)
        self._table = np.concatenate(
            [
                self._throttle[grid[0]][:, None],
                self._rudder[grid[1]][:, None],
                self._fire[grid[2]],
                self._layer[grid[3]][:, None],
                self._ping[grid[4]][:, None],
            ],
            axis=1,
        )
        # where the legal choices go in the flat mask (the other choices are always legal)
        self._legal_cols = np.array([i for i, k in enumerate(src) if k != always], np.intp)
        self._legal_src = np.array([k for k in src if k != always], np.intp)

    def space(self) -> spaces.MultiDiscrete:
        return spaces.MultiDiscrete(list(self.nvec))

    def batch_space(self, num_envs: int) -> BatchedMultiDiscrete:
        return BatchedMultiDiscrete(np.tile(self._nvec, (num_envs, 1)))

    def from_native(self, native: npt.NDArray[np.float32]) -> npt.NDArray[Any]:
        """Nearest bins for throttle and rudder; the first weapon whose slot is
        positive (none if none); dive above 0.5, surface below -0.5; ping
        when positive — the thresholds the native command uses.

        >>> import numpy as np
        >>> MultiDiscreteActions().from_native(np.array([[0.6, -1, 0, 1, 0, 1, 1]], np.float32)).tolist()
        [[3, 0, 2, 1, 1]]
        """
        a = np.asarray(native, np.float32)
        out = np.zeros((a.shape[0], len(self.nvec)), np.int64)
        out[:, 0] = np.abs(a[:, 0:1] - self._throttle[None, :]).argmin(1)
        out[:, 1] = np.abs(a[:, 1:2] - self._rudder[None, :]).argmin(1)
        fires = a[:, 2:5] > 0
        out[:, 2] = np.where(fires.any(1), fires.argmax(1) + 1, 0)
        out[:, 3] = np.where(a[:, 5] > 0.5, 1, np.where(a[:, 5] < -0.5, 2, 0))
        out[:, 4] = a[:, 6] > 0
        return out

    def to_native(self, actions: npt.ArrayLike, out: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        arr = np.asarray(actions)
        want = (out.shape[0], len(self.nvec))
        if arr.shape != want:
            raise ValueError(_shape_error(arr.shape, want, self.space(), out.shape[0]))
        if arr.dtype.kind not in "iu":
            if not np.all(np.equal(np.mod(arr, 1), 0)):
                raise ValueError(f"multidiscrete actions must be integers, got {arr!r}")
            arr = arr.astype(np.int64)
        try:
            combo = np.ravel_multi_index(arr.T, self.nvec)  # refuses any choice out of range
        except ValueError:
            raise ValueError(
                f"multidiscrete action out of range: each must be below {self.nvec}, got {arr.tolist()}"
            ) from None
        np.take(self._table, combo, axis=0, out=out)
        return out

    def mask(self, native_mask: npt.NDArray[np.float32]) -> npt.NDArray[np.bool_]:
        return self.flat_from_legal(self.legal(native_mask))

    def flat_from_legal(self, legal: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        """The flat (N, 19) mask from the legal choices (:meth:`legal`)."""
        out = np.ones((legal.shape[0], self.mask_size), bool)
        out[:, self._legal_cols] = legal[:, self._legal_src]
        return out

    def split(self, flat: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.int8], ...]:
        """A flat (N, 19) mask as the space's tuple of (N, n) int8 arrays (views)."""
        i8 = flat.view(np.int8)
        return tuple(i8[:, d] for d in self._dims)

    def space_mask(self, native_mask: npt.NDArray[np.float32]) -> tuple[npt.NDArray[np.int8], ...]:
        return self.split(self.mask(native_mask))


def make_codec(action_mode: str) -> ActionCodec:
    """The codec for ``action_mode`` ("box" or "multidiscrete")."""
    if action_mode == "box":
        return BoxActions()
    if action_mode == "multidiscrete":
        return MultiDiscreteActions()
    raise ValueError(f"action_mode must be one of {ACTION_MODES} (got {action_mode!r})")
