"""Trained policies as plain numpy: saved by ``tidebreak train``, loaded anywhere.

A :class:`Policy` is a small multilayer perceptron (the actor of a PPO agent)
with the env it was trained on. It acts on batches of observations with
numpy alone, so evaluating, viewing or deploying a trained policy needs
neither torch nor the ``train`` extra. Saved policies are ``.npz`` files
holding only numeric arrays and one JSON string (loaded without pickle).

* ``policy(obs_batch, mask_batch)`` returns a batch of actions; this is the
  form :func:`tidebreak.evaluate` takes, and it brings its env's keyword
  arguments (agent ship, action mode) to the evaluation itself.
* ``policy.act(obs, mask)`` acts for one agent (one observation), e.g. an
  agent of the PettingZoo env.
* With ``action_mode="multidiscrete"`` the mask rules illegal choices out
  before sampling; without one every choice is allowed. It may be the
  env's ``info["action_mask"]`` as it is (a tuple of per-dimension arrays,
  the space's form) or the flat 19-column form of ``action_masks()``.

>>> import numpy as np
>>> from tidebreak.rl.policy import Policy
>>> rng = np.random.default_rng(0)
>>> p = Policy.random(obs_size=133, hidden=(32,), action_mode="multidiscrete", env_id="Tidebreak/Duel-v0", seed=1)
>>> obs = rng.uniform(-1, 1, (4, 133)).astype(np.float32)
>>> p(obs).shape
(4, 5)
>>> mask = np.ones((4, 19), bool); mask[:, 10:14] = [True, False, False, False]   # fire: only "none"
>>> bool((p(obs, mask)[:, 2] == 0).all())
True
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tidebreak.gym.spaces import MultiDiscreteActions

__all__ = ["Policy", "PolicyError", "load_policy", "play_episode", "FORMAT", "VERSION"]

FORMAT = "tidebreak-policy"
VERSION = 1
ACTIVATIONS = ("tanh", "relu")
_MAX_LAYERS = 16
_MAX_WIDTH = 4096
_MAX_FILE_BYTES = 256 << 20
_NVEC = MultiDiscreteActions.nvec
_ACTION_SIZE = 7


class PolicyError(ValueError):
    """A policy file or policy weights are unusable (the message says why)."""


@dataclass
class Policy:
    """An MLP actor and the env it acts in.

    ``weights`` and ``biases`` are the layers in order (``weights[i]`` has
    shape ``(out, in)``), tanh or relu between them; the last layer gives the
    logits of the 19 multidiscrete choices or the means of the 7 box actions
    (``log_std`` then holds their log standard deviations).
    ``deterministic`` picks the most likely action instead of sampling.
    """

    weights: list[npt.NDArray[np.float32]]
    biases: list[npt.NDArray[np.float32]]
    action_mode: str = "multidiscrete"
    env_id: str = "Tidebreak/Duel-v0"
    env_kwargs: dict[str, Any] = field(default_factory=dict)
    activation: str = "tanh"
    log_std: npt.NDArray[np.float32] | None = None
    deterministic: bool = False
    info: dict[str, Any] = field(default_factory=dict)
    seed: int | None = None

    def __post_init__(self) -> None:
        self.weights = [np.ascontiguousarray(w, np.float32) for w in self.weights]
        self.biases = [np.ascontiguousarray(b, np.float32) for b in self.biases]
        if self.log_std is not None:
            self.log_std = np.ascontiguousarray(self.log_std, np.float32)
        self._check()
        self._rng = np.random.default_rng(self.seed)
        if self.action_mode == "multidiscrete":
            k = max(_NVEC)
            idx = np.full((len(_NVEC), k), sum(_NVEC), np.intp)  # padding points at a -inf column
            off = 0
            for g, n in enumerate(_NVEC):
                idx[g, :n] = np.arange(off, off + n)
                off += n
            self._pad_idx = idx

    # -- checks ------------------------------------------------------------------------
    def _check(self) -> None:
        if self.action_mode not in ("multidiscrete", "box"):
            raise PolicyError(f"action_mode must be 'multidiscrete' or 'box' (got {self.action_mode!r})")
        if self.activation not in ACTIVATIONS:
            raise PolicyError(f"activation must be one of {ACTIVATIONS} (got {self.activation!r})")
        if not 1 <= len(self.weights) <= _MAX_LAYERS or len(self.biases) != len(self.weights):
            raise PolicyError(
                f"want 1 to {_MAX_LAYERS} layers with one bias each "
                f"(got {len(self.weights)} weights, {len(self.biases)} biases)"
            )
        prev = None
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            if w.ndim != 2 or b.shape != (w.shape[0],):
                raise PolicyError(f"layer {i}: weight {w.shape} and bias {b.shape} do not match")
            if max(w.shape) > _MAX_WIDTH:
                raise PolicyError(f"layer {i}: shape {w.shape} exceeds {_MAX_WIDTH}")
            if prev is not None and w.shape[1] != prev:
                raise PolicyError(f"layer {i} takes {w.shape[1]} inputs, but layer {i - 1} gives {prev}")
            if not (np.isfinite(w).all() and np.isfinite(b).all()):
                raise PolicyError(f"layer {i} holds NaN or infinite values")
            prev = w.shape[0]
        want = sum(_NVEC) if self.action_mode == "multidiscrete" else _ACTION_SIZE
        if prev != want:
            raise PolicyError(f"the last layer gives {prev} values; {self.action_mode} actions need {want}")
        if self.action_mode == "box":
            if self.log_std is None or self.log_std.shape != (_ACTION_SIZE,):
                raise PolicyError(f"a box policy needs log_std of shape ({_ACTION_SIZE},)")
            if not np.isfinite(self.log_std).all():
                raise PolicyError("log_std holds NaN or infinite values")

    @property
    def obs_size(self) -> int:
        """Length of the observations the policy takes."""
        return int(self.weights[0].shape[1])

    # -- acting ------------------------------------------------------------------------
    def reseed(self, seed: int | None) -> None:
        """Restart the sampling random stream (None: from fresh entropy)."""
        self.seed = seed
        self._rng = np.random.default_rng(seed)

    def output(self, obs: npt.ArrayLike) -> npt.NDArray[np.float32]:
        """The last layer's values (logits or means) for a batch of observations."""
        x = np.asarray(obs, np.float32)
        if x.ndim != 2 or x.shape[1] != self.obs_size:
            raise ValueError(f"want observations of shape (n, {self.obs_size}), got {x.shape}")
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            x = x @ w.T + b
            if i < last:
                x = np.tanh(x) if self.activation == "tanh" else np.maximum(x, 0)
        return x

    def __call__(self, obs: npt.ArrayLike, masks: npt.ArrayLike | None = None) -> npt.NDArray[Any]:
        """Actions for a batch: ``(n, 5)`` int64 choices or ``(n, 7)`` float32 values."""
        out = self.output(obs)
        if self.action_mode == "box":
            assert self.log_std is not None
            if not self.deterministic:
                out = out + np.exp(self.log_std) * self._rng.standard_normal(out.shape).astype(np.float32)
            box: npt.NDArray[np.float32] = np.clip(out, -1, 1)
            return box
        n = out.shape[0]
        logits = np.concatenate([out, np.zeros((n, 1), np.float32)], axis=1)
        legal = np.ones((n, logits.shape[1]), bool)
        if masks is not None:
            m = _flat_masks(masks).reshape(n, -1)
            if m.shape[1] != logits.shape[1] - 1:
                raise ValueError(f"want masks of shape (n, {logits.shape[1] - 1}), got {m.shape}")
            legal[:, :-1] = m
        legal[:, -1] = False
        grouped = np.where(legal, logits, -np.inf)[:, self._pad_idx]  # (n, groups, choices)
        if not self.deterministic:
            grouped = grouped + self._rng.gumbel(size=grouped.shape)
        # A group with nothing legal (a mask of all zeros) falls back to its first choice.
        choice: npt.NDArray[np.int64] = np.argmax(grouped, axis=2).astype(np.int64)
        return choice

    def act(self, obs: npt.ArrayLike, mask: npt.ArrayLike | None = None) -> npt.NDArray[Any]:
        """The action for one observation (and its mask), e.g. for one PettingZoo agent."""
        one = np.asarray(obs, np.float32)[None]
        masks = None if mask is None else _flat_masks(mask)[None]
        action: npt.NDArray[Any] = self(one, masks)[0]
        return action

    # -- files -------------------------------------------------------------------------
    def meta(self) -> dict[str, Any]:
        """Everything but the arrays, as saved in the file's JSON header."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "env_id": self.env_id,
            "env_kwargs": self.env_kwargs,
            "action_mode": self.action_mode,
            "activation": self.activation,
            "layers": len(self.weights),
            "deterministic": self.deterministic,
            "info": self.info,
        }

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the policy to ``path`` (``.npz``; the suffix is added if missing)."""
        p = Path(path)
        if p.suffix != ".npz":
            p = p.with_name(p.name + ".npz")
        p.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = {"meta": np.array(json.dumps(self.meta(), sort_keys=True))}
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            arrays[f"w{i}"], arrays[f"b{i}"] = w, b
        if self.log_std is not None:
            arrays["log_std"] = self.log_std
        tmp = p.with_name(p.name + ".tmp")
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, p)
        return p

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, seed: int | None = None) -> Policy:
        """Read a policy written by :meth:`save` (or ``tidebreak train``)."""
        p = Path(path)
        try:
            size = p.stat().st_size
            if size > _MAX_FILE_BYTES:
                raise PolicyError(f"{p}: {size} bytes is more than a policy file holds ({_MAX_FILE_BYTES})")
            data = p.read_bytes()
        except OSError as e:
            raise PolicyError(f"{p}: cannot read: {e.strerror}") from e
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
        except (ValueError, OSError, EOFError) as e:
            raise PolicyError(f"{p}: not a policy file (.npz): {e}") from e
        if "meta" not in arrays:
            raise PolicyError(f"{p}: no 'meta' entry; not a tidebreak policy file")
        try:
            meta = json.loads(str(arrays["meta"]))
        except json.JSONDecodeError as e:
            raise PolicyError(f"{p}: its 'meta' entry is not JSON: {e}") from e
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise PolicyError(f"{p}: not a tidebreak policy file (format {meta.get('format')!r})")
        if meta.get("version") != VERSION:
            raise PolicyError(
                f"{p}: policy file version {meta.get('version')!r}; this tidebreak reads {VERSION}"
            )
        n = meta.get("layers")
        if not isinstance(n, int) or not 1 <= n <= _MAX_LAYERS:
            raise PolicyError(f"{p}: 'layers' must be an integer within [1, {_MAX_LAYERS}] (got {n!r})")
        missing = [k for i in range(n) for k in (f"w{i}", f"b{i}") if k not in arrays]
        if missing:
            raise PolicyError(f"{p}: missing arrays {missing}")
        env_kwargs = meta.get("env_kwargs", {})
        if not isinstance(env_kwargs, dict):
            raise PolicyError(f"{p}: 'env_kwargs' must be a mapping")
        try:
            return cls(
                weights=[arrays[f"w{i}"] for i in range(n)],
                biases=[arrays[f"b{i}"] for i in range(n)],
                action_mode=str(meta.get("action_mode")),
                env_id=str(meta.get("env_id")),
                env_kwargs=env_kwargs,
                activation=str(meta.get("activation", "tanh")),
                log_std=arrays.get("log_std"),
                deterministic=bool(meta.get("deterministic", False)),
                info=dict(meta.get("info") or {}),
                seed=seed,
            )
        except PolicyError as e:
            raise PolicyError(f"{p}: {e}") from e

    @classmethod
    def random(
        cls,
        obs_size: int,
        hidden: Sequence[int] = (128, 128),
        *,
        action_mode: str = "multidiscrete",
        env_id: str = "Tidebreak/Duel-v0",
        env_kwargs: Mapping[str, Any] | None = None,
        seed: int | None = None,
    ) -> Policy:
        """An untrained policy with small random weights (for tests and examples)."""
        rng = np.random.default_rng(seed)
        sizes = [obs_size, *hidden, sum(_NVEC) if action_mode == "multidiscrete" else _ACTION_SIZE]
        weights = [rng.normal(0, 1 / np.sqrt(a), (b, a)).astype(np.float32) for a, b in zip(sizes, sizes[1:])]
        biases = [np.zeros(b, np.float32) for b in sizes[1:]]
        log_std = np.zeros(_ACTION_SIZE, np.float32) if action_mode == "box" else None
        return cls(
            weights,
            biases,
            action_mode=action_mode,
            env_id=env_id,
            env_kwargs=dict(env_kwargs or {}),
            log_std=log_std,
            seed=seed,
        )


def load_policy(path: str | os.PathLike[str], *, seed: int | None = None) -> Policy:
    """:meth:`Policy.load`: read a policy file written by ``tidebreak train``."""
    return Policy.load(path, seed=seed)


def _flat_masks(masks: Any) -> npt.NDArray[np.bool_]:
    """Masks as one bool array, flat along the last axis: a tuple of
    per-dimension masks (the space's form, ``(n_d,)`` or ``(N, n_d)`` each)
    is joined in order."""
    if isinstance(masks, (tuple, list)) and masks and all(np.ndim(m) >= 1 for m in masks):
        return np.concatenate([np.asarray(m, bool) for m in masks], axis=-1)
    return np.asarray(masks, bool)


def play_episode(
    policy: Policy,
    *,
    env_id: str | None = None,
    seed: int = 0,
    opponent: str | None = None,
    record_path: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Play one battle of ``env_id`` (default: the policy's) with ``policy`` in the agent's seat.

    ``opponent`` puts a scripted controller in every opponent seat (default:
    the id's). With ``record_path`` the battle is written there as a replay
    file (``.tbr``) that ``tidebreak view`` and ``tidebreak replay`` read.
    Returns ``{"outcome", "length", "return", "record_path"}``.
    """
    import tempfile

    import gymnasium

    import tidebreak.gym  # noqa: F401 - registers the ids

    kwargs: dict[str, Any] = dict(policy.env_kwargs)
    if opponent is not None:
        kwargs["opponent"] = opponent
    with tempfile.TemporaryDirectory() as tmp:
        env = gymnasium.make(env_id or policy.env_id, record_dir=tmp if record_path else None, **kwargs)
        try:
            obs, info = env.reset(seed=seed)
            total, length, done = 0.0, 0, False
            while not done:
                action = policy.act(obs, info.get("action_mask"))
                obs, reward, terminated, truncated, info = env.step(action)
                total += float(reward)
                length += 1
                done = terminated or truncated
        finally:
            env.close()
        out: Path | None = None
        if record_path is not None:
            out = Path(record_path)
            out.parent.mkdir(parents=True, exist_ok=True)
            os.replace(info["record_path"], out)
    return {"outcome": info.get("outcome", ""), "length": length, "return": total, "record_path": out}
