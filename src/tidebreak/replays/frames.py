"""What a replay file's frames may contain, checked before any tool uses them.

A ``.tbr`` file comes from disk, so it may have been edited, truncated or
corrupted. :func:`check_frames` accepts frames only if every value has the
type and range the writer gives it: finite numbers, codes within their
enums (from the arena's layout), ship ids of the package, event kinds the
arena emits, ticks in increasing order, and no keys beyond those documented
in docs/replay.md. Whatever it accepts can be drawn by both renderers.

>>> check_frames([{"tick": 0, "ships": [], "tracks": {}, "projectiles": [], "events": []}], [])
>>> check_frames([{"tick": -1, "ships": []}], [])
Traceback (most recent call last):
...
tidebreak.replays.frames.FrameError: frames[0].tick: Input should be greater than or equal to 0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from tidebreak.engine import layout

__all__ = ["FrameError", "check_frames", "MAX_NOISE_CELLS"]

#: Largest noise picture a frame may carry, per side.
MAX_NOISE_CELLS = 256

Finite = Annotated[float, Field(allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0)]


def _code(enum: str) -> Any:
    """An integer code of one of the arena's enums."""
    return Annotated[int, Field(ge=0, lt=len(layout.ENUMS[enum]))]


def _one_of(names: Sequence[str]) -> Any:
    """A string that is one of ``names``."""
    allowed = tuple(names)

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
        return value

    return Annotated[str, AfterValidator(check)]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class _Transition(_Model):
    to: _code("layer")  # type: ignore[valid-type]
    p: Fraction


class _Ship(_Model):
    id: str
    x: Finite
    y: Finite
    h: Finite
    v: Finite
    layer: _code("layer")  # type: ignore[valid-type]
    trans: _Transition | None = None
    hp: NonNegative
    status: _code("status")  # type: ignore[valid-type]
    morale: Fraction
    ping: bool = False


class _Track(_Model):
    target: str
    q: _code("track_quality")  # type: ignore[valid-type]
    x: Finite
    y: Finite
    err: NonNegative
    layer: Annotated[int, Field(ge=-1, le=2)]


class _Projectile(_Model):
    kind: _code("weapon")  # type: ignore[valid-type]
    owner: str | None
    x: Finite
    y: Finite
    h: Finite


class _Event(_Model):
    tick: Count
    kind: _one_of(list(layout.EVENT_KINDS.values()))  # type: ignore[valid-type]
    source: str | None
    target: str | None
    trace: Count
    cause: Count
    value: Finite
    weapon: _one_of(layout.ENUMS["weapon"]) | None = None  # type: ignore[valid-type]
    status: _one_of(layout.ENUMS["status"]) | None = None  # type: ignore[valid-type]
    layer: _one_of(layout.ENUMS["layer"]) | None = None  # type: ignore[valid-type]
    crit: _one_of(layout.ENUMS["crit"]) | None = None  # type: ignore[valid-type]


class _Noise(_Model):
    origin: Annotated[list[Finite], Field(min_length=2, max_length=2)]
    cell: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    values: Annotated[
        list[Annotated[list[Finite], Field(max_length=MAX_NOISE_CELLS)]], Field(max_length=MAX_NOISE_CELLS)
    ]


class _Frame(_Model):
    tick: Count
    ships: list[_Ship]
    tracks: dict[str, list[_Track]] = Field(default_factory=dict)
    projectiles: list[_Projectile] = Field(default_factory=list)
    events: list[_Event] = Field(default_factory=list)
    noise: _Noise | None = None


_FRAMES = TypeAdapter(list[_Frame])
_MARGIN = 1000.0


class FrameError(ValueError):
    """A frame breaks the replay format; the message starts with the field path (``frames[3].ships[0].x``)."""


def _where(loc: Sequence[int | str]) -> str:
    out = "frames"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def check_frames(
    frames: Any,
    ship_ids: Sequence[str],
    max_hp: Sequence[float] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> None:
    """Raise :class:`FrameError` unless ``frames`` is a valid list of frames
    for a battle of ``ship_ids`` (package order). With them, ship ``i``'s hp
    must not exceed ``max_hp[i]`` and ships must lie within ``bounds``
    (min_x, min_y, max_x, max_y, with a 1 km margin)."""
    try:
        parsed = _FRAMES.validate_python(frames)
    except ValidationError as e:
        err = e.errors()[0]
        raise FrameError(f"{_where(err['loc'])}: {err['msg']}") from None
    ids = set(ship_ids)
    last = -1
    for i, f in enumerate(parsed):
        if f.tick <= last:
            raise FrameError(f"frames[{i}].tick: {f.tick} does not follow tick {last}")
        last = f.tick
        if [s.id for s in f.ships] != list(ship_ids):
            raise FrameError(
                f"frames[{i}].ships: must list the package's ships in order ({', '.join(ship_ids)})"
            )
        for j, s in enumerate(f.ships):
            if max_hp is not None and s.hp > max_hp[j] + 0.05:
                raise FrameError(f"frames[{i}].ships[{j}].hp: {s.hp} is above the ship's {max_hp[j]:g} hp")
            if bounds is not None and not (
                bounds[0] - _MARGIN <= s.x <= bounds[2] + _MARGIN
                and bounds[1] - _MARGIN <= s.y <= bounds[3] + _MARGIN
            ):
                raise FrameError(f"frames[{i}].ships[{j}]: position ({s.x:g}, {s.y:g}) is off the map")
        for owner, tracks in f.tracks.items():
            if owner not in ids:
                raise FrameError(f"frames[{i}].tracks.{owner}: no ship {owner!r} in the package")
            for j, t in enumerate(tracks):
                if t.target not in ids:
                    raise FrameError(
                        f"frames[{i}].tracks.{owner}[{j}].target: no ship {t.target!r} in the package"
                    )
        for j, p in enumerate(f.projectiles):
            if p.owner is not None and p.owner not in ids:
                raise FrameError(f"frames[{i}].projectiles[{j}].owner: no ship {p.owner!r} in the package")
        for j, ev in enumerate(f.events):
            for key in ("source", "target"):
                ship = getattr(ev, key)
                if ship is not None and ship not in ids:
                    raise FrameError(f"frames[{i}].events[{j}].{key}: no ship {ship!r} in the package")
