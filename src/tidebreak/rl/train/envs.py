"""The training envs: one native batch per scripted opponent, stepped as one.

:class:`OpponentMix` splits ``num_envs`` envs of one id between scripted
opponents by their shares (``{"idle": 2, "aggressive": 1}``) and steps them
in turn, each batch in one library call. Arrays come back concatenated in a
fixed env order; nothing loops over envs in Python.

>>> from tidebreak.rl.train.envs import OpponentMix, split_envs
>>> split_envs(10, {"idle": 2, "aggressive": 1})
[('idle', 7), ('aggressive', 3)]
>>> mix = OpponentMix("Tidebreak/Duel-v0", 6, {"idle": 1, "aggressive": 1}, {"action_mode": "multidiscrete"})
>>> obs, masks = mix.reset(seed=0)
>>> obs.shape, masks.shape
((6, 133), (6, 19))
>>> mix.close()
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import gymnasium
import numpy as np
import numpy.typing as npt

from tidebreak.gym.spaces import MultiDiscreteActions

__all__ = ["OpponentMix", "split_envs", "StepResult"]

OUTCOMES = ("win", "loss", "draw")


def split_envs(num_envs: int, shares: Mapping[str, float]) -> list[tuple[str | None, int]]:
    """How many of ``num_envs`` envs each opponent gets (largest remainder; at least one each).

    An empty ``shares`` keeps the scenario's own opponents: ``[(None, num_envs)]``.
    """
    if not shares:
        return [(None, num_envs)]
    names = list(shares)
    total = float(sum(shares.values()))
    exact = [num_envs * shares[n] / total for n in names]
    counts = [max(1, int(x)) for x in exact]
    while sum(counts) < num_envs:
        i = max(range(len(names)), key=lambda k: exact[k] - counts[k])
        counts[i] += 1
    while sum(counts) > num_envs:
        i = max((k for k in range(len(names)) if counts[k] > 1), key=lambda k: counts[k] - exact[k])
        counts[i] -= 1
    return list(zip(names, counts))


class StepResult:
    """One step of every env: arrays of length ``num_envs`` (views, valid until the next step)."""

    __slots__ = ("obs", "masks", "rewards", "dones", "outcome")

    def __init__(
        self,
        obs: npt.NDArray[np.float32],
        masks: npt.NDArray[np.bool_],
        rewards: npt.NDArray[np.float32],
        dones: npt.NDArray[np.bool_],
        outcome: npt.NDArray[np.int8],
    ) -> None:
        self.obs, self.masks, self.rewards, self.dones, self.outcome = obs, masks, rewards, dones, outcome


class OpponentMix:
    """``num_envs`` envs of ``env_id``, split between scripted opponents.

    ``outcome`` codes per finished env: 0 win, 1 loss, 2 draw, -1 still
    running. ``opponent_index[i]`` is env ``i``'s opponent in
    :attr:`opponents`. A time-out ends an episode like any other end: the
    observation holds the time left, so the learner treats it as terminal.

    The batches autoreset in ``AutoresetMode.SAME_STEP`` (asked for
    explicitly; Gymnasium's default is NEXT_STEP): a finished env's row of
    the returned observation is already its next episode's first one, so no
    step is spent on a reset and every transition is a real one. ``masks``
    are the flat (num_envs, 19) masks in multidiscrete mode and empty
    (num_envs, 0) for a Box, which has none.
    """

    def __init__(
        self,
        env_id: str,
        num_envs: int,
        opponents: Mapping[str, float],
        env_kwargs: Mapping[str, Any] | None = None,
        teacher: str | None = None,
    ) -> None:
        from gymnasium.vector import AutoresetMode

        import tidebreak.gym  # noqa: F401 - registers the ids
        from tidebreak.gym.vector import TidebreakVectorEnv

        spec = gymnasium.spec(env_id)
        kwargs = {**spec.kwargs, **(env_kwargs or {})}
        self.env_id = env_id
        self.num_envs = num_envs
        self.groups = split_envs(num_envs, opponents)
        self.opponents = [name for name, _ in self.groups]
        self.envs = [
            TidebreakVectorEnv(
                n, **{**kwargs, "opponent": name}, autoreset_mode=AutoresetMode.SAME_STEP, teacher=teacher
            )
            for name, n in self.groups
        ]
        self.single_observation_space = self.envs[0].single_observation_space
        self.single_action_space = self.envs[0].single_action_space
        self.action_mode: str = self.envs[0].action_mode
        self.obs_size = int(np.prod(self.single_observation_space.shape or (0,)))
        self.mask_size = MultiDiscreteActions.mask_size if self.action_mode == "multidiscrete" else 0
        bounds = np.cumsum([0] + [n for _, n in self.groups])
        self._slices = [slice(int(a), int(b)) for a, b in zip(bounds, bounds[1:])]
        self.opponent_index = np.concatenate([np.full(n, k, np.int8) for k, (_, n) in enumerate(self.groups)])
        n = num_envs
        self._obs = np.zeros((n, self.obs_size), np.float32)
        self._masks = np.zeros((n, self.mask_size), bool)
        self._rewards = np.zeros(n, np.float32)
        self._dones = np.zeros(n, bool)
        self._outcome = np.full(n, -1, np.int8)

    def reset(self, seed: int) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
        """Reset every env; group ``k`` is seeded from ``SeedSequence([seed, k])``."""
        for k, (env, sl) in enumerate(zip(self.envs, self._slices)):
            group_seed = int(np.random.SeedSequence([seed, k]).generate_state(1)[0])
            obs, _ = env.reset(seed=group_seed)
            self._obs[sl] = obs
            if self.mask_size:
                self._masks[sl] = env.action_masks()
        return self._obs, self._masks

    def step(self, actions: npt.NDArray[Any]) -> StepResult:
        """Step every env with ``actions`` (one row per env, in env order)."""
        self._outcome.fill(-1)
        for env, sl in zip(self.envs, self._slices):
            obs, rewards, terminated, truncated, infos = env.step(actions[sl])
            self._obs[sl] = obs
            if self.mask_size:
                self._masks[sl] = env.action_masks()
            self._rewards[sl] = rewards
            done = terminated | truncated
            self._dones[sl] = done
            if done.any():
                outcome = infos["final_info"]["outcome"]
                out = self._outcome[sl]
                for code, name in enumerate(OUTCOMES):
                    out[done & (outcome == name)] = code
        return StepResult(self._obs, self._masks, self._rewards, self._dones, self._outcome)

    def teacher_actions(self, out: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """Write into ``out`` (one row per env) the teacher's advice for the
        observations the last :meth:`step` began with, in the action space
        (needs ``teacher``); returns ``out``."""
        for env, sl in zip(self.envs, self._slices):
            out[sl] = env.teacher_actions()
        return out

    def close(self) -> None:
        """Close every batch."""
        for env in self.envs:
            env.close()
