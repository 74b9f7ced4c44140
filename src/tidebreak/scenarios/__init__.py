"""Scenarios shipped with Tidebreak, as arena.v1 BattlePackage data.

>>> from tidebreak import scenarios
>>> "duel" in scenarios.names()
True
>>> pkg = scenarios.load("duel", seed=3, controllers={"corvette": "agent"})
>>> pkg["seed"], pkg["ships"][0]["controller"]
(3, 'agent')
>>> concrete = scenarios.package("duel", seed=3)
>>> "randomize" in concrete, concrete["ships"][0]["initial_state"]["x"] != pkg["ships"][0]["initial_state"]["x"]
(False, True)
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["names", "load", "package", "randomize"]


@cache
def _raw(name: str) -> dict[str, Any]:
    path = resources.files(__package__).joinpath("data", f"{name}.json")
    if not path.is_file():
        raise KeyError(f"unknown scenario {name!r}; known: {', '.join(names())}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
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


def randomize(pkg: dict[str, Any]) -> dict[str, Any]:
    """Apply a package's ``randomize`` block for its seed, as the arena does.

    Returns a copy with concrete start positions, headings and weather and
    no ``randomize`` block, so simulating it starts exactly where the arena
    would start the original. The draws are made by the arena itself (the
    library's one implementation of the block), so this loads the library;
    an invalid package raises :class:`tidebreak.contracts.ContractError`.
    """
    out = copy.deepcopy(pkg)
    if not out.pop("randomize", None):
        return out
    from tidebreak.contracts import randomized

    concrete = randomized(pkg)
    for ship, placed in zip(out["ships"], concrete["ships"]):
        start = placed["initial_state"]
        ship.setdefault("initial_state", {}).update(x=start["x"], y=start["y"], heading=start["heading"])
    weather = concrete["map"]["weather"]
    out.setdefault("map", {}).setdefault("weather", {}).update(
        sea_state=weather["sea_state"], visibility_km=weather["visibility_km"]
    )
    return out


def package(name: str, seed: int, controllers: dict[str, str] | None = None) -> dict[str, Any]:
    """Scenario ``name`` for episode ``seed``, with spawn jitter and weather drawn from the seed.

    The result is a concrete BattlePackage (no ``randomize`` block). Loads the
    library when the scenario has a ``randomize`` block (see :func:`randomize`).
    """
    return randomize(load(name, seed=seed, controllers=controllers))
