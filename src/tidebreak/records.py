"""Record battles and verify them by re-simulation.

A record holds the BattlePackage and the BattleResult, whose replay section
carries the seed, the action log (every controller output not derived from
state) and the state hash after every tick. :func:`replay` plays the log
back through the arena and compares hashes tick by tick, so a changed
package, a changed log or a non-deterministic build shows up as the first
tick whose hash differs.

>>> import tempfile, os, tidebreak
>>> path = os.path.join(tempfile.mkdtemp(), "duel.json.gz")
>>> _ = tidebreak.simulate(tidebreak.scenarios.package("duel", seed=4), record_path=path)
>>> tidebreak.replay(path).ok
True
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["RECORD_FORMAT", "ReplayReport", "save_record", "load_record", "replay"]

RECORD_FORMAT = "tidebreak.record"
RECORD_VERSION = 1


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


def _open(path: Path, mode: str) -> Any:
    return gzip.open(path, mode + "t") if path.suffix == ".gz" else open(path, mode)


def save_record(path: str | Path, package: Any, result: Any) -> Path:
    """Write a record (JSON, gzip-compressed when the name ends in .gz)."""
    from tidebreak.simulation import package_dict

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "format": RECORD_FORMAT,
        "version": RECORD_VERSION,
        "package": package_dict(package),
        "result": result.model_dump(mode="json"),
    }
    with _open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    return path


def load_record(path: str | Path) -> tuple[dict[str, Any], Any]:
    """Read a record: the package (as a dict) and the BattleResult."""
    from tidebreak.contracts import BattleResult

    path = Path(path)
    try:
        with _open(path, "r") as f:
            doc = json.load(f)
    except (OSError, EOFError) as e:
        raise ValueError(f"{path}: cannot read record: {e}") from e
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: not a record (invalid JSON at line {e.lineno}: {e.msg})") from e
    if not isinstance(doc, dict) or doc.get("format") != RECORD_FORMAT:
        raise ValueError(f"{path}: not a Tidebreak record (format must be {RECORD_FORMAT!r})")
    if doc.get("version") != RECORD_VERSION:
        raise ValueError(f"{path}: record version {doc.get('version')!r}; this Tidebreak reads {RECORD_VERSION}")
    for key in ("package", "result"):
        if key not in doc:
            raise ValueError(f"{path}: record has no {key!r}")
    return doc["package"], BattleResult.model_validate(doc["result"])


def replay(source: str | Path | Any, package: Any = None) -> ReplayReport:
    """Re-simulate a recorded battle and verify its state hashes.

    ``source`` is a record path, or a BattleResult together with the
    ``package`` it came from.
    """
    from tidebreak.simulation import package_dict, simulate_json
    from tidebreak.contracts import BattleResult

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
