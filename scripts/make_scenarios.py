#!/usr/bin/env python3
"""Writes the shipped scenarios (src/tidebreak/scenarios/data/*.json).

The scenarios are data; this script is how they are made, so a change to a
ship archetype reaches every scenario at once. Run it from the repo root:

    python3 scripts/make_scenarios.py
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "tidebreak" / "scenarios" / "data"
PI = math.pi

SENSORS_SURFACE = [
    {"type": "radar", "range": 12000},
    {"type": "visual", "range": 6000},
    {"type": "sonar", "range": 4000},
]

ARCHETYPES = {
    "corvette": {
        "class": "M",
        "hull": {
            "mass": 1200,
            "radius": 25,
            "max_speed": 16,
            "acceleration": 0.6,
            "turn_rate": 0.12,
            "hp": 100,
        },
        "capabilities": {"can_surface": True, "can_submerge": False},
        "sensors": SENSORS_SURFACE,
        "weapons": [{"slot": "gun", "type": "gun"}, {"slot": "asw", "type": "asw"}],
        "crew": {"crew_count": 90, "gunnery": 0.7, "engineering": 0.7, "morale": 0.75},
    },
    "frigate": {
        "class": "L",
        "hull": {
            "mass": 3500,
            "radius": 40,
            "max_speed": 14,
            "acceleration": 0.4,
            "turn_rate": 0.08,
            "hp": 200,
        },
        "capabilities": {"can_surface": True, "can_submerge": False},
        "sensors": [
            {"type": "radar", "range": 15000},
            {"type": "visual", "range": 6000},
            {"type": "sonar", "range": 5000},
        ],
        "weapons": [
            {"slot": "gun", "type": "gun", "projectile": {"speed": 550, "damage": 9}},
            {"slot": "asw", "type": "asw"},
        ],
        "crew": {"crew_count": 180, "gunnery": 0.7, "engineering": 0.75, "morale": 0.75},
    },
    "fac": {
        "class": "S",
        "hull": {"mass": 250, "radius": 12, "max_speed": 22, "acceleration": 1.2, "turn_rate": 0.2, "hp": 40},
        "capabilities": {"can_surface": True, "can_submerge": False},
        "sensors": [{"type": "radar", "range": 8000}, {"type": "visual", "range": 5000}],
        "weapons": [{"slot": "gun", "type": "gun", "range": 4000, "projectile": {"damage": 4}}],
        "crew": {"crew_count": 20, "gunnery": 0.65, "engineering": 0.6, "morale": 0.7},
    },
    "submarine": {
        "class": "M",
        "hull": {
            "mass": 1500,
            "radius": 20,
            "max_speed": 10,
            "acceleration": 0.3,
            "turn_rate": 0.08,
            "hp": 80,
        },
        "capabilities": {"can_surface": True, "can_submerge": True, "dive_time_s": 30, "surface_time_s": 20},
        "sensors": [{"type": "sonar", "range": 5000}],
        "weapons": [{"slot": "torpedo", "type": "torpedo"}],
        "crew": {"crew_count": 45, "gunnery": 0.7, "engineering": 0.7, "morale": 0.75},
    },
    "freighter": {
        "class": "L",
        "hull": {
            "mass": 8000,
            "radius": 50,
            "max_speed": 8,
            "acceleration": 0.15,
            "turn_rate": 0.05,
            "hp": 150,
        },
        "capabilities": {"can_surface": True, "can_submerge": False},
        "sensors": [{"type": "radar", "range": 10000}, {"type": "visual", "range": 6000}],
        "weapons": [],
        "crew": {"crew_count": 30, "gunnery": 0.3, "engineering": 0.6, "morale": 0.6},
    },
}

CONTROLLER = {"submarine": "stalker", "freighter": "patrol"}


def ship(
    ship_id: str,
    team: str,
    kind: str,
    x: float,
    y: float,
    heading: float,
    controller: str | None = None,
    speed: float = 4,
) -> dict:
    s = copy.deepcopy(ARCHETYPES[kind])
    layer = "submerged" if kind == "submarine" else "surface"
    s.update(
        {
            "ship_id": ship_id,
            "team_id": team,
            "initial_state": {"x": x, "y": y, "heading": heading, "speed": speed, "layer": layer},
            "controller": controller or CONTROLLER.get(kind, "aggressive"),
        }
    )
    return s


def package(
    battle_id: str,
    size: float,
    ships: list[dict],
    *,
    weather: dict | None = None,
    extra_map: dict | None = None,
    time_limit: float = 600,
    jitter: float = 800,
    teams: tuple[str, str] = ("blue", "red"),
    rules: dict | None = None,
) -> dict:
    w = {"sea_state": 2, "wind_speed": 6, "wind_direction": 0.8, "visibility_km": 18, "precipitation": "none"}
    w.update(weather or {})
    m = {
        "bounds": {"min_x": 0, "min_y": 0, "max_x": size, "max_y": size},
        "weather": w,
        "terrain": {"default": "deep"},
    }
    m.update(extra_map or {})
    return {
        "schema_version": "arena.v1",
        "battle_id": battle_id,
        "seed": 1,
        "time_step_s": 0.1,
        "time_limit_s": time_limit,
        "teams": [{"team_id": t, "name": t.title()} for t in teams],
        "map": m,
        "ships": ships,
        **({"rules": rules} if rules else {}),
        "randomize": {
            "spawn_jitter_m": jitter,
            "heading_jitter_rad": 0.4,
            "sea_state_delta": 1,
            "visibility_jitter_km": 2,
        },
    }


def line(
    team: str, kinds: list[str], x: float, y0: float, spacing: float, heading: float, prefix: str
) -> list[dict]:
    out, count = [], {}
    for i, kind in enumerate(kinds):
        count[kind] = count.get(kind, 0) + 1
        sid = f"{prefix}-{kind}-{count[kind]}"
        sx = x + (-600 if kind == "submarine" and heading == 0 else 600 if kind == "submarine" else 0)
        out.append(ship(sid, team, kind, sx, y0 + i * spacing, heading))
    return out


def block(
    team: str, kinds: list[str], x0: float, y0: float, rows: int, spacing: float, heading: float, prefix: str
) -> list[dict]:
    """A fleet in a rectangle of ``rows`` rows, ``len(kinds) // rows`` columns deep.

    Column 0 is at ``x0`` and the columns step away from the enemy (toward
    smaller x when heading is 0); ships are numbered row by row.
    """
    out, count = [], {}
    back = -1 if heading == 0 else 1
    for i, kind in enumerate(kinds):
        col, row = divmod(i, rows)
        count[kind] = count.get(kind, 0) + 1
        sid = f"{prefix}-{kind}-{count[kind]}"
        out.append(ship(sid, team, kind, x0 + back * col * spacing, y0 + row * spacing, heading))
    return out


def mix(n: int) -> list[str]:
    """n ships in fleet_16v16's proportions (8 : 4 : 2 : 2), interleaved so that every
    column of a block holds each kind."""
    unit = ["corvette", "frigate", "corvette", "submarine", "corvette", "frigate", "corvette", "fac"]
    return [unit[i % len(unit)] for i in range(n)]


def build() -> dict[str, dict]:
    s: dict[str, dict] = {}
    hunter = ship("corvette", "blue", "corvette", 2500, 6000, 0, speed=8)
    hunter["hull"]["hp"] = 120  # an ASW corvette built to take a torpedo hit or two
    hunter["sensors"][2]["range"] = 5000
    hunter["weapons"][1]["projectile"] = {"damage": 30}
    # Twenty minutes: a submarine at 10 m/s needs minutes to find the
    # corvette and its torpedoes minutes to arrive, and a corvette that dodges
    # them needs the time to run the submarine down afterwards.
    s["duel"] = package(
        "duel",
        12000,
        [hunter, ship("submarine", "red", "submarine", 9000, 6000, PI)],
        jitter=800,
        time_limit=1200,
    )
    # The duels start 7 km apart (± the jitter): inside radar range for the
    # corvettes, a few minutes' run for the submarines.
    s["gun_duel"] = package(
        "gun_duel",
        16000,
        [
            ship("blue-corvette", "blue", "corvette", 4500, 8000, 0, speed=8),
            ship("red-corvette", "red", "corvette", 11500, 8000, PI, speed=8),
        ],
        jitter=1500,
    )
    s["sub_duel"] = package(
        "sub_duel",
        16000,
        [
            ship("blue-sub", "blue", "submarine", 4500, 8000, 0),
            ship("red-sub", "red", "submarine", 11500, 8000, PI),
        ],
        time_limit=1200,
        jitter=1500,
    )
    mixed = ["corvette", "frigate", "corvette", "submarine"]
    # Fleets are beaten once three quarters of their ships are out of action:
    # a lone hidden submarine does not hold the field for its fleet.
    fleet_rules = {"rout_fraction": 0.75}
    s["fleet_4v4"] = package(
        "fleet_4v4",
        24000,
        line("blue", mixed, 6500, 9000, 2000, 0, "b") + line("red", mixed, 17500, 9000, 2000, PI, "r"),
        time_limit=900,
        rules=fleet_rules,
    )
    big = ["corvette"] * 8 + ["frigate"] * 4 + ["submarine"] * 2 + ["fac"] * 2
    s["fleet_16v16"] = package(
        "fleet_16v16",
        40000,
        line("blue", big, 12000, 5000, 2000, 0, "b") + line("red", big, 28000, 5000, 2000, PI, "r"),
        time_limit=1500,
        rules=fleet_rules,
    )
    # Scale battles: two fleets in blocks whose front ranks start 9 km apart,
    # inside radar range, so they fight from the first ticks.
    for n, rows, size in ((128, 16, 48000), (512, 32, 96000)):
        cols = n // rows
        spacing = 1500
        depth = (cols - 1) * spacing
        front_b = size / 2 - 4500
        y0 = size / 2 - (rows - 1) * spacing / 2
        name = f"fleet_{n}v{n}"
        s[name] = package(
            name,
            size,
            block("blue", mix(n), front_b, y0, rows, spacing, 0, "b")
            + block("red", mix(n), size - front_b, y0, rows, spacing, PI, "r"),
            time_limit=1800,
            jitter=400,
            rules=fleet_rules,
        )
        assert front_b - depth > 1000
    convoy = [
        ship(f"freighter-{i + 1}", "blue", "freighter", 3000 + 600 * (i % 2), 9000 + 1200 * i, 0, speed=6)
        for i in range(4)
    ]
    convoy += [
        ship("escort-1", "blue", "corvette", 5000, 8000, 0),
        ship("escort-2", "blue", "corvette", 5000, 14000, 0),
    ]
    convoy += [ship(f"raider-{i + 1}", "red", "submarine", 10000, 7000 + 3000 * i, PI) for i in range(3)]
    # A convoy that has lost half its ships has failed, and a raiding pack
    # that has lost two of its three boats is beaten.
    s["convoy"] = package("convoy", 24000, convoy, time_limit=1200, rules={"rout_fraction": 0.5})

    calm = {"sea_state": 0, "wind_speed": 2, "visibility_km": 20}
    one_v_one = [
        ship("agent", "blue", "corvette", 3000, 6000, 0, speed=6),
        ship("opponent", "red", "corvette", 9000, 6000, PI, "patrol", speed=6),
    ]
    s["stage1"] = package("stage1", 12000, copy.deepcopy(one_v_one), weather=calm, jitter=600)
    obstacles = {
        "obstacles": [
            {"shape": {"kind": "circle", "radius": 700}, "position": [6000, 4000], "material": "solid"},
            {
                "shape": {"kind": "polygon", "vertices": [[0, 0], [900, 200], [500, 1100]]},
                "position": [5500, 7600],
                "material": "solid",
            },
            {
                "shape": {"kind": "circle", "radius": 500},
                "position": [8200, 8500],
                "material": "soft",
                "intensity": 0.6,
            },
        ],
        "currents": {"kind": "analytic", "base_vector": [0.4, 0.2], "variance": 0.3},
    }
    s["stage2"] = package("stage2", 12000, copy.deepcopy(one_v_one), weather=calm, extra_map=obstacles)
    hazards = dict(
        obstacles,
        zones=[
            {
                "shape": {"kind": "circle", "radius": 1500},
                "position": [6000, 9500],
                "modifier_type": "hazard",
                "intensity": 0.8,
            }
        ],
    )
    storm = {
        "sea_state": 5,
        "wind_speed": 18,
        "precipitation": "rain",
        "visibility_km": 8,
        "lightning_risk": 0.3,
    }
    s["stage3"] = package("stage3", 12000, copy.deepcopy(one_v_one), weather=storm, extra_map=hazards)
    occl = dict(
        hazards,
        zones=hazards["zones"]
        + [
            {
                "shape": {"kind": "polygon", "vertices": [[0, 0], [2500, 0], [2500, 5000], [0, 5000]]},
                "position": [4800, 1500],
                "modifier_type": "sensor_interference",
                "intensity": 0.8,
            }
        ],
    )
    s["stage4"] = package(
        "stage4", 12000, copy.deepcopy(one_v_one), weather=dict(storm, fog=True), extra_map=occl
    )
    two_v_two = [
        ship("agent", "blue", "corvette", 3000, 5000, 0, speed=6),
        ship("wingman", "blue", "corvette", 3000, 8000, 0, speed=6),
        ship("opponent-1", "red", "corvette", 13000, 5000, PI, speed=6),
        ship("opponent-2", "red", "corvette", 13000, 8000, PI, speed=6),
    ]
    s["stage5"] = package("stage5", 16000, two_v_two, weather={"sea_state": 3}, extra_map=obstacles)
    asym = [
        ship("agent", "blue", "frigate", 3000, 8000, 0, speed=6),
        ship("escort", "blue", "fac", 3000, 6000, 0, speed=6),
        ship("opponent-fac-1", "red", "fac", 13000, 6000, PI, speed=8),
        ship("opponent-fac-2", "red", "fac", 13000, 8000, PI, speed=8),
        ship("opponent-sub", "red", "submarine", 11000, 10000, PI),
    ]
    s["stage6"] = package(
        "stage6",
        16000,
        asym,
        weather={"sea_state": 3, "precipitation": "rain"},
        extra_map=obstacles,
        time_limit=900,
    )
    return s


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, pkg in build().items():
        # The scale battles are written one ship per line to keep them small.
        if len(pkg["ships"]) > 100:
            ships = ",\n".join("    " + json.dumps(sh, separators=(",", ":")) for sh in pkg["ships"])
            head = json.dumps({**pkg, "ships": []}, indent=2)
            text = head.replace('"ships": []', '"ships": [\n' + ships + "\n  ]")
        else:
            text = json.dumps(pkg, indent=2)
        (OUT / f"{name}.json").write_text(text + "\n")
        print(f"wrote {name}.json ({len(pkg['ships'])} ships)")


if __name__ == "__main__":
    main()
