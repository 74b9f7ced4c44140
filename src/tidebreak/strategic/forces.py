"""Combat-strength estimates used by the faction AI, missions and metrics.

Strength of a ship = (hp / max_hp) × Σ weapon damage-per-tick (damage / cooldown)
for weapons with ammunition left. It is a planning heuristic, not the arena.
"""

from __future__ import annotations

from .world import Fleet, Ship, World


def ship_strength(world: World, ship: Ship) -> float:
    tpl = world.ship_templates[ship.template]
    fire = 0.0
    for w in tpl.weapons:
        if ship.ammo.get(w.slot, 0) > 0:
            fire += w.projectile.damage / max(1, w.cooldown_ticks)
    return fire * max(0.0, ship.hp) / ship.max_hp + 0.01 * ship.max_hp / 100.0


def fleet_strength(world: World, fleet: Fleet) -> float:
    return sum(ship_strength(world, world.ships[s]) for s in fleet.ship_ids)


def faction_strength(world: World, faction_id: str) -> float:
    return sum(fleet_strength(world, f) for f in world.faction_fleets(faction_id))


def strength_share(world: World, faction_id: str) -> float:
    total = sum(faction_strength(world, f) for f in world.live_factions())
    return faction_strength(world, faction_id) / total if total > 0 else 0.0


def enemy_strength(world: World, faction_id: str) -> float:
    return sum(faction_strength(world, f) for f in world.live_factions() if world.at_war(faction_id, f))
