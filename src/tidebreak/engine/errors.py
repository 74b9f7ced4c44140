"""The library's error type, without the binding: importing this loads neither cffi nor the library.

>>> from tidebreak.engine.errors import NativeError
>>> issubclass(NativeError, RuntimeError)
True
"""

from __future__ import annotations

from tidebreak.engine._errors import NativeError

__all__ = ["NativeError"]
