"""The cffi binding to libtidebreak, the Go arena's C ABI.

The shared library is loaded lazily, on the first call that needs it, so
``import tidebreak`` and building observation or action spaces never start
the Go runtime. The binding uses cffi's ABI mode (``ffi.dlopen``) with the
declarations read from the ``tidebreak.h`` shipped beside the library; cffi
releases the GIL for the duration of every native call.

The library is ``libtidebreak.so`` on Linux, ``libtidebreak.dylib`` on
macOS and ``tidebreak.dll`` on Windows.

Only one Go runtime can live in a process, and a child forked after the
parent started it hangs on its first goroutine switch. A process that forks
after loading the library therefore gets a :class:`RuntimeError` in the
child instead of a hang: use the ``spawn`` or ``forkserver`` start methods.

The engine's log (warnings, slow calls, recovered panics) reaches Python's
:mod:`logging` under ``tidebreak.engine``: after every call, :func:`check`
reads the library's count of waiting records — a memory read, not a call —
and forwards them only when there are some (:mod:`tidebreak.engine.log`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
from pathlib import Path
from typing import Any

from cffi import FFI

# The error type lives in a module without cffi, so that tidebreak.contracts can derive its
# ContractError from it without importing the binding.
from tidebreak.engine._errors import NativeError

__all__ = ["NativeError", "ffi", "lib", "check", "library_path", "build_info", "forward_log", "status_name"]

_HERE = Path(__file__).resolve().parent


def _library_name(platform: str = sys.platform) -> str:
    """The library's file name on a platform (``sys.platform``)."""
    if platform == "win32":
        return "tidebreak.dll"
    if platform == "darwin":
        return "libtidebreak.dylib"
    return "libtidebreak.so"


_LIB_NAME = _library_name()
LOGGER_NAME = "tidebreak.engine"


def library_path() -> Path:
    """Where the shared library is looked for (``TIDEBREAK_LIB`` overrides)."""
    override = os.environ.get("TIDEBREAK_LIB")
    return Path(override) if override else _HERE / _LIB_NAME


def _cdef_from_header(text: str) -> str:
    """Turn tidebreak.h into cffi declarations: keep integer #defines, drop
    the other preprocessor lines and the C++ guards."""
    out: list[str] = []
    skip = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#ifdef __cplusplus"):
            skip = True
            continue
        if skip:
            if stripped.startswith("#endif"):
                skip = False
            continue
        if stripped.startswith("#"):
            if re.match(r"#define\s+TB_\w+\s+\d+", stripped):
                out.append(re.sub(r"/\*.*?\*/", "", stripped))
            continue
        out.append(line)
    return "\n".join(out)


ffi = FFI()
ffi.cdef(_cdef_from_header((_HERE / "tidebreak.h").read_text(encoding="utf-8")))

_lock = threading.Lock()
_lib: Any = None
_loaded_pid: int | None = None
_forked = False


def _after_fork_in_child() -> None:
    global _forked
    if _lib is not None:
        _forked = True


if hasattr(os, "register_at_fork"):  # POSIX only; Windows has no fork
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _fork_error() -> RuntimeError:
    return RuntimeError(
        "libtidebreak (the Go runtime) was loaded by the parent process before this process "
        "was forked; a forked child cannot use it. Start worker processes with the 'spawn' or "
        "'forkserver' method (multiprocessing.get_context('spawn')) instead of 'fork'."
    )


def lib() -> Any:
    """Return the loaded library, loading it on first use."""
    global _lib, _loaded_pid
    if _lib is not None:
        if _forked or _loaded_pid != os.getpid():
            raise _fork_error()
        return _lib
    with _lock:
        if _lib is None:
            path = library_path()
            if not path.exists():
                raise ImportError(
                    f"libtidebreak not found at {path}: reinstall tidebreak "
                    "(pip install .) so the Go library is built, or set TIDEBREAK_LIB"
                )
            loaded = ffi.dlopen(str(path))
            version = loaded.tb_abi_version()
            if version != loaded.TB_ABI_VERSION:
                raise ImportError(
                    f"{path} implements ABI version {version}, this binding needs {loaded.TB_ABI_VERSION}"
                )
            global _pending
            # A memoryview over the library's counter: reading it costs a third
            # of indexing the cffi pointer.
            _pending = memoryview(ffi.buffer(loaded.tb_log_pending(), 4)).cast("i")
            _loaded_pid = os.getpid()
            _lib = loaded
            _check_library_version(path)
    return _lib


def _check_library_version(path: Path) -> None:
    """Warn when the library was built for another release of the package."""
    from tidebreak import __version__

    built = build_info()["version"]
    if built not in (__version__, "dev"):
        logging.getLogger(LOGGER_NAME).warning(
            "%s is the library of tidebreak %s, but the package is %s: reinstall tidebreak",
            path,
            built,
            __version__,
        )


def build_info() -> dict[str, Any]:
    """The loaded library's version, ABI version, Go version, platform and commit.

    >>> info = build_info()
    >>> info["abi"] == lib().TB_ABI_VERSION
    True
    """
    text = ffi.string(lib().tb_build_info())
    info: dict[str, Any] = json.loads(text)
    return info


def is_loaded() -> bool:
    """Whether the Go runtime has been started in this process."""
    return _lib is not None


# The library's count of waiting log records (a placeholder until it loads).
_pending: memoryview = memoryview(bytearray(4)).cast("i")
_drain_lock = threading.Lock()


def forward_log() -> int:
    """Move the library's waiting log records into :mod:`logging`; return how many.

    Records go to the logger ``tidebreak.engine.<source>`` (``source`` names
    the part of the engine: ``capi``, ``contract``, ``morphospace``, …) at
    their own level; a record with a Go stack (a recovered panic) carries it
    in its message and in the ``go_stack`` attribute. :func:`check` calls this
    after any call that left records, so user code rarely needs to.
    """
    if _lib is None:
        return 0
    with _drain_lock:
        blob = ffi.new("uint64_t *")
        length = ffi.new("int64_t *")
        if _lib.tb_log_drain(blob, length) != 0:
            return 0
        buf = ffi.new("char[]", max(length[0], 1))
        if _lib.tb_blob_take(blob[0], buf, length[0]) != 0:
            return 0
        records = json.loads(bytes(ffi.buffer(buf, length[0])))
    for rec in records:
        source = str(rec.get("source", ""))
        name = f"{LOGGER_NAME}.{source}" if re.fullmatch(r"[a-z][a-z0-9_]*", source) else LOGGER_NAME
        message = str(rec.get("message", ""))
        stack = rec.get("stack") or None
        if stack:
            message = f"{message}\nGo stack:\n{stack.rstrip()}"
        extra = {"tb_seq": rec.get("seq"), "tb_source": source, "go_stack": stack}
        logging.getLogger(name).log(int(rec.get("level", logging.WARNING)), "%s", message, extra=extra)
    return len(records)


def status_name(code: int) -> str:
    """The name of a status code as the library gives it (``tb_errstr``), e.g. ``"TB_ERR_BUFFER"``.

    Without the library loaded (nothing has failed yet) it is ``"status <code>"``.
    """
    if _lib is None or _forked:
        return f"status {code}"
    raw = ffi.string(_lib.tb_errstr(code))
    return raw.decode("ascii", "replace") if isinstance(raw, bytes) else str(raw)


def check(function: str, code: int) -> None:
    """Raise :class:`NativeError` with the library's message if code is not TB_OK.

    Before that, forward any log records the call left (one memory read when
    there are none).
    """
    if _pending[0]:
        forward_log()
    if code != 0:
        raw = ffi.string(_lib.tb_errmsg())
        message = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        raise NativeError(function, code, message)


def take_blob(blob: int, length: int) -> bytes:
    """Copy a blob the library returned and free it."""
    buf = ffi.new("char[]", max(length, 1))
    check("tb_blob_take", lib().tb_blob_take(blob, buf, length))
    return bytes(ffi.buffer(buf, length))
