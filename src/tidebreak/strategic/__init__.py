"""Tidebreak strategic campaign layer: factions, economy, governance, diplomacy,
missions and fleets on a node graph, with battles frozen into arena.v1
BattlePackages and resolved by the Go arena or the built-in auto resolver.

Importing this package never loads the native arena library.

>>> from tidebreak.strategic import Campaign, build_world
>>> world = build_world("accord_vs_dominion", seed=7)
>>> Campaign(world, resolver="auto").run(10).day
10
"""

from __future__ import annotations

from .autoresolve import ArenaResolver, AutoResolver, Resolver, make_resolver
from .battle import apply, package
from .campaign import Campaign, DayReport, tick
from .scenario import Overrides, build_world, list_scenarios, load_scenario
from .world import World

__all__ = [
    "ArenaResolver",
    "AutoResolver",
    "Campaign",
    "DayReport",
    "Overrides",
    "Resolver",
    "World",
    "apply",
    "build_world",
    "list_scenarios",
    "load_scenario",
    "make_resolver",
    "package",
    "tick",
]
