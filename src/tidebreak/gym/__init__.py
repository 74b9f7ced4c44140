"""Gymnasium, Stable-Baselines3 and PettingZoo interfaces to the Tidebreak arena.

Importing this module registers the Gymnasium ids below; it does not load
the native library (that happens on the first ``reset``).

=============================  ===============================================
id                             scenario
=============================  ===============================================
``Tidebreak/Duel-v0``          ``duel``
``Tidebreak/GunDuel-v0``       ``gun_duel``
``Tidebreak/SubDuel-v0``       ``sub_duel``
``Tidebreak/Fleet4v4-v0``      ``fleet_4v4``
``Tidebreak/Fleet16v16-v0``    ``fleet_16v16``
``Tidebreak/Convoy-v0``        ``convoy`` (agent: ``escort-1``)
``Tidebreak/Curriculum-v0``    ``stage{stage}``, option ``stage=1..6``
=============================  ===============================================

>>> import gymnasium, tidebreak.gym
>>> env = gymnasium.make("Tidebreak/Duel-v0", action_mode="multidiscrete")
>>> env.action_space
MultiDiscrete([5 5 4 3 2])
>>> obs, info = env.reset(seed=0)
>>> info["action_mask"].shape
(19,)
>>> env.close()

See ``docs/rl.md`` for the vector env, SB3, PettingZoo, rewards and curricula.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

import gymnasium

from tidebreak.gym._config import AGENT_SHIPS, ENV_IDS, available_ids, build_package, env_seeds, native_seed

__all__ = [
    "ENV_IDS",
    "available_ids",
    "build_package",
    "env_seeds",
    "native_seed",
    "register_envs",
    "TidebreakEnv",
    "TidebreakVectorEnv",
    "TidebreakParallelEnv",
    "parallel_env",
]

_LAZY = {
    "TidebreakEnv": ("tidebreak.gym.env", "TidebreakEnv"),
    "TidebreakVectorEnv": ("tidebreak.gym.vector", "TidebreakVectorEnv"),
    "TidebreakParallelEnv": ("tidebreak.gym.multiagent", "TidebreakParallelEnv"),
    "parallel_env": ("tidebreak.gym.multiagent", "parallel_env"),
}

if TYPE_CHECKING:
    from tidebreak.gym.env import TidebreakEnv
    from tidebreak.gym.multiagent import TidebreakParallelEnv, parallel_env
    from tidebreak.gym.vector import TidebreakVectorEnv


def register_envs() -> None:
    """Register every Tidebreak id with Gymnasium (done on import; idempotent)."""
    for env_id, scenario in ENV_IDS.items():
        if env_id in gymnasium.registry:
            continue
        kwargs: dict[str, Any] = {"scenario": scenario}
        if scenario is None:
            kwargs["stage"] = 1
        if env_id in AGENT_SHIPS:
            kwargs["agent_ship"] = AGENT_SHIPS[env_id]
        gymnasium.register(
            id=env_id,
            entry_point="tidebreak.gym.env:TidebreakEnv",
            vector_entry_point="tidebreak.gym.vector:TidebreakVectorEnv",
            kwargs=kwargs,
        )


register_envs()


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'tidebreak.gym' has no attribute {name!r}")
    module, attr = _LAZY[name]
    value = getattr(import_module(module), attr)
    globals()[name] = value
    return value
