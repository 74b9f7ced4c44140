"""Run whole battles: BattlePackage in, BattleResult out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tidebreak.engine import _native

__all__ = ["simulate", "simulate_json", "package_dict"]


def package_dict(package: Any) -> dict[str, Any]:
    """A package (dict, JSON text or BattlePackage) as a plain dict."""
    if isinstance(package, dict):
        return package
    data: dict[str, Any] = json.loads(_package_json(package))
    return data


def _package_json(package: Any) -> bytes:
    if hasattr(package, "model_dump_json"):
        text: str = package.model_dump_json(exclude_none=True)
        return text.encode()
    if isinstance(package, dict):
        return json.dumps(package).encode()
    if isinstance(package, str):
        return package.encode()
    if isinstance(package, bytes):
        return package
    raise TypeError(f"package must be a dict, JSON text or BattlePackage, not {type(package).__name__}")


def simulate_json(package: Any) -> bytes:
    """Simulate a battle and return the BattleResult as JSON bytes."""
    raw = _package_json(package)
    lib = _native.lib()
    blob = _native.ffi.new("uint64_t *")
    length = _native.ffi.new("int64_t *")
    _native.check("tb_simulate", lib.tb_simulate(raw, len(raw), blob, length))
    return _native.take_blob(blob[0], length[0])


def simulate(package: Any, record_path: str | Path | None = None) -> Any:
    """Simulate a battle to its end with every ship under its scripted controller.

    ``package`` is a dict, JSON text or :class:`tidebreak.contracts.BattlePackage`.
    With ``record_path`` the package and result are also written there as a
    record that :func:`tidebreak.replay` can verify.
    Returns a :class:`tidebreak.contracts.BattleResult`. Errors in the package
    raise :class:`tidebreak.NativeError` naming the field, e.g.
    ``ships[0].hull.max_speed: must be > 0``.

    >>> import tidebreak
    >>> result = tidebreak.simulate(tidebreak.scenarios.load("duel"))
    >>> result.duration_s <= 600
    True
    """
    from tidebreak.contracts import BattleResult

    result = BattleResult.model_validate_json(simulate_json(package))
    if record_path is not None:
        from tidebreak.replays.records import save_record

        save_record(record_path, package, result)
    return result
