"""Record battles, replay files with frames, and verification by re-simulation.

Two file kinds share this module:

* A **record** (``*.json`` or ``*.json.gz``) holds the BattlePackage and the
  BattleResult, whose replay section carries the seed, the action log (every
  controller output not derived from state) and the state hash after every
  tick. :func:`replay` plays the log back through the arena and compares
  hashes tick by tick, so a changed package, a changed log or a
  non-deterministic build shows up as the first tick whose hash differs.
* A **replay file** (``*.tbr``, format ``tidebreak.replay``) holds the same
  package, result and action log plus one *frame* per tick: what a viewer
  needs to draw the battle (positions, layers, hp, tracks, projectiles) and
  the events the arena emitted during that tick (``NativeEnv.events``, not
  re-derived here). See ``docs/replay.md`` for the layout.

``simulate(package, record_path="battle.tbr")`` writes a replay file: after
the battle it runs it again tick by tick through :class:`~tidebreak.NativeEnv`
to collect the frames and the engine's events and checks that this second
run is the same battle (same action log, same final ship states) before
writing. RL envs record their episodes with :class:`Recorder`.

Reading is bounded: a file may decompress to at most
:data:`MAX_REPLAY_BYTES` (``TIDEBREAK_MAX_REPLAY_BYTES`` or ``max_bytes=``
raise it), and its package, result and frames are validated before any tool
uses them; anything else raises :class:`RecordError` naming the file and the
field.

>>> import tempfile, os, tidebreak
>>> path = os.path.join(tempfile.mkdtemp(), "duel.json.gz")
>>> _ = tidebreak.simulate(tidebreak.scenarios.package("duel", seed=4), record_path=path)
>>> tidebreak.replay(path).ok
True
"""

from __future__ import annotations

import gzip
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidebreak.engine import layout
from tidebreak.engine.state import parse_state, world_of

__all__ = [
    "RECORD_FORMAT",
    "REPLAY_FORMAT",
    "REPLAY_VERSION",
    "ReplayReport",
    "ReplayFile",
    "Recorder",
    "RecordError",
    "MAX_REPLAY_BYTES",
    "save_record",
    "load_record",
    "load_replay",
    "record_frames",
    "frame_from_state",
    "run_battle",
    "replay",
]

RECORD_FORMAT = "tidebreak.record"
RECORD_VERSION = 1
REPLAY_FORMAT = "tidebreak.replay"
#: 2: frames carry the engine's events (kind, source, target, trace, cause,
#: value); version 1 files, whose events were derived from state differences,
#: are read by rebuilding their frames from the package and the action log.
REPLAY_VERSION = 2
# Some version 1 files were written under this name by mistake.
_REPLAY_FORMATS = (REPLAY_FORMAT, "tidebreak.replays")

#: The most bytes a record or replay file may hold once decompressed (256 MiB),
#: unless ``max_bytes=`` or the ``TIDEBREAK_MAX_REPLAY_BYTES`` environment
#: variable says otherwise. A 32-ship battle of 640 ticks takes about 46 MB.
MAX_REPLAY_BYTES = 256 * 2**20

#: Integer codes used in frames, written into every replay file as ``legend``
#: (the arena's enums, from its layout).
LEGEND: dict[str, list[str]] = {
    "layer": list(layout.ENUMS["layer"]),
    "status": list(layout.ENUMS["status"]),
    "projectile": list(layout.ENUMS["weapon"]),
    "quality": list(layout.ENUMS["track_quality"]),
}


class RecordError(ValueError):
    """A record or replay file is unreadable or malformed; the message names the file and field."""


@dataclass(frozen=True)
class ReplayReport:
    """Outcome of :func:`replay`.

    ``first_divergent_tick`` is 0 when the initial states differ, the
    1-based tick whose end state first differs otherwise, and None when
    every hash matches.
    """

    ok: bool
    ticks_checked: int
    first_divergent_tick: int | None
    expected_hash: str | None
    actual_hash: str | None

    def __str__(self) -> str:
        if self.ok:
            return f"replay verified: {self.ticks_checked} ticks, every state hash matches"
        return (
            f"replay diverged at tick {self.first_divergent_tick}: "
            f"expected state hash {self.expected_hash}, got {self.actual_hash}"
        )


@dataclass
class ReplayFile:
    """A loaded replay file (or a plain record, whose ``frames`` is empty)."""

    path: Path | None
    package: dict[str, Any]
    result: Any
    frames: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def ship_ids(self) -> list[str]:
        return [s["ship_id"] for s in self.package["ships"]]

    @property
    def events(self) -> list[dict[str, Any]]:
        """Every engine event of every frame, in the order they happened."""
        return [e for f in self.frames for e in f.get("events", [])]

    def to_json(self) -> dict[str, Any]:
        """The file's document (what :func:`save_record` writes for ``.tbr``)."""
        return _replay_doc(self.package, self.result, self.frames)


# ---------------------------------------------------------------- file I/O


def _is_gzip(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(2) == b"\x1f\x8b"
    except OSError:
        return path.suffix in {".gz", ".tbr"}


def _open(path: Path, mode: str) -> Any:
    if mode == "w":
        gz = path.suffix in {".gz", ".tbr"}
    else:
        gz = _is_gzip(path)
    return gzip.open(path, mode + "t", encoding="utf-8") if gz else open(path, mode, encoding="utf-8")


def _max_bytes(max_bytes: int | None) -> int:
    if max_bytes is not None:
        return max_bytes
    env = os.environ.get("TIDEBREAK_MAX_REPLAY_BYTES")
    if env:
        try:
            return int(env)
        except ValueError:
            raise RecordError(f"TIDEBREAK_MAX_REPLAY_BYTES must be a number of bytes (got {env!r})") from None
    return MAX_REPLAY_BYTES


def _read_bytes(path: Path, limit: int) -> bytes:
    """The file's content, decompressed, reading no more than ``limit`` + 1 bytes of it."""
    try:
        if _is_gzip(path):
            with gzip.open(path, "rb") as gz:
                data = gz.read(limit + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(limit + 1)
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise RecordError(f"{path}: cannot read record: {e}") from e
    except Exception as e:  # zlib.error and other decoder failures of a corrupt stream
        raise RecordError(f"{path}: cannot read record: corrupt compressed data ({e})") from e
    if len(data) > limit:
        raise RecordError(
            f"{path}: decompresses to more than {limit} bytes, the limit for a record "
            "(set TIDEBREAK_MAX_REPLAY_BYTES to read larger files)"
        )
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _read_doc(path: Path, max_bytes: int | None = None) -> dict[str, Any]:
    data = _read_bytes(path, _max_bytes(max_bytes))
    try:
        doc = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError as e:
        raise RecordError(f"{path}: cannot read record: not UTF-8 text ({e.reason} at byte {e.start})") from e
    except json.JSONDecodeError as e:
        raise RecordError(f"{path}: not a record (invalid JSON at line {e.lineno}: {e.msg})") from e
    except ValueError as e:  # NaN or Infinity, which JSON does not have
        raise RecordError(f"{path}: not a record ({e})") from e
    except RecursionError:
        raise RecordError(f"{path}: not a record (JSON nested too deeply)") from None
    formats = (RECORD_FORMAT, *_REPLAY_FORMATS)
    if not isinstance(doc, dict) or doc.get("format") not in formats:
        raise RecordError(
            f"{path}: not a Tidebreak record (format must be {RECORD_FORMAT!r} or {REPLAY_FORMAT!r})"
        )
    if doc["format"] == RECORD_FORMAT:
        versions: tuple[int, ...] = (RECORD_VERSION,)
    elif doc["format"] == REPLAY_FORMAT:
        versions = (1, REPLAY_VERSION)
    else:
        versions = (1,)
    version = doc.get("version")
    if isinstance(version, bool) or version not in versions:
        raise RecordError(
            f"{path}: record version {version!r}; this Tidebreak reads {' and '.join(map(str, versions))}"
        )
    needed = ("package", "result") if doc["format"] == RECORD_FORMAT else ("package", "result", "frames")
    for key in needed:
        if key not in doc:
            raise RecordError(f"{path}: record has no {key!r}")
    return doc


def _validate_result(path: Path | None, data: Any) -> Any:
    from pydantic import ValidationError

    from tidebreak.contracts import BattleResult

    try:
        return BattleResult.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        where = "result." + ".".join(str(p) for p in err["loc"])
        raise RecordError(f"{path}: {where}: {err['msg']}") from e


def save_record(path: str | Path, package: Any, result: Any) -> Path:
    """Write a record (JSON, gzip-compressed when the name ends in .gz).

    When the name ends in ``.tbr`` a replay file with per-tick frames is
    written instead (see :func:`record_frames`).
    """
    from tidebreak.engine.simulation import package_dict

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pkg = package_dict(package)
    if path.suffix == ".tbr":
        frames = record_frames(pkg, result)
        doc = _replay_doc(pkg, result, frames)
    else:
        doc = {
            "format": RECORD_FORMAT,
            "version": RECORD_VERSION,
            "package": pkg,
            "result": result.model_dump(mode="json"),
        }
    with _open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    return path


def load_record(
    path: str | Path, *, max_bytes: int | None = None, check_frames: bool = False
) -> tuple[dict[str, Any], Any]:
    """Read a record or replay file: the package (as a dict) and the BattleResult.

    ``max_bytes`` bounds the decompressed size (default :data:`MAX_REPLAY_BYTES`).
    With ``check_frames`` the frames a replay file holds are checked too (as
    :func:`load_replay` checks them), so that a corrupt file is refused
    whole; a plain record has none to check.
    """
    path = Path(path)
    doc = _read_doc(path, max_bytes)
    pkg, parsed = _check_package(path, doc["package"])
    result = _check_result(path, pkg, parsed.time_limit_s, doc["result"])
    if check_frames and doc["format"] != RECORD_FORMAT and doc["version"] != 1:
        _file_frames(path, doc, pkg, parsed, result)
    return pkg, result


def _check_package(path: Path, pkg: Any) -> tuple[dict[str, Any], Any]:
    """The package of a file, validated against arena.v1 (its ``fields``
    coupling block, an env-config extension, aside), and the BattlePackage.

    The dict returned is the validated package written out in full (every
    default explicit, no ``null`` standing for one), so that tools reading it
    need no defaults of their own; it runs the same battle as the file's.
    """
    import warnings

    from tidebreak.contracts import ContractError, UnknownFieldWarning, dump_package, parse_package

    if not isinstance(pkg, dict):
        raise RecordError(f"{path}: package: must be an object")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", UnknownFieldWarning)
            parsed = parse_package({k: v for k, v in pkg.items() if k != "fields"})
    except ContractError as e:
        where, msg = e.problems[0]
        raise RecordError(f"{path}: package{'.' + where if where else ''}: {msg}") from e
    except UnknownFieldWarning as e:
        raise RecordError(f"{path}: package: unknown field(s) {', '.join(e.paths)}") from e
    except RecursionError:
        raise RecordError(f"{path}: package: nested too deeply") from None
    full: dict[str, Any] = json.loads(dump_package(parsed))
    if "fields" in pkg:
        full["fields"] = pkg["fields"]
    return full, parsed


def _check_result(path: Path, pkg: dict[str, Any], limit: float, data: Any) -> Any:
    """The file's BattleResult, checked against its package: the same ships,
    a duration within the time limit (which bounds any re-simulation)."""
    result = _validate_result(path, data)
    want = sorted(s["ship_id"] for s in pkg["ships"])
    if sorted(s.ship_id for s in result.ships) != want:
        raise RecordError(f"{path}: result.ships: must report the package's ships ({', '.join(want)})")
    if not 0 <= result.duration_s <= math.ceil(limit):
        raise RecordError(
            f"{path}: result.duration_s: {result.duration_s!r} is not within the time limit {limit:g}"
        )
    return result


def load_replay(path: str | Path, *, max_bytes: int | None = None) -> ReplayFile:
    """Read a replay file (``.tbr``) or a record.

    A plain record (and a version 1 replay file, whose events were not the
    engine's) has its frames rebuilt here by re-running the battle, so every
    record can be rendered. Frames read from a file are checked by
    :func:`tidebreak.replays.frames.check_frames`; ``max_bytes`` bounds the
    decompressed size (default :data:`MAX_REPLAY_BYTES`).
    """
    path = Path(path)
    doc = _read_doc(path, max_bytes)
    pkg, parsed = _check_package(path, doc["package"])
    result = _check_result(path, pkg, parsed.time_limit_s, doc["result"])
    if doc["format"] == RECORD_FORMAT or doc["version"] == 1:
        try:
            frames = record_frames(pkg, result)
        except RecordError as e:
            raise RecordError(f"{path}: {e}") from e
    else:
        frames = _file_frames(path, doc, pkg, parsed, result)
    return ReplayFile(path, pkg, result, frames, _meta(pkg))


def _file_frames(
    path: Path, doc: dict[str, Any], pkg: dict[str, Any], parsed: Any, result: Any
) -> list[dict[str, Any]]:
    """The frames of a replay file, checked by :func:`tidebreak.replays.frames.check_frames`."""
    from tidebreak.replays.frames import FrameError, check_frames

    frames = doc["frames"]
    if not isinstance(frames, list) or not frames:
        raise RecordError(f"{path}: frames: must be a non-empty list")
    if len(frames) > result.duration_s + 1:
        raise RecordError(f"{path}: frames: {len(frames)} frames for a battle of {result.duration_s:g} ticks")
    b = parsed.map.bounds
    hp = [s.hull.hp for s in parsed.ships]
    ids = [s["ship_id"] for s in pkg["ships"]]
    try:
        check_frames(frames, ids, hp, (b.min_x, b.min_y, b.max_x, b.max_y))
    except FrameError as e:
        raise RecordError(f"{path}: {e}") from e
    except RecursionError:
        raise RecordError(f"{path}: frames: nested too deeply") from None
    if frames[-1]["tick"] > result.duration_s:
        raise RecordError(f"{path}: frames: tick {frames[-1]['tick']} is past the battle's end")
    return frames


def _replay_doc(pkg: dict[str, Any], result: Any, frames: list[dict[str, Any]]) -> dict[str, Any]:
    res = result.model_dump(mode="json")
    return {
        "format": REPLAY_FORMAT,
        "version": REPLAY_VERSION,
        "package": pkg,
        "action_log": res["replay"].get("action_log") or [],
        "result": res,
        "legend": LEGEND,
        "meta": _meta(pkg),
        "frames": frames,
    }


def _meta(pkg: dict[str, Any]) -> dict[str, Any]:
    """Per-ship constants the viewers need, in ship order."""
    ships = []
    for s in pkg["ships"]:
        ships.append(
            {
                "id": s["ship_id"],
                "team": s.get("team_id"),
                "class": s.get("class"),
                "controller": s.get("controller"),
                "radius": (s.get("hull") or {}).get("radius", 50),
                "max_hp": (s.get("hull") or {}).get("hp"),
                "sensors": [{"type": x.get("type"), "range": x.get("range")} for x in s.get("sensors") or []],
            }
        )
    return {
        "battle_id": pkg.get("battle_id"),
        "seed": pkg.get("seed"),
        "teams": [t["team_id"] for t in pkg.get("teams", [])],
        "ships": ships,
    }


# ---------------------------------------------------------------- frames


def _r(v: float, nd: int = 1) -> float:
    return round(float(v), nd) if math.isfinite(v) else 0.0


def frame_from_state(
    state: bytes | str | dict[str, Any], ids: list[str], events: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """One frame from an env state (``env.save()``, decoded or not, or its ``world``).

    ``events`` are the engine's events of the step that led to this state
    (:meth:`tidebreak.NativeEnv.event_dicts`); none for tick 0.
    The state's names are the wire names of :mod:`tidebreak.engine.state`
    (``docs/replay.md``); a state of another layout raises
    :class:`~tidebreak.engine.state.StateError`.
    """
    w = world_of(state)
    ships, tracks = [], {}
    for i, s in enumerate(w["ships"]):
        tr = s["transition"]
        trans = None
        if tr["active"]:
            dur = tr["duration"] or 1.0
            trans = {"to": tr["to"], "p": _r(min(1.0, tr["elapsed"] / dur), 3)}
        kin = s["kinematics"]
        ships.append(
            {
                "id": ids[i],
                "x": _r(kin["x"]),
                "y": _r(kin["y"]),
                "h": _r(kin["heading"], 4),
                "v": _r(kin["speed"], 2),
                "layer": s["layer"],
                "trans": trans,
                "hp": _r(s["hp"]),
                "status": s["status"],
                "morale": _r(s["morale"], 3),
                "ping": bool(s["ping_now"]),
            }
        )
        own = []
        for j, t in enumerate(s["tracks"]):
            if j == i or t["quality"] < 0:
                continue
            own.append(
                {
                    "target": ids[j],
                    "q": t["quality"],
                    "x": _r(t["x"]),
                    "y": _r(t["y"]),
                    "err": _r(t["err"]),
                    "layer": t["layer"],
                }
            )
        tracks[ids[i]] = own
    projectiles = [
        {
            "kind": p["kind"],
            "owner": ids[p["owner"]] if 0 <= p["owner"] < len(ids) else None,
            "x": _r(p["x"]),
            "y": _r(p["y"]),
            "h": _r(p["heading"], 3),
        }
        for p in w["projectiles"]
        if p["alive"]
    ]
    frame: dict[str, Any] = {"tick": w["tick"], "ships": ships, "tracks": tracks, "projectiles": projectiles}
    frame["events"] = list(events or [])
    if w["noise"] is not None:  # a coupled battle's noise picture, drawn by both viewers
        frame["noise"] = w["noise"]
    return frame


def _log_from_states(states: list[dict[str, Any]], ids: list[str]) -> list[dict[str, Any]]:
    """The action log the arena would have written, from each tick's ``last_action``."""
    log: list[dict[str, Any]] = []
    last = [[0.0] * 7 for _ in ids]
    for st in states[1:]:
        w = world_of(st)
        for i, a in enumerate(w["last_action"]):
            if list(a) != last[i]:
                log.append({"tick": w["tick"] - 1, "ship_id": ids[i], "action": list(a)})
                last[i] = list(a)
    return log


def result_log(result: Any) -> list[dict[str, Any]]:
    """A BattleResult's action log as dicts, each action as seven floats."""
    return [
        dict(r.model_dump(mode="json"), action=[float(x) for x in r.action])
        for r in result.replay.action_log or []
    ]


def _check_same_battle(
    states: list[dict[str, Any]], ids: list[str], result: Any, log: list[dict[str, Any]]
) -> None:
    """Raise RecordError unless the tick-by-tick run matches ``result``."""
    want = result_log(result)
    if want:
        norm = [dict(r, action=[float(x) for x in r["action"]]) for r in want]
        mine = [dict(r, action=[float(x) for x in r["action"]]) for r in log]
        if norm != mine:
            k = next((k for k, (a, b) in enumerate(zip(norm, mine)) if a != b), min(len(norm), len(mine)))
            raise RecordError(f"frames do not reproduce the battle: action_log[{k}] differs")
    last = world_of(states[-1])
    ticks = last["tick"]
    if abs(ticks - result.duration_s) > 1e-6:
        raise RecordError(
            f"frames do not reproduce the battle: {ticks} ticks, result has duration_s {result.duration_s}"
        )
    by_id = {s.ship_id: s for s in result.ships}
    for i, s in enumerate(last["ships"]):
        fs = by_id[ids[i]].final_state
        kin = s["kinematics"]
        if abs(fs.x - kin["x"]) > 1e-6 or abs(fs.y - kin["y"]) > 1e-6:
            raise RecordError(f"frames do not reproduce the battle: ships[{ids[i]}] final position differs")
        if abs(fs.hp - s["hp"]) > 1e-6:
            raise RecordError(f"frames do not reproduce the battle: ships[{ids[i]}] final hp differs")


def run_battle(
    package: dict[str, Any], ticks: int | None = None, actions: list[dict[str, Any]] | None = None
) -> tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]:
    """Run ``package`` tick by tick in a NativeEnv: every saved state (tick
    0 first) and the engine's events of each step (none for tick 0).

    Agent ships take their commands from ``actions`` (an action log); ships
    under scripted controllers run them. Stops at the end of the battle or
    after ``ticks`` ticks.
    """
    from tidebreak.engine.native_env import NativeEnv

    ids = [s["ship_id"] for s in package["ships"]]
    agents = [i for i, s in enumerate(package["ships"]) if s.get("controller") == "agent"]
    per_tick: dict[int, dict[str, list[float]]] = {}
    for r in actions or []:
        per_tick.setdefault(int(r["tick"]), {})[r["ship_id"]] = list(r["action"])
    with NativeEnv(package) as env:
        env.reset(seed=int(package["seed"]))
        act = env.zero_actions()
        states = [json.loads(env.save())]
        events: list[list[dict[str, Any]]] = [[]]
        tick = 0
        while ticks is None or tick < ticks:
            for k, i in enumerate(agents):
                a = per_tick.get(tick, {}).get(ids[i])
                if a is not None:
                    act[k, :] = a
            _, _, term, trunc = env.step(act)
            tick += 1
            states.append(json.loads(env.save()))
            events.append(env.event_dicts())
            if term or trunc:
                break
    return states, events


def run_states(
    package: dict[str, Any], ticks: int | None = None, actions: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """:func:`run_battle`'s states alone."""
    return run_battle(package, ticks, actions)[0]


def record_frames(package: Any, result: Any) -> list[dict[str, Any]]:
    """Frames of a simulated battle, re-run tick by tick and checked against ``result``.

    Raises :class:`RecordError` if the re-run is not the same battle.
    """
    from tidebreak.engine.native import NativeError
    from tidebreak.engine.simulation import package_dict

    pkg = package_dict(package)
    ids = [s["ship_id"] for s in pkg["ships"]]
    log = result_log(result)
    try:  # the battle cannot have run longer than its result says; stop there if it would
        states, events = run_battle(pkg, ticks=math.ceil(result.duration_s) + 1, actions=log)
    except NativeError as e:
        raise RecordError(f"the battle cannot be re-run: {e}") from e
    _check_same_battle(states, ids, result, _log_from_states(states, ids))
    return [frame_from_state(st, ids, ev) for st, ev in zip(states, events)]


class Recorder:
    """Collects an env episode tick by tick and writes it as a ``.tbr`` replay file.

    Call :meth:`record_tick` with ``env.save()`` (and, after a step,
    ``env.event_dicts()``: the engine's events of that step) once after
    ``reset`` and once after every ``step``; then :meth:`save`. The action log is rebuilt
    from each state's last commands (agents included), the battle is
    re-simulated with that log to produce the BattleResult and its state
    hashes, and the re-simulation's end state is checked against the last
    recorded state before the file is written.

    >>> import tidebreak
    >>> from tidebreak.replays.records import Recorder
    >>> pkg = tidebreak.scenarios.load("duel", controllers={"corvette": "agent"})
    >>> env = tidebreak.NativeEnv(pkg); _ = env.reset(seed=3)
    >>> rec = Recorder(pkg); _ = rec.record_tick(env.save())
    >>> for _ in range(20): _ = env.step(env.zero_actions()); _ = rec.record_tick(env.save(), env.event_dicts())
    >>> len(rec.frames)
    21
    """

    def __init__(self, package: Any) -> None:
        from tidebreak.engine.simulation import package_dict

        self.package = dict(package_dict(package))
        self.ids = [s["ship_id"] for s in self.package["ships"]]
        self._states: list[dict[str, Any]] = []
        self.frames: list[dict[str, Any]] = []

    def record_tick(
        self, state: bytes | str | dict[str, Any], events: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        """Add one tick's state (``env.save()`` output) and the events of the
        step that led to it (``env.event_dicts()``); returns its frame."""
        st = parse_state(state) if isinstance(state, (bytes, str)) else state
        w = world_of(st)
        if self._states:
            last = self._states[-1]["tick"]
            if w["tick"] != last + 1:
                raise ValueError(
                    f"record_tick: tick {w['tick']} does not follow tick {last} (one Recorder per episode)"
                )
        elif w["tick"] != 0:
            raise ValueError(
                f"record_tick: the first state must be tick 0 (after reset), got tick {w['tick']}"
            )
        if len(w["ships"]) != len(self.ids):
            raise ValueError(
                f"record_tick: state has {len(w['ships'])} ships, the package has {len(self.ids)}"
            )
        if not self._states and "episode_seed" in st:
            self.package["seed"] = st["episode_seed"]
        frame = frame_from_state(w, self.ids, events)
        self._states.append({k: w[k] for k in ("version", "tick", "ships", "last_action", "projectiles")})
        self.frames.append(frame)
        return frame

    def action_log(self) -> list[dict[str, Any]]:
        """The action log of the ticks recorded so far."""
        return _log_from_states(self._states, self.ids)

    def result(self) -> Any:
        """Re-simulate with the recorded action log; the BattleResult (only for a finished episode)."""
        from tidebreak.contracts import BattleResult
        from tidebreak.engine.simulation import simulate_json

        raw = json.dumps({"package": self.package, "action_log": self.action_log()})
        return BattleResult.model_validate_json(simulate_json(raw))

    def save(self, path: str | Path, *, verify: bool = True) -> Path:
        """Write the episode to ``path`` (a ``.tbr`` file, gzip JSON).

        ``verify`` re-simulates the battle from the action log and checks
        its end against the last recorded state (an unfinished episode
        cannot be verified: pass ``verify=False`` to write it anyway; its
        result then describes the re-simulated, finished battle).
        """
        if not self._states:
            raise ValueError("Recorder.save: nothing recorded (call record_tick after reset and each step)")
        result = self.result()
        if verify:
            _check_same_battle(self._states, self.ids, result, self.action_log())
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with _open(path if path.suffix else path.with_suffix(".tbr"), "w") as f:
            json.dump(_replay_doc(self.package, result, self.frames), f, separators=(",", ":"))
        return path


# ---------------------------------------------------------------- verify


def replay(source: str | Path | Any, package: Any = None) -> ReplayReport:
    """Re-simulate a recorded battle and verify its state hashes.

    ``source`` is a record or replay-file path, or a BattleResult together
    with the ``package`` it came from. A replay file is read whole: corrupt
    frames raise :class:`RecordError` even though verifying does not use them.
    """
    from tidebreak.contracts import BattleResult
    from tidebreak.engine.simulation import package_dict, simulate_json

    if isinstance(source, (str, Path)):
        pkg, result = load_record(source, check_frames=True)
    else:
        if package is None:
            raise TypeError("replay(result) needs the package: replay(result, package=...)")
        pkg, result = package_dict(package), source
    log = [r.model_dump(mode="json") for r in result.replay.action_log or []]
    raw = json.dumps({"package": pkg, "action_log": log})
    again = BattleResult.model_validate_json(simulate_json(raw))
    expected, actual = result.replay, again.replay
    if expected.initial_state_hash != actual.initial_state_hash:
        return ReplayReport(False, 0, 0, expected.initial_state_hash, actual.initial_state_hash)
    want, got = list(expected.tick_hashes or []), list(actual.tick_hashes or [])
    for i in range(max(len(want), len(got))):
        w = want[i] if i < len(want) else None
        g = got[i] if i < len(got) else None
        if w != g:
            return ReplayReport(False, i, i + 1, w, g)
    if expected.final_state_hash != actual.final_state_hash:
        return ReplayReport(False, len(want), len(want), expected.final_state_hash, actual.final_state_hash)
    return ReplayReport(True, len(want), None, None, None)
