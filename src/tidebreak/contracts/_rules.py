"""The rules of go/core/contract/validate.go, in the same order and with the same messages."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from tidebreak.contracts._gofmt import go_float as g
from tidebreak.contracts._gofmt import go_quote as q

if TYPE_CHECKING:
    from tidebreak.contracts.models import BattlePackage, Bounds, Map, Rules, Shape, Ship

_MAX = 1.7976931348623157e308


def _is_inf(v: float) -> bool:
    return v > _MAX or v < -_MAX


class _Problems:
    def __init__(self) -> None:
        self.list: list[tuple[str, str]] = []

    def add(self, path: str, msg: str) -> None:
        self.list.append((path, msg))

    def positive(self, path: str, v: float) -> None:
        if not (v > 0) or _is_inf(v):
            self.add(path, f"must be > 0 (got {g(v)})")

    def non_negative(self, path: str, v: float) -> None:
        if not (v >= 0) or _is_inf(v):
            self.add(path, f"must be >= 0 (got {g(v)})")

    def unit(self, path: str, v: float) -> None:
        if not (0 <= v <= 1):
            self.add(path, f"must be within [0, 1] (got {g(v)})")

    def finite(self, path: str, v: float) -> None:
        if v != v or _is_inf(v):
            self.add(path, f"must be a finite number (got {g(v)})")

    def one_of(self, path: str, v: str, *allowed: str) -> None:
        if v not in allowed:
            self.add(path, f"must be one of {', '.join(q(a) for a in allowed)} (got {q(v)})")


def _go_round(x: float) -> float:
    """Go's math.Round: half away from zero."""
    if math.isnan(x) or math.isinf(x):
        return x
    return math.copysign(math.floor(abs(x) + 0.5), x)


def check_package(p: BattlePackage) -> list[tuple[str, str]]:
    """Every rule of arena.v1, as (path, message) pairs in Go's order; empty when valid."""
    v = _Problems()
    if p.schema_version != "arena.v1":
        v.add("schema_version", f"must be {q('arena.v1')} (got {q(p.schema_version)})")
    if p.battle_id == "":
        v.add("battle_id", "is required")
    if p.seed == 0:
        v.add("seed", "must be > 0")
    v.positive("time_step_s", p.time_step_s)
    if p.time_step_s > 0:
        with_inf = 1 / p.time_step_s if p.time_step_s >= 1 / _MAX else math.inf
        n = _go_round(with_inf)
        if n < 1 or abs(n * p.time_step_s - 1) > 1e-9 or n > 1000:
            v.add("time_step_s", f"must divide 1.0 into at most 1000 substeps (got {g(p.time_step_s)})")
    v.positive("time_limit_s", p.time_limit_s)
    if 0 < p.time_limit_s < 1:
        v.add("time_limit_s", f"must be at least one 1 s tick (got {g(p.time_limit_s)})")
    if not p.teams:
        v.add("teams", "must list at least one team")
    teams: set[str] = set()
    for i, t in enumerate(p.teams):
        path = f"teams[{i}]"
        if t.team_id == "":
            v.add(path + ".team_id", "is required")
        elif t.team_id in teams:
            v.add(path + ".team_id", f"duplicate team id {q(t.team_id)}")
        teams.add(t.team_id)
        f = t.faction_context
        if f is not None:
            fp = path + ".faction_context"
            v.unit(fp + ".morale_state", f.morale_state)
            for k in sorted(f.philosophy):
                v.unit(f"{fp}.philosophy.{k}", f.philosophy[k])
    _check_map(v, p.map, "map")
    _check_rules(v, p.rules, "rules")
    if p.randomize is not None:
        rz, rp = p.randomize, "randomize"
        v.non_negative(rp + ".spawn_jitter_m", rz.spawn_jitter_m)
        v.non_negative(rp + ".heading_jitter_rad", rz.heading_jitter_rad)
        v.non_negative(rp + ".visibility_jitter_km", rz.visibility_jitter_km)
        if rz.sea_state_delta < 0 or rz.sea_state_delta > 9:
            v.add(rp + ".sea_state_delta", f"must be within [0, 9] (got {rz.sea_state_delta})")
    if not p.ships:
        v.add("ships", "must list at least one ship")
    ids: set[str] = set()
    for i, s in enumerate(p.ships):
        path = f"ships[{i}]"
        if s.ship_id == "":
            v.add(path + ".ship_id", "is required")
        elif s.ship_id in ids:
            v.add(path + ".ship_id", f"duplicate ship id {q(s.ship_id)}")
        ids.add(s.ship_id)
        if s.team_id == "":
            v.add(path + ".team_id", "is required")
        elif s.team_id not in teams:
            v.add(path + ".team_id", f"names no team in teams (got {q(s.team_id)})")
        _check_ship(v, s, path, p.map.bounds)
    return v.list


def _check_map(v: _Problems, m: Map, path: str) -> None:
    b = m.bounds
    for name in ("min_x", "min_y", "max_x", "max_y"):
        v.finite(f"{path}.bounds.{name}", getattr(b, name))
    if not (b.max_x > b.min_x):
        v.add(path + ".bounds.max_x", f"must be > min_x (got {g(b.max_x)} <= {g(b.min_x)})")
    if not (b.max_y > b.min_y):
        v.add(path + ".bounds.max_y", f"must be > min_y (got {g(b.max_y)} <= {g(b.min_y)})")
    for i, o in enumerate(m.obstacles):
        op = f"{path}.obstacles[{i}]"
        _check_shape(v, o.shape, op + ".shape")
        v.one_of(op + ".material", o.material, "solid", "soft")
        v.unit(op + ".intensity", o.intensity)
    for i, z in enumerate(m.zones):
        zp = f"{path}.zones[{i}]"
        _check_shape(v, z.shape, zp + ".shape")
        v.one_of(
            zp + ".modifier_type", z.modifier_type, "sensor_interference", "hazard", "current", "speed_bonus"
        )
        v.unit(zp + ".intensity", z.intensity)
    c = m.currents
    if c is not None:
        cp = path + ".currents"
        v.one_of(cp + ".kind", c.kind, "grid", "analytic")
        if c.kind == "grid":
            v.positive(cp + ".cell_size", c.cell_size)
            if not c.cells or not c.cells[0]:
                v.add(cp + ".cells", "must be a non-empty grid of [u, v] rows")
            for r, row in enumerate(c.cells):
                if len(row) != len(c.cells[0]):
                    v.add(f"{cp}.cells[{r}]", f"has {len(row)} cells, row 0 has {len(c.cells[0])}")
        elif c.kind == "analytic":
            v.non_negative(cp + ".variance", c.variance)
    w = m.weather
    wp = path + ".weather"
    if w.sea_state < 0 or w.sea_state > 9:
        v.add(wp + ".sea_state", f"must be within [0, 9] (got {w.sea_state})")
    v.non_negative(wp + ".wind_speed", w.wind_speed)
    v.finite(wp + ".wind_direction", w.wind_direction)
    v.positive(wp + ".visibility_km", w.visibility_km)
    v.one_of(wp + ".precipitation", w.precipitation, "none", "rain", "storm")
    v.unit(wp + ".lightning_risk", w.lightning_risk)
    v.one_of(path + ".terrain.default", m.terrain.default, "deep", "shelf", "shallows")
    for i, region in enumerate(m.terrain.regions):
        rp = f"{path}.terrain.regions[{i}]"
        _check_shape(v, region.shape, rp + ".shape")
        v.one_of(rp + ".depth_class", region.depth_class, "deep", "shelf", "shallows")


def _check_shape(v: _Problems, s: Shape, path: str) -> None:
    v.one_of(path + ".kind", s.kind, "circle", "polygon")
    if s.kind == "circle":
        v.positive(path + ".radius", s.radius)
    elif s.kind == "polygon" and len(s.vertices) < 3:
        v.add(path + ".vertices", f"a polygon needs at least 3 vertices (got {len(s.vertices)})")


def _check_ship(v: _Problems, s: Ship, path: str, b: Bounds) -> None:
    v.one_of(path + ".class", s.class_, "S", "M", "L", "XL")
    h = s.hull
    for name in ("mass", "radius", "max_speed", "acceleration", "turn_rate", "hp"):
        v.positive(f"{path}.hull.{name}", getattr(h, name))
    c = s.capabilities
    v.positive(path + ".capabilities.dive_time_s", c.dive_time_s)
    v.positive(path + ".capabilities.surface_time_s", c.surface_time_s)
    if not c.can_surface and not c.can_submerge:
        v.add(path + ".capabilities", "a ship must be able to surface or submerge")
    for i, se in enumerate(s.sensors):
        sp = f"{path}.sensors[{i}]"
        v.one_of(sp + ".type", se.type, "radar", "visual", "sonar")
        v.positive(sp + ".range", se.range)
        if se.arc is not None and not (0 < se.arc <= 2 * math.pi + 1e-9):
            v.add(sp + ".arc", f"must be within (0, 2π] radians (got {g(se.arc)})")
        v.finite(sp + ".noise_floor", se.noise_floor)
        if se.update_every_ticks < 1:
            v.add(sp + ".update_every_ticks", f"must be >= 1 (got {se.update_every_ticks})")
    slots: set[str] = set()
    for i, w in enumerate(s.weapons):
        wp = f"{path}.weapons[{i}]"
        v.one_of(wp + ".type", w.type, "gun", "torpedo", "asw")
        if w.slot == "":
            v.add(wp + ".slot", "is required")
        elif w.slot in slots:
            v.add(wp + ".slot", f"duplicate slot {q(w.slot)}")
        slots.add(w.slot)
        v.positive(wp + ".range", w.range)
        if w.cooldown_ticks < 1:
            v.add(wp + ".cooldown_ticks", f"must be >= 1 (got {w.cooldown_ticks})")
        if w.ammo < 0:
            v.add(wp + ".ammo", f"must be >= 0 (got {w.ammo})")
        pr = w.projectile
        v.positive(wp + ".projectile.speed", pr.speed)
        v.non_negative(wp + ".projectile.damage", pr.damage)
        v.non_negative(wp + ".projectile.blast_radius", pr.blast_radius)
        gd = pr.guidance
        v.one_of(wp + ".projectile.guidance.kind", gd.kind, "unguided", "lead", "homing")
        if gd.kind == "homing":
            v.positive(wp + ".projectile.guidance.turn_rate", gd.turn_rate)
            v.positive(wp + ".projectile.guidance.seeker_range", gd.seeker_range)
            v.positive(wp + ".projectile.guidance.seeker_cone", gd.seeker_cone)
    cr = s.crew
    if cr.crew_count < 0:
        v.add(path + ".crew.crew_count", f"must be >= 0 (got {cr.crew_count})")
    for name in ("gunnery", "engineering", "morale", "fatigue"):
        v.unit(f"{path}.crew.{name}", getattr(cr, name))
    st = s.initial_state
    ip = path + ".initial_state"
    v.finite(ip + ".x", st.x)
    v.finite(ip + ".y", st.y)
    if (
        st.x == st.x
        and st.y == st.y
        and (st.x < b.min_x or st.x > b.max_x or st.y < b.min_y or st.y > b.max_y)
    ):
        v.add(ip, f"position ({g(st.x)}, {g(st.y)}) lies outside map.bounds")
    v.finite(ip + ".heading", st.heading)
    v.finite(ip + ".speed", st.speed)
    if st.speed == st.speed and abs(st.speed) > h.max_speed:
        v.add(ip + ".speed", f"must be within ±hull.max_speed (got {g(st.speed)})")
    v.one_of(ip + ".layer", st.layer, "surface", "submerged")
    if st.layer == "submerged" and not c.can_submerge:
        v.add(ip + ".layer", "ship cannot submerge (capabilities.can_submerge is false)")
    if st.layer == "surface" and not c.can_surface:
        v.add(ip + ".layer", "ship cannot surface (capabilities.can_surface is false)")
    if st.hp is not None and not (0 < st.hp <= h.hp):
        v.add(ip + ".hp", f"must be within (0, hull.hp] (got {g(st.hp)})")
    for k in sorted(st.ammo):
        if k not in slots:
            v.add(f"{ip}.ammo.{k}", "names no weapon slot")
        elif st.ammo[k] < 0:
            v.add(f"{ip}.ammo.{k}", f"must be >= 0 (got {st.ammo[k]})")
    if s.controller == "":
        v.add(path + ".controller", "is required")


_RULES_POSITIVE = ("track_timeout_s", "radar_emission_factor", "detection_slope_db", "rout_fraction")
_RULES_NON_NEGATIVE = (
    "track_error_growth_m_s",
    "ambient_noise_db",
    "storm_noise_db",
    "sea_state_noise_db",
    "transition_bloom_db",
    "ping_loudness_db",
    "torpedo_noise_db",
    "sonar_absorption_db_km",
    "fire_damage_per_tick",
    "hazard_damage_per_tick",
    "heavy_sea_damage",
    "collision_damage_per_m_s",
    "morale_loss_per_damage",
)
_RULES_UNIT = (
    "radar_sea_state_loss",
    "radar_rain_factor",
    "radar_storm_factor",
    "fog_visual_factor",
    "interference_strength",
    "crit_chance",
    "mobility_speed_cap",
    "misfire_scale",
    "surrender_hp",
    "surrender_morale",
    "morale_loss_friend_lost",
    "morale_gain_kill",
    "rout_fraction",
)
_RULES_TICKS = ("lightning_blackout_ticks", "ping_cooldown_ticks", "crit_duration_ticks")


def _check_rules(v: _Problems, r: Rules, path: str) -> None:
    for name in _RULES_POSITIVE:
        v.positive(f"{path}.{name}", getattr(r, name))
    for name in _RULES_NON_NEGATIVE:
        v.non_negative(f"{path}.{name}", getattr(r, name))
    for name in _RULES_UNIT:
        v.unit(f"{path}.{name}", getattr(r, name))
    for name in _RULES_TICKS:
        if getattr(r, name) < 0:
            v.add(f"{path}.{name}", f"must be >= 0 (got {getattr(r, name)})")
    if r.heavy_sea_state < 0 or r.heavy_sea_state > 10:
        v.add(path + ".heavy_sea_state", f"must be within [0, 10] (got {r.heavy_sea_state})")
