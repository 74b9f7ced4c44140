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

__version__ = "0.1.0"

_LAZY = {
    "simulate": ("tidebreak.simulation", "simulate"),
    "NativeEnv": ("tidebreak.native_env", "NativeEnv"),
    "NativeVecEnv": ("tidebreak.native_env", "NativeVecEnv"),
    "NativeError": ("tidebreak._native", "NativeError"),
    "replay": ("tidebreak.records", "replay"),
    "evaluate": ("tidebreak.evaluation", "evaluate"),
    "scenarios": ("tidebreak.scenarios", None),
    "contracts": ("tidebreak.contracts", None),
}

__all__ = ["__version__", *_LAZY]

if TYPE_CHECKING:
    from tidebreak import contracts as contracts
    from tidebreak import scenarios as scenarios
    from tidebreak._native import NativeError as NativeError
    from tidebreak.evaluation import evaluate as evaluate
    from tidebreak.native_env import NativeEnv as NativeEnv
    from tidebreak.native_env import NativeVecEnv as NativeVecEnv
    from tidebreak.records import replay as replay
    from tidebreak.simulation import simulate as simulate


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'tidebreak' has no attribute {name!r}")
    module, attr = _LAZY[name]
    value = import_module(module) if attr is None else getattr(import_module(module), attr)
    globals()[name] = value
    return value
