"""The engine's log in Python's :mod:`logging`.

The Go engine records warnings and notable events — unknown keys ignored in
lenient mode, values clamped to a range, step or reset calls slower than a
threshold, recovered panics with their Go stack — in a bounded ring. After
every call into the library the binding reads the ring's count of waiting
records (a memory read, no call) and, only when it is non-zero, forwards the
records to the logger ``tidebreak.engine.<source>`` at their level. Nothing
is done per step when nothing is logged.

Resets, batch steps and MorphoSpace steps slower than one second are logged
by default. A single env's step is timed only once :func:`configure` sets a
threshold: reading the clock twice costs a few percent of such a step.

Configure it as any logging hierarchy (``tidebreak`` is the root):

>>> import logging
>>> logging.getLogger("tidebreak.engine").setLevel(logging.WARNING)

and tune what the engine records with :func:`configure`:

>>> from tidebreak.engine import log
>>> log.configure(slow_call_s=0.5)   # warn about steps slower than 0.5 s
>>> log.configure(slow_call_s=1.0)   # back to the default
"""

from __future__ import annotations

import logging
import math

from tidebreak.engine import _native

__all__ = ["LOGGER", "DEFAULT_SLOW_CALL_S", "configure", "forward"]

#: The parent of the engine's loggers (``tidebreak.engine.capi``, ``.contract``, …).
LOGGER = logging.getLogger(_native.LOGGER_NAME)

#: A step or reset call slower than this (seconds) is logged as a warning.
DEFAULT_SLOW_CALL_S = 1.0


def configure(*, level: int | None = None, slow_call_s: float | None = None) -> None:
    """Set what the engine records.

    ``level`` is the lowest level the engine keeps (default ``logging.INFO``;
    ``logging.DEBUG`` adds detail). ``slow_call_s`` is the slow-call
    threshold in seconds for step and reset calls (default 1 s; 0 logs every
    such call, a negative value or ``math.inf`` turns timing off); setting it
    also times single-env steps. Arguments left at None keep their current
    value. Loads the library.
    """
    if level is not None and not 0 <= level <= 100:
        raise ValueError(f"level must be a logging level within [0, 100] (got {level})")
    if slow_call_s is not None and math.isnan(slow_call_s):
        raise ValueError("slow_call_s must be a number of seconds, not NaN")
    slow = math.nan if slow_call_s is None else (-1.0 if math.isinf(slow_call_s) else slow_call_s)
    if slow > 1e9:
        slow = -1.0
    lib = _native.lib()
    _native.check("tb_log_config", lib.tb_log_config(-1 if level is None else int(level), slow))


def forward() -> int:
    """Forward the records waiting now (the binding does so after each call); return how many."""
    return _native.forward_log()
