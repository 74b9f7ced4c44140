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

__all__ = ["EVENT_DTYPE", "EVENT_KEYS", "event_dicts", "event_text", "involves", "kind_code"]

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


def event_text(event: dict[str, Any]) -> str:
    """A one-line description of an event dict, e.g. ``t41 hit: frigate → corvette (11.5)``.

    >>> event_text({"tick": 80, "kind": "out_of_action", "source": "frigate", "target": "corvette",
    ...             "trace": 9, "cause": 8, "value": 2.0, "status": "destroyed"})
    't80 out_of_action: frigate → corvette (destroyed)'
    >>> event_text({"tick": 3, "kind": "ping", "source": "sub", "target": "sub", "trace": 1, "cause": 0, "value": 0.0})
    't3 ping: sub'
    """
    src, dst = event.get("source"), event.get("target")
    who = src or "environment"
    if dst is not None and dst != src:
        who = f"{who} → {dst}"
    enum = layout.EVENT_VALUE_ENUMS.get(str(event.get("kind")))
    value = event.get("value", 0)
    if enum is not None:
        detail = f" ({event.get(enum, value)})"
    elif value:
        detail = f" ({value:.3g})" if isinstance(value, float) else f" ({value})"
    else:
        detail = ""
    return f"t{event.get('tick')} {event.get('kind')}: {who}{detail}"


def involves(event: dict[str, Any], ship: str | None) -> bool:
    """Whether ``ship`` is the event's source or target (every event for None)."""
    return ship is None or event.get("source") == ship or event.get("target") == ship
