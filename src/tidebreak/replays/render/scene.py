"""The static part of a battle picture (map, weather, overlays), as plain JSON data.

Both renderers draw from the same scene: matplotlib (:mod:`tidebreak.replays.render.mpl`)
and the browser viewer (:mod:`tidebreak.replays.viewer`), which inlines it as JSON.

Sensor circles use the *weather-adjusted* range from the rules in the
specification (radar × (1 − 0.05 × sea_state) × rain 0.8 / storm 0.6; visual
capped by visibility, × 0.3 in fog; sonar at its nominal range). Local
effects (sensor-interference zones, lightning blackouts, crits) are not
drawn into the circles: the zones are drawn as their own layer.
"""

from __future__ import annotations

import math
from typing import Any

from tidebreak.engine import layout

__all__ = [
    "TEAM_COLORS",
    "QUALITY_COLORS",
    "build_scene",
    "effective_range",
    "visible_ships",
    "current_arrows",
]

TEAM_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]
#: Track colours by quality Q0..Q3.
QUALITY_COLORS = ["#9e9e9e", "#f2c500", "#ff7f0e", "#c2185b"]
ZONE_COLORS = {
    "hazard": "#e53935",
    "sensor_interference": "#8e24aa",
    "current": "#00897b",
    "speed_bonus": "#43a047",
}
#: Ambient noise level (dB) drawn when a frame carries no noise grid.
AMBIENT_NOISE_DB = 60.0


def effective_range(sensor: dict[str, Any], weather: dict[str, Any] | None) -> float:
    """A sensor's detection range (m) under the battle's weather."""
    w = weather or {}
    r = float(sensor.get("range") or 0.0)
    kind = sensor.get("type")
    if kind == "radar":
        r *= max(0.0, 1 - 0.05 * float(w.get("sea_state", 0)))
        r *= {"rain": 0.8, "storm": 0.6}.get(w.get("precipitation", "none"), 1.0)
    elif kind == "visual":
        vis = w.get("visibility_km")
        if vis is not None:
            r = min(r, float(vis) * 1000)
        if w.get("fog"):
            r *= 0.3
    return r


def _shape(obj: dict[str, Any]) -> dict[str, Any]:
    shape = obj.get("shape") or {}
    px, py = (obj.get("position") or [0, 0])[:2]
    if shape.get("kind") == "polygon":
        return {"kind": "polygon", "points": [[px + v[0], py + v[1]] for v in shape.get("vertices", [])]}
    return {"kind": "circle", "x": px, "y": py, "r": float(shape.get("radius", 0))}


def current_arrows(currents: dict[str, Any] | None, bounds: list[float], n: int = 8) -> list[list[float]]:
    """Arrows [x, y, u, v] (m/s) sampling the currents on an n×n lattice (grid: each cell centre)."""
    if not currents:
        return []
    x0, y0, x1, y1 = bounds
    if currents.get("kind") == "grid":
        cell = float(currents.get("cell_size") or 1)
        out = []
        for j, row in enumerate(currents.get("cells") or []):
            for i, uv in enumerate(row):
                out.append([x0 + (i + 0.5) * cell, y0 + (j + 0.5) * cell, float(uv[0]), float(uv[1])])
        return out
    u, v = (currents.get("base_vector") or [0, 0])[:2]
    if u == 0 and v == 0:
        return []
    return [
        [x0 + (i + 0.5) * (x1 - x0) / n, y0 + (j + 0.5) * (y1 - y0) / n, float(u), float(v)]
        for j in range(n)
        for i in range(n)
    ]


def build_scene(package: dict[str, Any]) -> dict[str, Any]:
    """Everything about a battle that does not change per tick."""
    m = package.get("map") or {}
    b = m.get("bounds") or {}
    bounds = [
        float(b.get("min_x", 0)),
        float(b.get("min_y", 0)),
        float(b.get("max_x", 10000)),
        float(b.get("max_y", 10000)),
    ]
    weather = m.get("weather") or {}
    teams = [t["team_id"] for t in package.get("teams", [])]
    names = {t["team_id"]: t.get("name") or t["team_id"] for t in package.get("teams", [])}
    colors = {t: TEAM_COLORS[i % len(TEAM_COLORS)] for i, t in enumerate(teams)}
    ships = []
    for s in package.get("ships", []):
        hull = s.get("hull") or {}
        ships.append(
            {
                "id": s["ship_id"],
                "team": s.get("team_id"),
                "color": colors.get(s.get("team_id"), "#444444"),
                "class": s.get("class"),
                "controller": s.get("controller"),
                "radius": float(hull.get("radius", 50)),
                "max_hp": float(hull.get("hp", 100) or 100),
                "sensors": [
                    {
                        "type": x.get("type"),
                        "range": float(x.get("range") or 0),
                        "effective": effective_range(x, weather),
                    }
                    for x in s.get("sensors") or []
                ],
            }
        )
    obstacles = [
        dict(_shape(o), material=o.get("material", "solid"), intensity=o.get("intensity", 1.0))
        for o in m.get("obstacles") or []
    ]
    zones = [
        dict(
            _shape(z),
            type=z.get("modifier_type", "hazard"),
            intensity=float(z.get("intensity", 0)),
            color=ZONE_COLORS.get(z.get("modifier_type", ""), "#607d8b"),
        )
        for z in m.get("zones") or []
    ]
    currents = m.get("currents") or {}
    return {
        "battle_id": package.get("battle_id"),
        "seed": package.get("seed"),
        "bounds": bounds,
        "weather": weather,
        "teams": [{"id": t, "name": names[t], "color": colors[t]} for t in teams],
        "ships": ships,
        "obstacles": obstacles,
        "zones": zones,
        "currents": {
            "kind": currents.get("kind"),
            "variance": currents.get("variance", 0),
            "arrows": current_arrows(currents, bounds),
        },
        "ambient_noise_db": AMBIENT_NOISE_DB,
        "quality_colors": QUALITY_COLORS,
        "codes": {
            "status": list(layout.ENUMS["status"]),
            "layer": list(layout.ENUMS["layer"]),
            "weapon": list(layout.ENUMS["weapon"]),
            "event_values": dict(layout.EVENT_VALUE_ENUMS),
        },
    }


def visible_ships(frame: dict[str, Any], pov: str | None = None) -> list[dict[str, Any]]:
    """The ships drawn for a frame: all of them, or for ``pov`` only that ship.

    (The point-of-view ship's contacts are drawn as tracks, not as ships.)
    """
    if pov is None:
        return list(frame["ships"])
    return [s for s in frame["ships"] if s["id"] == pov]


def heading_deg(h: float) -> float:
    return math.degrees(h)
