"""Campaign saves: written atomically, read back only when every value and reference checks out.

A save is one JSON object::

    {"format": "tidebreak.campaign.save", "version": 1,
     "state_hash": "<sha256 of the world's canonical JSON>", "world": {...}}

:func:`save_world` writes it to a temporary file in the target's directory,
flushes and fsyncs it, then renames it over the target: a process killed
mid-write leaves the previous save whole. :func:`load_world` refuses, with a
:class:`SaveError` that names the problem, anything that is not such a save:
a file over :data:`MAX_SAVE_BYTES`, bytes that are not UTF-8 JSON, nesting
deeper than :data:`MAX_DEPTH`, a wrong format or version, a state hash that
does not match (the file changed after it was written — pass
``verify=False`` to load a hand-edited save), values out of range (see the
bounds on :class:`~tidebreak.strategic.world.World`'s models) and references
that do not resolve (:func:`check_world`). A world saved by an earlier
release (the bare world object, without the envelope) loads with its values
and references checked, since it has no hash to verify.

>>> import tempfile, pathlib
>>> from tidebreak.strategic import build_world
>>> w = build_world(seed=3)
>>> path = pathlib.Path(tempfile.mkdtemp()) / "camp.json"
>>> save_world(w, path)
>>> load_world(path).state_hash() == w.state_hash()
True
>>> _ = path.write_text(path.read_text().replace('"day":0', '"day":-5', 1))
>>> load_world(path, verify=False)
Traceback (most recent call last):
...
tidebreak.strategic.save.SaveError: ... world.day: Input should be greater than or equal to 0
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from .rng import SUBSYSTEMS
from .tuning import GOVERNMENT_TYPES, Tuning
from .world import MAX_DAY, RESOURCES, Decision, World, pair_key

__all__ = [
    "FORMAT",
    "MAX_DEPTH",
    "MAX_SAVE_BYTES",
    "VERSION",
    "SaveError",
    "check_world",
    "load_world",
    "save_world",
]

FORMAT = "tidebreak.campaign.save"
VERSION = 1
MAX_SAVE_BYTES = 256 * 1024 * 1024
"""Largest save file read (256 MiB; a 365-day campaign saves to about 2 MB)."""
SCHEMA_VERSION = "tidebreak.strategic.v2"
"""The world layout this release writes; :func:`migrate` reads v1 too."""
MAX_DEPTH = 64
"""Deepest JSON nesting accepted (a world nests about 8 levels)."""


class SaveError(ValueError):
    """A campaign save that cannot be loaded; the message names the file and the problem."""


def save_world(world: World, path: str | os.PathLike[str]) -> None:
    """Write ``world`` to ``path`` atomically (temporary file, fsync, rename)."""
    target = Path(path)
    body = world.canonical_json()
    text = f'{{"format":"{FORMAT}","version":{VERSION},"state_hash":"{world.state_hash()}","world":{body}}}'
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:  # make the rename itself durable
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def _depth(node: Any, limit: int) -> int:
    """Nesting depth of a parsed JSON value, stopping once past ``limit``."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        item, d = stack.pop()
        if d > deepest:
            deepest = d
            if deepest > limit:
                return deepest
        if isinstance(item, dict):
            stack.extend((v, d + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, d + 1) for v in item)
    return deepest


def _first_error(err: ValidationError) -> str:
    e = err.errors(include_url=False)[0]
    where = ".".join(str(p) for p in e["loc"]) or "(top level)"
    more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return f"world.{where}: {e['msg']}{more}"


def load_world(path: str | os.PathLike[str], verify: bool = True) -> World:
    """Read a campaign save; :class:`SaveError` for anything that is not a valid, consistent one."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_SAVE_BYTES:
            raise SaveError(f"{p}: {size} bytes is larger than a campaign save may be ({MAX_SAVE_BYTES})")
        raw = p.read_bytes()
    except OSError as e:
        raise SaveError(f"{p}: cannot read: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SaveError(f"{p}: not UTF-8 text (byte {e.start})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise SaveError(f"{p}: not valid JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    except RecursionError:
        raise SaveError(f"{p}: JSON nested deeper than {MAX_DEPTH} levels") from None
    if _depth(doc, MAX_DEPTH) > MAX_DEPTH:
        raise SaveError(f"{p}: JSON nested deeper than {MAX_DEPTH} levels")
    if not isinstance(doc, dict):
        raise SaveError(f"{p}: a campaign save is a JSON object, not {type(doc).__name__}")
    expected: str | None = None
    if "format" in doc or "world" in doc:
        if doc.get("format") != FORMAT:
            raise SaveError(f"{p}: format is {doc.get('format')!r}, expected {FORMAT!r}")
        if doc.get("version") != VERSION:
            raise SaveError(f"{p}: save version {doc.get('version')!r} is not supported (expected {VERSION})")
        extra = sorted(set(doc) - {"format", "version", "state_hash", "world"})
        if extra:
            raise SaveError(f"{p}: unknown key {extra[0]!r} in the save envelope")
        expected = doc.get("state_hash")
        if not isinstance(expected, str):
            raise SaveError(f"{p}: state_hash missing or not a string")
        body = doc.get("world")
    else:
        body = doc  # a bare world, as earlier releases wrote it
    if not isinstance(body, dict):
        raise SaveError(f"{p}: world is missing or not a JSON object")
    if verify and expected is not None:
        # the hash covers the world exactly as written (before any migration)
        try:
            text = json.dumps(body, sort_keys=True, separators=(",", ":"), allow_nan=False)
        except ValueError:
            text = ""
        actual = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if actual != expected:
            raise SaveError(
                f"{p}: state hash {actual[:16]}… does not match the saved {expected[:16]}…: the file "
                "changed after it was written (load_world(..., verify=False) or --no-verify accepts a "
                "hand-edited save)"
            )
    try:
        world = World.model_validate(migrate(body))
    except ValidationError as e:
        raise SaveError(f"{p}: {_first_error(e)}") from None
    except (RecursionError, ValueError, TypeError, AttributeError) as e:
        raise SaveError(f"{p}: {e}") from None
    problem = check_world(world)
    if problem is not None:
        raise SaveError(f"{p}: {problem}")
    return world


def migrate(body: dict[str, Any]) -> dict[str, Any]:
    """A world saved by an earlier release, brought to the current ``schema_version``.

    ``tidebreak.strategic.v1`` templates had flat weapons (``projectile_speed``,
    ``damage``, ``guidance``, ``blast_radius`` beside ``range``); since v2 a template
    holds the arena.v1 contract's own ``Weapon`` with its ``projectile``.
    """
    if body.get("schema_version") != "tidebreak.strategic.v1":
        return body
    out = dict(body)
    templates = out.get("ship_templates")
    if isinstance(templates, dict):
        fixed: dict[str, Any] = {}
        for name, tpl in templates.items():
            if isinstance(tpl, dict) and isinstance(tpl.get("weapons"), list):
                tpl = {**tpl, "weapons": [_weapon_v2(w) for w in tpl["weapons"]]}
            fixed[name] = tpl
        out["ship_templates"] = fixed
    out["schema_version"] = SCHEMA_VERSION
    return out


def _weapon_v2(w: Any) -> Any:
    if not isinstance(w, dict) or "projectile" in w:
        return w
    moved = ("projectile_speed", "damage", "guidance", "blast_radius")
    projectile = {
        "speed": w.get("projectile_speed"),
        "damage": w.get("damage"),
        "guidance": w.get("guidance", {"kind": "unguided"}),
        "blast_radius": w.get("blast_radius", 0.0),
    }
    return {**{k: v for k, v in w.items() if k not in moved}, "projectile": projectile}


def _pcg64_ok(state: Any) -> bool:
    try:
        bg = np.random.PCG64()
        bg.state = state
    except (TypeError, ValueError, KeyError, OverflowError):
        return False
    return True


def _check_tuning(t: Tuning) -> str | None:
    """The first table of ``t`` that lacks a key the campaign looks up, or names one it cannot use."""
    from .faction_ai import ACTIONS, GOALS, MISSION_PRIORITIES

    missing = [a for a in ACTIONS if a not in t.actions]
    if missing:
        return f"tuning.actions has no entry for action {missing[0]!r}"
    unknown = sorted(set(t.actions) - set(ACTIONS))
    if unknown:
        return f"tuning.actions.{unknown[0]}: not an action (actions: {', '.join(ACTIONS)})"
    for name, a in t.actions.items():
        goals, resources = sorted(set(a.goals) - set(GOALS)), sorted(set(a.cost_milli) - set(RESOURCES))
        if goals:
            return f"tuning.actions.{name}.goals.{goals[0]}: not a goal (goals: {', '.join(GOALS)})"
        if resources:
            return f"tuning.actions.{name}.cost_milli.{resources[0]}: not a resource"
    missing = [m for m in MISSION_PRIORITIES if m not in t.mission_priority]
    if missing:
        return f"tuning.mission_priority has no entry for {missing[0]!r}"
    return None


def _check_decision(w: World, where: str, d: Decision) -> str | None:
    """What is wrong with the queued decision at ``where``: its kind, faction or parameters."""
    from .faction_ai import ACTIONS, PARAM_REFS

    action = ACTIONS.get(d.kind)
    if action is None or not action.queued:
        queued = ", ".join(a.name for a in ACTIONS.values() if a.queued)
        return f"{where}.kind {d.kind!r} is not an action that waits in the queue ({queued})"
    if d.faction_id not in w.factions:
        return f"{where}.faction_id refers to faction {d.faction_id!r}, which does not exist"
    if d.due_day < d.proposed_day:
        return f"{where}: due_day {d.due_day} is before proposed_day {d.proposed_day}"
    if set(d.params) != set(action.params):
        return f"{where}.params: a {d.kind} decision has exactly {', '.join(action.params)} (got {', '.join(sorted(d.params)) or 'none'})"
    for key in action.params:
        value, table = d.params[key], PARAM_REFS[key]
        if table == "facilities":
            arc = w.arcologies.get(d.params.get("arcology", ""))
            n = len(arc.facilities) if arc is not None else 0
            if not (value.isdigit() and int(value) < n):
                return (
                    f"{where}.params.facility {value!r} is not a facility index of its arcology (0..{n - 1})"
                )
        elif value not in getattr(w, table):
            return f"{where}.params.{key} {value!r} is not one of the world's {table}"
    return None


def check_world(world: World) -> str | None:
    """The first inconsistency in ``world`` (a reference that does not resolve, a broken invariant), or None."""
    w = world
    if w.schema_version != SCHEMA_VERSION:
        return f"schema_version {w.schema_version!r} is not {SCHEMA_VERSION!r}"
    if w.day > w.day_limit:
        return f"day {w.day} is past day_limit {w.day_limit}"
    if not w.factions:
        return "no factions"
    t = w.tuning
    for table in ("decision_latency", "legitimacy_baseline"):
        missing_gov = sorted(set(GOVERNMENT_TYPES) - set(getattr(t, table)))
        if missing_gov:
            return f"tuning.{table} has no entry for government {missing_gov[0]!r}"
    for gov, (lo, hi) in sorted(t.decision_latency.items()):
        if not 0 <= lo <= hi <= MAX_DAY:
            return f"tuning.decision_latency.{gov}: ({lo}, {hi}) is not a range of days"
    tuning_problem = _check_tuning(t)
    if tuning_problem is not None:
        return tuning_problem
    for table in ("factions", "arcologies", "nodes", "ships", "fleets", "people", "missions", "trade_routes"):
        for k, v in getattr(w, table).items():
            if k != v.id:
                return f"{table}.{k}: keyed by {k!r} but its id is {v.id!r}"

    def need(table: str, ref: str | None, where: str, optional: bool = False) -> str | None:
        if ref is None or (optional and ref == ""):
            return None
        if ref not in getattr(w, table):
            what = (
                "person"
                if table == "people"
                else table.removesuffix("s").removesuffix("ie") + ("y" if table.endswith("ies") else "")
            )
            return f"{where} refers to {what} {ref!r}, which does not exist"
        return None

    checks: list[str | None] = []
    for fid, f in sorted(w.factions.items()):
        if not f.defeated and not any(a.faction_id == fid for a in w.arcologies.values()):
            checks.append(f"factions.{fid} holds no arcology but is not marked defeated")
        checks += [need("arcologies", f.capital, f"factions.{fid}.capital", optional=True)]
        checks += [need("people", f.leader_id, f"factions.{fid}.leader_id", optional=True)]
        if f.ap > f.ap_cap:
            checks.append(f"factions.{fid}.ap {f.ap} is above its ap_cap {f.ap_cap}")
        for i, b in enumerate(f.build_queue):
            checks += [need("arcologies", b.arcology_id, f"factions.{fid}.build_queue[{i}].arcology_id")]
            if b.template not in w.ship_templates:
                checks.append(
                    f"factions.{fid}.build_queue[{i}].template {b.template!r} is not a ship template"
                )
        for i, r in enumerate(f.repair_queue):
            checks += [need("ships", r.ship_id, f"factions.{fid}.repair_queue[{i}].ship_id")]
            checks += [
                need("arcologies", r.arcology_id, f"factions.{fid}.repair_queue[{i}].arcology_id", True)
            ]
    for aid, a in sorted(w.arcologies.items()):
        checks += [need("factions", a.faction_id, f"arcologies.{aid}.faction_id")]
        checks += [need("nodes", a.node_id, f"arcologies.{aid}.node_id")]
        checks += [need("people", a.governor_id, f"arcologies.{aid}.governor_id", optional=True)]
        if a.defense > a.max_defense:
            checks.append(f"arcologies.{aid}.defense {a.defense} is above max_defense {a.max_defense}")
        if set(a.stocks) != set(RESOURCES):
            odd = sorted(set(a.stocks) ^ set(RESOURCES))[0]
            checks.append(f"arcologies.{aid}.stocks: must hold exactly {', '.join(RESOURCES)} (not {odd!r})")
        for i, fac in enumerate(a.facilities):
            if fac.kind not in w.recipes:
                checks.append(f"arcologies.{aid}.facilities[{i}].kind {fac.kind!r} has no recipe")
        for i, d in enumerate(a.decision_queue):
            checks.append(_check_decision(w, f"arcologies.{aid}.decision_queue[{i}]", d))
    for nid, n in sorted(w.nodes.items()):
        checks += [need("factions", n.owner, f"nodes.{nid}.owner")]
    for i, e in enumerate(w.edges):
        checks += [need("nodes", e.a, f"edges[{i}].a"), need("nodes", e.b, f"edges[{i}].b")]
    for rid, recipe in sorted(w.recipes.items()):
        for res in (recipe.output, *recipe.inputs):
            if res not in RESOURCES:
                checks.append(f"recipes.{rid}: unknown resource {res!r}")
    for sid, s in sorted(w.ships.items()):
        checks += [need("factions", s.faction_id, f"ships.{sid}.faction_id")]
        checks += [need("fleets", s.fleet_id, f"ships.{sid}.fleet_id")]
        checks += [need("people", s.captain_id, f"ships.{sid}.captain_id", optional=True)]
        if s.template not in w.ship_templates:
            checks.append(f"ships.{sid}.template {s.template!r} is not a ship template")
        if s.hp > s.max_hp:
            checks.append(f"ships.{sid}.hp {s.hp} is above max_hp {s.max_hp}")
        if s.fleet_id is not None and s.fleet_id in w.fleets and sid not in w.fleets[s.fleet_id].ship_ids:
            checks.append(f"ships.{sid}.fleet_id is {s.fleet_id!r}, but that fleet does not list it")
    for flid, fl in sorted(w.fleets.items()):
        checks += [need("factions", fl.faction_id, f"fleets.{flid}.faction_id")]
        checks += [need("nodes", fl.node_id, f"fleets.{flid}.node_id")]
        checks += [need("missions", fl.mission_id, f"fleets.{flid}.mission_id")]
        for node in fl.path:
            checks += [need("nodes", node, f"fleets.{flid}.path")]
        for sid in fl.ship_ids:
            if sid not in w.ships or w.ships[sid].fleet_id != flid:
                checks.append(f"fleets.{flid}.ship_ids lists {sid!r}, which is not a ship of this fleet")
    for pid, person in sorted(w.people.items()):
        checks += [need("factions", person.faction_id, f"people.{pid}.faction_id")]
    for mid, m in sorted(w.missions.items()):
        checks += [need("factions", m.faction_id, f"missions.{mid}.faction_id")]
        checks += [need("nodes", m.target_node, f"missions.{mid}.target_node")]
        checks += [need("arcologies", m.target_arcology, f"missions.{mid}.target_arcology")]
    for rid, route in sorted(w.trade_routes.items()):
        if route.resource not in RESOURCES:
            checks.append(f"trade_routes.{rid}.resource {route.resource!r} is not a resource")
        for node in route.path:
            checks += [need("nodes", node, f"trade_routes.{rid}.path")]
    for i, treaty in enumerate(w.treaties):
        for party in treaty.parties:
            checks += [need("factions", party, f"treaties[{i}].parties")]
    for key in (*w.wars, *w.dispositions):
        one, sep, two = key.partition("|")
        if not sep or one not in w.factions or two not in w.factions or key != pair_key(one, two):
            checks.append(f"faction pair {key!r} (in wars or dispositions) is not 'a|b' of two factions")
    for p in w.principals:
        checks += [need("factions", p, "principals")]
    checks += [need("factions", w.winner, "winner")]
    missing = [s for s in SUBSYSTEMS if s not in w.rng_states]
    if w.rng_states and missing:
        checks.append(f"rng_states has no stream {missing[0]!r}")
    for name, state in sorted(w.rng_states.items()):
        if name not in SUBSYSTEMS:
            checks.append(f"rng_states.{name}: not a subsystem stream")
        elif not _pcg64_ok(state):
            checks.append(f"rng_states.{name}: not a valid PCG64 state")
    return next((c for c in checks if c is not None), None)
