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
    would start the original. Draws come from the seed's "spawn" stream:
    per ship x, y and heading jitter, then sea state and visibility.
    """
    from tidebreak.engine import rng

    out = copy.deepcopy(pkg)
    rz = out.pop("randomize", None)
    if not rz:
        return out
    jitter = float(rz.get("spawn_jitter_m", 0.0))
    hjit = float(rz.get("heading_jitter_rad", 0.0))
    sea_delta = int(rz.get("sea_state_delta", 0))
    vis = float(rz.get("visibility_jitter_km", 0.0))
    r = rng.Stream(rng.derive(int(out["seed"]), rng.label("spawn")))
    b = out["map"]["bounds"]
    for ship in out["ships"]:
        radius = float(ship.get("hull", {}).get("radius", 20.0))
        st = ship["initial_state"]
        x = float(st.get("x", 0.0)) + r.uniform(-jitter, jitter)
        y = float(st.get("y", 0.0)) + r.uniform(-jitter, jitter)
        st["x"] = min(max(x, b["min_x"] + radius), b["max_x"] - radius)
        st["y"] = min(max(y, b["min_y"] + radius), b["max_y"] - radius)
        st["heading"] = float(st.get("heading", 0.0)) + r.uniform(-hjit, hjit)
    weather = out["map"].setdefault("weather", {})
    sea = int(weather.get("sea_state", 1)) + r.intn(2 * sea_delta + 1) - sea_delta
    weather["sea_state"] = min(9, max(0, sea))
    weather["visibility_km"] = max(0.5, float(weather.get("visibility_km", 20.0)) + r.uniform(-vis, vis))
    return out


def package(name: str, seed: int, controllers: dict[str, str] | None = None) -> dict[str, Any]:
    """Scenario ``name`` for episode ``seed``, with spawn jitter and weather drawn from the seed.

    The result is a concrete BattlePackage (no ``randomize`` block).
    """
    return randomize(load(name, seed=seed, controllers=controllers))
