"""Tidebreak: a fast, deterministic naval-combat simulator for reinforcement learning.

Importing ``tidebreak`` is cheap: the Go library is loaded on the first call
that needs it.

>>> import tidebreak
>>> result = tidebreak.simulate(tidebreak.scenarios.load("duel"))
>>> len(result.ships)
2
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from tidebreak import _compat

_compat.install()

__version__ = "0.1.0"

_LAZY = {
    "simulate": ("tidebreak.engine.simulation", "simulate"),
    "NativeEnv": ("tidebreak.engine.native_env", "NativeEnv"),
    "NativeVecEnv": ("tidebreak.engine.native_env", "NativeVecEnv"),
    "NativeError": ("tidebreak.engine.native", "NativeError"),
    "replay": ("tidebreak.replays.records", "replay"),
    "evaluate": ("tidebreak.rl.evaluation", "evaluate"),
    "train": ("tidebreak.rl.train", "train"),
    "scenarios": ("tidebreak.scenarios", None),
    "contracts": ("tidebreak.contracts", None),
}

__all__ = ["__version__", *_LAZY]

if TYPE_CHECKING:
    from tidebreak import contracts as contracts
    from tidebreak import scenarios as scenarios
    from tidebreak.engine.native import NativeError as NativeError
    from tidebreak.engine.native_env import NativeEnv as NativeEnv
    from tidebreak.engine.native_env import NativeVecEnv as NativeVecEnv
    from tidebreak.engine.simulation import simulate as simulate
    from tidebreak.replays.records import replay as replay
    from tidebreak.rl.evaluation import evaluate as evaluate
    from tidebreak.rl.train import train as train


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'tidebreak' has no attribute {name!r}")
    module, attr = _LAZY[name]
    value = import_module(module) if attr is None else getattr(import_module(module), attr)
    globals()[name] = value
    return value
