"""The ABI self-check: does the installed library work with this package?

``tidebreak selfcheck`` runs it; CI runs it on every wheel, in an
environment without Go, so a wheel whose library is missing, built for
another ABI or platform, or lacking a function of the header fails there.

>>> from tidebreak.engine.selfcheck import run
>>> all(check.ok for check in run())
True
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tidebreak.engine import _native

__all__ = ["Check", "run"]


@dataclass(frozen=True)
class Check:
    """One check's outcome."""

    name: str
    ok: bool
    detail: str


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _captured_engine_log() -> Iterator[_Capture]:
    """Collect the engine's log records without letting them reach the user's handlers."""
    logger = logging.getLogger(_native.LOGGER_NAME)
    handler = _Capture()
    propagate, level = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = propagate, level


def _header_functions() -> list[str]:
    text = (Path(_native.__file__).parent / "tidebreak.h").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"^[ \t]*[a-z_][a-z_0-9 \t]*?[ \t*](tb_[a-z_0-9]+)[ \t]*\(", text, re.M)))


def _load() -> str:
    lib = _native.lib()
    return f"{_native.library_path()} (C ABI version {lib.tb_abi_version()})"


def _exports() -> str:
    lib = _native.lib()
    names = _header_functions()
    missing = []
    for name in names:
        try:
            getattr(lib, name)
        except AttributeError:
            missing.append(name)
    if missing:
        raise AssertionError(f"the library lacks {', '.join(missing)}")
    return f"all {len(names)} tb_* functions of tidebreak.h resolve"


def _version() -> str:
    from tidebreak import __version__

    info = _native.build_info()
    if info["version"] not in (__version__, "dev"):
        raise AssertionError(f"library {info['version']} != package {__version__}")
    return f"library {info['version']} for {info['platform']}, {info['go']}, commit {info['commit']}"


def _errors() -> str:
    lib = _native.lib()
    rc = lib.tb_env_destroy(0)
    message = _native.ffi.string(lib.tb_errmsg()).decode()
    if rc != lib.TB_ERR_HANDLE or "handle is 0" not in message:
        raise AssertionError(f"tb_env_destroy(0) gave {rc} {message!r}")
    return f"a zero handle gives TB_ERR_HANDLE: {message}"


def _panic() -> str:
    lib = _native.lib()
    with _captured_engine_log() as log:
        try:
            _native.check("tb_selftest_panic", lib.tb_selftest_panic())
        except _native.NativeError as e:
            if e.status != "TB_ERR_PANIC":
                raise
        else:
            raise AssertionError("tb_selftest_panic did not fail")
    errors = [r for r in log.records if r.levelno == logging.ERROR and getattr(r, "go_stack", None)]
    if not errors:
        raise AssertionError("the recovered panic was not logged with its Go stack")
    return "recovered as TB_ERR_PANIC and logged with its Go stack"


def _episode() -> str:
    from tidebreak import scenarios
    from tidebreak.engine.native_env import NativeEnv

    package = scenarios.load("duel")
    package["ships"][0]["controller"] = "agent"
    hashes = []
    for _ in range(2):
        with NativeEnv(package) as env:
            env.reset(seed=11)
            action = [1.0, 0.3] + [0.0] * (env.actions.size - 2)
            for _ in range(20):
                env.step(action)
            hashes.append(env.state_hash())
    if hashes[0] != hashes[1]:
        raise AssertionError(f"two runs with one seed differ: {hashes}")
    return f"20 steps, state hash {hashes[0][0]} twice"


def _simulate() -> str:
    import tidebreak

    result = tidebreak.simulate(tidebreak.scenarios.load("duel"))
    return f"duel: {len(result.ships)} ships, {result.duration_s:g} s, winner {result.winner_team_id}"


_CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("load", _load),
    ("exports", _exports),
    ("version", _version),
    ("errors", _errors),
    ("panic", _panic),
    ("episode", _episode),
    ("simulate", _simulate),
]


def run() -> list[Check]:
    """Run every check; a check that raises is reported as failed with the error."""
    out = []
    for name, fn in _CHECKS:
        try:
            out.append(Check(name, True, fn()))
        except Exception as e:  # report, do not stop: the rest still tells something
            out.append(Check(name, False, f"{type(e).__name__}: {e}"))
            if name == "load":
                break
    return out
