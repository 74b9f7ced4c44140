"""Low-level environments over the C ABI: one env, or N envs in one call.

These classes bind numpy float32 buffers to the library once and reuse them
on every call; nothing is allocated per step on either side. They are the
engine under the Gymnasium, SB3 and PettingZoo wrappers; use those unless you
need raw speed.

The arrays returned by ``reset``/``step``/``observe`` are views of the
bound buffers and are overwritten by the next call: copy them to keep them.

>>> import tidebreak
>>> env = tidebreak.NativeEnv(tidebreak.scenarios.load("duel", controllers={"corvette": "agent"}))
>>> obs, mask = env.reset(seed=7)
>>> obs.shape == (1, env.spec.obs_size)
True
>>> obs, rewards, terminated, truncated = env.step(env.zero_actions())
>>> env.close()
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from tidebreak.engine import _native, layout
from tidebreak.engine.events import EVENT_DTYPE, event_dicts

Config = dict[str, Any] | str | bytes | Any  # dict, JSON text, or a pydantic BattlePackage

__all__ = ["AUTORESET_MODES", "EnvSpec", "NativeEnv", "NativeVecEnv", "config_json"]


@dataclass(frozen=True)
class EnvSpec:
    """Sizes of one env, as the library reports them (``tb_spec``)."""

    obs_size: int
    action_size: int
    reward_terms: int
    mask_size: int
    agents_per_env: int
    num_envs: int
    max_ticks: int
    substeps: int


def config_json(config: Config, max_tracks: int | None = None, *, strict: bool = True) -> bytes:
    """Encode an env config (a package, or ``{"package": ..., "max_tracks": K}``) as JSON bytes.

    With ``strict=False`` the config asks the library to ignore unknown keys (``"lenient": true``).
    """
    from tidebreak.contracts import document

    if isinstance(config, (str, bytes, bytearray)) and max_tracks is None and strict:
        return document(config)
    if not isinstance(config, dict):
        if not isinstance(config, (str, bytes, bytearray)) and not hasattr(config, "model_dump"):
            raise TypeError(f"config must be a dict, JSON text or BattlePackage, not {type(config).__name__}")
        config = json.loads(document(config))
    if not isinstance(config, dict):
        raise TypeError(f"config must be a JSON object, not {type(config).__name__}")
    if "package" not in config:
        config = {"package": config}
    if max_tracks is not None:
        config = {**config, "max_tracks": max_tracks}
    if config.get("max_tracks") == 0:
        # The library reads 0 as "not given" (8 slots): refuse it rather than
        # return observations of another size than asked for.
        raise ValueError(f"max_tracks must be within [1, {layout.MAX_TRACKS_LIMIT}] (got 0)")
    if not strict:
        import tidebreak.contracts as contracts

        # The package's unknown keys are dropped here, each reported as an UnknownFieldWarning;
        # the library ignores (and logs) unknown keys of the config around it.
        package = contracts.checked_package(config["package"], strict=False, stacklevel=6)
        config = {**config, "package": package, "lenient": True}
    return document(config)


def _create(
    function: str, config: Config, max_tracks: int | None, strict: bool, *args: int
) -> tuple[int, bytes]:
    """Create an env or batch (its handle, and the config as sent); a config the contract refuses
    raises ContractError."""
    import tidebreak.contracts as contracts

    raw = config_json(config, max_tracks, strict=strict)
    lib = _native.lib()
    out = _native.ffi.new("uint64_t *")
    try:
        _native.check(function, getattr(lib, function)(raw, len(raw), *args, out))
    except _native.NativeError as e:
        raise contracts.contract_error(function, e, raw) from None
    return int(out[0]), raw


class _Bound:
    """A batch of envs in the library with its numpy buffers bound once."""

    _destroy_name = ""

    def __init__(self, handle: int, spec_fn: str, num_envs: int) -> None:
        self._lib = _native.lib()
        self._handle = handle
        out = _native.ffi.new("tb_spec *")
        _native.check(spec_fn, getattr(self._lib, spec_fn)(handle, out))
        self.spec = EnvSpec(
            out.obs_size,
            out.action_size,
            out.reward_terms,
            out.mask_size,
            out.agents_per_env,
            out.num_envs,
            out.max_ticks,
            out.substeps,
        )
        n, a = num_envs, self.spec.agents_per_env
        self.obs = np.zeros((n * a, self.spec.obs_size), np.float32)
        self.final_obs = np.zeros_like(self.obs)
        self.mask = np.zeros((n * a, self.spec.mask_size), np.float32)
        self.rewards = np.zeros((n * a, self.spec.reward_terms), np.float32)
        self.terminated = np.zeros(n, np.uint8)
        self.truncated = np.zeros(n, np.uint8)
        self.actions = np.zeros((n * a, self.spec.action_size), np.float32)
        self._actions_ptr = self._ptr("float *", self.actions)
        self._started = False  # reset() was called
        self._bufs = _native.ffi.new("tb_buffers *")
        b = self._bufs
        b.obs, b.obs_len = self._ptr("float *", self.obs), self.obs.size
        b.mask, b.mask_len = self._ptr("float *", self.mask), self.mask.size
        b.rewards, b.rewards_len = self._ptr("float *", self.rewards), self.rewards.size
        b.terminated, b.terminated_len = self._ptr("uint8_t *", self.terminated), n
        b.truncated, b.truncated_len = self._ptr("uint8_t *", self.truncated), n

    @staticmethod
    def _ptr(ctype: str, arr: npt.NDArray[Any]) -> Any:
        return _native.ffi.cast(ctype, _native.ffi.from_buffer(arr))

    def zero_actions(self) -> npt.NDArray[np.float32]:
        """An all-zero action array of the right shape (a new array)."""
        return np.zeros_like(self.actions)

    def _set_actions(self, actions: npt.ArrayLike) -> None:
        arr = np.asarray(actions, dtype=np.float32)
        if arr.size != self.actions.size:
            raise ValueError(
                f"actions has {arr.size} values (shape {arr.shape}), want {self.actions.size} "
                f"(shape {self.actions.shape}: agents × {self.spec.action_size})"
            )
        np.copyto(self.actions, arr.reshape(self.actions.shape))

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._handle == 0

    def _h(self) -> int:
        if self._handle == 0:
            raise RuntimeError(f"{type(self).__name__} is closed")
        return self._handle

    def _h_started(self) -> int:
        """The handle, for a call that needs an episode under way."""
        handle = self._h()
        if not self._started:
            raise RuntimeError(f"{type(self).__name__}: call reset() before step()")
        return handle

    def close(self) -> None:
        """Destroy the native env; further calls raise RuntimeError."""
        if self._handle:
            handle, self._handle = self._handle, 0
            if not _native._forked:
                getattr(self._lib, self._destroy_name)(handle)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: S110 - interpreter shutdown or a forked child
            pass

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_event_dtype() -> None:
    ffi = _native.ffi
    offsets = {name: f[1] for name, f in (EVENT_DTYPE.fields or {}).items()}
    same = ffi.sizeof("tb_event") == EVENT_DTYPE.itemsize and all(
        ffi.offsetof("tb_event", name) == off for name, off in offsets.items()
    )
    if not same:
        raise ImportError("tidebreak.engine.events.EVENT_DTYPE does not match tb_event in tidebreak.h")


_check_event_dtype()


def _ship_ids(raw: bytes) -> list[str]:
    doc = json.loads(raw)
    pkg = doc.get("package", doc) if isinstance(doc, dict) else {}
    ships = pkg.get("ships") if isinstance(pkg, dict) else None
    return [str(s.get("ship_id")) for s in ships if isinstance(s, dict)] if isinstance(ships, list) else []


class NativeEnv(_Bound):
    """One env: a battle whose "agent" ships take actions from Python.

    ``config`` is a BattlePackage (dict, JSON text or pydantic model) or
    ``{"package": ..., "max_tracks": K}``. A package the contract refuses
    raises :class:`tidebreak.contracts.ContractError`; ``strict=False``
    ignores unknown keys with an ``UnknownFieldWarning``.
    """

    _destroy_name = "tb_env_destroy"

    def __init__(self, config: Config, *, max_tracks: int | None = None, strict: bool = True) -> None:
        handle, raw = _create("tb_env_create", config, max_tracks, strict)
        super().__init__(handle, "tb_env_spec", 1)
        self.ship_ids: list[str] = _ship_ids(raw)
        """The package's ship ids, in order (entity i + 1 is ship_ids[i])."""
        self._events = np.zeros(64, EVENT_DTYPE)
        self._event_count = _native.ffi.new("int64_t *")

    def reset(self, seed: int | None = None) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Start a new episode; ``seed=None`` continues the env's seed sequence.

        Returns the observation (agents × obs_size) and action mask.
        """
        if seed is not None and not 0 < seed < 2**64:
            raise ValueError(f"seed must be within [1, 2**64) (got {seed})")
        _native.check("tb_env_reset", self._lib.tb_env_reset(self._h(), seed or 0, self._bufs))
        self._started = True
        return self.obs, self.mask

    def step(
        self, actions: npt.ArrayLike
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], bool, bool]:
        """Advance one 1 s tick. Returns (obs, reward terms, terminated, truncated).

        Raises RuntimeError before the first :meth:`reset` and after :meth:`close`.
        """
        handle = self._h_started()
        self._set_actions(actions)
        _native.check(
            "tb_env_step",
            self._lib.tb_env_step(handle, self._actions_ptr, self.actions.size, self._bufs),
        )
        return self.obs, self.rewards, bool(self.terminated[0]), bool(self.truncated[0])

    def observe(self) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Rewrite the current observation and mask."""
        _native.check("tb_env_observe", self._lib.tb_env_observe(self._h(), self._bufs))
        return self.obs, self.mask

    def events(self) -> npt.NDArray[Any]:
        """The events of the last step, in the order they happened: a new
        structured array of :data:`~tidebreak.engine.events.EVENT_DTYPE`
        (``tick``, ``kind``, ``source``, ``target``, ``trace``, ``cause``,
        ``value``; ships as entities 1…n). Empty after :meth:`reset` and
        :meth:`load`. See docs/observation.md#events.
        """
        h, count = self._h(), self._event_count
        while True:
            ptr = _native.ffi.cast("tb_event *", _native.ffi.from_buffer(self._events))
            rc = self._lib.tb_env_events(h, ptr, len(self._events), count)
            if rc != self._lib.TB_ERR_TOO_SMALL:
                break
            self._events = np.zeros(max(int(count[0]), 2 * len(self._events)), EVENT_DTYPE)
        _native.check("tb_env_events", rc)
        return self._events[: int(count[0])].copy()

    def event_dicts(self) -> list[dict[str, Any]]:
        """The last step's events as dicts naming ships by ``ship_id``
        (:func:`~tidebreak.engine.events.event_dicts`).

        >>> import tidebreak
        >>> env = tidebreak.NativeEnv(tidebreak.scenarios.load("gun_duel"))
        >>> _ = env.reset(seed=3)
        >>> kinds = set()
        >>> for _ in range(120):
        ...     _ = env.step(env.zero_actions())
        ...     kinds |= {e["kind"] for e in env.event_dicts()}
        >>> {"fire", "hit", "damage"} <= kinds
        True
        """
        return event_dicts(self.events(), self.ship_ids)

    def save(self) -> bytes:
        """The env's complete state, for :meth:`load` (e.g. to clone it).

        A sealed JSON document (:mod:`tidebreak.engine.state`): read it with
        :func:`tidebreak.engine.state.world_of`.
        """
        blob = _native.ffi.new("uint64_t *")
        length = _native.ffi.new("int64_t *")
        _native.check("tb_env_save", self._lib.tb_env_save(self._h(), blob, length))
        return _native.take_blob(blob[0], length[0])

    def load(self, state: bytes) -> None:
        """Restore a state from :meth:`save` of an env built from the same config.

        The library checks the state before it changes anything: its checksum,
        every key (none missing, none unknown) and every value's range.
        A refused state raises :class:`~tidebreak.engine._native.NativeError`
        (``TB_ERR_INVALID``, or ``TB_ERR_JSON`` for malformed JSON) naming
        the field, and leaves the env as it was.
        """
        _native.check("tb_env_load", self._lib.tb_env_load(self._h(), state, len(state)))
        self._started = True  # the loaded episode goes on

    def state_hash(self) -> tuple[str, int]:
        """The canonical state hash (16 hex digits) and the current tick.

        After step ``t`` it equals ``result.replay.tick_hashes[t - 1]`` of the
        same battle run by :func:`tidebreak.simulate`.
        """
        out = _native.ffi.new("uint64_t *")
        tick = _native.ffi.new("int32_t *")
        _native.check("tb_env_hash", self._lib.tb_env_hash(self._h(), out, tick))
        return f"{out[0]:016x}", int(tick[0])


AUTORESET_MODES = ("same_step", "next_step", "disabled")
"""``NativeVecEnv``'s autoreset modes (Gymnasium's ``AutoresetMode``s)."""

TEACHERS = ("aggressive", "stalker", "expert")
"""The scripted controllers that may be a batch's ``teacher`` (:meth:`NativeVecEnv.teacher_actions`)."""


class NativeVecEnv(_Bound):
    """N envs from one config, stepped in one native call.

    ``autoreset_mode`` (or the config's ``"autoreset_mode"``) says what
    :meth:`step` does with an env whose episode ends:

    "same_step" (default)
        its flags and rewards are those of the final tick, its terminal
        observation is in ``final_obs``, and ``obs`` already holds the first
        observation of its next episode.
    "next_step"
        ``obs`` holds the terminal observation; the env's next step resets
        it instead of advancing it (its actions are ignored, its rewards and
        flags are zero).
    "disabled"
        stepping while an env's episode is over fails until
        ``reset(seeds, mask)`` resets it.

    A reset continues an env's seed sequence unless given a seed.
    """

    _destroy_name = "tb_batch_destroy"

    def __init__(
        self,
        config: Config,
        num_envs: int,
        *,
        max_tracks: int | None = None,
        autoreset_mode: str | None = None,
        teacher: str | None = None,
        strict: bool = True,
    ) -> None:
        if not 1 <= num_envs <= 65536:
            raise ValueError(f"num_envs must be within [1, 65536] (got {num_envs})")
        extra: dict[str, str] = {}
        if autoreset_mode is not None:
            if autoreset_mode not in AUTORESET_MODES:
                raise ValueError(f"autoreset_mode must be one of {AUTORESET_MODES} (got {autoreset_mode!r})")
            extra["autoreset_mode"] = autoreset_mode
        if teacher is not None:
            if teacher not in TEACHERS:
                raise ValueError(f"teacher must be one of {TEACHERS} (got {teacher!r})")
            extra["teacher"] = teacher
        if extra:
            config = {**json.loads(config_json(config, max_tracks)), **extra}
            max_tracks = None
        handle, _ = _create("tb_batch_create", config, max_tracks, strict, num_envs)
        super().__init__(handle, "tb_batch_spec", num_envs)
        self.num_envs = num_envs
        b = self._bufs
        b.final_obs, b.final_obs_len = self._ptr("float *", self.final_obs), self.final_obs.size
        self._seeds = np.zeros(num_envs, np.uint64)
        self._seeds_ptr = self._ptr("uint64_t *", self._seeds)
        self._reset_mask = np.zeros(num_envs, np.uint8)
        self._reset_mask_ptr = self._ptr("uint8_t *", self._reset_mask)
        self._teacher: npt.NDArray[np.float32] | None = None

    def teacher_actions(self) -> npt.NDArray[np.float32]:
        """The teacher's commands of the last :meth:`step`, shaped like
        :attr:`actions` (``(num_envs, agents, action_size)``, native action
        values): what the config's ``"teacher"`` controller would have
        ordered each agent ship in that step, for the observation it began
        with (the teacher decides as scripted ships do, after the tick's
        sensing, so from tracks one update fresher than the observation).
        Zeros for a ship out of action and before the first step. The array
        is reused: copy it to keep it. Raises ``TidebreakError``
        (``TB_ERR_STATE``) when the env was built without ``teacher=``.

        >>> from tidebreak.engine.native_env import NativeVecEnv
        >>> from tidebreak import scenarios
        >>> pkg = scenarios.load("duel", controllers={"corvette": "agent"})
        >>> env = NativeVecEnv(pkg, 2, teacher="expert")
        >>> _ = env.reset([1, 2]); _ = env.step(env.zero_actions())
        >>> env.teacher_actions().shape
        (2, 1, 7)
        >>> env.close()
        """
        handle = self._h_started()
        if self._teacher is None:
            self._teacher = np.zeros_like(self.actions)
        _native.check(
            "tb_batch_teacher",
            self._lib.tb_batch_teacher(handle, self._ptr("float *", self._teacher), self._teacher.size),
        )
        return self._teacher

    def reset(
        self, seeds: npt.ArrayLike | None = None, mask: npt.ArrayLike | None = None
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Reset every env, or with ``mask`` (one bool per env) only those
        where it is True: the others keep their state and their rows of the
        buffers. ``seeds[i] == 0`` (or ``seeds=None``) continues env i's
        sequence."""
        handle = self._h()
        if seeds is None:
            self._seeds[:] = 0
        else:
            arr = np.asarray(seeds, dtype=np.uint64).reshape(-1)
            if arr.size != self.num_envs:
                raise ValueError(f"got {arr.size} seeds for {self.num_envs} envs")
            self._seeds[:] = arr
        if mask is None:
            _native.check(
                "tb_batch_reset",
                self._lib.tb_batch_reset(handle, self._seeds_ptr, self.num_envs, self._bufs),
            )
        else:
            m = np.asarray(mask)
            if m.shape != (self.num_envs,):
                raise ValueError(f"reset mask has shape {m.shape}, want ({self.num_envs},)")
            if not self._started and not m.all():
                raise RuntimeError(f"{type(self).__name__}: the first reset() must reset every env")
            self._reset_mask[:] = m.astype(bool)
            _native.check(
                "tb_batch_reset_some",
                self._lib.tb_batch_reset_some(
                    handle, self._seeds_ptr, self._reset_mask_ptr, self.num_envs, self._bufs
                ),
            )
        self._started = True
        return self.obs, self.mask

    def step(
        self, actions: npt.ArrayLike | None
    ) -> tuple[
        npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.uint8], npt.NDArray[np.uint8]
    ]:
        """Advance every env one tick. Returns (obs, reward terms, terminated, truncated).

        With ``actions=None`` the envs take the actions already written into
        :attr:`actions` (the bound buffer), which saves a copy per step.
        """
        handle = self._h_started()
        if actions is not None:
            self._set_actions(actions)
        _native.check(
            "tb_batch_step",
            self._lib.tb_batch_step(handle, self._actions_ptr, self.actions.size, self._bufs),
        )
        return self.obs, self.rewards, self.terminated, self.truncated
