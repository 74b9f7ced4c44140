"""Train policies on any Tidebreak env id: ``tidebreak train`` and :func:`tidebreak.train`.

A short PPO of our own (CleanRL-style, :mod:`tidebreak.rl.train.ppo`) over
the native vector env, with a tuned configuration per env id shipped in
``tidebreak/rl/configs/`` (:mod:`tidebreak.rl.train.config`), periodic
evaluation against the scripted controllers, the best policy kept by
evaluation and saved as a numpy :class:`~tidebreak.rl.policy.Policy`.

Importing this package needs no torch; :func:`train` does (the ``train``
extra: ``pip install 'tidebreak[train]'``). docs/rl.md has the
configurations, the learning curves and the measurements behind them.

>>> from tidebreak.rl.train import load_config
>>> load_config("Tidebreak/Duel-v0").eval.targets
{'idle': 0.9, 'aggressive': 0.6}
"""

from __future__ import annotations

from tidebreak.rl.train.config import (
    ConfigError,
    EvalConfig,
    PPOConfig,
    TeacherConfig,
    TrainConfig,
    config_file,
    config_names,
    load_config,
)
from tidebreak.rl.train.trainer import EvalPoint, TrainResult, train

__all__ = [
    "train",
    "TrainResult",
    "EvalPoint",
    "TrainConfig",
    "PPOConfig",
    "EvalConfig",
    "TeacherConfig",
    "ConfigError",
    "load_config",
    "config_names",
    "config_file",
]
