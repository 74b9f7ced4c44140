"""The arena's typed events in Python: the ``tb_event`` record and its dict form.

Every step, the arena emits events: shots (``fire``), hits, damage, ships
put out of action, dives and surfacings, collisions, pings, crits … each
with a source and a target ship, a ``trace`` id and the ``cause`` that led
to it (see docs/observation.md#events, generated from the Go tables).
:meth:`tidebreak.NativeEnv.events` returns the last step's events as a
numpy structured array of :data:`EVENT_DTYPE`; :func:`event_dicts` turns
them into the dicts that replay files, the viewer, ``tidebreak diff`` and
the evaluation use:

``{"tick": 41, "kind": "hit", "source": "frigate", "target": "corvette",
"trace": 977, "cause": 951, "value": 11.5}``

``source`` and ``target`` are ``ship_id`` s (None for the environment or
none); a kind whose value is an enum code also carries the decoded name
under the enum's name (``"weapon": "gun"``, ``"status": "destroyed"``,
``"layer": "submerged"``, ``"crit": "fire"``).

>>> import numpy as np
>>> rec = np.zeros(1, EVENT_DTYPE)
>>> rec[0] = (12, 7, 2, 1, 40, 39, 0.0)
>>> event_dicts(rec, ["corvette", "frigate"])
[{'tick': 12, 'kind': 'fire', 'source': 'frigate', 'target': 'corvette', 'trace': 40, 'cause': 39, 'value': 0.0, 'weapon': 'gun'}]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from tidebreak.engine import layout

__all__ = [
    "EVENT_DTYPE",
    "EVENT_KEYS",
    "event_dicts",
    "event_lines",
    "event_text",
    "involves",
    "kind_code",
    "narrated",
]

EVENT_DTYPE = np.dtype(
    [
        ("tick", "<i4"),
        ("kind", "<i4"),
        ("source", "<u4"),
        ("target", "<u4"),
        ("trace", "<u8"),
        ("cause", "<u8"),
        ("value", "<f8"),
    ],
    align=True,
)
"""The C ABI's ``tb_event`` as a numpy dtype (40 bytes; the binding checks it against the header)."""

EVENT_KEYS = ("tick", "kind", "source", "target", "trace", "cause", "value")
"""The keys every event dict has, in order."""

_CODES = {name: code for code, name in layout.EVENT_KINDS.items()}


def kind_code(name: str) -> int:
    """The code of an event kind (``tb_event.kind``) from its name.

    >>> kind_code("hit")
    8
    """
    try:
        return _CODES[name]
    except KeyError:
        raise ValueError(f"unknown event kind {name!r}; kinds: {', '.join(_CODES)}") from None


def event_dicts(records: npt.NDArray[Any], ship_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Event dicts from ``tb_event`` records, naming ships by ``ship_ids`` (package order)."""

    def ship(entity: int) -> str | None:
        return ship_ids[entity - 1] if 1 <= entity <= len(ship_ids) else None

    out: list[dict[str, Any]] = []
    for tick, kind, source, target, trace, cause, value in records.tolist():
        name = layout.EVENT_KINDS.get(kind, f"kind{kind}")
        ev: dict[str, Any] = {
            "tick": tick,
            "kind": name,
            "source": ship(source),
            "target": ship(target),
            "trace": trace,
            "cause": cause,
            "value": value,
        }
        enum = layout.EVENT_VALUE_ENUMS.get(name)
        if enum is not None:
            ev[enum] = layout.enum_name(enum, value)
        out.append(ev)
    return out


#: How weapons are named in event sentences.
_WEAPON_WORD = {"gun": "gun", "torpedo": "torpedo", "asw": "ASW"}


def _hp(value: Any) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def event_text(
    event: dict[str, Any], cause: dict[str, Any] | None = None, hp_lost: float | None = None
) -> str:
    """One event as a sentence that says who did what to whom, e.g.
    ``t566 submarine's torpedo hits corvette (−30 hp)``.

    ``cause`` is the event named by ``event["cause"]``: for a ``hit`` or a
    ``wasted`` projectile the ``fire`` event that launched it (it names the
    weapon), for ``damage`` a ``collision``. ``hp_lost`` is the hp a hit took
    away (its ``damage`` event; without it the hit's own value, the damage
    before the hp floor). :func:`event_lines` finds both.

    >>> event_text({"tick": 80, "kind": "out_of_action", "source": "frigate", "target": "corvette",
    ...             "trace": 9, "cause": 8, "value": 2.0, "status": "destroyed"})
    't80 corvette is destroyed by frigate'
    >>> event_text({"tick": 3, "kind": "ping", "source": "sub", "target": "sub", "trace": 1, "cause": 0, "value": 0.0})
    't3 sub pings (active sonar)'
    >>> event_text({"tick": 9, "kind": "fire", "source": "sub", "target": "corvette", "trace": 5,
    ...             "cause": 4, "value": 1.0, "weapon": "torpedo"})
    't9 sub fires torpedo at corvette'
    """
    kind = str(event.get("kind"))
    src, dst = event.get("source"), event.get("target")
    value = event.get("value", 0)
    fired = cause if cause is not None and cause.get("kind") == "fire" else None
    weapon = _WEAPON_WORD.get(str((fired or event).get("weapon")), "weapon")
    if kind == "fire":
        text = f"{src} fires {weapon}" + (f" at {dst}" if dst is not None and dst != src else "")
    elif kind == "hit":
        shooter = f"{src}'s {weapon}" if fired is not None else str(src)
        text = f"{shooter} hits {dst} (−{_hp(value if hp_lost is None else hp_lost)} hp)"
    elif kind == "wasted":
        aim = (fired or {}).get("target")
        text = f"{src}'s {weapon} misses" + (f" {aim}" if aim is not None else "")
    elif kind == "damage":
        if src is not None:
            why = f" to {src}"
        elif cause is not None and cause.get("kind") == "collision":
            why = " in a collision"
        else:
            why = " (fire, a hazard or heavy seas)"
        text = f"{dst} loses {_hp(value)} hp{why}"
    elif kind == "out_of_action":
        status = str(event.get("status", value))
        if status == "surrendered":
            text = f"{dst} surrenders" + (f" to {src}" if src is not None and src != dst else "")
        else:
            text = f"{dst} is {status}" + (f" by {src}" if src is not None and src != dst else "")
    elif kind == "collision":
        other = f"collides with {src}" if src is not None else "strikes an obstacle or the map edge"
        text = f"{dst} {other} ({value:.1f} m/s)"
    elif kind == "transition_start":
        text = f"{src} starts to " + ("dive" if event.get("layer") == "submerged" else "surface")
    elif kind == "transition_done":
        text = f"{src} " + ("is submerged" if event.get("layer") == "submerged" else "has surfaced")
    elif kind == "transition_abort":
        text = f"{src}'s " + ("dive" if event.get("layer") == "surface" else "surfacing") + " is aborted"
    elif kind == "misfire":
        text = f"{src} misfires (low morale)"
    elif kind == "crit":
        text = f"{dst} takes a critical hit ({event.get('crit', value)})"
    elif kind == "ping":
        text = f"{src} pings (active sonar)"
    else:
        text = f"{kind}: {src or 'environment'}" + (f" → {dst}" if dst is not None and dst != src else "")
    return f"t{event.get('tick')} {text}"


def event_lines(events: Sequence[dict[str, Any]]) -> list[str | None]:
    """The sentence of every event of a battle (:func:`event_text`), in order.

    A hit names the weapon of the ``fire`` event that launched it (its
    ``cause``) and the hp its ``damage`` event took away; that ``damage``
    event then has no line of its own (None), so each thing that happened
    is told once.

    >>> evs = [
    ...     {"tick": 1, "kind": "fire", "source": "corvette", "target": "sub", "trace": 7, "cause": 6,
    ...      "value": 2.0, "weapon": "asw"},
    ...     {"tick": 9, "kind": "hit", "source": "corvette", "target": "sub", "trace": 20, "cause": 7, "value": 45.0},
    ...     {"tick": 9, "kind": "damage", "source": "corvette", "target": "sub", "trace": 21, "cause": 20,
    ...      "value": 30.0}]
    >>> event_lines(evs)
    ['t1 corvette fires ASW at sub', "t9 corvette's ASW hits sub (−30 hp)", None]
    """
    by_trace = {e.get("trace"): e for e in events}
    hit_damage: dict[Any, float] = {}
    folded: set[int] = set()
    for i, e in enumerate(events):
        cause = by_trace.get(e.get("cause"))
        if e.get("kind") == "damage" and cause is not None and cause.get("kind") == "hit":
            hit_damage[cause.get("trace")] = hit_damage.get(cause.get("trace"), 0.0) + float(
                e.get("value", 0)
            )
            folded.add(i)
    out: list[str | None] = []
    for i, e in enumerate(events):
        if i in folded:
            out.append(None)
            continue
        out.append(event_text(e, by_trace.get(e.get("cause")), hit_damage.get(e.get("trace"))))
    return out


def narrated(events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events that have a line of their own (:func:`event_lines`), each a
    copy with its sentence under ``"text"``: what the viewer lists and the
    pictures print.

    >>> narrated([{"tick": 4, "kind": "ping", "source": "sub", "target": "sub", "trace": 1, "cause": 0,
    ...            "value": 0.0}])[0]["text"]
    't4 sub pings (active sonar)'
    """
    return [dict(e, text=t) for e, t in zip(events, event_lines(events)) if t is not None]


def involves(event: dict[str, Any], ship: str | None) -> bool:
    """Whether ``ship`` is the event's source or target (every event for None)."""
    return ship is None or event.get("source") == ship or event.get("target") == ship
