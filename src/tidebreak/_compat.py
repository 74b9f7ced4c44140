"""Import paths of earlier releases, kept working after the move into layers.

Modules that sat at the top of the package now live in the layer they belong
to (``engine``, ``rl``, ``replays``). ``import tidebreak.rewards`` and
``from tidebreak.records import Recorder`` still work: a finder on
``sys.meta_path`` answers the old name with the module at its new place, so
both names refer to one module object.

>>> import tidebreak.rewards, tidebreak.rl.rewards
>>> tidebreak.rewards is tidebreak.rl.rewards
True

New code imports the new paths; this table only grows.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from types import ModuleType

__all__ = ["MOVED", "install"]

MOVED: dict[str, str] = {
    "tidebreak._native": "tidebreak.engine._native",
    "tidebreak.native_env": "tidebreak.engine.native_env",
    "tidebreak.layout": "tidebreak.engine.layout",
    "tidebreak.simulation": "tidebreak.engine.simulation",
    "tidebreak.rewards": "tidebreak.rl.rewards",
    "tidebreak.curriculum": "tidebreak.rl.curriculum",
    "tidebreak.evaluation": "tidebreak.rl.evaluation",
    "tidebreak.records": "tidebreak.replays.records",
    "tidebreak.diff": "tidebreak.replays.diff",
    "tidebreak.render": "tidebreak.replays.render",
    "tidebreak.viewer": "tidebreak.replays.viewer",
}
"""Old module name → its module now. Submodules follow their package."""


def _target(name: str) -> str | None:
    for old, new in MOVED.items():
        if name == old or name.startswith(old + "."):
            return new + name[len(old) :]
    return None


class _Alias(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target
        self.spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(self.target)
        self.spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        """The module at its new place is already executed; only its spec needs mending.

        The import system has just set ``module.__spec__`` to the alias spec;
        the module keeps its own (a package must stay a package for
        ``importlib.resources``).
        """
        module.__spec__ = self.spec


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: object = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        new = _target(fullname)
        if new is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _Alias(new))


def install() -> None:
    """Put the old-name finder on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())
