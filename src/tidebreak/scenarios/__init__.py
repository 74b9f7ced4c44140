"""Scenarios shipped with Tidebreak, as arena.v1 BattlePackage data.

>>> from tidebreak import scenarios
>>> "duel" in scenarios.names()
True
>>> pkg = scenarios.load("duel", seed=3, controllers={"corvette": "agent"})
>>> pkg["seed"], pkg["ships"][0]["controller"]
(3, 'agent')
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["names", "load"]


@cache
def _raw(name: str) -> dict[str, Any]:
    path = resources.files(__package__).joinpath("data", f"{name}.json")
    if not path.is_file():
        raise KeyError(f"unknown scenario {name!r}; known: {', '.join(names())}")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def names() -> list[str]:
    """Names of the shipped scenarios, sorted."""
    files = resources.files(__package__).joinpath("data").iterdir()
    return sorted(f.name.removesuffix(".json") for f in files if f.name.endswith(".json"))


def load(name: str, seed: int | None = None, controllers: dict[str, str] | None = None) -> dict[str, Any]:
    """A fresh copy of scenario ``name`` as a package dict.

    ``seed`` replaces the package seed; ``controllers`` maps ship ids to
    controller names (for example ``{"corvette": "agent"}``).
    """
    pkg = copy.deepcopy(_raw(name))
    if seed is not None:
        pkg["seed"] = seed
    if controllers:
        ships = {s["ship_id"]: s for s in pkg["ships"]}
        for ship_id, controller in controllers.items():
            if ship_id not in ships:
                raise KeyError(f"scenario {name!r} has no ship {ship_id!r}; ships: {', '.join(ships)}")
            ships[ship_id]["controller"] = controller
    return pkg
