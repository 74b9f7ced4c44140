"""Checking packages with the Go contract, errors, and schema export.

Every check here runs the one implementation of arena.v1, the Go library, through
``tb_package_parse``: the same decoder and rules that :func:`tidebreak.simulate`, the envs and
the C ABI run. Calling one loads the library (see docs/trust.md for which calls do).
"""

from __future__ import annotations

import json
import math
import warnings
from collections import deque
from typing import Any

from pydantic import BaseModel, ValidationError

from tidebreak.contracts.models import LIMITS, BattlePackage, BattleResult
from tidebreak.engine.errors import NativeError

Problem = tuple[str, str]

_TB_ERR_JSON, _TB_ERR_INVALID = 4, 5


def _line(path: str, msg: str) -> str:
    return f"{path}: {msg}" if path else msg


def _summary(problems: list[Problem]) -> str:
    if len(problems) == 1:
        return _line(*problems[0])
    return f"{len(problems)} problems: " + "; ".join(_line(p, m) for p, m in problems)


class ContractError(NativeError, ValueError):
    """A document broke arena.v1. ``problems`` lists (field path, message) pairs, paths as the
    contract writes them (``ships[2].hull.max_speed``); the path is "" for a problem with the
    document as a whole (malformed JSON, too large).

    It is a :class:`ValueError` and a :class:`tidebreak.NativeError` whose ``status`` is
    ``TB_ERR_INVALID`` (``TB_ERR_JSON`` for malformed JSON), the status the library gives the
    same package.
    """

    def __init__(self, problems: list[Problem], function: str = "tb_package_parse") -> None:
        self.problems: list[Problem] = [(str(p), str(m)) for p, m in problems]
        syntax = len(self.problems) == 1 and self.problems[0][0] == "" and "JSON" in self.problems[0][1]
        super().__init__(function, _TB_ERR_JSON if syntax else _TB_ERR_INVALID, _summary(self.problems))
        self.args = (self.message,)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problems, self.function))

    @property
    def paths(self) -> list[str]:
        """The field paths at fault, in order."""
        return [p for p, _ in self.problems]


class UnknownFieldWarning(UserWarning):
    """A package checked with ``strict=False`` had keys arena.v1 does not define; they were ignored.
    ``paths`` lists them and ``problems`` pairs each with its message (and suggestion)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        self.paths = [p for p, _ in problems]
        super().__init__("ignored unknown arena.v1 field(s): " + "; ".join(_line(p, m) for p, m in problems))


# ---------------------------------------------------------------------------------------------
# Documents: Python values as the JSON bytes the library reads.
# ---------------------------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item) and getattr(value, "shape", None) == ():
        return item()
    tolist = getattr(value, "tolist", None)  # numpy arrays
    if callable(tolist):
        return tolist()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    raise TypeError(type(value).__name__)


def _unencodable(data: Any) -> Problem:
    """The first value of ``data`` that has no JSON form, with its path (a breadth-first walk, so
    a deeply nested value is found without recursion)."""
    max_depth = LIMITS["max_depth"]
    queue: deque[tuple[Any, str, int]] = deque([(data, "", 1)])
    while queue:
        value, path, depth = queue.popleft()
        where = path or "package"
        if isinstance(value, (dict, list, tuple)) and depth > max_depth:
            return where, f"nested deeper than {max_depth} levels"
        if isinstance(value, dict):
            for k, v in value.items():
                if not isinstance(k, str):
                    return where, f"has a key that is not a string ({type(k).__name__} {k!r})"
                queue.append((v, f"{path}.{k}" if path else k, depth + 1))
        elif isinstance(value, (list, tuple)):
            queue.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))
        elif isinstance(value, float) and not math.isfinite(value):
            return where, f"must be a finite number (got {value})"
        elif not isinstance(value, (str, int, bool, type(None))):
            try:
                _json_default(value)
            except TypeError:
                return where, f"has no JSON form (a Python {type(value).__name__})"
    return "", "cannot be encoded as JSON"


def document(data: Any) -> bytes:
    """``data`` (JSON text or bytes, a dict or other JSON value, or a model) as JSON bytes.

    A Python value with no JSON form (NaN, a set, a non-string key) or nested too deeply raises
    :class:`ContractError` naming its path.
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, str):
        return data.encode("utf-8", "surrogatepass")
    if isinstance(data, BaseModel):
        return data.model_dump_json(by_alias=True, exclude_none=True).encode()
    try:
        return json.dumps(data, allow_nan=False, default=_json_default, separators=(",", ":")).encode()
    except (ValueError, TypeError, RecursionError):
        raise ContractError([_unencodable(data)]) from None


# ---------------------------------------------------------------------------------------------
# The check, in Go.
# ---------------------------------------------------------------------------------------------


def report(data: Any, *, strict: bool = True, randomize: bool = False) -> dict[str, Any]:
    """The library's report on a package (or a ``tidebreak.simulate`` input): ``ok``,
    ``problems`` and ``warnings`` (lists of ``{"path", "message"}``) and ``package`` (Go's
    normalised form, every default filled in; None when not ok). ``ok`` is True exactly when
    :func:`tidebreak.simulate` runs it. Loads the library.
    """
    from tidebreak.engine import native as _native

    raw = document(data)
    lib = _native.lib()
    flags = (0 if strict else lib.TB_PARSE_LENIENT) | (lib.TB_PARSE_RANDOMIZE if randomize else 0)
    blob = _native.ffi.new("uint64_t *")
    length = _native.ffi.new("int64_t *")
    _native.check("tb_package_parse", lib.tb_package_parse(raw, len(raw), flags, blob, length))
    out: dict[str, Any] = json.loads(_native.take_blob(blob[0], length[0]))
    return out


def _pairs(items: list[dict[str, str]]) -> list[Problem]:
    return [(i["path"], i["message"]) for i in items]


def checked_package(data: Any, strict: bool, randomize: bool = False, stacklevel: int = 3) -> dict[str, Any]:
    """The package the contract accepts, as a dict with its defaults filled in (the engine hands
    it to the library); raises :class:`ContractError`, and warns :class:`UnknownFieldWarning`
    (at ``stacklevel``) for the unknown keys a lenient check dropped."""
    r = report(data, strict=strict, randomize=randomize)
    if not r["ok"]:
        raise ContractError(_pairs(r["problems"]))
    if r["warnings"]:
        warnings.warn(UnknownFieldWarning(_pairs(r["warnings"])), stacklevel=stacklevel)
    package: dict[str, Any] = r["package"]
    return package


def validate_package(data: Any, *, strict: bool = True) -> dict[str, Any]:
    """Check a package with the contract and return it as the library normalises it: a JSON-ready
    dict with every default filled in. Raises :class:`ContractError`; with ``strict=False``
    unknown keys are ignored and reported as an :class:`UnknownFieldWarning`.

    >>> from tidebreak.contracts import validate_package
    >>> pkg = validate_package({"battle_id": "b", "seed": 1, "teams": [{"team_id": "t"}],
    ...                         "ships": [{"ship_id": "s", "team_id": "t"}]})
    >>> pkg["ships"][0]["hull"]["max_speed"], pkg["time_limit_s"]
    (15, 600)
    """
    return checked_package(data, strict)


def parse_package(data: Any, *, strict: bool = True) -> BattlePackage:
    """Decode, default and validate a package with the contract (Go's ``contract.Parse`` plus the
    arena's own checks: exactly what :func:`tidebreak.simulate` accepts).

    ``data`` is JSON text or bytes, a dict, or a model. Raises :class:`ContractError` with the
    contract's field paths and messages; ``strict=False`` ignores unknown keys and warns
    :class:`UnknownFieldWarning`.

    >>> from tidebreak.contracts import parse_package
    >>> pkg = parse_package({"battle_id": "b", "seed": 1, "teams": [{"team_id": "t"}],
    ...                      "ships": [{"ship_id": "s", "team_id": "t", "weapons": [{"type": "torpedo"}]}]})
    >>> pkg.ships[0].weapons[0].projectile.guidance.seeker_range
    1500.0
    >>> parse_package({"battle_id": "b", "seed": 1, "teams": [{"team_id": "t"}],
    ...                "ships": [{"ship_id": "s", "team_id": "t", "controler": "patrol"}]})
    Traceback (most recent call last):
    ...
    tidebreak.contracts._api.ContractError: ships[0].controler: unknown field; did you mean "controller"?
    """
    return BattlePackage.model_validate(checked_package(data, strict))


def check_package(data: Any, *, strict: bool = True) -> list[Problem]:
    """The contract's problems with a package, as (path, message) pairs; empty when it is valid."""
    return _pairs(report(data, strict=strict)["problems"])


def unknown_fields(data: Any) -> list[str]:
    """The paths of the keys in ``data`` that arena.v1 does not define."""
    return [w["path"] for w in report(data, strict=False)["warnings"]]


def randomized(data: Any, *, strict: bool = True) -> dict[str, Any]:
    """A package with its ``randomize`` block applied for its seed, as the arena starts it: the
    normalised package with concrete starts and weather and no ``randomize`` block."""
    return checked_package(data, strict, randomize=True)


def dump_package(pkg: BaseModel, **json_kwargs: Any) -> str:
    """A model as JSON text that the library reads back to the same package."""
    return json.dumps(pkg.model_dump(mode="json", by_alias=True, exclude_none=True), **json_kwargs)


def contract_error(function: str, err: NativeError, data: Any) -> NativeError:
    """The :class:`ContractError` for a library call that refused ``data`` (an env config or a
    simulate input) with TB_ERR_INVALID or TB_ERR_JSON, with the contract's problems; other
    errors are returned unchanged."""
    if err.code not in (_TB_ERR_INVALID, _TB_ERR_JSON):
        return err
    problems = report(data)["problems"]
    return ContractError(_pairs(problems), function) if problems else err


# ---------------------------------------------------------------------------------------------
# Results and the models' own (pydantic) errors.
# ---------------------------------------------------------------------------------------------


def _loc_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = part if not path else f"{path}.{part}"
    return path


def problems_of(exc: ValidationError) -> list[Problem]:
    """(path, message) pairs of a pydantic ValidationError raised by validating a model directly,
    paths written as the contract writes them."""
    return [(_loc_path(tuple(e["loc"])), str(e["msg"])) for e in exc.errors(include_url=False)]


def format_errors(exc: ValidationError) -> list[str]:
    """``["ships[2].hull.max_speed: Input should be greater than 0", ...]`` for a pydantic error."""
    return [_line(p, m) for p, m in problems_of(exc)]


def parse_result(data: dict[str, Any] | str | bytes) -> BattleResult:
    """Decode a BattleResult (the library writes them); raises ContractError."""
    try:
        if isinstance(data, (str, bytes, bytearray)):
            return BattleResult.model_validate_json(data)
        return BattleResult.model_validate(data)
    except ValidationError as e:
        raise ContractError(problems_of(e)) from None


def package_schema() -> dict[str, Any]:
    """JSON Schema of a BattlePackage (what ``tidebreak schema`` prints)."""
    schema = BattlePackage.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "arena.v1/BattlePackage",
        **schema,
    }


def result_schema() -> dict[str, Any]:
    """JSON Schema of a BattleResult."""
    schema = BattleResult.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "arena.v1/BattleResult",
        **schema,
    }


_checked = checked_package  # the name it had before it was public
