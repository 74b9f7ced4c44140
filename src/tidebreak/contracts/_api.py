"""Parsing, errors and schema export for arena.v1."""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

from pydantic import BaseModel, ValidationError

from tidebreak.contracts._base import CONTRACT_ERROR_TYPE, GO_CONTEXT
from tidebreak.contracts._gofmt import go_quote
from tidebreak.contracts._walk import JSONNumber, json_kind, unknown_paths
from tidebreak.contracts.models import BattlePackage, BattleResult

Problem = tuple[str, str]


class ContractError(ValueError):
    """A document broke arena.v1. ``problems`` lists (field path, message) pairs, paths as Go
    writes them (``ships[2].hull.max_speed``); the path is "" for a JSON syntax error."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(_summary(self.problems))

    @property
    def paths(self) -> list[str]:
        """The field paths at fault, in order."""
        return [p for p, _ in self.problems]


class UnknownFieldWarning(UserWarning):
    """A package has keys arena.v1 does not define; they were ignored. ``paths`` lists them."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = list(paths)
        super().__init__("ignored unknown arena.v1 field(s): " + ", ".join(self.paths))


def _line(path: str, msg: str) -> str:
    return f"{path}: {msg}" if path else msg


def _summary(problems: list[Problem]) -> str:
    if len(problems) == 1:
        return _line(*problems[0])
    return f"{len(problems)} problems: " + "; ".join(_line(p, m) for p, m in problems)


def _loc_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = part if not path else f"{path}.{part}"
    return path


def _join(prefix: str, rel: str) -> str:
    if not rel or (rel == "package" and prefix):
        return prefix
    if not prefix or rel.startswith("["):
        return prefix + rel
    return f"{prefix}.{rel}"


def _message(err: Any) -> str:
    """Go's wording for pydantic's own (kind) errors, raised when a model is validated directly."""
    typ, inp, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    kind = json_kind(inp)
    if typ == "float_type":
        return f"must be a number (got {kind})"
    if typ in ("int_type", "int_from_float", "int_parsing"):
        return f"must be an integer (got {inp if isinstance(inp, float) else kind})"
    if typ == "string_type":
        return f"must be a string (got {kind})"
    if typ == "bool_type":
        return f"must be true or false (got {kind})"
    if typ in ("model_type", "model_attributes_type", "dict_type"):
        return f"must be an object (got {kind})"
    if typ in ("list_type", "tuple_type"):
        return f"must be an array (got {kind})"
    if typ in ("greater_than_equal", "less_than_equal") and isinstance(inp, int):
        if typ == "greater_than_equal" and ctx.get("ge") == 0:
            return f"must be a non-negative integer (got {inp})"
        return f"integer out of range (got {inp})"
    if typ == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        got = go_quote(inp) if isinstance(inp, str) else kind
        return f"must be one of {', '.join(go_quote(a) for a in allowed)} (got {got})"
    return str(err["msg"])


def problems_of(exc: ValidationError) -> list[Problem]:
    """The (Go path, message) pairs of a pydantic ValidationError raised by these models."""
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        prefix = _loc_path(tuple(err["loc"]))
        if err["type"] == CONTRACT_ERROR_TYPE:
            out.extend((_join(prefix, p), m) for p, m in err["ctx"]["problems"])
        else:
            out.append((prefix, _message(err)))
    return out


def format_errors(exc: ValidationError) -> list[str]:
    """``["ships[2].hull.max_speed: must be > 0 (got -1)", ...]``: each problem as Go reports it."""
    return [_line(p, m) for p, m in problems_of(exc)]


class _BadConstant(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _BadConstant(name)


def load_json(text: str | bytes | bytearray) -> Any:
    """Decode JSON as Go does for a package: NaN/Infinity are errors, number literals are kept
    as written (for messages) and converted when the package is decoded."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", errors="replace")
    try:
        return json.loads(text, parse_int=JSONNumber, parse_float=JSONNumber, parse_constant=_reject_constant)
    except _BadConstant as e:
        raise ContractError([("", f"invalid JSON: {e} is not a JSON value")]) from None
    except json.JSONDecodeError as e:
        if e.msg == "Extra data":
            raise ContractError([("", "invalid JSON: extra data after the package object")]) from None
        offset = len(text[: e.pos].encode("utf-8"))
        raise ContractError([("", f"invalid JSON at byte {offset} (line {e.lineno}): {e.msg}")]) from None


def unknown_fields(data: dict[str, Any] | str | bytes) -> list[str]:
    """The keys of a package document that arena.v1 does not define, as field paths (as Go's UnknownFields)."""
    raw = load_json(data) if isinstance(data, (str, bytes, bytearray)) else data
    return unknown_paths(raw)


def parse_package(data: dict[str, Any] | str | bytes | BattlePackage) -> BattlePackage:
    """Decode, default and validate a package exactly as Go's ``contract.Parse`` does.

    Warns :class:`UnknownFieldWarning` listing keys it ignored; raises :class:`ContractError`
    with Go's field paths and messages.
    """
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    raw = load_json(data) if isinstance(data, (str, bytes, bytearray)) else data
    unknown = unknown_paths(raw)
    if unknown:
        warnings.warn(UnknownFieldWarning(unknown), stacklevel=2)
    try:
        return BattlePackage.model_validate(raw, context={GO_CONTEXT: True})
    except ValidationError as e:
        raise ContractError(problems_of(e)) from None


def dump_package(pkg: BattlePackage, **json_kwargs: Any) -> str:
    """The package as JSON, exactly as Go's json.Marshal writes it (up to spacing and number spelling)."""
    return json.dumps(pkg.model_dump(mode="json"), **json_kwargs)


def parse_result(data: dict[str, Any] | str | bytes) -> BattleResult:
    """Decode a BattleResult (kinds only: the arena produces it); raises ContractError."""
    raw = json.loads(data) if isinstance(data, (str, bytes, bytearray)) else data
    try:
        return BattleResult.model_validate(raw)
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
