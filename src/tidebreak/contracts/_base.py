"""Shared pieces of the arena.v1 models: strict scalar types, Go-style JSON output, deferred enums."""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Annotated, Any, ClassVar, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

#: Error type of every problem reported with Go's message and a path below the error's location.
CONTRACT_ERROR_TYPE = "arena_contract"

#: Validation-context key under which enum values are checked with the package rules (as Go does)
#: instead of while decoding. parse_package sets it.
GO_CONTEXT = "tidebreak.contracts.go_rules"


class U64Marker:
    """Marks an int field that Go decodes as uint64."""

    def __repr__(self) -> str:
        return "U64Marker()"


def contract_error(problems: list[tuple[str, str]]) -> PydanticCustomError:
    """One pydantic error carrying Go-style (relative path, message) problems in its context."""
    if len(problems) == 1:
        summary = problems[0][1] if not problems[0][0] else f"{problems[0][0]}: {problems[0][1]}"
    else:
        summary = f"{len(problems)} problems: " + "; ".join(f"{p}: {m}" if p else m for p, m in problems)
    return PydanticCustomError(CONTRACT_ERROR_TYPE, "{summary}", {"summary": summary, "problems": problems})


def _vec_len(n: int) -> Any:
    def check(v: Any) -> Any:
        if isinstance(v, (list, tuple)) and len(v) != n:
            raise contract_error([("", f"must have exactly {n} elements (got {len(v)})")])
        return v

    return check


def _defer_enum(v: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
    try:
        return handler(v)
    except ValidationError:
        if isinstance(v, str) and isinstance(info.context, dict) and info.context.get(GO_CONTEXT):
            return v  # the package rules report it, with Go's message, alongside every other rule
        raise


Num = Annotated[float, Field(strict=True)]
"""A JSON number (Go float64); integers are accepted."""
GoInt = Annotated[int, Field(strict=True, ge=-(2**63), le=2**63 - 1)]
"""A JSON integer literal that fits Go's int (int64)."""
U64 = Annotated[int, Field(strict=True, ge=0, le=2**64 - 1), U64Marker()]
"""A JSON integer literal that fits Go's uint64."""
Str = Annotated[str, Field(strict=True)]
Bool = Annotated[bool, Field(strict=True)]
Vec2 = Annotated[tuple[Num, Num], BeforeValidator(_vec_len(2))]
"""A position or vector, ``[x, y]`` in JSON."""
Action7 = Annotated[tuple[Num, Num, Num, Num, Num, Num, Num], BeforeValidator(_vec_len(7))]
DeferredEnum = WrapValidator(_defer_enum)


def _allows_none(tp: Any) -> bool:
    return typing.get_origin(tp) in (Union, types.UnionType) and type(None) in typing.get_args(tp)


@cache
def _nullable_keys(model: type[BaseModel]) -> frozenset[str]:
    """Keys (alias and name) of the fields Go decodes into pointers: null there means absent."""
    keys: set[str] = set()
    for name, field in model.model_fields.items():
        if _allows_none(field.annotation):
            keys.update(k for k in (name, field.alias) if k)
    return frozenset(keys)


def drop_nulls(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """Go's null: it leaves a value's default in place and sets a pointer to nil."""
    if not any(v is None for v in data.values()):
        return data
    nullable = _nullable_keys(model)
    return {k: v for k, v in data.items() if v is not None or k in nullable}


class GoModel(BaseModel):
    """Base of every arena.v1 model.

    Unknown keys are ignored. ``model_dump(mode="json")`` writes exactly what Go's ``json.Marshal``
    writes for the same value: ``omitempty`` fields are left out when empty, and a list or map that
    was never given (Go's nil) is written as ``null``.
    """

    model_config = ConfigDict(
        extra="ignore",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        validate_default=False,
    )

    #: Fields Go tags ``omitempty`` that are pointers: left out when None.
    go_omit_none: ClassVar[frozenset[str]] = frozenset()
    #: Fields Go tags ``omitempty`` that are values: left out when zero or empty.
    go_omit_zero: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _go_null(cls, data: Any) -> Any:
        return drop_nulls(cls, data) if isinstance(data, dict) else data

    @model_serializer(mode="wrap")
    def _go_marshal(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        if not isinstance(data, dict):
            return data
        out: dict[str, Any] = {}
        for name, field in type(self).model_fields.items():
            key = field.alias if field.alias and info.by_alias is not False else name
            value = getattr(self, name)
            if key not in data and not (value is None and info.exclude_none):
                continue  # excluded by the caller
            if name in self.go_omit_none:
                if value is None:
                    continue
            elif name in self.go_omit_zero:
                if isinstance(value, (list, tuple, dict)) and len(value) == 0:
                    continue
                if isinstance(value, (int, float)) and value == 0:
                    continue
            elif value is None:
                out[key] = None
                continue
            elif isinstance(value, (list, dict)) and not value and name not in self.model_fields_set:
                out[key] = None  # Go's nil slice or map
                continue
            out[key] = data[key]
        return out
