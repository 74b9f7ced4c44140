"""Faction morale: effective = clamp(base + battle_modifier + attrition_modifier, 0, 1).

``battle_modifier`` accumulates each battle's ``TeamOutcome.morale_delta`` and
decays ×0.95 per day; ``attrition_modifier`` follows the supply band.

>>> from tidebreak.strategic.world import Faction
>>> f = Faction(id="a", name="A", base_morale=0.6, battle_modifier=0.1)
>>> round(effective_morale(f), 6)
0.7
>>> decay_battle_modifier(f, 0.95); round(f.battle_modifier, 6)
0.095
"""

from __future__ import annotations

from .world import Faction


def clamp01(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def effective_morale(f: Faction) -> float:
    return clamp01(f.base_morale + f.battle_modifier + f.attrition_modifier)


def decay_battle_modifier(f: Faction, decay: float) -> None:
    f.battle_modifier *= decay
    if abs(f.battle_modifier) < 1e-9:
        f.battle_modifier = 0.0


def morale_stance(morale: float, fight_to_death: float = 0.8, surrender: float = 0.3) -> str:
    """'fight_to_death' above 0.8, 'mass_surrender' below 0.3, else 'steady'.

    >>> morale_stance(0.85), morale_stance(0.5), morale_stance(0.2)
    ('fight_to_death', 'steady', 'mass_surrender')
    """
    if morale > fight_to_death:
        return "fight_to_death"
    if morale < surrender:
        return "mass_surrender"
    return "steady"
