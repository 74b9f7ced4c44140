"""The native batched Gymnasium vector env: N envs stepped in one library call."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import gymnasium
import numpy as np
import numpy.typing as npt
from gymnasium.vector import AutoresetMode

from tidebreak.engine import layout
from tidebreak.gym import _envdoc, config
from tidebreak.gym.spaces import MultiDiscreteActions, make_codec, observation_space
from tidebreak.rl.rewards import as_reward_fn

__all__ = ["TidebreakVectorEnv", "as_autoreset_mode"]

_WIN, _LOSS, _DRAW = (layout.REWARD_TERMS.index(n) for n in ("win", "loss", "draw"))
_NATIVE_MODES = {
    AutoresetMode.NEXT_STEP: "next_step",
    AutoresetMode.SAME_STEP: "same_step",
    AutoresetMode.DISABLED: "disabled",
}


def as_autoreset_mode(mode: AutoresetMode | str) -> AutoresetMode:
    """An ``AutoresetMode`` from itself, its value ("NextStep") or its name in
    any case ("next_step", "NEXT_STEP").

    >>> as_autoreset_mode("same_step")
    <AutoresetMode.SAME_STEP: 'SameStep'>
    """
    if isinstance(mode, AutoresetMode):
        return mode
    for m in AutoresetMode:
        if isinstance(mode, str) and mode in (m.value, m.name, m.name.lower()):
            return m
    names = ", ".join(f"AutoresetMode.{m.name}" for m in AutoresetMode)
    raise ValueError(f"autoreset_mode must be one of {names} (got {mode!r})")


def _outcomes(terms: npt.NDArray[np.float32], done: npt.NDArray[np.bool_]) -> npt.NDArray[np.object_]:
    """Each done env's outcome, None for the others."""
    out = np.full(terms.shape[0], None, dtype=object)
    out[done & (terms[:, _DRAW] > 0)] = "draw"
    out[done & (terms[:, _LOSS] > 0)] = "loss"
    out[done & (terms[:, _WIN] > 0)] = "win"
    out[done & (out == None)] = ""  # noqa: E711 - elementwise test of an object array
    return out


class TidebreakVectorEnv(gymnasium.vector.VectorEnv[Any, Any, Any], config.ScenarioSelection):
    """``num_envs`` copies of :class:`~tidebreak.gym.env.TidebreakEnv` in one native batch.

    Takes the single env's keyword arguments (except rendering) and:

    ``autoreset_mode`` (default ``AutoresetMode.NEXT_STEP``, as Gymnasium's
    own vector envs)
        ``NEXT_STEP``: the step that ends env ``i``'s episode returns its
        terminal observation, reward and flags, and ``infos["outcome"]`` /
        ``infos["is_success"]`` (masked by ``_outcome``/``_is_success``); its
        next step resets it, ignores its action and returns its first
        observation with reward 0, flags clear and the reset info.
        ``SAME_STEP`` (what SB3 expects): the ending step already returns the
        next episode's first observation; ``infos["final_obs"][i]`` holds the
        terminal one and ``infos["final_info"]`` the ending step's info.
        ``DISABLED``: nothing resets by itself; ``reset(options={"reset_mask":
        mask})`` resets the envs where ``mask`` is True, and stepping while an
        env's episode is over raises RuntimeError.
    ``seeding`` (default "offset")
        ``reset(seed=s)`` gives env ``i`` the seed ``s + i``, as
        ``SyncVectorEnv`` does, so swapping the vectorisation mode keeps the
        results; "sequence" uses ``env_seeds(s, num_envs, "sequence")``
        (``numpy.random.SeedSequence``). A list gives each env its seed
        (None: continue its sequence).

    In every mode env ``i`` plays exactly, bit for bit, like a single
    ``TidebreakEnv`` reset with its seed, stepped with the same actions and
    reset (seed None, continuing its sequence) when Gymnasium's own vector
    env would reset it.

    ``infos`` hold ``reward_terms`` (N, 14) and ``legal_choices`` (N, 6)
    every step; in multidiscrete mode also ``action_mask``, a tuple of one
    ``(N, n)`` int8 array per dimension, which ``action_space.sample(mask=...)``
    takes. :meth:`action_masks` gives the flat (N, 19) masks for MaskablePPO.
    """

    metadata: dict[str, Any] = {"autoreset_mode": AutoresetMode.NEXT_STEP, "render_modes": []}

    def __init__(
        self,
        num_envs: int = 1,
        scenario: config.Scenario = "duel",
        *,
        stage: int | None = None,
        opponent: str | None = None,
        agent_ship: str | None = None,
        reward_weights: Any = None,
        action_mode: str = "box",
        render_mode: str | None = None,
        max_tracks: int = layout.DEFAULT_MAX_TRACKS,
        autoreset_mode: AutoresetMode | str = AutoresetMode.NEXT_STEP,
        seeding: str = "offset",
        max_episode_steps: int | None = None,
        strict: bool = True,
        teacher: str | None = None,
        **unused: Any,
    ) -> None:
        unused.pop("render_view", None)  # nothing to render (render_mode must be None)
        if unused:
            raise TypeError(f"unexpected arguments: {', '.join(unused)}")
        if render_mode is not None:
            raise ValueError("the native vector env does not render; use single envs for frames")
        if not 1 <= num_envs <= 65536:
            raise ValueError(f"num_envs must be within [1, 65536] (got {num_envs})")
        if seeding not in config.SEEDINGS:
            raise ValueError(f"seeding must be one of {config.SEEDINGS} (got {seeding!r})")
        self.num_envs = num_envs
        self.render_mode = None
        self.autoreset_mode = as_autoreset_mode(autoreset_mode)
        self.metadata = {**type(self).metadata, "autoreset_mode": self.autoreset_mode}
        self.seeding = seeding
        self.opponent = opponent
        self.max_tracks = config.check_max_tracks(max_tracks)
        self._agent_ship_arg = agent_ship
        self.action_mode = action_mode
        self.codec = make_codec(action_mode)
        self.reward_fn = as_reward_fn(reward_weights)
        self.single_observation_space = observation_space(self.max_tracks)
        self.single_action_space = self.codec.space()
        self.observation_space = gymnasium.vector.utils.batch_space(self.single_observation_space, num_envs)
        self.action_space = self.codec.batch_space(num_envs)
        self._native: Any = None
        self._closed = False
        self._started = False
        self._done = np.zeros(num_envs, bool)  # episodes that ended on the last step
        self._any_done = False
        self._native_mask = np.zeros((num_envs, layout.MASK_SIZE), np.float32)
        self._flat_masks: npt.NDArray[np.bool_] | None = None  # multidiscrete: MaskablePPO's masks
        self._all = np.ones(num_envs, bool)
        self.strict = strict
        if teacher is not None:
            from tidebreak.engine.native_env import TEACHERS

            if teacher not in TEACHERS:
                raise ValueError(f"teacher must be one of {TEACHERS} (got {teacher!r})")
        self.teacher = teacher
        self._configure(scenario, stage)
        limit = config.episode_steps(self.package)
        if max_episode_steps is not None and max_episode_steps < limit:
            raise ValueError(
                f"max_episode_steps={max_episode_steps} is shorter than the scenario's episodes "
                f"({limit} steps, its time_limit_s): the native vector env ends episodes at the "
                "time limit; shorten time_limit_s in a scenario dict instead"
            )

    def _env(self) -> Any:
        if self._closed:
            raise RuntimeError(f"{type(self).__name__} is closed; make a new env")
        if self._native is None:
            from tidebreak.engine.native_env import NativeVecEnv

            self._native = NativeVecEnv(
                {"package": self.package, "max_tracks": self.max_tracks},
                self.num_envs,
                autoreset_mode=_NATIVE_MODES[self.autoreset_mode],
                teacher=self.teacher,
            )
        return self._native

    def teacher_actions(self) -> npt.NDArray[Any]:
        """What the ``teacher`` controller (``teacher="expert"``, ``"stalker"``
        or ``"aggressive"`` when the env was made) would have ordered each
        agent ship in the last :meth:`step`, for the observation it began with
        (deciding after that tick's sensing, as scripted ships do),
        in this env's action space: shape (num_envs, *single action shape).
        The ships do what the actions said; the teacher only advises, for
        imitation losses (``tidebreak train``'s ``[teacher]`` table).

        >>> from tidebreak.gym.vector import TidebreakVectorEnv
        >>> env = TidebreakVectorEnv(4, "duel", action_mode="multidiscrete", teacher="expert")
        >>> _ = env.reset(seed=0); _ = env.step(env.action_space.sample())
        >>> env.teacher_actions().shape
        (4, 5)
        >>> env.close()
        """
        if self.teacher is None:
            raise RuntimeError(f"{type(self).__name__} was made without teacher=; pass teacher='expert'")
        native = self._env().teacher_actions()
        return self.codec.from_native(native.reshape(self.num_envs, -1))

    @property
    def native(self) -> Any:
        """The underlying :class:`tidebreak.NativeVecEnv` (created on first use)."""
        return self._env()

    def _infos(self, terms: npt.NDArray[np.float32], which: npt.NDArray[np.bool_]) -> dict[str, Any]:
        """The per-step infos of the envs in ``which`` (with their ``_key`` masks)."""
        legal = self.codec.legal(self._native_mask)
        infos: dict[str, Any] = {
            "reward_terms": terms,
            "_reward_terms": which.copy(),
            "legal_choices": legal,
            "_legal_choices": which.copy(),
        }
        if isinstance(self.codec, MultiDiscreteActions):
            self._flat_masks = self.codec.flat_from_legal(legal)
            infos["action_mask"] = self.codec.split(self._flat_masks)
            infos["_action_mask"] = which.copy()
        return infos

    def reset(
        self,
        *,
        seed: int | Sequence[int | None] | None = None,
        options: dict[str, Any] | None = None,
    ) -> tuple[npt.NDArray[np.float32], dict[str, Any]]:
        """Reset every env, or with ``options={"reset_mask": mask}`` (bool,
        shape (num_envs,)) the envs where ``mask`` is True (the others keep
        their episodes and their rows of the observation)."""
        env = self._env()
        reset_mask = None if options is None else options.get("reset_mask")
        if reset_mask is not None:
            if not isinstance(reset_mask, np.ndarray) or reset_mask.dtype != np.bool_:
                raise TypeError(f'options["reset_mask"] must be a numpy bool array, got {reset_mask!r}')
            if reset_mask.shape != (self.num_envs,):
                raise ValueError(
                    f'options["reset_mask"] has shape {reset_mask.shape}, want ({self.num_envs},)'
                )
            if not reset_mask.any():
                raise ValueError('options["reset_mask"] must have at least one True value')
        if isinstance(seed, (int, np.integer)):
            self._np_random, self._np_random_seed = gymnasium.utils.seeding.np_random(int(seed))
        obs, mask = env.reset(config.native_seeds(seed, self.num_envs, self.seeding), reset_mask)
        self._started = True
        which = self._all if reset_mask is None else reset_mask
        self._done[which] = False
        self._any_done = bool(self._done.any())
        self._native_mask = mask.copy()
        terms = np.zeros((self.num_envs, layout.NUM_REWARD_TERMS), np.float32)
        return obs.copy(), self._infos(terms, which)

    def step(
        self, actions: Any
    ) -> tuple[
        npt.NDArray[np.float32],
        npt.NDArray[np.float64],
        npt.NDArray[np.bool_],
        npt.NDArray[np.bool_],
        dict[str, Any],
    ]:
        env = self._env()
        if not self._started:
            raise RuntimeError(f"{type(self).__name__}: call reset() before step()")
        mode = self.autoreset_mode
        if self._any_done and mode == AutoresetMode.DISABLED:
            raise RuntimeError(
                f"envs {np.flatnonzero(self._done).tolist()} finished their episodes: with "
                'autoreset_mode=DISABLED reset them (reset(options={"reset_mask": mask})) before stepping'
            )
        self.codec.to_native(actions, env.actions)  # into the bound buffer; checks the shape
        obs, terms, term_u8, trunc_u8 = env.step(None)
        self._native_mask = env.mask.copy()
        terms = terms.copy()
        rewards = np.asarray(self.reward_fn(terms), dtype=np.float64)
        terminated = term_u8.astype(bool)
        truncated = trunc_u8.astype(bool)
        done = terminated | truncated
        if self._any_done and mode == AutoresetMode.NEXT_STEP:
            rewards[self._done] = 0.0  # this step reset them
        infos = self._infos(terms, self._all)
        any_done = bool(done.any())
        if any_done:
            outcome = _outcomes(terms, done)
            ended = {
                "outcome": outcome,
                "_outcome": done.copy(),
                "is_success": outcome == "win",
                "_is_success": done.copy(),
            }
            if mode == AutoresetMode.SAME_STEP:
                final_obs = np.full(self.num_envs, None, dtype=object)
                for i in np.flatnonzero(done):
                    final_obs[i] = env.final_obs[i].copy()
                infos["final_obs"] = final_obs
                infos["_final_obs"] = done.copy()
                infos["final_info"] = {
                    "reward_terms": np.where(done[:, None], terms, 0).astype(np.float32),
                    "_reward_terms": done.copy(),
                    **ended,
                }
                infos["_final_info"] = done.copy()
                # the top-level infos of the reset envs are their reset infos
                infos["reward_terms"] = np.where(done[:, None], np.float32(0), terms).astype(np.float32)
            else:
                infos.update(ended)
        self._done, self._any_done = done, any_done
        return obs.copy(), rewards, terminated, truncated, infos

    def action_masks(self) -> npt.NDArray[np.bool_]:
        """Current flat masks, shape (num_envs, 19), for MaskablePPO
        (multidiscrete mode; a Box has no mask and this raises ValueError)."""
        if self._flat_masks is None:
            return self.codec.mask(self._native_mask)  # raises for a Box, naming legal_choices
        return self._flat_masks.copy()

    def close_extras(self, **kwargs: Any) -> None:
        self._closed = True
        self._close_native()


_envdoc.document(TidebreakVectorEnv, "vector")
