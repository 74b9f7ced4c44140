"""Base classes and scalar types of the generated arena.v1 models (models.py).

Nothing here restates the contract: the generated models carry its fields, defaults, bounds
and enums, and the Go library checks it. This module only maps JSON's kinds onto pydantic
(strict scalars, so ``"5"`` is not a number and ``2.0`` is not an integer), treats ``null`` as
a missing key, as the Go decoder does, and merges the type-dependent defaults of sensors and
weapons.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Annotated, Any, ClassVar, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

Num = Annotated[float, Field(strict=True)]
"""A JSON number (Go float64); integer literals are accepted."""
Int = Annotated[int, Field(strict=True, ge=-(2**63), le=2**63 - 1)]
"""A JSON integer literal that fits Go's int (int64)."""
U64 = Annotated[int, Field(strict=True, ge=0, le=2**64 - 1)]
"""A JSON integer literal that fits Go's uint64."""
Str = Annotated[str, Field(strict=True)]
Bool = Annotated[bool, Field(strict=True)]


def _allows_none(tp: Any) -> bool:
    return typing.get_origin(tp) in (Union, types.UnionType) and type(None) in typing.get_args(tp)


@cache
def _non_nullable(model: type[BaseModel]) -> frozenset[str]:
    """Keys (alias and name) of the fields that cannot hold None: null there means "absent"."""
    keys: set[str] = set()
    for name, field in model.model_fields.items():
        if not _allows_none(field.annotation) and field.annotation is not Any:
            keys.update(k for k in (name, field.alias) if k)
    return frozenset(keys)


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``base``: nested objects merge key by key, null keeps the base's value."""
    out = dict(base)
    for key, value in over.items():
        if value is None and key in out:
            continue
        if isinstance(value, BaseModel):
            value = {name: getattr(value, name) for name in value.model_fields_set}
        prev = out.get(key)
        out[key] = merge(prev, value) if isinstance(value, dict) and isinstance(prev, dict) else value
    return out


class _ContractModel(BaseModel):
    model_config = ConfigDict(
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        validate_default=False,
    )

    #: Defaults by the value of the ``type`` key (sensors and weapons); empty for other models.
    type_defaults: ClassVar[dict[str, dict[str, Any]]] = {}

    @model_validator(mode="before")
    @classmethod
    def _json_nulls_and_type_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if any(v is None for v in data.values()):
            drop = _non_nullable(cls)
            data = {k: v for k, v in data.items() if v is not None or k not in drop}
        if cls.type_defaults:
            typ = data.get("type")
            defaults = cls.type_defaults.get(typ) if isinstance(typ, str) else None
            if defaults is not None:
                data = merge(defaults, data)
        return data

    def to_json_dict(self) -> dict[str, Any]:
        """The model as JSON-ready data, optional fields left out when absent."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class PackageModel(_ContractModel):
    """Base of the BattlePackage models: unknown keys are errors, as in the contract."""

    model_config = ConfigDict(extra="forbid")


class ResultModel(_ContractModel):
    """Base of the BattleResult models: the library writes them; keys a newer library adds are kept
    out of the model rather than refused, so stored results stay readable."""

    model_config = ConfigDict(extra="ignore")
