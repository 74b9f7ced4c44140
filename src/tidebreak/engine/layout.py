"""Sizes and names of the native buffers, known without loading the library.

These mirror ``go/core/arena/layout.go``; a test checks them against the
library's own spec, so spaces can be built before the Go runtime starts.
"""

from __future__ import annotations

from typing import Any

ACTION_NAMES: tuple[str, ...] = (
    "throttle",
    "rudder",
    "fire_gun",
    "fire_torpedo",
    "fire_asw",
    "layer",
    "ping",
)
"""Action vector layout; every value lies in [-1, 1]."""

MASK_NAMES: tuple[str, ...] = ("fire_gun", "fire_torpedo", "fire_asw", "dive", "surface", "ping")
"""Action-mask layout: 1.0 where the discrete choice is legal now."""

REWARD_TERMS: tuple[str, ...] = (
    "damage_dealt",
    "damage_taken",
    "kill",
    "death",
    "win",
    "loss",
    "draw",
    "time",
    "hazard",
    "wasted_shot",
    "collision",
    "detected",
    "contact",
    "closing",
)
"""Raw reward terms the arena writes per agent per tick."""

OWN_FIELDS: tuple[str, ...] = (
    "x",
    "y",
    "sin_heading",
    "cos_heading",
    "speed",
    "throttle",
    "rudder",
    "layer",
    "transitioning",
    "transition_progress",
    "hp",
    "mobility_disabled",
    "weapons_disabled",
    "sensors_disabled",
    "on_fire",
    "gun_cooldown",
    "torpedo_cooldown",
    "asw_cooldown",
    "gun_ammo",
    "torpedo_ammo",
    "asw_ammo",
    "morale",
)
TRACK_FIELDS: tuple[str, ...] = (
    "present",
    "sin_bearing",
    "cos_bearing",
    "range",
    "closing_speed",
    "quality",
    "class",
    "iff",
    "layer",
    "age",
    "sin_course",
    "cos_course",
)
ENV_FIELDS: tuple[str, ...] = ("current_u", "current_v", "sea_state", "visibility", "hazard", "noise")
CONTEXT_FIELDS: tuple[str, ...] = ("time_left", "wall_distance")

ACTION_SIZE = len(ACTION_NAMES)
MASK_SIZE = len(MASK_NAMES)
NUM_REWARD_TERMS = len(REWARD_TERMS)
DEFAULT_MAX_TRACKS = 8


def foveated_size(foveated: dict[str, Any] | None) -> int:
    """Values the optional foveated block adds: ``len(shells) × sectors``.

    ``foveated`` is the env config's ``"foveated"`` block (or
    ``fields.foveated``), e.g. ``{"field": "noise", "shells": [500, 1500],
    "sectors": 8}``; ``sectors`` defaults to 8, None means no block.

    >>> foveated_size({"shells": [500, 1500, 4000], "sectors": 8})
    24
    """
    if not foveated:
        return 0
    return len(foveated.get("shells", ())) * int(foveated.get("sectors", 8))


def obs_size(max_tracks: int = DEFAULT_MAX_TRACKS, foveated: dict[str, Any] | None = None) -> int:
    """Length of one agent's observation with ``max_tracks`` track slots and
    an optional foveated block (appended after the context block).

    >>> obs_size(8), obs_size(8, {"shells": [500, 2000], "sectors": 4})
    (126, 134)
    """
    base = len(OWN_FIELDS) + max_tracks * len(TRACK_FIELDS) + len(ENV_FIELDS) + len(CONTEXT_FIELDS)
    return base + foveated_size(foveated)


def obs_names(max_tracks: int = DEFAULT_MAX_TRACKS, foveated: dict[str, Any] | None = None) -> list[str]:
    """Name of every observation index, e.g. ``track3.range``.

    >>> obs_names(1)[:2], len(obs_names(1)) == obs_size(1)
    (['own.x', 'own.y'], True)
    """
    names = [f"own.{f}" for f in OWN_FIELDS]
    for k in range(max_tracks):
        names += [f"track{k}.{f}" for f in TRACK_FIELDS]
    names += [f"env.{f}" for f in ENV_FIELDS]
    names += [f"context.{f}" for f in CONTEXT_FIELDS]
    if foveated:
        sectors = int(foveated.get("sectors", 8))
        names += [
            f"fovea.shell{k}.sector{j}"
            for k in range(len(foveated.get("shells", ())))
            for j in range(sectors)
        ]
    return names
