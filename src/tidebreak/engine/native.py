"""The C ABI as Tidebreak's own layers use it: the cffi handle and the status check.

:mod:`tidebreak.morphospace`, :mod:`tidebreak.contracts`, :mod:`tidebreak.replays`,
the command line and the benchmarks call the library through these names; the
binding itself (loading, fork detection, the engine's log) is the engine's
private ``_native`` package. Users want :class:`tidebreak.NativeEnv`,
:func:`tidebreak.simulate` and the Gymnasium envs instead.

Importing this module imports cffi but does not load the library: :func:`lib`
does, on first use.
"""

from __future__ import annotations

from tidebreak.engine._native import (
    NativeError,
    build_info,
    check,
    ffi,
    forward_log,
    is_loaded,
    lib,
    library_path,
    status_name,
    take_blob,
)
from tidebreak.engine._native import _cdef_from_header as cdef_from_header

__all__ = [
    "NativeError",
    "build_info",
    "cdef_from_header",
    "check",
    "ffi",
    "forward_log",
    "is_loaded",
    "lib",
    "library_path",
    "status_name",
    "take_blob",
]
