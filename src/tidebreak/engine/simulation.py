"""Run whole battles: BattlePackage in, BattleResult out."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any, TypeVar

from tidebreak.engine import _native

__all__ = ["simulate", "simulate_json", "package_dict", "interrupt"]

_T = TypeVar("_T")


def interrupt() -> None:
    """End every :func:`simulate` call in progress in this process, from any thread.

    Each stops within a few dozen ticks and raises :class:`tidebreak.NativeError` with
    status ``TB_ERR_INTERRUPTED`` (``tb_interrupt`` in the C ABI). Calls that start
    afterwards run normally. Ctrl-C does this by itself: a :func:`simulate` on the main
    thread raises ``KeyboardInterrupt`` promptly, however long the battle.

    >>> interrupt()  # nothing is running: nothing happens
    """
    _native.check("tb_interrupt", _native.lib().tb_interrupt())


_helper: ThreadPoolExecutor | None = None
"""The process's helper thread for the main thread's native calls. It lives as long as
the process: a new thread per call cost 0.25 ms around each call, the helper 0.18 ms
(a duel simulates in about 1.6 ms). A forked child never gets here: the library
refuses a process forked after it loaded."""

_current: Future[Any] | None = None
"""The call the helper thread runs or ran last (tests look at it)."""


def _interruptible(call: Callable[[], _T]) -> _T:
    """Run a long native call so that Ctrl-C ends it.

    On the main thread the call runs on the helper thread while the main thread waits
    in short, signal-aware sleeps; a ``KeyboardInterrupt`` (or any exception) raised
    while it waits asks the library to stop (``tb_interrupt``), waits for the call to
    return and re-raises. ``call`` must read its own error message, which the library
    keeps per thread. Elsewhere the call runs where it is.
    """
    global _current, _helper
    if threading.current_thread() is not threading.main_thread():
        return call()
    if _helper is None:
        _helper = ThreadPoolExecutor(1, thread_name_prefix="tidebreak-simulate")
    future: Future[_T] = _helper.submit(call)
    _current = future
    try:
        while not future.done():
            wait([future], timeout=0.05)  # a lock without a timeout ignores Ctrl-C on Windows
    except BaseException:
        _native.lib().tb_interrupt()
        wait([future])
        raise
    return future.result()


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

    def run() -> None:
        _native.check("tb_simulate", lib.tb_simulate(raw, len(raw), blob, length))

    try:
        _interruptible(run)
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
