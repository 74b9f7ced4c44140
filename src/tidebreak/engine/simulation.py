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
    if not isinstance(package, (dict, str, bytes, bytearray, memoryview)) and not hasattr(
        package, "model_dump"
    ):
        raise TypeError(f"package must be a dict, JSON text or BattlePackage, not {type(package).__name__}")
    from tidebreak.contracts import document

    return document(package)


def _lenient(raw: bytes) -> bytes:
    """A simulate input whose package has its unknown keys dropped (each reported as an
    ``UnknownFieldWarning``) and that asks the library to ignore unknown envelope keys."""
    import tidebreak.contracts as contracts

    data = json.loads(raw)
    if isinstance(data, dict) and "package" in data:
        package = contracts.checked_package(data["package"], strict=False, stacklevel=5)
        return json.dumps({**data, "package": package, "lenient": True}).encode()
    return json.dumps(contracts.checked_package(raw, strict=False, stacklevel=5)).encode()


def simulate_json(package: Any, *, strict: bool = True) -> bytes:
    """Simulate a battle and return the BattleResult as JSON bytes.

    A package the contract refuses raises :class:`tidebreak.contracts.ContractError` (a
    :class:`tidebreak.NativeError`) listing every problem; ``strict=False`` ignores unknown keys
    and warns :class:`tidebreak.contracts.UnknownFieldWarning`.
    """
    import tidebreak.contracts as contracts

    raw = _package_json(package)
    if not strict:
        raw = _lenient(raw)
    lib = _native.lib()
    blob = _native.ffi.new("uint64_t *")
    length = _native.ffi.new("int64_t *")
    try:
        _native.check("tb_simulate", lib.tb_simulate(raw, len(raw), blob, length))
    except _native.NativeError as e:
        raise contracts.contract_error("tb_simulate", e, raw) from None
    return _native.take_blob(blob[0], length[0])


def simulate(package: Any, record_path: str | Path | None = None, *, strict: bool = True) -> Any:
    """Simulate a battle to its end with every ship under its scripted controller.

    ``package`` is a dict, JSON text or :class:`tidebreak.contracts.BattlePackage`.
    With ``record_path`` the package and result are also written there as a
    record that :func:`tidebreak.replay` can verify.
    Returns a :class:`tidebreak.contracts.BattleResult`. A package the contract
    refuses raises :class:`tidebreak.contracts.ContractError` (also a
    :class:`tidebreak.NativeError` and a ``ValueError``) naming each field,
    e.g. ``ships[0].hull.max_speed: must be > 0 (got 0)``; unknown keys are
    errors (``ships[0].controler: unknown field; did you mean "controller"?``)
    unless ``strict=False``, which ignores them with an ``UnknownFieldWarning``.

    >>> import tidebreak
    >>> result = tidebreak.simulate(tidebreak.scenarios.load("duel"))
    >>> result.duration_s <= 600
    True
    """
    from tidebreak.contracts import BattleResult

    result = BattleResult.model_validate_json(simulate_json(package, strict=strict))
    if record_path is not None:
        from tidebreak.replays.records import save_record

        save_record(record_path, package, result)
    return result
