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
``Tidebreak/Strategic-v0``     the campaign layer's ``StrategicEnv`` (a day a step)
=============================  ===============================================

Each id's ``spec.max_episode_steps`` is its episodes' length: the
scenario's time limit in 1 s ticks (the longest stage for the curriculum),
or the campaign's days.

>>> import gymnasium, tidebreak.gym
>>> from tidebreak import scenarios
>>> gymnasium.spec("Tidebreak/Duel-v0").max_episode_steps == scenarios.load("duel")["time_limit_s"]
True
>>> env = gymnasium.make("Tidebreak/Duel-v0", action_mode="multidiscrete")
>>> env.action_space
MultiDiscrete([5 5 4 3 2])
>>> obs, info = env.reset(seed=0)
>>> [m.shape for m in info["action_mask"]]
[(5,), (5,), (4,), (3,), (2,)]
>>> action = env.action_space.sample(mask=info["action_mask"])
>>> env.close()

See ``docs/rl.md`` for the vector env, SB3, PettingZoo, rewards and curricula.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

import gymnasium

from tidebreak import scenarios
from tidebreak.gym.config import (
    AGENT_SHIPS,
    ENV_IDS,
    available_ids,
    build_package,
    env_seeds,
    max_episode_steps,
    native_seed,
)

__all__ = [
    "ENV_IDS",
    "STRATEGIC_ID",
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


STRATEGIC_ID = "Tidebreak/Strategic-v0"
STRATEGIC_DAYS = 365
"""Days of a ``Tidebreak/Strategic-v0`` campaign (its ``max_days``): one step a day."""


def register_envs() -> None:
    """Register every Tidebreak id with Gymnasium (done on import; idempotent)."""
    have = set(scenarios.names())
    for env_id, scenario in ENV_IDS.items():
        if env_id in gymnasium.registry:
            continue
        kwargs: dict[str, Any] = {"scenario": scenario}
        if scenario is None:
            kwargs["stage"] = 1
        if env_id in AGENT_SHIPS:
            kwargs["agent_ship"] = AGENT_SHIPS[env_id]
        shipped = all(f"stage{n}" in have for n in range(1, 7)) if scenario is None else scenario in have
        gymnasium.register(
            id=env_id,
            entry_point="tidebreak.gym.env:TidebreakEnv",
            vector_entry_point="tidebreak.gym.vector:TidebreakVectorEnv",
            kwargs=kwargs,
            max_episode_steps=max_episode_steps(scenario) if shipped else None,
        )
    if STRATEGIC_ID not in gymnasium.registry:
        gymnasium.register(
            id=STRATEGIC_ID,
            entry_point="tidebreak.strategic.env:StrategicEnv",
            kwargs={"max_days": STRATEGIC_DAYS},
            max_episode_steps=STRATEGIC_DAYS,
        )


register_envs()


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'tidebreak.gym' has no attribute {name!r}")
    module, attr = _LAZY[name]
    value = getattr(import_module(module), attr)
    globals()[name] = value
    return value
