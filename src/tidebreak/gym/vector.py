"""The native batched Gymnasium vector env: N envs stepped in one library call."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import gymnasium
import numpy as np
import numpy.typing as npt
from gymnasium.vector import AutoresetMode
from gymnasium.vector.utils import batch_space

from tidebreak.engine import layout
from tidebreak.gym import _config
from tidebreak.gym.spaces import make_codec, observation_space
from tidebreak.rl.rewards import as_reward_fn

__all__ = ["TidebreakVectorEnv"]

_WIN, _LOSS, _DRAW = (layout.REWARD_TERMS.index(n) for n in ("win", "loss", "draw"))


def _outcomes(terms: npt.NDArray[np.float32]) -> npt.NDArray[np.object_]:
    out = np.full(terms.shape[0], "", dtype=object)
    out[terms[:, _DRAW] > 0] = "draw"
    out[terms[:, _LOSS] > 0] = "loss"
    out[terms[:, _WIN] > 0] = "win"
    return out


class TidebreakVectorEnv(gymnasium.vector.VectorEnv[Any, Any, Any], _config.ScenarioSelection):
    """``num_envs`` copies of :class:`~tidebreak.gym.env.TidebreakEnv` in one native batch.

    Takes the same keyword arguments as the single env. Autoreset is
    same-step (``metadata["autoreset_mode"] == AutoresetMode.SAME_STEP``):
    when env ``i`` ends, its flags and reward are the final tick's,
    ``infos["final_obs"][i]`` holds the terminal observation,
    ``infos["final_info"]`` that step's info (``reward_terms``, ``outcome``,
    ``is_success``), and the returned observation is already the first of
    the next episode (whose seed follows the env's seed sequence).

    ``reset(seed=s)`` gives env ``i`` the seed ``env_seeds(s, num_envs)[i]``
    (``numpy.random.SeedSequence(s).generate_state``); a list gives each env
    its own seed (None: continue its sequence). Env ``i`` then plays exactly,
    bit for bit, like a single ``TidebreakEnv`` reset with that seed.
    """

    metadata: dict[str, Any] = {"autoreset_mode": AutoresetMode.SAME_STEP, "render_modes": []}

    def __init__(
        self,
        num_envs: int = 1,
        scenario: _config.Scenario = "duel",
        *,
        stage: int | None = None,
        opponent: str | None = None,
        agent_ship: str | None = None,
        reward_weights: Any = None,
        action_mode: str = "box",
        render_mode: str | None = None,
        max_tracks: int = layout.DEFAULT_MAX_TRACKS,
        **unused: Any,
    ) -> None:
        unused.pop("max_episode_steps", None)  # the arena truncates by itself
        unused.pop("render_view", None)  # nothing to render (render_mode must be None)
        if unused:
            raise TypeError(f"unexpected arguments: {', '.join(unused)}")
        if render_mode is not None:
            raise ValueError("the native vector env does not render; use single envs for frames")
        if not 1 <= num_envs <= 65536:
            raise ValueError(f"num_envs must be within [1, 65536] (got {num_envs})")
        self.num_envs = num_envs
        self.render_mode = None
        self.opponent = opponent
        self.max_tracks = max_tracks
        self._agent_ship_arg = agent_ship
        self.action_mode = action_mode
        self.codec = make_codec(action_mode)
        self.reward_fn = as_reward_fn(reward_weights)
        self.single_observation_space = observation_space(max_tracks)
        self.single_action_space = self.codec.space()
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.action_space = batch_space(self.single_action_space, num_envs)
        self._native: Any = None
        self._masks = self.codec.mask(np.zeros((num_envs, layout.MASK_SIZE), np.float32))
        self._all = np.ones(num_envs, bool)
        self._configure(scenario, stage)

    def _env(self) -> Any:
        if self._native is None:
            from tidebreak.engine.native_env import NativeVecEnv

            self._native = NativeVecEnv(
                {"package": self.package, "max_tracks": self.max_tracks}, self.num_envs
            )
        return self._native

    @property
    def native(self) -> Any:
        """The underlying :class:`tidebreak.NativeVecEnv` (created on first use)."""
        return self._env()

    def reset(
        self,
        *,
        seed: int | Sequence[int | None] | None = None,
        options: dict[str, Any] | None = None,
    ) -> tuple[npt.NDArray[np.float32], dict[str, Any]]:
        if isinstance(seed, (int, np.integer)):
            self._np_random, self._np_random_seed = gymnasium.utils.seeding.np_random(int(seed))
        env = self._env()
        obs, mask = env.reset(_config.native_seeds(seed, self.num_envs))
        self._masks = self.codec.mask(mask)
        infos = {
            "action_mask": self._masks,
            "_action_mask": self._all.copy(),
            "reward_terms": np.zeros((self.num_envs, layout.NUM_REWARD_TERMS), np.float32),
            "_reward_terms": self._all.copy(),
        }
        return obs.copy(), infos

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
        self.codec.to_native(actions, env.actions)  # straight into the bound buffer
        obs, terms, term_u8, trunc_u8 = env.step(None)
        self._masks = self.codec.mask(env.mask)  # a new array each step
        terms = terms.copy()
        rewards = np.asarray(self.reward_fn(terms), dtype=np.float64)
        terminated = term_u8.astype(bool)
        truncated = trunc_u8.astype(bool)
        done = terminated | truncated
        top_terms = terms
        infos: dict[str, Any] = {
            "action_mask": self._masks,
            "_action_mask": self._all.copy(),
        }
        if done.any():
            final_obs = np.full(self.num_envs, None, dtype=object)
            for i in np.flatnonzero(done):
                final_obs[i] = env.final_obs[i].copy()
            outcome = _outcomes(terms)
            outcome[~done] = None
            infos["final_obs"] = final_obs
            infos["_final_obs"] = done.copy()
            infos["final_info"] = {
                "reward_terms": np.where(done[:, None], terms, 0).astype(np.float32),
                "_reward_terms": done.copy(),
                "outcome": outcome,
                "_outcome": done.copy(),
                "is_success": outcome == "win",
                "_is_success": done.copy(),
            }
            infos["_final_info"] = done.copy()
            top_terms = np.where(done[:, None], np.float32(0), terms).astype(np.float32)
        infos["reward_terms"] = top_terms
        infos["_reward_terms"] = self._all.copy()
        return obs.copy(), rewards, terminated, truncated, infos

    def action_masks(self) -> npt.NDArray[np.bool_]:
        """Current masks, shape (num_envs, mask size), for this action mode."""
        return self._masks.copy()

    def close_extras(self, **kwargs: Any) -> None:
        self._close_native()
