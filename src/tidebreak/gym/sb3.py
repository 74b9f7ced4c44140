"""A Stable-Baselines3 ``VecEnv`` backed by the native batch.

>>> from tidebreak.gym.sb3 import make_vec_env
>>> venv = make_vec_env("Tidebreak/Duel-v0", n_envs=4, seed=0)
>>> venv.reset().shape
(4, 133)
>>> venv.close()

All ``n_envs`` envs step in one library call, with same-step autoreset
(the vector env's ``autoreset_mode=AutoresetMode.SAME_STEP``, SB3's
convention). Infos follow SB3's conventions: ``terminal_observation`` and ``TimeLimit.truncated`` when an
env's episode ends (it is reset in the same step), plus ``reward_terms``,
and at episode end ``outcome`` and ``is_success`` (so SB3 logs a success
rate). ``env_method("action_masks")`` returns the masks for
sb3-contrib's ``MaskablePPO``; ``env_method("set_stage", n)`` switches a
curriculum env to stage ``n``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import gymnasium
import numpy as np
import numpy.typing as npt
from gymnasium.vector import AutoresetMode
from stable_baselines3.common.vec_env import VecEnv, VecMonitor
from stable_baselines3.common.vec_env.base_vec_env import VecEnvIndices, VecEnvStepReturn

from tidebreak.gym import config
from tidebreak.gym.vector import TidebreakVectorEnv

__all__ = ["TidebreakSB3VecEnv", "make_vec_env"]


class TidebreakSB3VecEnv(VecEnv):  # type: ignore[misc,unused-ignore]
    """SB3 view of a :class:`~tidebreak.gym.vector.TidebreakVectorEnv` made
    with ``autoreset_mode=AutoresetMode.SAME_STEP``."""

    def __init__(self, venv: TidebreakVectorEnv) -> None:
        if venv.autoreset_mode != AutoresetMode.SAME_STEP:
            raise ValueError(
                f"SB3 expects same-step autoreset: make the vector env with "
                f"autoreset_mode=AutoresetMode.SAME_STEP (got {venv.autoreset_mode})"
            )
        self.venv = venv
        super().__init__(venv.num_envs, venv.single_observation_space, venv.single_action_space)
        self._actions: Any = None

    # --- stepping -----------------------------------------------------------------------
    def reset(self) -> npt.NDArray[np.float32]:
        seeds = None if all(s is None for s in self._seeds) else list(self._seeds)
        obs, infos = self.venv.reset(seed=seeds)
        self.reset_infos = [
            {"legal_choices": infos["legal_choices"][i], "reward_terms": infos["reward_terms"][i]}
            for i in range(self.num_envs)
        ]
        self._reset_seeds()
        self._reset_options()
        return obs

    def step_async(self, actions: np.ndarray) -> None:
        self._actions = actions

    def step_wait(self) -> VecEnvStepReturn:
        obs, rewards, terminated, truncated, infos = self.venv.step(self._actions)
        dones = terminated | truncated
        terms = infos["reward_terms"]
        out: list[dict[str, Any]] = [{"reward_terms": terms[i]} for i in range(self.num_envs)]
        if dones.any():
            final = infos["final_info"]
            for i in np.flatnonzero(dones):
                d = out[i]
                d["reward_terms"] = final["reward_terms"][i]
                d["terminal_observation"] = infos["final_obs"][i]
                d["TimeLimit.truncated"] = bool(truncated[i] and not terminated[i])
                d["outcome"] = final["outcome"][i]
                d["is_success"] = bool(final["is_success"][i])
        return obs, rewards.astype(np.float32), dones, out

    def seed(self, seed: int | None = None) -> Sequence[int | None]:
        """Seeds for the next reset: ``env_seeds(seed, n_envs, seeding)``
        (``seed + i`` by default, as SB3's own VecEnvs)."""
        seeds: list[int | None] = [None] * self.num_envs
        if seed is not None:
            seeds = list(config.env_seeds(seed, self.num_envs, self.venv.seeding))
        self._seeds = seeds
        return seeds

    def close(self) -> None:
        self.venv.close()

    # --- attributes and methods ---------------------------------------------------------
    def get_attr(self, attr_name: str, indices: VecEnvIndices = None) -> list[Any]:
        value = getattr(self.venv, attr_name)
        return [value for _ in self._get_indices(indices)]

    def set_attr(self, attr_name: str, value: Any, indices: VecEnvIndices = None) -> None:
        idx = list(self._get_indices(indices))
        if len(idx) != self.num_envs:
            raise ValueError("the native batch shares its attributes: set them for all envs at once")
        setattr(self.venv, attr_name, value)

    def env_method(
        self, method_name: str, *method_args: Any, indices: VecEnvIndices = None, **method_kwargs: Any
    ) -> list[Any]:
        idx = list(self._get_indices(indices))
        if method_name == "action_masks":
            masks = self.venv.action_masks()
            return [masks[i] for i in idx]
        if method_name == "set_stage":
            self.venv.set_stage(*method_args, **method_kwargs)
            return [None for _ in idx]
        if len(idx) != self.num_envs:
            raise ValueError(f"{method_name!r} runs on the whole native batch; pass indices=None")
        result = getattr(self.venv, method_name)(*method_args, **method_kwargs)
        return [result for _ in idx]

    def env_is_wrapped(
        self, wrapper_class: type[gymnasium.Wrapper[Any, Any, Any, Any]], indices: VecEnvIndices = None
    ) -> list[bool]:
        return [False for _ in self._get_indices(indices)]

    def get_images(self) -> Sequence[np.ndarray | None]:
        return [None for _ in range(self.num_envs)]

    def action_masks(self) -> npt.NDArray[np.bool_]:
        """Current masks, shape (n_envs, mask size)."""
        return self.venv.action_masks()


def make_vec_env(
    env_id: str = "Tidebreak/Duel-v0",
    n_envs: int = 8,
    seed: int | None = None,
    *,
    monitor: bool = True,
    **env_kwargs: Any,
) -> VecEnv:
    """An SB3 ``VecEnv`` of ``n_envs`` envs of ``env_id`` in one native batch.

    ``env_kwargs`` go to the env (``opponent=``, ``action_mode=``,
    ``reward_weights=``, ``stage=``, ``seeding=`` …). With ``monitor``
    (default) it is wrapped in ``VecMonitor`` so SB3 logs episode returns
    and lengths.
    """
    spec = gymnasium.spec(env_id)
    if not str(spec.entry_point).startswith("tidebreak.gym"):
        raise ValueError(f"{env_id} is not a Tidebreak battle env")
    kwargs = {**spec.kwargs, "autoreset_mode": AutoresetMode.SAME_STEP, **env_kwargs}
    venv: VecEnv = TidebreakSB3VecEnv(TidebreakVectorEnv(n_envs, **kwargs))
    if seed is not None:
        venv.seed(seed)
    if monitor:
        venv = VecMonitor(venv, info_keywords=("is_success",))
    return venv
