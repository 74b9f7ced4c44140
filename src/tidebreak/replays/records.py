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
  the events of that tick. See ``docs/replay.md`` for the layout.

``simulate(package, record_path="battle.tbr")`` writes a replay file: after
the battle it runs it again tick by tick through :class:`~tidebreak.NativeEnv`
to collect the frames and checks that this second run is the same battle
(same action log, same final ship states) before writing. RL envs record
their episodes with :class:`Recorder`.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidebreak.engine.state import parse_state, world_of

__all__ = [
    "RECORD_FORMAT",
    "REPLAY_FORMAT",
    "REPLAY_VERSION",
    "ReplayReport",
    "ReplayFile",
    "Recorder",
    "RecordError",
    "save_record",
    "load_record",
    "load_replay",
    "record_frames",
    "frame_from_state",
    "replay",
]

RECORD_FORMAT = "tidebreak.record"
RECORD_VERSION = 1
REPLAY_FORMAT = "tidebreak.replays"
REPLAY_VERSION = 1

#: Integer codes used in frames, written into every replay file as ``legend``.
LEGEND: dict[str, list[str]] = {
    "layer": ["surface", "submerged"],
    "status": ["active", "disabled", "destroyed", "surrendered"],
    "projectile": ["gun", "torpedo", "asw"],
    "quality": ["Q0 bearing-only", "Q1 coarse", "Q2 fire-control", "Q3 datalink"],
}
_KINDS = LEGEND["projectile"]
_STATUS_EVENT = {1: "disabled", 2: "destroyed", 3: "surrendered"}


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
        """Every event of every frame, in tick order."""
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


def _read_doc(path: Path) -> dict[str, Any]:
    try:
        with _open(path, "r") as f:
            doc = json.load(f)
    except (OSError, EOFError, UnicodeDecodeError) as e:
        raise RecordError(f"{path}: cannot read record: {e}") from e
    except json.JSONDecodeError as e:
        raise RecordError(f"{path}: not a record (invalid JSON at line {e.lineno}: {e.msg})") from e
    if not isinstance(doc, dict) or doc.get("format") not in (RECORD_FORMAT, REPLAY_FORMAT):
        raise RecordError(
            f"{path}: not a Tidebreak record (format must be {RECORD_FORMAT!r} or {REPLAY_FORMAT!r})"
        )
    want = RECORD_VERSION if doc["format"] == RECORD_FORMAT else REPLAY_VERSION
    if doc.get("version") != want:
        raise RecordError(f"{path}: record version {doc.get('version')!r}; this Tidebreak reads {want}")
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


def load_record(path: str | Path) -> tuple[dict[str, Any], Any]:
    """Read a record or replay file: the package (as a dict) and the BattleResult."""
    path = Path(path)
    doc = _read_doc(path)
    return doc["package"], _validate_result(path, doc["result"])


def load_replay(path: str | Path) -> ReplayFile:
    """Read a replay file (``.tbr``) or a record.

    A plain record has no frames; they are rebuilt here by re-running the
    battle, so every record can be rendered.
    """
    path = Path(path)
    doc = _read_doc(path)
    result = _validate_result(path, doc["result"])
    pkg = doc["package"]
    if not isinstance(pkg, dict) or not isinstance(pkg.get("ships"), list):
        raise RecordError(f"{path}: package.ships: missing or not a list")
    for i, s in enumerate(pkg["ships"]):
        if not isinstance(s, dict) or "ship_id" not in s:
            raise RecordError(f"{path}: package.ships[{i}].ship_id: missing")
    if doc["format"] == RECORD_FORMAT:
        frames = record_frames(pkg, result)
    else:
        frames = doc["frames"]
        if not isinstance(frames, list) or not frames:
            raise RecordError(f"{path}: frames: must be a non-empty list")
        for i, f in enumerate(frames):
            for key in ("tick", "ships"):
                if not isinstance(f, dict) or key not in f:
                    raise RecordError(f"{path}: frames[{i}].{key}: missing")
    return ReplayFile(path, pkg, result, frames, doc.get("meta") or _meta(pkg))


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
    state: bytes | str | dict[str, Any], ids: list[str], prev: bytes | str | dict[str, Any] | None = None
) -> dict[str, Any]:
    """One frame from an env state (``env.save()``, decoded or not, or its ``world``).

    ``prev`` is the previous tick's *state* (not frame); events are derived
    from the difference: shots (mount fire counters), hits (hp drops),
    status changes, transitions and sonar pings. The state's names are the
    wire names of :mod:`tidebreak.engine.state` (``docs/replay.md``); a
    state of another layout raises :class:`~tidebreak.engine.state.StateError`.
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
    frame["events"] = _events(w, world_of(prev) if prev is not None else None, ids)
    if w["noise"] is not None:  # a coupled battle's noise picture, drawn by both viewers
        frame["noise"] = w["noise"]
    return frame


def _events(w: dict[str, Any], p: dict[str, Any] | None, ids: list[str]) -> list[dict[str, Any]]:
    tick = w["tick"]
    out: list[dict[str, Any]] = []
    for i, s in enumerate(w["ships"]):
        ship = ids[i]
        if s["ping_now"]:
            out.append({"tick": tick, "type": "ping", "ship": ship})
        if p is None:
            continue
        q = p["ships"][i]
        for a, b in zip(s["mounts"], q["mounts"]):
            n = a["fired"] - b["fired"]
            if n > 0:
                out.append(
                    {
                        "tick": tick,
                        "type": "shot",
                        "ship": ship,
                        "weapon": _KINDS[a["kind"]] if 0 <= a["kind"] < 3 else a["kind"],
                        "count": n,
                    }
                )
        dmg = q["hp"] - s["hp"]
        if dmg > 1e-9:
            ev = {"tick": tick, "type": "hit", "ship": ship, "damage": _r(dmg), "hp": _r(s["hp"])}
            if s["hazard_damage"] > q["hazard_damage"]:
                ev["cause"] = "hazard"
            out.append(ev)
        if s["status"] != q["status"] and s["status"] in _STATUS_EVENT:
            ev = {"tick": tick, "type": _STATUS_EVENT[s["status"]], "ship": ship}
            killer = s["killed_by"]
            if isinstance(killer, int) and 1 <= killer <= len(ids):
                ev["by"] = ids[killer - 1]
            out.append(ev)
        ta, tb = s["transition"], q["transition"]
        if ta["active"] and not tb["active"]:
            out.append({"tick": tick, "type": "dive" if ta["to"] == 1 else "surface", "ship": ship})
        elif tb["active"] and not ta["active"]:
            done = s["layer"] == tb["to"]
            out.append(
                {
                    "tick": tick,
                    "type": ("submerged" if s["layer"] == 1 else "surfaced")
                    if done
                    else "transition_aborted",
                    "ship": ship,
                }
            )
    return out


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


def _check_same_battle(
    states: list[dict[str, Any]], ids: list[str], result: Any, log: list[dict[str, Any]]
) -> None:
    """Raise RecordError unless the tick-by-tick run matches ``result``."""
    want = [r.model_dump(mode="json") for r in result.replay.action_log or []]
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


def run_states(
    package: dict[str, Any], ticks: int | None = None, actions: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Run ``package`` tick by tick in a NativeEnv and return every saved state (tick 0 first).

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
        tick = 0
        while ticks is None or tick < ticks:
            for k, i in enumerate(agents):
                a = per_tick.get(tick, {}).get(ids[i])
                if a is not None:
                    act[k, :] = a
            _, _, term, trunc = env.step(act)
            tick += 1
            states.append(json.loads(env.save()))
            if term or trunc:
                break
    return states


def record_frames(package: Any, result: Any) -> list[dict[str, Any]]:
    """Frames of a simulated battle, re-run tick by tick and checked against ``result``.

    Raises :class:`RecordError` if the re-run is not the same battle.
    """
    from tidebreak.engine.simulation import package_dict

    pkg = package_dict(package)
    ids = [s["ship_id"] for s in pkg["ships"]]
    log = [r.model_dump(mode="json") for r in result.replay.action_log or []]
    states = run_states(pkg, actions=log)
    _check_same_battle(states, ids, result, _log_from_states(states, ids))
    return _frames(states, ids)


def _frames(states: list[dict[str, Any]], ids: list[str]) -> list[dict[str, Any]]:
    frames, prev = [], None
    for st in states:
        frames.append(frame_from_state(st, ids, prev))
        prev = st
    return frames


class Recorder:
    """Collects an env episode tick by tick and writes it as a ``.tbr`` replay file.

    Call :meth:`record_tick` with ``env.save()`` once after ``reset`` and
    once after every ``step``; then :meth:`save`. The action log is rebuilt
    from each state's last commands (agents included), the battle is
    re-simulated with that log to produce the BattleResult and its state
    hashes, and the re-simulation's end state is checked against the last
    recorded state before the file is written.

    >>> import tidebreak
    >>> from tidebreak.replays.records import Recorder
    >>> pkg = tidebreak.scenarios.load("duel", controllers={"corvette": "agent"})
    >>> env = tidebreak.NativeEnv(pkg); _ = env.reset(seed=3)
    >>> rec = Recorder(pkg); _ = rec.record_tick(env.save())
    >>> for _ in range(20): _ = env.step(env.zero_actions()); _ = rec.record_tick(env.save())
    >>> len(rec.frames)
    21
    """

    def __init__(self, package: Any) -> None:
        from tidebreak.engine.simulation import package_dict

        self.package = dict(package_dict(package))
        self.ids = [s["ship_id"] for s in self.package["ships"]]
        self._states: list[dict[str, Any]] = []
        self.frames: list[dict[str, Any]] = []

    def record_tick(self, state: bytes | str | dict[str, Any]) -> dict[str, Any]:
        """Add one tick's state (``env.save()`` output); returns its frame."""
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
        frame = frame_from_state(w, self.ids, self._states[-1] if self._states else None)
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
    with the ``package`` it came from.
    """
    from tidebreak.contracts import BattleResult
    from tidebreak.engine.simulation import package_dict, simulate_json

    if isinstance(source, (str, Path)):
        pkg, result = load_record(source)
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
