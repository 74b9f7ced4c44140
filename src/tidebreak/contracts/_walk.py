"""Go's decoding steps for a package, on plain JSON data: kind checks, null handling, unknown keys.

This mirrors parse.go's ``checkTypes`` and ``unknown`` and encoding/json's treatment of null
(null leaves a value's default in place, and sets a pointer, slice or map to nil).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from tidebreak.contracts._base import U64Marker
from tidebreak.contracts._gofmt import go_float

INT_MIN, INT_MAX = -(2**63), 2**63 - 1
U64_MAX = 2**64 - 1


class JSONNumber:
    """A JSON number literal kept as written (Go's json.Number), so messages can quote it."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Kind:
    """The Go type a JSON value decodes into."""

    kind: str  # struct slice array map string bool float int uint
    model: type[BaseModel] | None = None
    elem: Kind | None = None
    length: int = 0
    pointer: bool = False


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind
    default: Any = None


@dataclass
class StructSpec:
    fields: dict[str, FieldSpec] = field(default_factory=dict)


def _kind_of(tp: Any, meta: tuple[Any, ...] = ()) -> Kind:
    origin = get_origin(tp)
    if origin is Annotated:
        args = get_args(tp)
        return _kind_of(args[0], (*meta, *args[1:]))
    if origin in (Union, types.UnionType):
        (inner,) = [a for a in get_args(tp) if a is not type(None)]
        k = _kind_of(inner, meta)
        return Kind(k.kind, k.model, k.elem, k.length, pointer=True)
    if origin is Literal or tp is str:
        return Kind("string")
    if tp is bool:
        return Kind("bool")
    if tp is float:
        return Kind("float")
    if tp is int:
        return Kind("uint" if any(isinstance(m, U64Marker) for m in meta) else "int")
    if origin is list:
        return Kind("slice", elem=_kind_of(get_args(tp)[0]))
    if origin is dict:
        return Kind("map", elem=_kind_of(get_args(tp)[1]))
    if origin is tuple:
        args = get_args(tp)
        return Kind("array", elem=_kind_of(args[0]), length=len(args))
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return Kind("struct", model=tp)
    raise TypeError(f"no Go kind for {tp!r}")  # pragma: no cover


@cache
def struct_spec(model: type[BaseModel]) -> StructSpec:
    spec = StructSpec()
    hints = typing.get_type_hints(model, include_extras=True)
    for name, info in model.model_fields.items():
        k = _kind_of(hints[name])
        default = info.get_default(call_default_factory=True)
        spec.fields[info.alias or name] = FieldSpec(name, k, default)
    return spec


def json_kind(val: Any) -> str:
    if isinstance(val, dict):
        return "an object"
    if isinstance(val, (list, tuple)):
        return "an array"
    if isinstance(val, str):
        return "a string"
    if isinstance(val, bool):
        return "a boolean"
    if isinstance(val, (int, float, JSONNumber)):
        return "a number"
    if val is None:
        return "null"
    return f"a Python {type(val).__name__}"


def _join(path: str, key: str) -> str:
    return key if not path else f"{path}.{key}"


def _zero(k: Kind) -> Any:
    return (
        {
            "struct": {},
            "slice": [],
            "map": {},
            "string": "",
            "bool": False,
            "float": 0.0,
            "int": 0,
            "uint": 0,
        }.get(k.kind, None)
        if k.kind != "array"
        else [_zero(k.elem) for _ in range(k.length)]  # type: ignore[arg-type]
    )


def _plain(val: Any) -> Any:
    if isinstance(val, BaseModel):
        return val.model_dump(mode="json")
    return val


def _check(val: Any, k: Kind, path: str, problems: list[tuple[str, str]], default: Any = None) -> Any:
    """Check ``val`` (not None) against ``k`` and return it normalised for pydantic."""
    val = _plain(val)
    where = path or "package"
    add = problems.append
    if k.kind == "struct":
        if not isinstance(val, dict):
            add((where, f"must be an object (got {json_kind(val)})"))
            return None
        assert k.model is not None
        fields = struct_spec(k.model).fields
        out: dict[str, Any] = {}
        for key in sorted(val):
            fs = fields.get(key)
            if fs is None:
                continue  # unknown keys are ignored
            v = val[key]
            if v is None:
                if fs.kind.pointer:
                    out[key] = None  # null sets a pointer to nil
                continue  # ...and leaves any other value's default in place
            out[key] = _check(v, fs.kind, _join(path, key), problems, fs.default)
        return out
    if k.kind in ("slice", "array"):
        if not isinstance(val, (list, tuple)):
            add((where, f"must be an array (got {json_kind(val)})"))
            return None
        if k.kind == "array" and len(val) != k.length:
            add((where, f"must have exactly {k.length} elements (got {len(val)})"))
        assert k.elem is not None
        items = []
        for i, e in enumerate(val):
            if e is None:  # null keeps the element's previous value: the default's, or zero
                prev = default[i] if isinstance(default, (list, tuple)) and i < len(default) else None
                items.append(prev if prev is not None else _zero(k.elem))
            else:
                items.append(_check(e, k.elem, f"{path}[{i}]", problems))
        return items
    if k.kind == "map":
        if not isinstance(val, dict):
            add((where, f"must be an object (got {json_kind(val)})"))
            return None
        assert k.elem is not None
        return {
            key: _zero(k.elem) if val[key] is None else _check(val[key], k.elem, _join(path, key), problems)
            for key in sorted(val)
        }
    if k.kind == "string":
        if not isinstance(val, str):
            add((where, f"must be a string (got {json_kind(val)})"))
        return val
    if k.kind == "bool":
        if not isinstance(val, bool):
            add((where, f"must be true or false (got {json_kind(val)})"))
        return val
    is_number = isinstance(val, (int, float, JSONNumber)) and not isinstance(val, bool)
    if k.kind == "float":
        if not is_number:
            add((where, f"must be a number (got {json_kind(val)})"))
            return val
        text = val.text if isinstance(val, JSONNumber) else None
        try:
            f = float(text if text is not None else val)
        except OverflowError:
            f = float("inf")
        if f in (float("inf"), float("-inf")) and (text is not None or isinstance(val, int)):
            add((where, f"number out of range for a float64 (got {text if text is not None else val})"))
        return f
    # int (Go int) or uint (Go uint64)
    if not is_number:
        add((where, f"must be an integer (got {json_kind(val)})"))
        return val
    if isinstance(val, JSONNumber):
        text = val.text
    elif isinstance(val, float):
        text = repr(val) if val == val and abs(val) != float("inf") else go_float(val)
        if not any(c in text for c in ".eE"):
            text += ".0"  # a float written by Python's json always has a point or an exponent
    else:
        text = str(val)
    if any(c in text for c in ".eE"):
        add((where, f"must be an integer (got {text})"))
        return val
    if k.kind == "uint" and text.startswith("-"):
        add((where, f"must be a non-negative integer (got {text})"))
        return val
    n = int(text)
    lo, hi = (0, U64_MAX) if k.kind == "uint" else (INT_MIN, INT_MAX)
    if not lo <= n <= hi:
        add((where, f"integer out of range (got {text})"))
    return n


def decode(data: Any, problems: list[tuple[str, str]]) -> Any:
    """Kind-check package data (as Go's checkTypes) and normalise nulls and numbers."""
    from tidebreak.contracts.models import BattlePackage

    if data is None:
        return {}  # a null document decodes to the default package
    return _check(data, Kind("struct", model=BattlePackage), "", problems)


def _unknown(out: list[str], val: Any, k: Kind, path: str) -> None:
    val = _plain(val)
    if k.kind == "struct" and isinstance(val, dict):
        assert k.model is not None
        fields = struct_spec(k.model).fields
        for key in sorted(val):
            fs = fields.get(key)
            if fs is None:
                out.append(_join(path, key))
            else:
                _unknown(out, val[key], fs.kind, _join(path, key))
    elif k.kind == "slice" and isinstance(val, (list, tuple)):
        assert k.elem is not None
        for i, e in enumerate(val):
            _unknown(out, e, k.elem, f"{path}[{i}]")
    elif k.kind == "map" and isinstance(val, dict):
        assert k.elem is not None
        for key in sorted(val):
            _unknown(out, val[key], k.elem, _join(path, key))


def unknown_paths(data: Any) -> list[str]:
    from tidebreak.contracts.models import BattlePackage

    out: list[str] = []
    _unknown(out, data, Kind("struct", model=BattlePackage), "")
    return out
