"""Compare two battles: where their state hashes first diverge and what differs there.

``tidebreak diff A B`` takes two records or replay files (or two result
files plus ``--package``), compares the packages and action logs, finds the
first tick whose state hash differs, re-simulates both battles up to that
tick with :class:`~tidebreak.NativeEnv`, compares the engine's events of
the two runs (the first step whose events differ: what happened in one
battle and not in the other) and the saved states field by field, naming
ships by ``ship_id``.

>>> import tempfile, os, tidebreak
>>> from tidebreak.replays.diff import diff
>>> d = tempfile.mkdtemp()
>>> pkg = tidebreak.scenarios.package("gun_duel", seed=3)
>>> _ = tidebreak.simulate(pkg, record_path=os.path.join(d, "a.json.gz"))
>>> pkg["ships"][0]["hull"]["max_speed"] += 1
>>> _ = tidebreak.simulate(pkg, record_path=os.path.join(d, "b.json.gz"))
>>> report = diff(os.path.join(d, "a.json.gz"), os.path.join(d, "b.json.gz"))
>>> report.identical, report.package_changes[0].startswith("ships[")
(False, True)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidebreak.engine.events import event_text
from tidebreak.engine.state import world_of
from tidebreak.replays.records import RecordError, load_record, result_log, run_battle

__all__ = ["DiffReport", "FieldDiff", "diff", "load_battle"]

#: World keys compared on their own (ships, projectiles) or not at all: the
#: action log and hashes (compared from the results) and the noise picture
#: (derived from the field space, which is compared).
_WORLD_APART = {"ships", "projectiles", "log", "tick_hashes", "noise"}


@dataclass(frozen=True)
class FieldDiff:
    """One differing field: ``entity`` is "world", "ship <id>" or "projectile <n>"."""

    entity: str
    field: str
    a: Any
    b: Any

    def __str__(self) -> str:
        return f"{self.entity}: {self.field}: {_fmt(self.a)} -> {_fmt(self.b)}"


@dataclass
class DiffReport:
    """What :func:`diff` found."""

    a: str
    b: str
    ticks_a: int
    ticks_b: int
    first_divergent_tick: int | None
    hash_a: str | None = None
    hash_b: str | None = None
    package_changes: list[str] = field(default_factory=list)
    action_log_change: str | None = None
    fields: list[FieldDiff] = field(default_factory=list)
    #: The engine's events of the first step whose events differ (up to the
    #: divergent tick): those only A had and those only B had.
    event_tick: int | None = None
    events_a: list[dict[str, Any]] = field(default_factory=list)
    events_b: list[dict[str, Any]] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return (
            self.first_divergent_tick is None and not self.package_changes and self.action_log_change is None
        )

    def entities(self) -> list[str]:
        """The entities that differ at the divergent tick, in state order."""
        seen: list[str] = []
        for f in self.fields:
            if f.entity not in seen:
                seen.append(f.entity)
        return seen

    def render(self, max_fields: int = 12) -> str:
        lines = [f"A: {self.a} ({self.ticks_a} ticks)", f"B: {self.b} ({self.ticks_b} ticks)"]
        if self.identical:
            lines.append("identical: same package, same action log, every state hash matches")
            return "\n".join(lines)
        for c in self.package_changes[:max_fields]:
            lines.append(f"package differs: {c}")
        if len(self.package_changes) > max_fields:
            lines.append(f"package differs: ... and {len(self.package_changes) - max_fields} more")
        if self.action_log_change:
            lines.append(f"action log differs: {self.action_log_change}")
        if self.first_divergent_tick is None:
            lines.append("state hashes: all match")
            return "\n".join(lines)
        where = "initial state" if self.first_divergent_tick == 0 else f"tick {self.first_divergent_tick}"
        lines.append(
            f"first divergent tick: {self.first_divergent_tick} ({where}; state hash {self.hash_a} vs {self.hash_b})"
        )
        if self.event_tick is not None:
            lines.append(f"  events first differ during tick {self.event_tick}:")
            for side, evs in (("A", self.events_a), ("B", self.events_b)):
                shown = "; ".join(event_text(e) for e in evs[:max_fields]) or "(none)"
                more = f"; ... ({len(evs) - max_fields} more)" if len(evs) > max_fields else ""
                lines.append(f"    only in {side}: {shown}{more}")
        if not self.fields:
            lines.append(
                "  re-simulated states are identical at that tick: the difference comes from the recorded "
                "commands of scripted ships (see the action log)"
            )
        for entity in self.entities():
            diffs = [f for f in self.fields if f.entity == entity]
            shown = ", ".join(f"{f.field} {_fmt(f.a)} -> {_fmt(f.b)}" for f in diffs[:max_fields])
            more = f", ... ({len(diffs) - max_fields} more)" if len(diffs) > max_fields else ""
            lines.append(f"  {entity}: {shown}{more}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if v is _MISSING:
        return "(absent)"
    s = json.dumps(v) if not isinstance(v, str) else v
    return s if len(s) <= 60 else s[:57] + "..."


class _Missing:
    def __repr__(self) -> str:
        return "(absent)"


_MISSING = _Missing()


def _walk(
    a: Any, b: Any, path: str, out: list[tuple[str, Any, Any]], names: dict[str, list[str]] | None = None
) -> None:
    """Append (path, a, b) for every leaf that differs."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            _walk(a.get(k, _MISSING), b.get(k, _MISSING), f"{path}.{k}" if path else str(k), out, names)
    elif isinstance(a, list) and isinstance(b, list):
        labels = (names or {}).get(path)
        for i in range(max(len(a), len(b))):
            label = labels[i] if labels and i < len(labels) else str(i)
            _walk(
                a[i] if i < len(a) else _MISSING,
                b[i] if i < len(b) else _MISSING,
                f"{path}[{label}]",
                out,
                names,
            )
    elif a != b:
        out.append((path, a, b))


def load_battle(path: str | Path, package: Any = None) -> tuple[dict[str, Any], Any]:
    """(package dict, BattleResult) from a record / replay file, or from a result file plus ``package``."""
    from tidebreak.contracts import BattleResult
    from tidebreak.engine.simulation import package_dict

    path = Path(path)
    try:
        return load_record(path, check_frames=True)
    except RecordError as e:
        if "not a Tidebreak record" not in str(e):
            raise
    # a BattleResult JSON file
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise RecordError(f"{path}: cannot read: {e}") from e
    if not isinstance(doc, dict) or "replay" not in doc or "schema_version" not in doc:
        raise RecordError(
            f"{path}: neither a record/replay file (format) nor a BattleResult (schema_version, replay)"
        )
    if package is None:
        raise RecordError(f"{path}: is a result file; pass the package it came from (--package FILE)")
    from pydantic import ValidationError

    try:
        result = BattleResult.model_validate(doc)
    except ValidationError as e:
        err = e.errors()[0]
        raise RecordError(f"{path}: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}") from e
    return package_dict(package), result


def _log(result: Any) -> list[dict[str, Any]]:
    return result_log(result)


def _first_log_change(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> str | None:
    for k in range(max(len(a), len(b))):
        ra = a[k] if k < len(a) else None
        rb = b[k] if k < len(b) else None
        if ra != rb:

            def show(r: dict[str, Any] | None) -> str:
                return (
                    "(none)"
                    if r is None
                    else f"tick {r['tick']} {r['ship_id']} {[round(x, 4) for x in r['action']]}"
                )

            return f"record {k}: {show(ra)} vs {show(rb)}"
    return None


def _first_divergence(ra: Any, rb: Any) -> tuple[int | None, str | None, str | None]:
    a, b = ra.replay, rb.replay
    if a.initial_state_hash != b.initial_state_hash:
        return 0, a.initial_state_hash, b.initial_state_hash
    ha, hb = list(a.tick_hashes or []), list(b.tick_hashes or [])
    for i in range(max(len(ha), len(hb))):
        x = ha[i] if i < len(ha) else None
        y = hb[i] if i < len(hb) else None
        if x != y:
            return i + 1, x, y
    if a.final_state_hash != b.final_state_hash:
        return len(ha), a.final_state_hash, b.final_state_hash
    return None, None, None


def _semantic(e: dict[str, Any]) -> tuple[Any, ...]:
    """An event without its trace ids, which shift once anything earlier differs."""
    return tuple((k, v) for k, v in e.items() if k not in ("trace", "cause"))


def _event_diff(
    ea: list[list[dict[str, Any]]], eb: list[list[dict[str, Any]]]
) -> tuple[int | None, list[dict[str, Any]], list[dict[str, Any]]]:
    """The first step whose events differ: its tick and the events only A and only B had."""
    for step in range(1, max(len(ea), len(eb))):
        xa = ea[step] if step < len(ea) else []
        xb = eb[step] if step < len(eb) else []
        ka, kb = [_semantic(e) for e in xa], [_semantic(e) for e in xb]
        if ka != kb:
            only_a = [e for e, k in zip(xa, ka) if k not in kb]
            only_b = [e for e, k in zip(xb, kb) if k not in ka]
            return step - 1, only_a, only_b
    return None, [], []


def _state_diffs(
    pa: dict[str, Any], la: list[dict[str, Any]], pb: dict[str, Any], lb: list[dict[str, Any]], tick: int
) -> tuple[list[FieldDiff], tuple[int | None, list[dict[str, Any]], list[dict[str, Any]]]]:
    states_a, events_a = run_battle(pa, ticks=tick, actions=la)
    states_b, events_b = run_battle(pb, ticks=tick, actions=lb)
    sa, sb = world_of(states_a[-1]), world_of(states_b[-1])
    out: list[FieldDiff] = []
    world: list[tuple[str, Any, Any]] = []
    for k in sorted(set(sa) | set(sb)):
        if k in _WORLD_APART:
            continue
        _walk(sa.get(k, _MISSING), sb.get(k, _MISSING), k, world)
    out.extend(FieldDiff("world", p, x, y) for p, x, y in world)
    ids_a = [s["ship_id"] for s in pa["ships"]]
    ids_b = [s["ship_id"] for s in pb["ships"]]
    ships_a = dict(zip(ids_a, sa["ships"]))
    ships_b = dict(zip(ids_b, sb["ships"]))
    for sid in ids_a + [i for i in ids_b if i not in ids_a]:
        found: list[tuple[str, Any, Any]] = []
        x, y = ships_a.get(sid, _MISSING), ships_b.get(sid, _MISSING)
        if x is _MISSING or y is _MISSING:
            out.append(
                FieldDiff(
                    f"ship {sid}",
                    "(ship)",
                    "present" if x is not _MISSING else _MISSING,
                    "present" if y is not _MISSING else _MISSING,
                )
            )
            continue
        _walk(x, y, "", found, {"tracks": ids_a})
        out.extend(FieldDiff(f"ship {sid}", p, u, v) for p, u, v in found)
    pja, pjb = sa["projectiles"], sb["projectiles"]
    for n in range(max(len(pja), len(pjb))):
        found = []
        _walk(pja[n] if n < len(pja) else _MISSING, pjb[n] if n < len(pjb) else _MISSING, "", found)
        out.extend(FieldDiff(f"projectile {n}", p or "(projectile)", u, v) for p, u, v in found)
    return out, _event_diff(events_a, events_b)


def _package_changes(pa: dict[str, Any], pb: dict[str, Any]) -> list[str]:
    found: list[tuple[str, Any, Any]] = []
    ships = [s.get("ship_id", str(i)) for i, s in enumerate(pa.get("ships", []))]
    _walk(pa, pb, "", found, {"ships": ships})
    return [f"{p}: {_fmt(x)} -> {_fmt(y)}" for p, x, y in found]


def diff(a: str | Path, b: str | Path, package: Any = None, package_b: Any = None) -> DiffReport:
    """Compare battles ``a`` and ``b`` (record / replay / result files).

    ``package`` (and ``package_b`` when B came from another one) is needed
    only for result files.
    """
    pa, ra = load_battle(a, package)
    pb, rb = load_battle(b, package_b if package_b is not None else package)
    la, lb = _log(ra), _log(rb)
    tick, ha, hb = _first_divergence(ra, rb)
    report = DiffReport(
        str(a), str(b), len(ra.replay.tick_hashes or []), len(rb.replay.tick_hashes or []), tick, ha, hb
    )
    report.package_changes = _package_changes(pa, pb)
    report.action_log_change = _first_log_change(la, lb)
    if tick is not None:
        report.fields, (report.event_tick, report.events_a, report.events_b) = _state_diffs(
            pa, la, pb, lb, tick
        )
    return report
