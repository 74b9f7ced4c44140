"""PettingZoo ``ParallelEnv``: every ship of a scenario is an agent.

>>> from tidebreak.gym import parallel_env
>>> env = parallel_env(scenario="duel")
>>> env.possible_agents
['corvette', 'submarine']
>>> obs, infos = env.reset(seed=1)
>>> sorted(infos["corvette"])
['legal_choices', 'reward_terms']
>>> env.close()

Agents are ship ids. An agent whose ship is put out of action is
terminated on that step and leaves ``agents``; when the battle ends every
remaining agent is terminated (or truncated at the time limit).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import numpy.typing as npt
from gymnasium import spaces

try:
    from pettingzoo import ParallelEnv  # type: ignore[import-untyped,unused-ignore]
except ImportError as e:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        "tidebreak.gym.parallel_env needs PettingZoo: pip install 'tidebreak[pettingzoo]'"
    ) from e

from tidebreak.engine import layout
from tidebreak.gym import _envdoc, config
from tidebreak.gym.env import outcome_of
from tidebreak.gym.render import Renderer, check_render
from tidebreak.gym.spaces import make_codec, observation_space
from tidebreak.rl.rewards import as_reward_fn

__all__ = ["TidebreakParallelEnv", "parallel_env"]

_DEATH = layout.REWARD_TERMS.index("death")
_HP = layout.OWN_FIELDS.index("hp")


class TidebreakParallelEnv(ParallelEnv):  # type: ignore[misc,unused-ignore]
    """Every ship of ``scenario`` controlled from Python.

    Keyword arguments as for :class:`~tidebreak.gym.env.TidebreakEnv`
    (``reward_weights``, ``action_mode``, ``max_tracks``, ``render_mode``,
    ``render_view``). ``infos[agent]`` holds ``legal_choices`` and
    ``reward_terms``, and in multidiscrete mode ``action_mask`` in the
    space's form (also from :meth:`action_mask`), which
    ``action_space(agent).sample(mask=...)`` takes.
    """

    metadata: dict[str, Any] = {
        "name": "tidebreak_v0",
        "render_modes": ["human", "rgb_array"],
        "render_fps": 10,
        "is_parallelizable": True,
    }

    def __init__(
        self,
        scenario: config.Scenario = "duel",
        *,
        stage: int | None = None,
        reward_weights: Any = None,
        action_mode: str = "box",
        render_mode: str | None = None,
        render_view: str = "agent",
        max_tracks: int = layout.DEFAULT_MAX_TRACKS,
        strict: bool = True,
    ) -> None:
        check_render(render_mode, render_view)
        self.render_mode, self.render_view = render_mode, render_view
        self.scenario = config.scenario_for(scenario, stage)
        self.package, ids = config.build_package(self.scenario, all_agents=True, strict=strict)
        self.possible_agents: list[str] = list(ids)
        self.agents: list[str] = []
        self.max_tracks = config.check_max_tracks(max_tracks)
        self.codec = make_codec(action_mode)
        self.action_mode = action_mode
        self.reward_fn = as_reward_fn(reward_weights)
        self._obs_space = observation_space(self.max_tracks)
        self._act_space = self.codec.space()
        self._index = {a: i for i, a in enumerate(self.possible_agents)}
        n = len(self.possible_agents)
        self._native: Any = None
        self._actions = np.zeros((n, layout.ACTION_SIZE), np.float32)
        self._obs = np.zeros((n, self._obs_space.shape[0]), np.float32)
        self._mask = np.zeros((n, layout.MASK_SIZE), np.float32)
        self._renderer: Renderer | None = None
        self._started = False
        self._closed = False

    @functools.cache  # noqa: B019 - one space object per agent, for the env's lifetime
    def observation_space(self, agent: str) -> spaces.Space[Any]:
        return self._obs_space

    @functools.cache  # noqa: B019
    def action_space(self, agent: str) -> spaces.Space[Any]:
        return self._act_space

    def _env(self) -> Any:
        if self._closed:
            raise RuntimeError(f"{type(self).__name__} is closed; make a new env")
        if self._native is None:
            from tidebreak.engine.native_env import NativeEnv

            self._native = NativeEnv({"package": self.package, "max_tracks": self.max_tracks})
        return self._native

    def reset(
        self, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, npt.NDArray[np.float32]], dict[str, dict[str, Any]]]:
        env = self._env()
        obs, mask = env.reset(None if seed is None else config.native_seed(seed))
        np.copyto(self._obs, obs)
        np.copyto(self._mask, mask)
        self._started = True
        self.agents = list(self.possible_agents)
        infos = self._infos(self.agents, np.zeros((len(self._index), layout.NUM_REWARD_TERMS), np.float32))
        observations = {a: self._obs[i].copy() for a, i in self._index.items()}
        if self.render_mode == "human":
            self.render()
        return observations, infos

    def _infos(self, agents: list[str], terms: npt.NDArray[np.float32]) -> dict[str, dict[str, Any]]:
        legal = self.codec.legal(self._mask)
        masks = self.codec.space_mask(self._mask)
        infos: dict[str, dict[str, Any]] = {}
        for a in agents:
            i = self._index[a]
            info: dict[str, Any] = {"legal_choices": legal[i], "reward_terms": terms[i]}
            if masks is not None:
                info["action_mask"] = tuple(m[i] for m in masks)
            infos[a] = info
        return infos

    def step(
        self, actions: dict[str, Any]
    ) -> tuple[
        dict[str, npt.NDArray[np.float32]],
        dict[str, float],
        dict[str, bool],
        dict[str, bool],
        dict[str, dict[str, Any]],
    ]:
        env = self._env()
        if not self._started:
            raise RuntimeError(f"{type(self).__name__}: call reset() before step()")
        if not self.agents:
            raise RuntimeError("every agent is done; call reset()")
        self._actions[:] = 0
        given = [a for a in self.agents if a in actions]
        if given:
            rows = np.zeros((len(given), layout.ACTION_SIZE), np.float32)
            self.codec.to_native(np.stack([self.codec.check(actions[a]) for a in given]), rows)
            self._actions[[self._index[a] for a in given]] = rows
        obs, terms, terminated, truncated = env.step(self._actions)
        np.copyto(self._obs, obs)
        np.copyto(self._mask, env.mask)
        # One fresh array each for the observations and reward terms of this
        # step: every agent gets a row of them (views, not copies), and the
        # per-agent values come from whole-array operations.
        obs_all = self._obs.copy()
        terms = terms.copy()
        rewards_all = np.asarray(self.reward_fn(terms), np.float64).tolist()
        infos = self._infos(self.agents, terms)
        done = (terms[:, _DEATH] > 0) | (obs_all[:, _HP] <= 0)
        if terminated:
            done[:] = True
        term_all, trunc_all = done.tolist(), (~done & bool(truncated)).tolist()
        ended = terminated or truncated
        observations: dict[str, npt.NDArray[np.float32]] = {}
        rewards: dict[str, float] = {}
        terms_out: dict[str, bool] = {}
        truncs_out: dict[str, bool] = {}
        remaining = []
        index = self._index
        for a in self.agents:
            i = index[a]
            observations[a] = obs_all[i]
            rewards[a] = rewards_all[i]
            terms_out[a] = term_all[i]
            truncs_out[a] = trunc_all[i]
            if ended:
                outcome = outcome_of(terms[i])
                infos[a]["outcome"] = outcome
                infos[a]["is_success"] = outcome == "win"
            if not (term_all[i] or trunc_all[i]):
                remaining.append(a)
        self.agents = remaining
        if self.render_mode == "human":
            self.render()
        return observations, rewards, terms_out, truncs_out, infos

    def action_mask(self, agent: str) -> tuple[npt.NDArray[np.int8], ...]:
        """``agent``'s current action mask in the space's form (multidiscrete
        mode; a Box has no mask and this raises ValueError)."""
        masks = self.codec.space_mask(self._mask[self._index[agent]][None])
        if masks is None:
            self.codec.mask(self._mask)  # raises, naming what to use instead
            raise AssertionError("unreachable")
        return tuple(m[0] for m in masks)

    def render(self) -> npt.NDArray[np.uint8] | None:  # type: ignore[override,unused-ignore]
        """A frame of the first live agent's view, or the ground truth with
        ``render_view="truth"``: returned ("rgb_array") or shown ("human")."""
        if self.render_mode is None:
            return None
        if self._renderer is None:
            self._renderer = Renderer(self.package, self.render_mode)
        agent = self.agents[0] if self.agents else self.possible_agents[0]
        pov = None if self.render_view == "truth" else agent
        return self._renderer.render(self._env().save(), pov)

    def close(self) -> None:
        self._closed = True
        if self._native is not None:
            self._native.close()
            self._native = None
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None


def parallel_env(scenario: config.Scenario = "duel", **kwargs: Any) -> TidebreakParallelEnv:
    """A :class:`TidebreakParallelEnv` for ``scenario`` (every ship an agent)."""
    return TidebreakParallelEnv(scenario, **kwargs)


_envdoc.document(TidebreakParallelEnv, "parallel")
