"""Daily weather per node: a seeded random walk of sea state around the node's base.

Precipitation follows sea state (storm from 6, rain likely from 4), fog is a
10 % chance in calm seas, visibility shrinks with both. The battle package
copies the node's weather.
"""

from __future__ import annotations

from .rng import Rngs
from .world import World


def weather_phase(world: World, rngs: Rngs) -> None:
    gen = rngs["weather"]
    for _, node in sorted(world.nodes.items()):
        step = int(gen.integers(-1, 2))
        pull = (
            1 if node.sea_state < node.base_sea_state else -1 if node.sea_state > node.base_sea_state else 0
        )
        if gen.random() < 0.3:
            step += pull
        node.sea_state = max(0, min(9, node.sea_state + step))
        r = float(gen.random())
        if node.sea_state >= 6:
            node.precipitation = "storm"
        elif node.sea_state >= 4 and r < 0.6:
            node.precipitation = "rain"
        else:
            node.precipitation = "none"
        node.fog = node.sea_state <= 2 and float(gen.random()) < 0.1
        vis = 20.0 - 1.5 * node.sea_state
        if node.fog:
            vis *= 0.3
        if node.precipitation == "storm":
            vis *= 0.5
        node.visibility_km = round(max(0.5, vis), 3)
