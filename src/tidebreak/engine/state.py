"""Saved env states: what :meth:`NativeEnv.save` returns and :meth:`NativeEnv.load` takes.

A state is one JSON document, sealed with a checksum::

    {"format": "tidebreak.state", "version": 2, "checksum": "<64 hex digits>",
     "episode_seed": <int>, "world": {...}}

``world`` holds the arena's dynamic state under snake_case names (``ships[i]``
with ``kinematics.x``, ``hp``, ``max_hp``, ``status``, ``mounts[m].fired``,
``tracks[j].quality``…; ``projectiles[k]``; ``tick``…), listed in
``docs/replay.md``. The native library writes the names from one field list,
the same one its state hash is computed from, and refuses on load any state
that is not exactly what it wrote: the checksum must match, every key must be
present and known, and every value must lie in its range.

Readers go through :func:`world_of`, which checks the format and the layout
version instead of guessing; tools that change a state on purpose re-seal it
with :func:`seal`.

>>> import tidebreak
>>> from tidebreak.engine import state
>>> env = tidebreak.NativeEnv(tidebreak.scenarios.load("duel"))
>>> _ = env.reset(seed=3)
>>> world = state.world_of(env.save())
>>> world["tick"], sorted(world["ships"][0]["kinematics"])
(0, ['heading', 'speed', 'x', 'y'])
>>> doc = state.parse_state(env.save())
>>> doc["world"]["ships"][0]["hp"] = 1.0
>>> env.load(state.seal(doc))
>>> state.world_of(env.save())["ships"][0]["hp"]
1.0
>>> env.close()
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

__all__ = ["STATE_FORMAT", "STATE_VERSION", "WORLD_VERSION", "StateError", "parse_state", "seal", "world_of"]

#: The ``format`` of a saved state.
STATE_FORMAT = "tidebreak.state"
#: The envelope version this package reads.
STATE_VERSION = 2
#: The layout version of the ``world`` object (its ``version`` key).
WORLD_VERSION = 3

_DIGITS = 64


class StateError(ValueError):
    """Not a saved state of this Tidebreak (wrong format, version or shape)."""


def parse_state(state: bytes | str | dict[str, Any]) -> dict[str, Any]:
    """The state document, after checking its ``format`` and ``version``.

    ``state`` is :meth:`NativeEnv.save` output (bytes or text) or the
    document already decoded. The checksum is left to the library, which
    checks it on load.
    """
    if isinstance(state, dict):
        doc = state
    else:
        try:
            doc = json.loads(state)
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise StateError(f"not a saved state: {e}") from e
    if not isinstance(doc, dict):
        raise StateError(f"not a saved state: a JSON {type(doc).__name__}, want an object")
    if doc.get("format") != STATE_FORMAT:
        raise StateError(f"not a saved state: format is {doc.get('format')!r}, want {STATE_FORMAT!r}")
    if doc.get("version") != STATE_VERSION:
        raise StateError(
            f"state version {doc.get('version')!r}; this Tidebreak reads version {STATE_VERSION}"
        )
    world = doc.get("world")
    if not isinstance(world, dict):
        raise StateError("state has no 'world' object")
    _check_world(world)
    return doc


def world_of(state: bytes | str | dict[str, Any]) -> dict[str, Any]:
    """The ``world`` object of a saved state (or ``state`` itself if it is a world object)."""
    if isinstance(state, dict) and "format" not in state and "ships" in state:
        _check_world(state)
        return state
    world: dict[str, Any] = parse_state(state)["world"]
    return world


def _check_world(world: dict[str, Any]) -> None:
    if world.get("version") != WORLD_VERSION:
        raise StateError(
            f"world layout version {world.get('version')!r}; this Tidebreak reads version {WORLD_VERSION}"
        )
    if not isinstance(world.get("ships"), list):
        raise StateError("world has no 'ships' list")


def seal(doc: dict[str, Any]) -> bytes:
    """Serialise a (changed) state document with a fresh checksum, ready for :meth:`NativeEnv.load`.

    The checksum is the SHA-256 of the compact JSON with its own 64 digits
    written as zeros; sealing vouches only for the bytes, so the library
    still checks every value on load.
    """
    body = dict(doc, checksum="0" * _DIGITS)
    raw = json.dumps(body, separators=(",", ":"), allow_nan=False, ensure_ascii=False).encode()
    digest = hashlib.sha256(raw).hexdigest()
    at = raw.index(b'"checksum":"' + b"0" * _DIGITS) + len(b'"checksum":"')
    return raw[:at] + digest.encode() + raw[at + _DIGITS :]
