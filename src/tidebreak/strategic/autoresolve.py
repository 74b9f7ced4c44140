"""Battle resolvers: the fast seeded :class:`AutoResolver` and the :class:`ArenaResolver`.

Both take an arena.v1 :class:`~tidebreak.contracts.BattlePackage` (or a dict the
models accept) and return a :class:`~tidebreak.contracts.BattleResult` (the contract:
docs/contracts.md). The auto resolver is a Lanchester-style exchange in
30-second rounds: every weapon with ammunition fires ``round / (cooldown ×
reload factor)`` shots at a random legal target (guns: surface only; ASW:
submerged only; torpedoes: any layer); hits are binomial with a probability
from weapon type, gunnery, sea state and misfire chance ``0.1 × (1 − morale)``.
Fire is simultaneous within a round, so the side with more firepower wins the
square-law way.

Where it differs from the arena: no geometry, movement, sensors or fog of war
(everyone sees everyone from the first round), no depth transitions (ships
fight in their initial layer), weather only as a sea-state accuracy penalty,
no obstacles, zones or currents, crits are a flat ×1.5 damage roll, controllers
are ignored, and the replay block carries hashes of the package only.

>>> pkg = {"battle_id": "b", "seed": 3, "time_limit_s": 600, "teams": [{"team_id": "a"}, {"team_id": "b"}],
...        "map": {"weather": {"sea_state": 2}}, "ships": [
...   {"ship_id": "x", "team_id": "a", "class": "M", "hull": {"hp": 100},
...    "weapons": [{"slot": "g", "type": "gun", "cooldown_ticks": 2, "ammo": 120, "projectile": {"damage": 6}}],
...    "crew": {"crew_count": 40, "gunnery": 0.7, "morale": 0.7}, "initial_state": {"x": 0, "y": 0, "layer": "surface"}},
...   {"ship_id": "y", "team_id": "b", "class": "S", "hull": {"hp": 40},
...    "weapons": [], "crew": {"crew_count": 10, "gunnery": 0.5, "morale": 0.5}, "initial_state": {"x": 9, "y": 0, "layer": "surface"}}]}
>>> res = AutoResolver().resolve(pkg)
>>> res.winner_team_id, [s.fate for s in res.ships]
('a', ['OPERATIONAL', 'DESTROYED'])
>>> AutoResolver().resolve(pkg) == res
True
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from tidebreak.contracts.models import BattlePackage, BattleResult

ROUND_S = 30.0
BASE_HIT = {"gun": 0.12, "torpedo": 0.35, "asw": 0.3}
CAN_HIT = {"gun": ("surface",), "asw": ("submerged",), "torpedo": ("surface", "submerged")}


class Resolver(Protocol):
    """Anything that turns an arena.v1 BattlePackage into a BattleResult: a pure function of
    the package (the same package gives the same result)."""

    name: str

    def resolve(self, package: BattlePackage | dict[str, Any]) -> BattleResult: ...


def package_dict(package: BattlePackage | dict[str, Any]) -> dict[str, Any]:
    """The package as a JSON-ready dict with every default the models fill in (fields checked)."""
    model = package if isinstance(package, BattlePackage) else BattlePackage.model_validate(package)
    out: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return out


@dataclass
class _Gun:
    slot: str
    type: str
    cooldown: int
    ammo: int
    damage: float
    used: int = 0


@dataclass
class _Ship:
    sid: str
    team: str
    cls: str
    hp: float
    max_hp: float
    layer: str
    crew: int
    gunnery: float
    morale: float
    mass: float
    weapons: list[_Gun] = field(default_factory=list)
    fate: str = "OPERATIONAL"
    capture: str | None = None
    damage_taken: float = 0.0
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def effective(self) -> bool:
        if self.fate != "OPERATIONAL":
            return False
        if self.cls == "XL":
            return self.hp > 0.1 * self.max_hp
        return True


def _hash(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


class AutoResolver:
    """Fast, seeded, pure function of the package (same package ⇒ same result)."""

    name = "auto"

    def resolve(self, package: BattlePackage | dict[str, Any]) -> BattleResult:
        return BattleResult.model_validate(self.resolve_dict(package_dict(package)))

    def resolve_dict(self, package: dict[str, Any]) -> dict[str, Any]:
        """The result as a dict, from a package dict with its defaults filled in."""
        seed = int(package["seed"])
        rng = np.random.default_rng(seed)
        sea = int(package.get("map", {}).get("weather", {}).get("sea_state", 0))
        limit = float(package.get("time_limit_s", 1800.0))
        ships = [self._ship(s) for s in package["ships"]]
        teams = [t["team_id"] for t in package["teams"]]
        t = 0.0
        hits_total = shots_total = 0
        winner: str | None = None
        while t < limit:
            alive_teams = sorted({s.team for s in ships if s.effective})
            if len(alive_teams) <= 1:
                winner = alive_teams[0] if alive_teams else None
                break
            t = min(limit, t + ROUND_S)
            damage: dict[str, float] = {}
            for s in ships:
                if not s.effective:
                    continue
                reload = 1.25 - 0.5 * s.gunnery
                misfire = 0.1 * (1.0 - s.morale)
                for w in s.weapons:
                    if w.ammo <= 0:
                        continue
                    targets = [
                        o
                        for o in ships
                        if o.team != s.team and o.fate == "OPERATIONAL" and o.layer in CAN_HIT[w.type]
                    ]
                    if not targets:
                        continue
                    shots = min(w.ammo, max(1, int(ROUND_S / (w.cooldown * reload))))
                    w.ammo -= shots
                    w.used += shots
                    shots_total += shots
                    p = BASE_HIT[w.type] * (0.5 + 0.5 * s.gunnery) * (1.0 - misfire)
                    if w.type == "gun":
                        p *= max(0.2, 1.0 - 0.05 * sea)
                    n_hits = int(rng.binomial(shots, min(1.0, p)))
                    hits_total += n_hits
                    for _ in range(n_hits):
                        tgt = targets[int(rng.integers(len(targets)))]
                        crit = 1.5 if rng.random() < 0.1 else 1.0
                        damage[tgt.sid] = damage.get(tgt.sid, 0.0) + w.damage * crit
            for s in ships:
                d = damage.get(s.sid, 0.0)
                if d <= 0 or s.fate != "OPERATIONAL":
                    continue
                s.hp -= d
                s.damage_taken += d
                s.morale = max(0.0, s.morale - 0.35 * d / s.max_hp)
                fate = self._fate(s, rng)
                if fate != "OPERATIONAL":
                    s.fate = fate
                    for o in ships:
                        if o.team == s.team and o.fate == "OPERATIONAL":
                            o.morale = max(0.0, o.morale - 0.03)
                        elif o.team != s.team and o.fate == "OPERATIONAL":
                            o.morale = min(1.0, o.morale + 0.03)
        else:
            winner = None
        if t >= limit:
            alive_teams = sorted({s.team for s in ships if s.effective})
            winner = alive_teams[0] if len(alive_teams) == 1 else None
        # boarding: the winner captures disabled M/L enemies 30 % of the time
        if winner is not None:
            for s in ships:
                if s.team != winner and s.fate == "DISABLED" and rng.random() < 0.3:
                    s.fate, s.capture = "CAPTURED", "BOARDED"
        return self._result(package, ships, teams, winner, t, hits_total, shots_total, rng)

    # ---------------------------------------------------------------- helpers
    @staticmethod
    def _ship(d: dict[str, Any]) -> _Ship:
        hull = d.get("hull", {})
        crew = d.get("crew", {})
        init = d.get("initial_state", {})
        max_hp = float(hull.get("hp", 100.0))
        hp = float(init.get("hp") or max_hp)
        ammo_over = init.get("ammo") or {}
        guns = [
            _Gun(
                slot=w["slot"],
                type=w["type"],
                cooldown=int(w.get("cooldown_ticks", 1)),
                ammo=int(ammo_over.get(w["slot"], w.get("ammo", 0))),
                damage=float(w.get("projectile", {}).get("damage", 0.0)),
            )
            for w in d.get("weapons", [])
        ]
        return _Ship(
            sid=d["ship_id"],
            team=d["team_id"],
            cls=d.get("class", "M"),
            hp=hp,
            max_hp=max_hp,
            layer=init.get("layer", "surface"),
            crew=int(crew.get("crew_count", 0)),
            gunnery=float(crew.get("gunnery", 0.5)),
            morale=float(crew.get("morale", 0.5)),
            mass=float(hull.get("mass", 1000.0)),
            weapons=guns,
            state={k: init.get(k, 0.0) for k in ("x", "y", "heading")},
        )

    @staticmethod
    def _fate(s: _Ship, rng: np.random.Generator) -> str:
        frac = s.hp / s.max_hp
        if s.cls == "XL":
            s.hp = max(s.hp, 1.0)  # never destroyed, only degraded
            return "OPERATIONAL"
        if s.hp <= 0:
            if s.cls == "S":
                return "DESTROYED"
            if s.cls == "M":
                return "DESTROYED" if rng.random() < 0.6 else "DISABLED"
            return "DISABLED"
        if frac < 0.3 and s.morale < 0.3:
            if s.cls == "S":
                return "DESTROYED"
            s.capture = "SURRENDERED"
            return "CAPTURED"
        if frac < 0.15 and s.cls in ("M", "L"):
            return "DISABLED"
        return "OPERATIONAL"

    def _result(
        self,
        package: dict[str, Any],
        ships: list[_Ship],
        teams: list[str],
        winner: str | None,
        duration: float,
        hits: int,
        shots: int,
        rng: np.random.Generator,
    ) -> dict[str, Any]:
        out_ships = []
        for s in ships:
            frac = min(1.0, s.damage_taken / s.max_hp)
            if s.fate == "DESTROYED":
                killed = int(s.crew * (0.6 + 0.3 * rng.random()))
            else:
                killed = int(s.crew * frac * 0.25)
            wounded = min(s.crew - killed, int(s.crew * frac * 0.35))
            if s.hp <= 0:
                s.hp = 1.0 if s.fate != "DESTROYED" else 0.0
            out_ships.append(
                {
                    "ship_id": s.sid,
                    "fate": s.fate,
                    "capture_method": s.capture,
                    "final_state": {
                        "x": s.state["x"],
                        "y": s.state["y"],
                        "heading": s.state["heading"],
                        "speed": 0.0,
                        "layer": s.layer,
                        "hp": max(0.0, s.hp),
                        "ammo": {w.slot: w.ammo for w in s.weapons},
                    },
                    "final_morale": round(s.morale, 6),
                    "consumption": {
                        "ammo_used": {w.slot: w.used for w in s.weapons},
                        "fuel_used": round(s.mass * 0.0004 * duration / 60.0, 6),
                    },
                    "crew_casualties": {"killed": killed, "wounded": wounded},
                }
            )
        out_teams = []
        for tid in teams:
            mine = [s for s in ships if s.team == tid]
            lost = sum(1 for s in mine if s.fate in ("DESTROYED", "DISABLED", "CAPTURED", "SCUTTLED"))
            surr = sum(1 for s in mine if s.capture == "SURRENDERED")
            enemy = [s for s in ships if s.team != tid]
            enemy_lost = sum(1 for s in enemy if s.fate != "OPERATIONAL")
            n = max(1, len(mine))
            if winner == tid:
                delta = 0.05 + 0.10 * enemy_lost / max(1, len(enemy))
            elif winner is None:
                delta = -0.02
            else:
                delta = -0.05 - 0.10 * lost / n - 0.05 * surr / n
            decisive = winner == tid and lost == 0 and enemy_lost > 0
            out_teams.append(
                {
                    "team_id": tid,
                    "morale_delta": round(max(-0.3, min(0.2, delta)), 6),
                    "ships_lost": lost,
                    "ships_surrendered": surr,
                    "decisive_victory": decisive,
                }
            )
        kills = sum(1 for s in ships if s.fate in ("DESTROYED", "DISABLED", "CAPTURED"))
        surrenders = sum(1 for s in ships if s.capture == "SURRENDERED")
        return {
            "schema_version": "arena.v1",
            "battle_id": package["battle_id"],
            "seed": package["seed"],
            "winner_team_id": winner,
            "duration_s": duration,
            "ships": out_ships,
            "teams": out_teams,
            "event_summary": {
                "hits": hits,
                "kills": kills,
                "surrenders": surrenders,
                "transitions": 0,
                "hazard_damage": 0.0,
                "shots_fired": shots,
            },
            "replay": {
                "seed": package["seed"],
                "trace_version": 0,
                "action_log": [],
                "action_log_hash": "",
                "initial_state_hash": _hash(package),
                "final_state_hash": _hash(out_ships),
            },
        }


class ArenaResolver:
    """Resolves battles with the Go arena (``tidebreak.engine.simulation``, imported lazily, so
    importing the campaign never loads the native library). The arena keeps no replay log
    for these battles (``"record": false``): the campaign needs only the result."""

    name = "arena"

    def resolve(self, package: BattlePackage | dict[str, Any]) -> BattleResult:
        from tidebreak.engine.simulation import simulate_json

        body = package_dict(package)
        return BattleResult.model_validate_json(simulate_json({"package": body, "record": False}))


def make_resolver(name: str) -> Resolver:
    """``"auto"`` or ``"arena"``."""
    if name == "auto":
        return AutoResolver()
    if name == "arena":
        return ArenaResolver()
    raise ValueError(f"unknown resolver {name!r} (expected 'auto' or 'arena')")
