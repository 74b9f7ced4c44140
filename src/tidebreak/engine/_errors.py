"""The binding's error type, importable without cffi (``tidebreak.engine._native`` re-exports it)."""

from __future__ import annotations

import sys

__all__ = ["NativeError"]


def _status_name(code: int) -> str:
    native = sys.modules.get("tidebreak.engine._native")
    if native is None:  # the library was never loaded, so nothing it said failed
        return f"status {code}"
    name: str = native.status_name(code)
    return name


class NativeError(RuntimeError):
    """A call into libtidebreak failed.

    ``code`` is the TB_ERR_* status, ``status`` its name (``tb_errstr``) and
    ``message`` the library's text, which names the argument, buffer or
    field that was wrong.
    """

    def __init__(self, function: str, code: int, message: str) -> None:
        self.function = function
        self.code = code
        self.status = _status_name(code)
        self.message = message
        super().__init__(f"{self.status}: {message}")
