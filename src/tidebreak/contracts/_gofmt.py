"""Go's ``%v`` (float64) and ``%q`` formatting, so that messages match the Go side word for word."""

from __future__ import annotations

import math
from decimal import Decimal

_NAMED_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def go_float(v: float) -> str:
    """Format ``v`` as Go's ``fmt.Sprintf("%v", v)`` does for a float64."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    if v == 0:
        return "-0" if math.copysign(1.0, v) < 0 else "0"
    sign = "-" if v < 0 else ""
    # repr gives the shortest digits that round-trip, as Go's 'g' with precision -1 does.
    _, digit_tuple, exponent = Decimal(repr(abs(float(v)))).as_tuple()
    digits = "".join(str(d) for d in digit_tuple)
    exp = int(exponent)
    while len(digits) > 1 and digits.endswith("0"):
        digits = digits[:-1]
        exp += 1
    nd = len(digits)
    dp = nd + exp  # position of the decimal point relative to the digits
    x = dp - 1  # scientific exponent
    if x < -4 or x >= 6:  # Go uses precision 6 for this decision when printing the shortest form
        mant = digits[0] + ("." + digits[1:] if nd > 1 else "")
        return f"{sign}{mant}e{'-' if x < 0 else '+'}{abs(x):02d}"
    if dp <= 0:
        return f"{sign}0.{'0' * -dp}{digits}"
    if dp >= nd:
        return sign + digits + "0" * (dp - nd)
    return f"{sign}{digits[:dp]}.{digits[dp:]}"


def go_quote(s: str) -> str:
    """Quote ``s`` as Go's ``%q`` (strconv.Quote) does."""
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)
