"""``StrategicEnv``: a Gymnasium environment for the macro agent.

The agent runs one faction (default ``accord``); every other faction is played
by the scripted faction AI. One step is one campaign day: the agent's action is
tried first in that day's faction-AI phase (it fails harmlessly if unavailable
or unaffordable — see ``info["action_mask"]`` / :meth:`action_masks`), then
the rest of the day runs as usual. Actions are the AP action set of
:data:`tidebreak.strategic.faction_ai.ACTION_NAMES` (``wait``, policy actions,
treaty proposals, and mission assignment: raid, invasion, hunt, guard_capital).

Observation (float32, all in [−1, 1]): stockpiles of the five resources
(log-scaled), days of supply of food, water and fuel (/100, capped), effective
morale, mean and minimum legitimacy, AP / cap, strength share, enemy/own
strength (capped at 1), share of arcologies held, day / max_days, then per
other faction: disposition and an at-war flag.

Reward: change in (share of arcologies + 0.5 × strength share) per day, +1 on
winning, −1 on defeat.

>>> env = StrategicEnv(max_days=5)
>>> obs, info = env.reset(seed=1)
>>> obs.shape == env.observation_space.shape
True
>>> _ = env.step(0)
"""

from __future__ import annotations

import math
from typing import Any

import gymnasium as gym
import numpy as np
from numpy.typing import NDArray

from .autoresolve import make_resolver
from .campaign import tick
from .economy import faction_needs, faction_stock
from .faction_ai import ACTION_NAMES, available
from .forces import enemy_strength, faction_strength, strength_share
from .morale import effective_morale
from .scenario import DEFAULT_SCENARIO, build_world, load_scenario
from .world import RESOURCES, World


class StrategicEnv(gym.Env[NDArray[np.float32], np.int64]):
    metadata = {"render_modes": ["ansi"], "render_fps": 1}

    def __init__(
        self,
        scenario: str = DEFAULT_SCENARIO,
        faction: str = "accord",
        max_days: int = 365,
        resolver: str = "auto",
        render_mode: str | None = None,
    ) -> None:
        self.scenario = load_scenario(scenario)
        self.faction = faction
        self.max_days = max_days
        self.resolver = make_resolver(resolver)
        self.render_mode = render_mode
        self.others = sorted(f["id"] for f in self.scenario["factions"] if f["id"] != faction)
        if faction not in {f["id"] for f in self.scenario["factions"]}:
            raise ValueError(f"unknown faction {faction!r}")
        self.n_obs = len(RESOURCES) + 3 + 4 + 4 + 1 + 2 * len(self.others)
        self.observation_space = gym.spaces.Box(-1.0, 1.0, shape=(self.n_obs,), dtype=np.float32)
        self.action_space = gym.spaces.Discrete(len(ACTION_NAMES))
        self.world: World | None = None
        self._last_value = 0.0

    # ------------------------------------------------------------------ helpers
    def _w(self) -> World:
        if self.world is None:
            raise RuntimeError("call reset() first")
        return self.world

    def _value(self) -> float:
        w = self._w()
        total = len(w.arcologies) or 1
        return len(w.faction_arcologies(self.faction)) / total + 0.5 * strength_share(w, self.faction)

    def _obs(self) -> NDArray[np.float32]:
        w = self._w()
        f = w.factions[self.faction]
        stock = faction_stock(w, self.faction)
        need = faction_needs(w, self.faction)
        arcs = w.faction_arcologies(self.faction)
        vals: list[float] = [min(1.0, math.log1p(stock.get(r, 0) / 1000.0) / 12.0) for r in RESOURCES]
        for r in ("food", "water", "fuel"):
            vals.append(min(1.0, stock.get(r, 0) / need[r] / 100.0) if need[r] > 0 else 1.0)
        legit = [a.legitimacy for a in arcs] or [0.0]
        own = faction_strength(w, self.faction)
        vals += [
            effective_morale(f),
            sum(legit) / len(legit),
            min(legit),
            f.ap / f.ap_cap if f.ap_cap else 0.0,
        ]
        vals += [
            strength_share(w, self.faction),
            min(1.0, enemy_strength(w, self.faction) / (own + 1.0)),
            len(arcs) / max(1, len(w.arcologies)),
            min(1.0, w.day / self.max_days),
        ]
        vals.append(1.0 if f.defeated else 0.0)
        for o in self.others:
            vals += [w.disposition(self.faction, o), 1.0 if w.at_war(self.faction, o) else 0.0]
        return np.clip(np.asarray(vals, dtype=np.float32), -1.0, 1.0)

    def action_masks(self) -> NDArray[np.int8]:
        w = self._w()
        f = w.factions[self.faction]
        return np.asarray(
            [
                1
                if (
                    n == "wait"
                    or (available(w, self.faction, n) is not None and f.ap >= w.tuning.actions[n].ap)
                )
                else 0
                for n in ACTION_NAMES
            ],
            dtype=np.int8,
        )

    def _info(self, taken: bool = False, battles: int = 0) -> dict[str, Any]:
        w = self._w()
        return {
            "day": w.day,
            "action_mask": self.action_masks(),
            "action_taken": taken,
            "battles": battles,
            "winner": w.winner,
        }

    # ------------------------------------------------------------------ gym API
    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[NDArray[np.float32], dict[str, Any]]:
        super().reset(seed=seed)
        world_seed = int(self.np_random.integers(0, 2**31 - 1))
        self.world = build_world(self.scenario, seed=world_seed, overrides={"day_limit": self.max_days})
        self.world.factions[self.faction].scripted = False
        self._last_value = self._value()
        return self._obs(), self._info()

    def step(self, action: np.int64 | int) -> tuple[NDArray[np.float32], float, bool, bool, dict[str, Any]]:
        w = self._w()
        name = ACTION_NAMES[int(action)]
        rep = tick(w, self.resolver, agent=(self.faction, name))
        value = self._value()
        reward = value - self._last_value
        self._last_value = value
        terminated = w.factions[self.faction].defeated or (w.finished and w.winner is not None)
        if terminated:
            reward += (
                1.0
                if w.winner == self.faction
                else -1.0
                if w.winner is not None or w.factions[self.faction].defeated
                else 0.0
            )
        truncated = not terminated and (w.day >= self.max_days or w.finished)
        return (
            self._obs(),
            float(reward),
            bool(terminated),
            bool(truncated),
            self._info(rep.agent_action_taken, len(rep.battles)),
        )

    def render(self) -> Any:
        """The day's line for ``render_mode="ansi"`` (a str), else None."""
        if self.render_mode != "ansi" or self.world is None:
            return None
        w = self.world
        f = w.factions[self.faction]
        return (
            f"day {w.day} {f.name}: morale {effective_morale(f):.2f} AP {f.ap:.1f} "
            f"arcologies {len(w.faction_arcologies(self.faction))} ships "
            f"{sum(len(fl.ship_ids) for fl in w.faction_fleets(self.faction))}"
        )
