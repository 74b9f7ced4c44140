"""The cffi binding to libtidebreak, the Go arena's C ABI.

The shared library is loaded lazily, on the first call that needs it, so
``import tidebreak`` and building observation or action spaces never start
the Go runtime. The binding uses cffi's ABI mode (``ffi.dlopen``) with the
declarations read from the ``tidebreak.h`` shipped beside the library; cffi
releases the GIL for the duration of every native call.

Only one Go runtime can live in a process, and a child forked after the
parent started it hangs on its first goroutine switch. A process that forks
after loading the library therefore gets a :class:`RuntimeError` in the
child instead of a hang: use the ``spawn`` or ``forkserver`` start methods.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import Any

from cffi import FFI

__all__ = ["NativeError", "ffi", "lib", "check", "library_path", "STATUS_NAMES"]

_HERE = Path(__file__).resolve().parent
_LIB_NAME = "libtidebreak.so"

STATUS_NAMES = {
    0: "TB_OK",
    1: "TB_ERR_HANDLE",
    2: "TB_ERR_ARG",
    3: "TB_ERR_BUFFER",
    4: "TB_ERR_JSON",
    5: "TB_ERR_INVALID",
    6: "TB_ERR_STATE",
    7: "TB_ERR_PANIC",
    8: "TB_ERR_TOO_SMALL",
}


class NativeError(RuntimeError):
    """A call into libtidebreak failed.

    ``code`` is the TB_ERR_* status and ``message`` the library's text, which
    names the argument, buffer or field that was wrong.
    """

    def __init__(self, function: str, code: int, message: str) -> None:
        self.function = function
        self.code = code
        self.status = STATUS_NAMES.get(code, f"status {code}")
        self.message = message
        super().__init__(f"{self.status}: {message}")


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
ffi.cdef(_cdef_from_header((_HERE / "tidebreak.h").read_text()))

_lock = threading.Lock()
_lib: Any = None
_loaded_pid: int | None = None
_forked = False


def _after_fork_in_child() -> None:
    global _forked
    if _lib is not None:
        _forked = True


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
            _loaded_pid = os.getpid()
            _lib = loaded
    return _lib


def is_loaded() -> bool:
    """Whether the Go runtime has been started in this process."""
    return _lib is not None


def check(function: str, code: int) -> None:
    """Raise :class:`NativeError` with the library's message if code is not TB_OK."""
    if code != 0:
        raw = ffi.string(_lib.tb_errmsg())
        message = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        raise NativeError(function, code, message)


def take_blob(blob: int, length: int) -> bytes:
    """Copy a blob the library returned and free it."""
    buf = ffi.new("char[]", max(length, 1))
    check("tb_blob_take", lib().tb_blob_take(blob, buf, length))
    return bytes(ffi.buffer(buf, length))
