"""Campaign metrics computed from a world's daily history, battle log and events.

>>> from tidebreak.strategic import Campaign, build_world
>>> w = Campaign(build_world(seed=2)).run(20)
>>> m = campaign_metrics(w)
>>> m.days, sorted(m.factions)
(20, ['accord', 'dominion', 'freeholds'])
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel

from .world import World


class FactionMetrics(BaseModel):
    days_survived: int
    battles: int
    battles_won: int
    win_rate: float
    shortage_days: int
    ships_lost: int
    ships_end: int
    arcologies_end: int
    morale_mean: float
    morale_min: float
    legitimacy_mean: float
    legitimacy_min: float


class CampaignMetrics(BaseModel):
    scenario: str
    seed: int
    days: int
    finished: bool
    winner: str | None
    battles: int
    factions: dict[str, FactionMetrics]


def series(world: World, faction_id: str, key: str) -> NDArray[np.float64]:
    """A daily time series (``morale``, ``legitimacy``, ``fleet_strength``, ``supply_days``,
    ``ships``, ``ap``, ``population`` or ``stock:<resource>`` in units)."""
    out = []
    for rec in world.history:
        fd = rec.factions.get(faction_id)
        if fd is None:
            out.append(np.nan)
        elif key.startswith("stock:"):
            out.append(fd.stocks.get(key[6:], 0) / 1000.0)
        else:
            out.append(float(getattr(fd, key)))
    return np.asarray(out, dtype=np.float64)


def campaign_metrics(world: World) -> CampaignMetrics:
    facs: dict[str, FactionMetrics] = {}
    for fid in sorted(world.factions):
        fac = world.factions[fid]
        mine = [b for b in world.battles if fid in b.teams]
        won = sum(1 for b in mine if b.winner_faction == fid)
        mor = series(world, fid, "morale")
        leg = series(world, fid, "legitimacy")
        facs[fid] = FactionMetrics(
            days_survived=fac.defeated_day if fac.defeated_day is not None else world.day,
            battles=len(mine),
            battles_won=won,
            win_rate=won / len(mine) if mine else 0.0,
            shortage_days=fac.shortage_days,
            ships_lost=sum(1 for s in world.lost_ships if s.faction_id == fid),
            ships_end=sum(len(fl.ship_ids) for fl in world.faction_fleets(fid)),
            arcologies_end=len(world.faction_arcologies(fid)),
            morale_mean=float(np.nanmean(mor)) if mor.size else 0.0,
            morale_min=float(np.nanmin(mor)) if mor.size else 0.0,
            legitimacy_mean=float(np.nanmean(leg)) if leg.size else 0.0,
            legitimacy_min=float(np.nanmin(leg)) if leg.size else 0.0,
        )
    return CampaignMetrics(
        scenario=world.scenario,
        seed=world.seed,
        days=world.day,
        finished=world.finished,
        winner=world.winner,
        battles=len(world.battles),
        factions=facs,
    )
