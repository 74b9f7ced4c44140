"""Pure-Python setup shared by the RL wrappers: env ids, packages, seeds.

Nothing here loads the native library, so spaces and configs can be built
before the Go runtime starts.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from tidebreak import scenarios
from tidebreak.engine import layout

Scenario = str | dict[str, Any] | None
"""A scenario name, or a BattlePackage dict for a custom battle."""

__all__ = [
    "ENV_IDS",
    "AGENT_SHIPS",
    "SEEDINGS",
    "available_ids",
    "scenario_for",
    "build_package",
    "episode_steps",
    "max_episode_steps",
    "check_max_tracks",
    "native_seed",
    "env_seeds",
    "native_seeds",
]

ENV_IDS: dict[str, str | None] = {
    "Tidebreak/Duel-v0": "duel",
    "Tidebreak/GunDuel-v0": "gun_duel",
    "Tidebreak/SubDuel-v0": "sub_duel",
    "Tidebreak/Fleet4v4-v0": "fleet_4v4",
    "Tidebreak/Fleet16v16-v0": "fleet_16v16",
    "Tidebreak/Convoy-v0": "convoy",
    "Tidebreak/Curriculum-v0": None,  # scenario stage{stage}, stage=1..6
}
"""Registered Gymnasium ids and the scenario each plays (None: chosen by ``stage``)."""

AGENT_SHIPS: dict[str, str] = {
    "Tidebreak/Convoy-v0": "escort-1",  # the freighters listed first carry no weapons
}
"""Agent ship of the ids that do not use the default (the first ship of the first team)."""

NUM_STAGES = 6

SEEDINGS = ("offset", "sequence")
"""How a vector env seeds its envs from ``reset(seed=s)``: "offset" gives env
``i`` the seed ``s + i`` (Gymnasium's ``SyncVectorEnv`` and SB3's
convention), "sequence" the ``i``-th of ``SeedSequence(s).generate_state``."""

# Controller given to a teammate or opponent whose scenario file says "agent"
# when only one ship is driven from Python.
_FALLBACK_CONTROLLER = "patrol"


def scenario_for(scenario: Scenario = None, stage: int | None = None) -> str | dict[str, Any]:
    """The scenario name for a ``scenario=``/``stage=`` pair (stage wins when given)."""
    if stage is not None:
        stage = int(stage)
        if not 1 <= stage <= NUM_STAGES:
            raise ValueError(f"stage must be within [1, {NUM_STAGES}] (got {stage})")
        return f"stage{stage}"
    if scenario is None:
        return "stage1"
    return scenario


def available_ids() -> list[str]:
    """Registered ids whose scenario files ship with this install."""
    have = set(scenarios.names())
    return [i for i, s in ENV_IDS.items() if scenario_for(s) in have]


def scenario_name(scenario: Scenario) -> str:
    """A scenario's name (a package's ``battle_id``)."""
    if isinstance(scenario, dict):
        return str(scenario.get("battle_id", "custom"))
    return str(scenario)


def build_package(
    scenario: str | dict[str, Any],
    *,
    agent_ship: str | None = None,
    opponent: str | None = None,
    all_agents: bool = False,
    strict: bool = True,
) -> tuple[dict[str, Any], list[str]]:
    """Load ``scenario`` (a name, or a package dict that is copied) with its
    controllers set for RL.

    Single-agent (default): ``agent_ship`` (default: the first ship of the
    first team) becomes the only "agent"; ships of other teams get
    ``opponent`` when given. With ``all_agents`` every ship is an agent.
    Returns the package and the agent ship ids, in the library's agent order.
    A package dict is checked with the contract first (this loads the
    library); ``strict=False`` drops its unknown keys with an
    ``UnknownFieldWarning`` instead of refusing them.
    """
    if isinstance(scenario, dict):
        if strict:
            _check_package(scenario)
            pkg = copy.deepcopy(scenario)
        else:
            from tidebreak.contracts import validate_package

            pkg = validate_package(scenario, strict=False)
    else:
        pkg = scenarios.load(scenario)
    ships: list[dict[str, Any]] = pkg["ships"]
    ids = [s["ship_id"] for s in ships]
    if all_agents:
        for s in ships:
            s["controller"] = "agent"
        return pkg, ids
    if agent_ship is None:
        first_team = pkg["teams"][0]["team_id"] if pkg.get("teams") else ships[0]["team_id"]
        agent_ship = next((s["ship_id"] for s in ships if s["team_id"] == first_team), ids[0])
    if agent_ship not in ids:
        raise KeyError(f"scenario {scenario!r} has no ship {agent_ship!r}; ships: {', '.join(ids)}")
    team = next(s["team_id"] for s in ships if s["ship_id"] == agent_ship)
    for s in ships:
        if s["ship_id"] == agent_ship:
            s["controller"] = "agent"
        elif s["team_id"] != team and opponent is not None:
            s["controller"] = opponent
        elif s.get("controller") == "agent":
            s["controller"] = _FALLBACK_CONTROLLER
    return pkg, [agent_ship]


def _check_package(pkg: dict[str, Any]) -> None:
    """Raise the contract's error (naming every problem) for a package dict
    that is not a valid BattlePackage."""
    from tidebreak.contracts import parse_package

    parse_package(pkg)


def episode_steps(package: dict[str, Any]) -> int:
    """Steps in a full episode of ``package``: one per 1 s tick up to its
    ``time_limit_s`` (the arena truncates there).

    >>> episode_steps({"time_limit_s": 600}), episode_steps({"time_limit_s": 7.5})
    (600, 8)
    """
    limit = package.get("time_limit_s")
    if limit is None:
        from tidebreak.contracts import BattlePackage

        limit = BattlePackage.model_fields["time_limit_s"].default
    return math.ceil(float(limit))


def max_episode_steps(scenario: Scenario = None, stage: int | None = None) -> int:
    """The longest episode of a scenario, or of every curriculum stage when
    neither is given (``Tidebreak/Curriculum-v0`` switches between them)."""
    if scenario is None and stage is None:
        return max(episode_steps(scenarios.load(f"stage{n}")) for n in range(1, NUM_STAGES + 1))
    chosen = scenario_for(scenario, stage)
    return episode_steps(chosen if isinstance(chosen, dict) else scenarios.load(chosen))


def check_max_tracks(max_tracks: int) -> int:
    """``max_tracks`` if it is a whole number of track slots the arena takes,
    else a ValueError naming the range."""
    limit = layout.MAX_TRACKS_LIMIT
    if isinstance(max_tracks, bool) or not isinstance(max_tracks, (int, np.integer)):
        raise TypeError(f"max_tracks must be an int within [1, {limit}] (got {max_tracks!r})")
    if not 1 <= max_tracks <= limit:
        raise ValueError(f"max_tracks must be within [1, {limit}] (got {max_tracks})")
    return int(max_tracks)


def native_seed(seed: int) -> int:
    """The library seed (within [1, 2**64)) for a Gymnasium seed (any int ≥ 0).

    >>> native_seed(0) == native_seed(0) != native_seed(1)
    True
    """
    if seed < 0:
        raise ValueError(f"seed must be >= 0 (got {seed})")
    value = int(np.random.SeedSequence(seed).generate_state(1, np.uint64)[0])
    return value or 1


def env_seeds(seed: int, num_envs: int, seeding: str = "offset") -> list[int]:
    """Per-env Gymnasium seeds for a vector env reset with ``seed``.

    Env ``i`` of a vector env reset with ``seed`` plays exactly like a single
    env reset with ``env_seeds(seed, num_envs, seeding)[i]``. "offset" (the
    default) is ``seed + i``, as Gymnasium's ``SyncVectorEnv`` does;
    "sequence" draws them from ``numpy.random.SeedSequence(seed)``, so that
    nearby seeds give unrelated sets.

    >>> env_seeds(5, 3)
    [5, 6, 7]
    >>> len(set(env_seeds(5, 3, "sequence")))
    3
    """
    if seed < 0:
        raise ValueError(f"seed must be >= 0 (got {seed})")
    if seeding == "offset":
        return [seed + i for i in range(num_envs)]
    if seeding == "sequence":
        return [int(s) for s in np.random.SeedSequence(seed).generate_state(num_envs, np.uint64)]
    raise ValueError(f"seeding must be one of {SEEDINGS} (got {seeding!r})")


def native_seeds(
    seed: int | Sequence[int | None] | None, num_envs: int, seeding: str = "offset"
) -> np.ndarray[Any, np.dtype[np.uint64]]:
    """Library seeds for a vector reset: 0 continues an env's seed sequence."""
    out = np.zeros(num_envs, np.uint64)
    if seed is None:
        return out
    if isinstance(seed, (int, np.integer)):
        per_env: Sequence[int | None] = env_seeds(int(seed), num_envs, seeding)
    else:
        per_env = list(seed)
        if len(per_env) != num_envs:
            raise ValueError(f"got {len(per_env)} seeds for {num_envs} envs")
    for i, s in enumerate(per_env):
        out[i] = 0 if s is None else native_seed(int(s))
    return out


class ScenarioSelection:
    """What the single and vector envs share: which scenario (or curriculum
    stage) they run, the package built for it, and the native env behind it.

    Subclasses set ``opponent``, ``_agent_ship_arg`` and ``_native`` (None
    until the first reset) before calling :meth:`_configure`.
    """

    opponent: str | None
    _agent_ship_arg: str | None
    _native: Any
    _started: bool  # reset() was called on the current native env

    def _configure(self, scenario: Scenario, stage: int | None) -> None:
        self.stage = stage
        self.scenario = scenario_for(scenario, stage)
        self.package, agents = build_package(
            self.scenario,
            agent_ship=self._agent_ship_arg,
            opponent=self.opponent,
            strict=getattr(self, "strict", True),
        )
        self.agent_ship = agents[0]

    def set_stage(self, stage: int) -> None:
        """Switch to curriculum stage ``stage`` (scenario ``stage{n}``); takes effect at the next reset."""
        self._close_native()
        self._configure(None, stage)

    def _close_native(self) -> None:
        self._started = False
        if self._native is not None:
            self._native.close()
            self._native = None
