"""The single-agent Gymnasium env: one ship from Python vs scripted ships."""

from __future__ import annotations

from pathlib import Path
from typing import Any, SupportsFloat

import gymnasium
import numpy as np
import numpy.typing as npt

from tidebreak.engine import layout
from tidebreak.gym import _envdoc, config
from tidebreak.gym.render import Renderer, check_render
from tidebreak.gym.spaces import make_codec, observation_space
from tidebreak.rl.rewards import as_reward_fn

__all__ = ["TidebreakEnv", "outcome_of"]

_WIN, _LOSS, _DRAW = (layout.REWARD_TERMS.index(n) for n in ("win", "loss", "draw"))


def outcome_of(terms: npt.NDArray[np.float32]) -> str:
    """ "win", "loss" or "draw" from the final tick's reward terms (else "")."""
    if terms[_WIN] > 0:
        return "win"
    if terms[_LOSS] > 0:
        return "loss"
    if terms[_DRAW] > 0:
        return "draw"
    return ""


class TidebreakEnv(gymnasium.Env[npt.NDArray[Any], Any], config.ScenarioSelection):
    """One agent-controlled ship against scripted ships.

    Parameters
    ----------
    scenario:
        Scenario name (``tidebreak.scenarios.names()``); ``stage=n`` picks
        ``stage{n}`` instead.
    opponent:
        Controller for every ship of the other teams (e.g. "random",
        "patrol"); None keeps the scenario's.
    agent_ship:
        Ship id to control; default the first ship of the first team.
    reward_weights:
        Weights for :class:`tidebreak.rl.rewards.RewardShaper` (mapping, one
        value per term, a shaper, "sparse"/"dense"/"default", or any callable
        ``terms[..., n_terms] -> rewards[...]``).
    action_mode:
        "box" (native 7 floats) or "multidiscrete" (with masks).
    render_mode:
        None, "rgb_array" (``render()`` returns a top-down frame of the map,
        ships by layer, tracks and projectiles) or "human" (the frame is
        shown in a window after every ``reset`` and ``step``; it needs a
        display and raises a RuntimeError without one).
    render_view:
        "agent" (default) draws what the agent's ship knows: itself, its
        sensor ranges, its tracks with their error circles and its own
        projectiles; "truth" draws every ship and projectile.
    max_tracks:
        Track slots in the observation, within [1, 64].
    record_dir:
        If set, every finished episode is written there as a ``.tbr``
        replay file (``tidebreak view`` / ``tidebreak replay`` read it).
        Recording reads the full state every step: use it for evaluation,
        not training.
    strict:
        A scenario given as a package dict is checked with the contract when
        the env is built (this loads the library): unknown keys are errors
        (``ships[0].controler: unknown field; did you mean "controller"?``)
        unless ``strict=False``, which drops them with an
        ``UnknownFieldWarning``.

    ``info`` holds ``legal_choices`` (bool[6], named by
    :data:`tidebreak.gym.spaces.LEGAL_CHOICE_NAMES`: what may fire, dive,
    surface or ping now) and ``reward_terms`` (float32[n_terms], raw); in
    multidiscrete mode also ``action_mask`` in the space's form (a tuple of
    one int8 array per dimension, for ``action_space.sample(mask=...)``); at
    the end of an episode also ``outcome`` ("win", "loss", "draw") and
    ``is_success``.

    The episode ends when the battle does: if the agent's ship is put out of
    action while its team fights on, later steps are no-ops for it.
    """

    metadata: dict[str, Any] = {"render_modes": ["human", "rgb_array"], "render_fps": 10}

    def __init__(
        self,
        scenario: config.Scenario = "duel",
        *,
        stage: int | None = None,
        opponent: str | None = None,
        agent_ship: str | None = None,
        reward_weights: Any = None,
        action_mode: str = "box",
        render_mode: str | None = None,
        render_view: str = "agent",
        max_tracks: int = layout.DEFAULT_MAX_TRACKS,
        record_dir: str | Path | None = None,
        strict: bool = True,
    ) -> None:
        check_render(render_mode, render_view)
        self.render_mode, self.render_view = render_mode, render_view
        self.opponent = opponent
        self.max_tracks = config.check_max_tracks(max_tracks)
        self._agent_ship_arg = agent_ship
        self.codec = make_codec(action_mode)
        self.action_mode = action_mode
        self.reward_fn = as_reward_fn(reward_weights)
        self.observation_space = observation_space(self.max_tracks)
        self.action_space = self.codec.space()
        self._native: Any = None
        self._renderer: Renderer | None = None
        self._native_actions = np.zeros((1, layout.ACTION_SIZE), np.float32)
        self._obs: npt.NDArray[np.float32] = np.zeros(layout.obs_size(self.max_tracks), np.float32)
        self._mask = np.zeros((1, layout.MASK_SIZE), np.float32)
        self._started = False
        self._closed = False
        self.record_dir = None if record_dir is None else Path(record_dir)
        self._recorder: Any = None
        self._episodes = 0
        self.strict = strict
        self._configure(scenario, stage)

    def _env(self) -> Any:
        if self._closed:
            raise RuntimeError(f"{type(self).__name__} is closed; make a new env")
        if self._native is None:
            from tidebreak.engine.native_env import NativeEnv

            self._native = NativeEnv({"package": self.package, "max_tracks": self.max_tracks})
        return self._native

    def _info(self, terms: npt.NDArray[np.float32]) -> dict[str, Any]:
        info: dict[str, Any] = {"legal_choices": self.codec.legal(self._mask)[0], "reward_terms": terms}
        masks = self.codec.space_mask(self._mask)
        if masks is not None:
            info["action_mask"] = tuple(m[0] for m in masks)
        return info

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[npt.NDArray[np.float32], dict[str, Any]]:
        """Start an episode. ``seed`` (an int ≥ 0) maps to a library seed via
        ``SeedSequence``; None continues the env's seed sequence."""
        env = self._env()
        super().reset(seed=seed)
        obs, mask = env.reset(None if seed is None else config.native_seed(seed))
        self._started = True
        self._obs = obs[0].copy()
        self._mask = mask.copy()
        if self.record_dir is not None:
            from tidebreak.replays.records import Recorder

            self._recorder = Recorder(self.package)
            self._recorder.record_tick(env.save())
        info = self._info(np.zeros(layout.NUM_REWARD_TERMS, np.float32))
        if self.render_mode == "human":
            self.render()
        return self._obs.copy(), info

    def step(self, action: Any) -> tuple[npt.NDArray[np.float32], SupportsFloat, bool, bool, dict[str, Any]]:
        env = self._env()
        if not self._started:
            raise RuntimeError(f"{type(self).__name__}: call reset() before step()")
        self.codec.to_native(self.codec.check(action)[None], self._native_actions)
        obs, terms, terminated, truncated = env.step(self._native_actions)
        self._obs = obs[0].copy()
        self._mask = env.mask.copy()
        terms_row = terms[0].copy()
        reward = float(self.reward_fn(terms_row))
        info = self._info(terms_row)
        if self._recorder is not None:
            self._recorder.record_tick(env.save(), env.event_dicts())
        if terminated or truncated:
            outcome = outcome_of(terms_row)
            info["outcome"] = outcome
            info["is_success"] = outcome == "win"
            if self._recorder is not None:
                info["record_path"] = str(self._save_record())
        if self.render_mode == "human":
            self.render()
        return self._obs.copy(), reward, terminated, truncated, info

    def _save_record(self) -> Path:
        assert self.record_dir is not None
        self._episodes += 1
        path = self.record_dir / f"{self.scenario}-episode{self._episodes:05d}.tbr"
        self._recorder.save(path)
        self._recorder = None
        return path

    def action_masks(self) -> npt.NDArray[np.bool_]:
        """The current mask flattened into 19 booleans, as MaskablePPO expects
        (multidiscrete mode; a Box has no mask and this raises ValueError)."""
        out: npt.NDArray[np.bool_] = self.codec.mask(self._mask)[0]
        return out

    def render(self) -> npt.NDArray[np.uint8] | None:  # type: ignore[override,unused-ignore]
        """The current frame ("rgb_array"), or None after showing it in the
        window ("human") or with no render mode."""
        if self.render_mode is None:
            return None
        if self._renderer is None:
            self._renderer = Renderer(self.package, self.render_mode)
        pov = None if self.render_view == "truth" else self.agent_ship
        return self._renderer.render(self._env().save(), pov)

    def close(self) -> None:
        self._closed = True
        self._close_native()
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None


_envdoc.document(TidebreakEnv, "single")
