"""A league: round-robin battles between scripted controllers (and saved
policies), rated with a Bradley–Terry model on the Elo scale.

Every pairing of players plays the same seeds on each scenario, both ways
round (each player once on each team). A battle won scores 1, a draw ½, a
loss 0. The ratings are the maximum-likelihood Bradley–Terry strengths of
those scores, ``400·log10`` of them (so 400 points apart is 10:1 odds, as
in Elo), with the mean of each scenario's ladder at 1500; the interval
beside each rating is a 95 % bootstrap interval: every pairing's games
resampled (with the prior's virtual draw counted as half a win and half a
loss) and the model fitted again, 2.5–97.5 % of the refits.

Why Bradley–Terry and not TrueSkill or OpenSkill: a league is a fixed batch
of results, not a stream. The maximum-likelihood fit uses every game at
once and does not depend on the order they were played in (the online
filters of TrueSkill/OpenSkill do), and the bootstrap gives a sampling
interval for exactly these games (their σ is a belief that shrinks with the
number of updates). It needs numpy only. Each pairing also holds one
virtual draw, a weak prior that keeps a player who lost every game at a
finite rating; counting that virtual draw in the resampling too keeps such
a player's interval from collapsing to a point.

Where the two teams of a scenario differ (the duel's corvette and
submarine, the convoy and its raiders), a controller is rated once per side
— "expert (corvette)" and "expert (submarine)" are different players — and
every game pits a player of one side against one of the other, so the two
sides share one scale: the difference of two ratings predicts the score of
that corvette controller against that submarine controller. Where the
teams are alike, a player has one rating from both seats.

A policy (a callable ``policy(obs)`` or ``policy(obs, masks)``, an SB3
model, or a file that :func:`load_policy` reads) plays its own seat of its
own scenario against every scripted controller on the other team, through
the vector env, on the same seeds; its team-mates keep the scenario's
controllers.

>>> from tidebreak.rl import league
>>> result = league.play(["idle", "aggressive"], scenarios=["gun_duel"], seeds=3,
...                      backend="serial", progress=False, bootstrap=20)
>>> [r.player for r in result.ladder("gun_duel")]
['aggressive', 'idle']
>>> p = result.pairing("gun_duel", "aggressive", "idle")
>>> p.wins + p.losses + p.draws
3
"""

from __future__ import annotations

import importlib
import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "Player",
    "Pairing",
    "Rating",
    "LeagueResult",
    "play",
    "bradley_terry",
    "load_policy",
    "as_player",
    "CONTROLLERS",
    "SCENARIOS",
    "DOC_SEEDS",
    "DOC_COMMAND",
    "balance_markdown",
    "scenario_sides",
    "add_league_parser",
]

#: The scripted controllers a league plays by default, weakest first.
CONTROLLERS: tuple[str, ...] = ("idle", "random", "patrol", "aggressive", "stalker", "expert")
#: The scenarios a league plays by default.
SCENARIOS: tuple[str, ...] = ("duel", "gun_duel", "sub_duel", "fleet_4v4", "fleet_16v16", "convoy")
#: Seeds per pairing for docs/balance.md: 200 for the duels, fewer where a
#: battle of many ships costs seconds.
DOC_SEEDS: Mapping[str, int] = {
    "duel": 200,
    "gun_duel": 200,
    "sub_duel": 200,
    "fleet_4v4": 50,
    "fleet_16v16": 20,
    "convoy": 50,
}
_ELO = 400.0 / math.log(10.0)  # Elo points per natural-log unit of strength
_MEAN = 1500.0
_MAX_SEEDS = 100_000
_MAX_BOOTSTRAP = 10_000


@dataclass(frozen=True)
class Player:
    """A contestant. A scripted one names a controller and plays every seat
    of every scenario; a policy plays ``agent_ship`` of ``scenario`` (its own
    env's, by default) with ``env_kwargs`` (e.g. ``action_mode``)."""

    name: str
    controller: str | None = None
    policy: Any = field(default=None, compare=False, repr=False)
    scenario: str | None = None
    agent_ship: str | None = None
    env_kwargs: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def scripted(self) -> bool:
        """Whether the player is a scripted controller."""
        return self.controller is not None


@dataclass
class Pairing:
    """The battles of one pairing on one scenario, from the first team's side."""

    scenario: str
    blue: str
    red: str
    wins: int = 0
    losses: int = 0
    draws: int = 0
    length: float = 0.0  # mean battle length (s)

    @property
    def games(self) -> int:
        """Battles played."""
        return self.wins + self.losses + self.draws

    def rate(self, outcome: str) -> float:
        """The share of ``"wins"``, ``"losses"`` or ``"draws"``."""
        return float(getattr(self, outcome)) / max(self.games, 1)


@dataclass
class Rating:
    """One player's place on a scenario's ladder."""

    scenario: str
    player: str
    side: str | None  # the team it played (scenarios whose teams differ), else None
    rating: float
    low: float
    high: float
    games: int
    score: float  # share of points won (a draw counts ½)

    @property
    def label(self) -> str:
        """``player`` or ``player (side)``."""
        return self.player if self.side is None else f"{self.player} ({self.side})"


@dataclass
class LeagueResult:
    """Pairings and ratings of a league, per scenario."""

    scenarios: list[str]
    seeds: dict[str, int]
    sides: dict[str, list[str] | None]
    pairings: list[Pairing]
    ratings: list[Rating]
    bootstrap: int = 0

    def ladder(self, scenario: str, side: str | None = None) -> list[Rating]:
        """The ratings of ``scenario`` (of one side's players when ``side``
        is given), best first."""
        rows = [r for r in self.ratings if r.scenario == scenario and (side is None or r.side == side)]
        return sorted(rows, key=lambda r: (-r.rating, r.label))

    def pairing(self, scenario: str, blue: str, red: str) -> Pairing:
        """The pairing with ``blue`` on the first team and ``red`` on the second."""
        for p in self.pairings:
            if (p.scenario, p.blue, p.red) == (scenario, blue, red):
                return p
        raise KeyError(f"no pairing {blue} vs {red} in {scenario}")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "scenarios": self.scenarios,
            "seeds": self.seeds,
            "sides": self.sides,
            "bootstrap": self.bootstrap,
            "pairings": [asdict(p) for p in self.pairings],
            "ratings": [asdict(r) for r in self.ratings],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LeagueResult:
        """The inverse of :meth:`to_dict`."""
        return cls(
            scenarios=list(data["scenarios"]),
            seeds=dict(data["seeds"]),
            sides=dict(data["sides"]),
            pairings=[Pairing(**p) for p in data["pairings"]],
            ratings=[Rating(**r) for r in data["ratings"]],
            bootstrap=int(data.get("bootstrap", 0)),
        )

    def rate(self, bootstrap: int = 500, seed: int = 0) -> None:
        """Fit the ratings (and their intervals, from ``bootstrap``
        resamples drawn with ``seed``) to the pairings again."""
        if not 0 <= bootstrap <= _MAX_BOOTSTRAP:
            raise ValueError(f"bootstrap must be within [0, {_MAX_BOOTSTRAP}] (got {bootstrap})")
        names: list[str] = []
        for p in self.pairings:
            for n in (p.blue, p.red):
                if n not in names:
                    names.append(n)
        rng = np.random.default_rng(seed)
        self.ratings = []
        for sc in self.scenarios:
            mine = [p for p in self.pairings if p.scenario == sc]
            self.ratings += _fit_scenario(sc, mine, self.sides[sc], names, bootstrap, rng)
        self.bootstrap = bootstrap

    def markdown(self, scenario: str) -> str:
        """The ladder(s) and the pairing table of one scenario, as Markdown."""
        return _scenario_markdown(self, scenario)


# --------------------------------------------------------------------------- players


def load_policy(path: str | os.PathLike[str]) -> Any:
    """Load a saved policy for the league: a file ``tidebreak train`` wrote
    (read by ``tidebreak.rl.policy.load_policy``), or a Stable-Baselines3
    ``.zip`` model (needs the ``sb3`` extra).
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such policy file")
    if p.suffix == ".zip":
        try:
            sb3 = importlib.import_module("stable_baselines3")
        except ImportError as e:
            raise ValueError(
                f"{p}: loading an SB3 model needs the sb3 extra (pip install 'tidebreak[sb3]')"
            ) from e
        try:
            contrib = importlib.import_module("sb3_contrib")
            return contrib.MaskablePPO.load(str(p))
        except (ImportError, ValueError, KeyError, RuntimeError):
            return sb3.PPO.load(str(p))
    try:
        module = importlib.import_module("tidebreak.rl.policy")
    except ImportError as e:
        raise ValueError(
            f"{p}: this install has no saved-policy format (tidebreak.rl.policy); "
            "give the league a policy object or callable instead"
        ) from e
    return module.load_policy(p)


def _policy_scenario(policy: Any) -> tuple[str | None, str | None, dict[str, Any]]:
    """(scenario, agent_ship, other env kwargs) that a policy says it was made for."""
    kwargs = dict(getattr(policy, "env_kwargs", None) or {})
    scenario = kwargs.pop("scenario", None)
    env_id = getattr(policy, "env_id", None)
    if scenario is None and isinstance(env_id, str):
        import gymnasium

        import tidebreak.gym  # noqa: F401 - registers the ids

        spec = gymnasium.spec(env_id)
        scenario = {**spec.kwargs, **kwargs}.get("scenario")
        kwargs = {k: v for k, v in {**spec.kwargs, **kwargs}.items() if k != "scenario"}
    agent_ship = kwargs.pop("agent_ship", None)
    kwargs.pop("opponent", None)
    return (scenario if isinstance(scenario, str) else None), agent_ship, kwargs


def as_player(item: Any, name: str | None = None) -> Player:
    """A :class:`Player` from a controller name, a policy file path, a policy
    object (anything :func:`tidebreak.evaluate` plays), or a Player."""
    from tidebreak.rl.evaluation import SCRIPTED_CONTROLLERS

    if isinstance(item, Player):
        return item
    if isinstance(item, str) and item in SCRIPTED_CONTROLLERS:
        return Player(name or item, controller=item)
    if isinstance(item, (str, os.PathLike)):
        path = Path(item)
        if not path.exists():
            raise ValueError(
                f"{item!r} is neither a scripted controller ({', '.join(SCRIPTED_CONTROLLERS)}) "
                "nor a policy file"
            )
        item = load_policy(path)
        name = name or path.stem
    if not (callable(item) or hasattr(item, "predict")):
        raise TypeError(
            f"cannot play {type(item).__name__}: want a controller name, a policy or a policy file"
        )
    scenario, ship, kwargs = _policy_scenario(item)
    return Player(
        name or f"policy:{type(item).__name__}",
        policy=item,
        scenario=scenario,
        agent_ship=ship,
        env_kwargs=kwargs,
    )


# --------------------------------------------------------------------------- sides


def _composition(ships: Iterable[Mapping[str, Any]]) -> list[str]:
    """A team's ships as comparable descriptions (class, hull, kit)."""
    out = []
    for s in ships:
        kit = {
            "class": s.get("class"),
            "hull": s.get("hull"),
            "caps": s.get("capabilities"),
            "sensors": s.get("sensors"),
            "weapons": s.get("weapons"),
        }
        out.append(json.dumps(kit, sort_keys=True))
    return sorted(out)


def _team_label(ships: Sequence[Mapping[str, Any]], team_id: str) -> str:
    """``corvette``, or ``4 freighter, 2 escort`` for a team of several ships."""
    if len(ships) == 1:
        return str(ships[0]["ship_id"])
    counts: dict[str, int] = {}
    for s in ships:
        base = re.sub(r"[-_]?\d+$", "", str(s["ship_id"])) or team_id
        counts[base] = counts.get(base, 0) + 1
    return ", ".join(f"{n} {b}" if n > 1 else b for b, n in counts.items())


def scenario_sides(name: str) -> tuple[list[str], list[str] | None]:
    """A scenario's two team ids and, when the teams differ, their labels
    (None when they are alike)."""
    from tidebreak import scenarios

    pkg = scenarios.load(name)
    teams = [t["team_id"] for t in pkg["teams"]]
    if len(teams) != 2:
        raise ValueError(f"scenario {name!r} has {len(teams)} teams; a league needs two")
    ships = [[s for s in pkg["ships"] if s["team_id"] == t] for t in teams]
    if _composition(ships[0]) == _composition(ships[1]):
        return teams, None
    return teams, [_team_label(ships[k], teams[k]) for k in range(2)]


# --------------------------------------------------------------------------- battles (run in workers)


def play_scripted(scenario: str, blue: str, red: str, seeds: Sequence[int]) -> list[tuple[int, float]]:
    """Play ``scenario`` with every ship of the first team under controller
    ``blue`` and every other ship under ``red``, once per (Gymnasium) seed.

    Returns (outcome, length) per seed: outcome 1 the first team won, -1 it
    lost, 0 a draw. The battles run without a replay record.
    """
    from tidebreak import scenarios
    from tidebreak.engine.simulation import simulate_json
    from tidebreak.gym.config import native_seed

    pkg = scenarios.load(scenario)
    first = pkg["teams"][0]["team_id"]
    for s in pkg["ships"]:
        s["controller"] = blue if s["team_id"] == first else red
    out = []
    for seed in seeds:
        pkg["seed"] = native_seed(int(seed))
        result = json.loads(simulate_json(json.dumps({"package": pkg, "record": False})))
        winner = result.get("winner_team_id")
        outcome = 0 if winner is None else (1 if winner == first else -1)
        out.append((outcome, float(result["duration_s"])))
    return out


def play_policy(
    policy_blob: bytes,
    scenario: str,
    agent_ship: str | None,
    opponent: str,
    seeds: Sequence[int],
    kwargs: dict[str, Any],
) -> list[tuple[int, float]]:
    """Play a policy in its seat of ``scenario`` against ``opponent`` on every
    ship of the other team, once per seed; (outcome, length) per seed with
    the outcome from the policy's side (1 win, -1 loss, 0 draw)."""
    import pickle

    from tidebreak.rl.evaluation import play_episodes, policy_fn

    policy = pickle.loads(policy_blob)
    env = {**kwargs, "scenario": scenario, "agent_ship": agent_ship, "opponent": opponent}
    r = play_episodes(policy_fn(policy, True), [int(s) for s in seeds], len(seeds), env)
    codes = {"win": 1, "loss": -1, "draw": 0}
    return [(codes[str(o)], float(n)) for o, n in zip(r["outcome"], r["lengths"])]


def _run_task(task: dict[str, Any]) -> dict[str, Any]:
    """One task: a chunk of seeds of one pairing (run in a worker)."""
    if task["kind"] == "scripted":
        games = play_scripted(task["scenario"], task["blue"], task["red"], task["seeds"])
    else:
        games = play_policy(
            task["policy"],
            task["scenario"],
            task["agent_ship"],
            task["opponent"],
            task["seeds"],
            task["kwargs"],
        )
        if task["flip"]:  # the policy sits on the second team: report from the first team's side
            games = [(-o, n) for o, n in games]
    return {"key": task["key"], "games": games}


# --------------------------------------------------------------------------- ratings


def bradley_terry(
    n_players: int,
    games: Sequence[tuple[int, int, float, int]],
    *,
    prior_draws: float = 1.0,
    iterations: int = 10_000,
    tol: float = 1e-10,
) -> npt.NDArray[np.float64]:
    """Bradley–Terry strengths on the Elo scale (mean 0) from
    ``(i, j, score_i, games)`` tuples: player ``i`` scored ``score_i`` points
    (a draw is ½) in ``games`` games against ``j``.

    Each pair that met also gets ``prior_draws`` virtual draws, so a player
    who lost every game has a finite rating. Fitted by the minorisation–
    maximisation iteration (Hunter 2004), which needs no step size.

    >>> r = bradley_terry(2, [(0, 1, 75.0, 100)], prior_draws=0)
    >>> round(float(r[0] - r[1]), 1)   # 3:1 odds = 400·log10(3)
    190.8
    """
    wins = np.zeros(n_players)
    count = np.zeros((n_players, n_players))
    for i, j, score, n in games:
        if i == j or n <= 0:
            continue
        wins[i] += score
        wins[j] += n - score
        count[i, j] += n
        count[j, i] += n
    met = count > 0
    count = count + prior_draws * met
    wins = wins + 0.5 * prior_draws * met.sum(axis=1)
    active = count.sum(axis=1) > 0
    gamma = np.ones(n_players)
    for _ in range(iterations):
        denom = (count / (gamma[:, None] + gamma[None, :])).sum(axis=1)
        new = np.where(active, wins / np.where(denom > 0, denom, 1.0), 1.0)
        new = np.maximum(new, 1e-300)
        new /= math.exp(float(np.mean(np.log(new[active])))) if active.any() else 1.0
        done = float(np.max(np.abs(np.log(new) - np.log(gamma)))) < tol
        gamma = new
        if done:
            break
    ratings = _ELO * np.log(gamma)
    if active.any():
        ratings -= ratings[active].mean()
    ratings[~active] = 0.0  # never played: no information
    return np.asarray(ratings, np.float64)


def _fit_scenario(
    scenario: str,
    pairings: list[Pairing],
    sides: list[str] | None,
    players: list[str],
    bootstrap: int,
    rng: np.random.Generator,
) -> list[Rating]:
    """Ratings of one scenario's players (per side where the teams differ)."""
    nodes: list[tuple[str, int | None]] = []
    for name in players:
        for side in (0, 1) if sides is not None else (None,):
            nodes.append((name, side))
    index = {n: k for k, n in enumerate(nodes)}
    rows: list[tuple[int, int, npt.NDArray[np.int64]]] = []  # (node a, node b, [wins, draws, losses])
    for p in pairings:
        a = index.get((p.blue, 0 if sides is not None else None))
        b = index.get((p.red, 1 if sides is not None else None))
        if a is None or b is None or a == b or p.games == 0:
            continue
        rows.append((a, b, np.array([p.wins, p.draws, p.losses], np.int64)))
    used = sorted({k for a, b, _ in rows for k in (a, b)})
    if not used:
        return []

    def fit(counts: Sequence[npt.NDArray[np.int64]]) -> npt.NDArray[np.float64]:
        games = [(a, b, float(c[0]) + 0.5 * float(c[1]), int(c.sum())) for (a, b, _), c in zip(rows, counts)]
        return bradley_terry(len(nodes), games)

    point = fit([c for _, _, c in rows])
    # Bootstrap: each pairing's games resampled from its own results, with
    # the prior's virtual draw added as half a win and half a loss, so that a
    # perfect record (which plain resampling would repeat every time) still
    # varies a little; the interval is the 2.5-97.5 % range of the refits.
    probs = [(c + np.array([0.5, 0.0, 0.5])) / (c.sum() + 1.0) for _, _, c in rows]
    draws = []
    for _ in range(bootstrap):
        sample = [rng.multinomial(int(c.sum()), pr) for (_, _, c), pr in zip(rows, probs)]
        draws.append(fit(sample))
    boot = np.array(draws) if draws else point[None, :]
    q_low, q_high = np.percentile(boot, [2.5, 97.5], axis=0)
    low, high = np.minimum(q_low, point), np.maximum(q_high, point)
    points = np.zeros(len(nodes))
    games = np.zeros(len(nodes), np.int64)
    for a, b, c in rows:
        games[a] += c.sum()
        games[b] += c.sum()
        points[a] += c[0] + 0.5 * c[1]
        points[b] += c[2] + 0.5 * c[1]
    out = []
    for k in used:
        name, side = nodes[k]
        out.append(
            Rating(
                scenario=scenario,
                player=name,
                side=None if side is None or sides is None else sides[side],
                rating=round(_MEAN + float(point[k]), 1),
                low=round(_MEAN + float(low[k]), 1),
                high=round(_MEAN + float(high[k]), 1),
                games=int(games[k]),
                score=round(float(points[k]) / max(int(games[k]), 1), 4),
            )
        )
    return out


# --------------------------------------------------------------------------- the league


def _chunk(n: int, workers: int) -> int:
    return max(1, min(25, math.ceil(n / max(1, 2 * workers))))


def play(
    players: Iterable[Any] = CONTROLLERS,
    scenarios: Iterable[str] = SCENARIOS,
    seeds: int | Mapping[str, int] = 200,
    *,
    backend: str = "local",
    workers: int | None = None,
    bootstrap: int = 500,
    bootstrap_seed: int = 0,
    progress: bool = True,
    **distributed: Any,
) -> LeagueResult:
    """Play a round-robin league and rate the players.

    ``players`` are controller names, policies, policy files or
    :class:`Player` objects. Every two scripted players meet on every
    scenario, each on each team, on the Gymnasium seeds ``1..seeds`` (or
    ``seeds[scenario]``); a policy meets every scripted controller from its
    seat. ``backend`` is ``"local"`` (a process pool of ``workers``),
    ``"ray"`` or ``"serial"`` (see :func:`tidebreak.distributed.run_tasks`;
    ``distributed`` passes on e.g. ``ray_address``). ``bootstrap`` resamples
    give each rating's interval. Battles run without replay records; the
    result depends only on the players, scenarios and seeds.
    """
    from tidebreak import scenarios as shipped
    from tidebreak.distributed import default_workers, dumps_callable, progress_bar, run_tasks

    roster = [as_player(p) for p in players]
    names = [p.name for p in roster]
    if len(set(names)) != len(names):
        raise ValueError(f"player names must be unique (got {names})")
    if len(roster) < 2:
        raise ValueError("a league needs at least two players")
    scenario_list = list(scenarios)
    unknown = sorted(set(scenario_list) - set(shipped.names()))
    if unknown:
        raise ValueError(f"unknown scenarios {unknown}; shipped: {', '.join(shipped.names())}")
    if not 0 <= bootstrap <= _MAX_BOOTSTRAP:
        raise ValueError(f"bootstrap must be within [0, {_MAX_BOOTSTRAP}] (got {bootstrap})")
    per: dict[str, int] = {}
    for sc in scenario_list:
        n = seeds.get(sc, 0) if isinstance(seeds, Mapping) else seeds
        if not 1 <= int(n) <= _MAX_SEEDS:
            raise ValueError(f"seeds for {sc} must be within [1, {_MAX_SEEDS}] (got {n})")
        per[sc] = int(n)
    workers = workers or default_workers()

    sides: dict[str, list[str] | None] = {}
    pairings: dict[tuple[str, str, str], Pairing] = {}
    tasks: list[dict[str, Any]] = []
    blobs: dict[str, bytes] = {}
    scripted = [p for p in roster if p.scripted]
    for sc in scenario_list:
        teams, labels = scenario_sides(sc)
        sides[sc] = labels
        seed_list = list(range(1, per[sc] + 1))
        size = _chunk(len(seed_list), workers)
        for a in scripted:
            for b in scripted:
                key = (sc, a.name, b.name)
                pairings[key] = Pairing(sc, a.name, b.name)
                for k in range(0, len(seed_list), size):
                    tasks.append(
                        {
                            "kind": "scripted",
                            "key": key,
                            "scenario": sc,
                            "blue": a.controller,
                            "red": b.controller,
                            "seeds": seed_list[k : k + size],
                        }
                    )
        for pol in (p for p in roster if not p.scripted):
            if (pol.scenario or "duel") != sc:
                continue
            seat = _seat(sc, pol.agent_ship)
            if pol.name not in blobs:
                blobs[pol.name] = dumps_callable(pol.policy)
            for opp in scripted:
                key = (sc, pol.name, opp.name) if seat == 0 else (sc, opp.name, pol.name)
                pairings[key] = Pairing(sc, key[1], key[2])
                for k in range(0, len(seed_list), size):
                    tasks.append(
                        {
                            "kind": "policy",
                            "key": key,
                            "scenario": sc,
                            "policy": blobs[pol.name],
                            "agent_ship": pol.agent_ship,
                            "opponent": opp.controller,
                            "kwargs": dict(pol.env_kwargs),
                            "flip": seat == 1,
                            "seeds": seed_list[k : k + size],
                        }
                    )
    lengths: dict[tuple[str, str, str], float] = {k: 0.0 for k in pairings}
    bar = progress_bar(len(tasks), progress, f"league ({backend})")
    try:
        for _, ok, value in run_tasks(
            _run_task, [(t,) for t in tasks], backend, workers=workers, **distributed
        ):
            if not ok:
                raise RuntimeError(f"a league task failed: {value}") from value
            key = (str(value["key"][0]), str(value["key"][1]), str(value["key"][2]))
            p = pairings[key]
            for outcome, length in value["games"]:
                if outcome > 0:
                    p.wins += 1
                elif outcome < 0:
                    p.losses += 1
                else:
                    p.draws += 1
                lengths[key] += length
            if bar is not None:
                bar.advance(bar.task_ids[0])
    finally:
        if bar is not None:
            bar.stop()
    for key, p in pairings.items():
        p.length = round(lengths[key] / max(p.games, 1), 1)
    ordered = sorted(pairings.values(), key=lambda p: (scenario_list.index(p.scenario), _rank(names, p)))
    result = LeagueResult(scenario_list, per, sides, ordered, [], bootstrap)
    result.rate(bootstrap, bootstrap_seed)
    return result


def _rank(names: list[str], p: Pairing) -> tuple[int, int]:
    return names.index(p.blue), names.index(p.red)


def _seat(scenario: str, agent_ship: str | None) -> int:
    """The team index (0 or 1) of a policy's ship."""
    from tidebreak import scenarios

    pkg = scenarios.load(scenario)
    teams = [t["team_id"] for t in pkg["teams"]]
    if agent_ship is None:
        return 0
    for s in pkg["ships"]:
        if s["ship_id"] == agent_ship:
            return teams.index(s["team_id"])
    raise ValueError(f"scenario {scenario!r} has no ship {agent_ship!r}")


# --------------------------------------------------------------------------- Markdown


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _ladder_table(rows: list[Rating]) -> list[str]:
    out = ["| rank | player | rating | 95 % interval | games | score |", "|---|---|---|---|---|---|"]
    for k, r in enumerate(rows, 1):
        out.append(
            f"| {k} | {r.label} | {r.rating:.0f} | {r.low:.0f} – {r.high:.0f} | {r.games} | {_pct(r.score)} |"
        )
    return out


def _scenario_markdown(result: LeagueResult, scenario: str) -> str:
    from tidebreak import scenarios

    pkg = scenarios.load(scenario)
    teams = [t["team_id"] for t in pkg["teams"]]
    labels = result.sides.get(scenario)
    who = (
        f"{teams[0]} ({labels[0]}) vs {teams[1]} ({labels[1]})"
        if labels
        else f"{teams[0]} vs {teams[1]}, alike"
    )
    lines = [f"## {scenario} ({who}; {result.seeds[scenario]} seeds per pairing)", ""]
    if labels:
        for side in labels:
            lines += [f"Ladder, {side}:", "", *_ladder_table(result.ladder(scenario, side)), ""]
        lines += ["One scale for both sides: the ladders above are one fit.", ""]
    else:
        lines += ["Ladder:", "", *_ladder_table(result.ladder(scenario)), ""]
    head = f"| {teams[0]} | {teams[1]} | win | loss | draw | mean length (s) |"
    lines += ["Pairings (win/loss from the first team's side):", "", head, "|---|---|---|---|---|---|"]
    for p in result.pairings:
        if p.scenario == scenario:
            lines.append(
                f"| {p.blue} | {p.red} | {_pct(p.rate('wins'))} | {_pct(p.rate('losses'))} | "
                f"{_pct(p.rate('draws'))} | {p.length:.0f} |"
            )
    lines.append("")
    return "\n".join(lines)


#: The command that writes docs/balance.md.
DOC_COMMAND = "tidebreak league --balance-doc docs/balance.md"


def _submarine_teams(scenario: str) -> list[int]:
    """Indices of the teams made only of submarines."""
    from tidebreak import scenarios

    pkg = scenarios.load(scenario)
    out = []
    for k, t in enumerate(pkg["teams"]):
        ships = [s for s in pkg["ships"] if s["team_id"] == t["team_id"]]
        if ships and all(s.get("capabilities", {}).get("can_submerge") for s in ships):
            out.append(k)
    return out


def _side(result: LeagueResult, scenario: str, k: int) -> str:
    labels = result.sides.get(scenario)
    return labels[k] if labels else ("first team", "second team")[k]


def _checks(result: LeagueResult) -> list[str]:
    """The ladder's promises (issue 15), checked against this league's
    pairings: Markdown table rows."""
    names = {p.blue for p in result.pairings}
    duels: list[str] = [s for s in ("duel", "gun_duel", "sub_duel") if s in result.scenarios]
    out: list[str] = []

    def wins_from(sc: str, a: str, b: str, seat: int) -> float:
        """a's win rate against b with a on team ``seat``."""
        return result.pairing(sc, a, b).rate("wins") if seat == 0 else result.pairing(sc, b, a).rate("losses")

    def line(sc: str, promise: str, rates: list[tuple[float, str]], need: float) -> str:
        shown = ", ".join(f"{_pct(r)} as {where}" for r, where in rates)
        met = "yes" if min(r for r, _ in rates) >= need else "**no**"
        return f"| {sc} | {promise} | {shown} | {met} |"

    for a, b, need in (
        ("aggressive", "idle", 0.85),
        ("aggressive", "random", 0.75),
        ("expert", "aggressive", 0.6),
    ):
        if {a, b} <= names:
            for sc in duels:
                rates = [(wins_from(sc, a, b, k), _side(result, sc, k)) for k in (0, 1)]
                out.append(line(sc, f"{a} beats {b} ≥ {_pct(need)}", rates, need))
    if {"stalker", "idle", "patrol"} <= names:
        for sc in duels:
            subs = _submarine_teams(sc)
            for b in ("idle", "patrol"):
                if subs:
                    rates = [(wins_from(sc, "stalker", b, k), _side(result, sc, k)) for k in subs]
                    out.append(line(sc, f"stalker (submarine) beats {b} ≥ 70%", rates, 0.7))
    fighters = [c for c in ("aggressive", "stalker", "expert") if c in names]
    for sc in result.scenarios:
        rows = [p for p in result.pairings if p.scenario == sc and {p.blue, p.red} <= set(fighters)]
        if rows:
            worst = max(rows, key=lambda p: p.rate("draws"))
            met = "yes" if worst.rate("draws") <= 0.25 else "**no**"
            out.append(
                f"| {sc} | draws ≤ 25% among {', '.join(fighters)} | most: {_pct(worst.rate('draws'))} "
                f"({worst.blue} vs {worst.red}) | {met} |"
            )
    return out


def balance_markdown(result: LeagueResult) -> str:
    """docs/balance.md: how it was made, the checks, and per scenario the
    ladder(s) and the pairing table."""
    seeds = ", ".join(f"{s} {n}" for s, n in result.seeds.items())
    lines = [
        "# Balance of the scripted controllers",
        "",
        f"Made with `{DOC_COMMAND}` (seeds per pairing: {seeds}; "
        f"{result.bootstrap} bootstrap resamples). Every ship of the first team runs the first",
        "controller, every ship of the second team the second; each pairing is played both ways round on",
        "the same seeds. Nothing in this file is written by hand: the command writes all of it.",
        "",
        "**Ratings** are Bradley–Terry strengths on the Elo scale (400 points = 10:1 odds; each",
        "ladder's mean is 1500) fitted to every battle of the scenario (win 1, draw ½, loss 0, one",
        "virtual draw per pairing as a prior). The interval is a 95 % bootstrap interval: each",
        "pairing's battles resampled (the virtual draw counted as half a win and half a loss) and",
        "the model fitted again. Where the teams differ (a corvette against a submarine, a convoy",
        "against raiders), each controller is rated once per side on one common scale, and a rating",
        "difference predicts that matchup's score. `tidebreak.rl.league` explains the choice of",
        "model; docs/rules.md describes the controllers.",
        "",
        "## Checks",
        "",
        "| scenario | promise | measured | met |",
        "|---|---|---|---|",
        *_checks(result),
        "",
    ]
    for sc in result.scenarios:
        lines.append(_scenario_markdown(result, sc))
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------- command line

EXAMPLES = f"""\
examples:
  tidebreak league --scenarios duel --seeds 50          # the six controllers in the duel
  tidebreak league --controllers aggressive,expert --policy corvette=runs/duel/policy.npz --scenarios duel
  tidebreak league --backend ray --address auto --seeds 1000 --json league.json
  {DOC_COMMAND}         # regenerate docs/balance.md (about 10 minutes on 2 cores)
  tidebreak league --from-json league.json --balance-doc docs/balance.md   # refit and render, no battles

Ratings are Bradley–Terry strengths on the Elo scale with 95 % bootstrap
intervals (see tidebreak.rl.league). Exit codes: 0 ok, 1 a battle failed,
2 bad usage or input (unknown controller, scenario or policy file).
"""


def _split(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def _cmd_league(args: Any) -> int:
    import sys

    def bad(msg: str) -> int:
        print(f"tidebreak league: {msg}", file=sys.stderr)
        return 2

    if args.from_json:
        try:
            result = LeagueResult.from_dict(json.loads(Path(args.from_json).read_text(encoding="utf-8")))
            result.rate(args.bootstrap)
        except (OSError, ValueError, KeyError, TypeError) as e:
            return bad(f"{args.from_json}: not a league result ({e})")
    else:
        players: list[Any] = _split(args.controllers)
        for spec in args.policy or []:
            name, _, path = spec.rpartition("=")
            try:
                players.append(as_player(path, name or None))
            except (OSError, ValueError, TypeError) as e:
                return bad(f"--policy {spec}: {e}")
        scenario_list = _split(args.scenarios)
        seeds: dict[str, int] = {}
        for sc in scenario_list:
            base = DOC_SEEDS.get(sc, 200) if args.balance_doc and args.seeds is None else (args.seeds or 200)
            seeds[sc] = base
        for spec in args.seeds_for or []:
            sc, _, n = spec.partition("=")
            if sc not in seeds or not n.isdigit():
                return bad(f"--seeds-for {spec}: want SCENARIO=N for one of {', '.join(seeds)}")
            seeds[sc] = int(n)
        distributed = {"ray_address": args.address} if args.address else {}
        try:
            result = play(
                players,
                scenario_list,
                seeds,
                backend=args.backend,
                workers=args.workers,
                bootstrap=args.bootstrap,
                progress=not args.no_progress,
                **distributed,
            )
        except (ValueError, TypeError, KeyError) as e:
            return bad(str(e))
        except RuntimeError as e:
            print(f"tidebreak league: {e}", file=sys.stderr)
            return 1
    if args.json:
        Path(args.json).write_text(json.dumps(result.to_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"results written to {args.json}", file=sys.stderr)
    if args.balance_doc:
        Path(args.balance_doc).write_text(balance_markdown(result), encoding="utf-8")
        print(f"balance document written to {args.balance_doc}", file=sys.stderr)
    if not args.quiet:
        for sc in result.scenarios:
            print(result.markdown(sc))
    return 0


def add_league_parser(subparsers: Any) -> Any:
    """Add the ``league`` command to the ``tidebreak`` command line."""
    import argparse

    from tidebreak.distributed import BACKENDS

    p = subparsers.add_parser(
        "league",
        help="play scripted controllers (and saved policies) round robin and rate them",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Round-robin battles over many seeds in parallel, and Bradley–Terry ratings on the\n"
        "Elo scale with bootstrap intervals, per scenario (and per side where the teams differ).",
        epilog=EXAMPLES,
    )
    p.add_argument(
        "--controllers",
        default=",".join(CONTROLLERS),
        help=f"comma-separated scripted controllers (default: {','.join(CONTROLLERS)})",
    )
    p.add_argument(
        "--policy",
        action="append",
        metavar="[NAME=]PATH",
        help="a saved policy to rate too (repeatable); it plays its own seat of its own scenario",
    )
    p.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help=f"comma-separated scenarios (default: {','.join(SCENARIOS)})",
    )
    p.add_argument(
        "--seeds", type=int, help="seeds per pairing (default: 200; with --balance-doc the documented mix)"
    )
    p.add_argument(
        "--seeds-for", action="append", metavar="SCENARIO=N", help="seeds for one scenario (repeatable)"
    )
    p.add_argument("--backend", choices=BACKENDS, default="local", help="where battles run (default: local)")
    p.add_argument("--workers", type=int, help="worker processes for the local backend (default: all CPUs)")
    p.add_argument("--address", help="Ray cluster address for --backend ray (e.g. auto)")
    p.add_argument(
        "--bootstrap", type=int, default=500, help="bootstrap resamples per scenario (default: 500)"
    )
    p.add_argument("--json", metavar="OUT", help="write every pairing and rating as JSON")
    p.add_argument(
        "--from-json",
        metavar="FILE",
        help="rate and render the pairings of a league written by --json instead of playing",
    )
    p.add_argument("--balance-doc", metavar="OUT", help="write the balance document (docs/balance.md)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("-q", "--quiet", action="store_true", help="print no tables")
    p.set_defaults(func=_cmd_league)
    return p
