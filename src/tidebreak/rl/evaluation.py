"""Evaluate a policy or a scripted controller on a Tidebreak env id.

>>> from tidebreak.rl.evaluation import evaluate
>>> report = evaluate("patrol", "Tidebreak/Duel-v0", episodes=2, seed=0, baselines=())
>>> sorted(report.metrics())[:3]
['eval/draw_rate', 'eval/efficiency', 'eval/episodes']

Metrics per evaluated player (the agent seat of the env):

``win_rate`` / ``loss_rate`` / ``draw_rate``
    fraction of episodes whose battle the agent's team won / lost / drew
    (time-outs are draws).
``survival``
    fraction of episodes the agent's ship ended in action.
``final_hp``
    mean hp fraction of the agent's ship at the end.
``efficiency``
    damage dealt / (damage dealt + damage taken), summed over episodes
    (0.5 when nothing was hit). Both come from the arena: the reward terms
    ``damage_dealt``/``damage_taken`` for policies, and for scripted players
    the engine's ``damage`` events (what the player's weapons did to
    hostiles, and the hp it lost) — the same quantities.
``mean_return`` / ``mean_length``
    mean shaped return (policies only) and episode length in ticks.

``evaluate`` also runs each of ``baselines`` (scripted controllers) in the
agent seat on the same seeds: ``baseline/<name>/win_rate`` etc. are that
controller's own metrics, and ``gain_over/<name>/win_rate`` etc. the
player's minus the baseline's (a difference, from -1 to 1 for rates). With
``opponents`` it plays the same episodes again against each named scripted
controller in the opponents' seats and reports the player's metrics against
each (``against/<name>/win_rate`` …, rates like the player's own);
``SCRIPTED_CONTROLLERS`` names them all. :meth:`EvalReport.metrics` flattens it all
into a ``{"eval/...": float}`` dict for TensorBoard (``logger.record``) or
any other logger.
"""

from __future__ import annotations

import inspect
import os
import warnings
from dataclasses import dataclass, field
from typing import Any

import gymnasium
import numpy as np
import numpy.typing as npt

from tidebreak.engine import layout

__all__ = [
    "EvalResult",
    "EvalReport",
    "evaluate",
    "play_episodes",
    "policy_fn",
    "id_kwargs",
    "DEFAULT_BASELINES",
    "SCRIPTED_CONTROLLERS",
]

DEFAULT_BASELINES: tuple[str, ...] = ("idle", "random", "patrol")
#: Every scripted controller of the arena, weakest first (see docs/balance.md).
SCRIPTED_CONTROLLERS: tuple[str, ...] = ("idle", "random", "patrol", "aggressive", "stalker", "expert")
SEEDING = "sequence"
"""How episodes get their seeds from ``seed``: ``env_seeds(seed, episodes, SEEDING)``,
from ``numpy.random.SeedSequence``, so that nearby seeds give unrelated episodes."""
_T = {name: i for i, name in enumerate(layout.REWARD_TERMS)}
_HP = layout.OWN_FIELDS.index("hp")
_COMPARED = ("win_rate", "survival", "efficiency")


@dataclass
class EvalResult:
    """Metrics of one player over ``episodes`` episodes."""

    name: str
    episodes: int
    win_rate: float
    loss_rate: float
    draw_rate: float
    survival: float
    final_hp: float
    efficiency: float
    mean_return: float
    mean_length: float

    def as_dict(self) -> dict[str, float]:
        """The metrics by name (``mean_return`` left out where undefined)."""
        out = {
            "episodes": float(self.episodes),
            "win_rate": self.win_rate,
            "loss_rate": self.loss_rate,
            "draw_rate": self.draw_rate,
            "survival": self.survival,
            "final_hp": self.final_hp,
            "efficiency": self.efficiency,
            "mean_return": self.mean_return,
            "mean_length": self.mean_length,
        }
        return {k: v for k, v in out.items() if not np.isnan(v)}


@dataclass
class EvalReport:
    """The evaluated player's :class:`EvalResult`, those of the baselines, and
    the player's results against each of the requested opponents."""

    env_id: str
    seed: int
    result: EvalResult
    baselines: dict[str, EvalResult] = field(default_factory=dict)
    opponents: dict[str, EvalResult] = field(default_factory=dict)

    def metrics(self, prefix: str = "eval/") -> dict[str, float]:
        """A flat ``{name: float}`` dict, TensorBoard-friendly."""
        out = {f"{prefix}{k}": v for k, v in self.result.as_dict().items()}
        for name, base in self.baselines.items():
            for k, v in base.as_dict().items():
                out[f"{prefix}baseline/{name}/{k}"] = v
            for k in _COMPARED:
                out[f"{prefix}gain_over/{name}/{k}"] = getattr(self.result, k) - getattr(base, k)
        for name, res in self.opponents.items():
            for k, v in res.as_dict().items():
                out[f"{prefix}against/{name}/{k}"] = v
        return out

    def log_to(self, logger: Any, prefix: str = "eval/") -> None:
        """Record the metrics on an SB3 logger (or anything with ``record``)."""
        for k, v in self.metrics(prefix).items():
            logger.record(k, v)

    def to_tensorboard(self, log_dir: str | os.PathLike[str], step: int = 0, prefix: str = "eval/") -> bool:
        """Write the metrics as TensorBoard scalars at ``step`` into ``log_dir``.

        Uses torch's ``SummaryWriter`` (which needs the ``tensorboard``
        package) or ``tensorboardX``, whichever is installed. Without either
        it warns and returns False.
        """
        writer_cls = _summary_writer()
        if writer_cls is None:
            warnings.warn(
                "TensorBoard is not installed, so the evaluation metrics were not logged "
                "(pip install tensorboard, with torch, or tensorboardX)",
                RuntimeWarning,
                stacklevel=2,
            )
            return False
        writer = writer_cls(log_dir=str(log_dir))
        try:
            for k, v in self.metrics(prefix).items():
                writer.add_scalar(k, v, step)
        finally:
            writer.close()
        return True


def _summary_writer() -> Any:
    """torch's or tensorboardX's SummaryWriter class, or None."""
    try:
        from torch.utils.tensorboard import SummaryWriter

        return SummaryWriter
    except ImportError:
        pass
    try:
        from tensorboardX import SummaryWriter as SummaryWriterX  # type: ignore[import-untyped,import-not-found,unused-ignore]

        return SummaryWriterX
    except ImportError:
        return None


def _efficiency(dealt: float, taken: float) -> float:
    total = dealt + taken
    return 0.5 if total <= 0 else dealt / total


def id_kwargs(env_id: str, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """The kwargs an env id is made with: its registered ones, updated by ``overrides``."""
    import tidebreak.gym  # noqa: F401 - registers the ids

    spec = gymnasium.spec(env_id)
    return {**spec.kwargs, **(overrides or {})}


def policy_fn(policy: Any, deterministic: bool) -> Any:
    """``act(obs, masks) -> actions`` for a policy: a model with ``predict`` (SB3 and the like,
    with ``action_masks`` when it takes them), a callable, or a scripted controller's name."""
    if hasattr(policy, "predict"):
        params = inspect.signature(policy.predict).parameters
        masked = "action_masks" in params

        def act(obs: np.ndarray, masks: np.ndarray) -> np.ndarray:
            kw: dict[str, Any] = {"deterministic": deterministic}
            if masked:
                kw["action_masks"] = masks
            action, _ = policy.predict(obs, **kw)
            return np.asarray(action)

        return act
    if callable(policy):
        n_params = len(inspect.signature(policy).parameters)
        return (
            (lambda obs, masks: np.asarray(policy(obs, masks)))
            if n_params >= 2
            else (lambda obs, masks: np.asarray(policy(obs)))
        )
    raise TypeError(
        f"cannot evaluate {type(policy).__name__}: want a controller name, a model with predict(), or a callable"
    )


def play_episodes(
    act: Any, seeds: int | list[int], n: int, kwargs: dict[str, Any]
) -> dict[str, npt.NDArray[Any]]:
    """Play one episode in each of ``n`` envs of a native vector env with the
    action function ``act(obs, masks)``; per-episode arrays in env order.

    ``seeds`` is an int (the vector env derives one seed per env) or one seed
    per env. :func:`evaluate` and the distributed evaluation both build their
    metrics from these arrays.
    """
    from gymnasium.vector import AutoresetMode

    from tidebreak.gym.vector import TidebreakVectorEnv

    venv = TidebreakVectorEnv(n, **{**kwargs, "autoreset_mode": AutoresetMode.SAME_STEP, "seeding": SEEDING})

    def policy_masks(infos: dict[str, Any]) -> npt.NDArray[np.bool_]:
        # MaskablePPO's flat masks; a Box has none: the legal choices then
        return venv.action_masks() if venv.action_mode == "multidiscrete" else infos["legal_choices"]

    try:
        obs, infos = venv.reset(seed=seeds)
        masks = policy_masks(infos)
        active = np.ones(n, bool)
        out: dict[str, npt.NDArray[Any]] = {
            "returns": np.zeros(n),
            "lengths": np.zeros(n),
            "dealt": np.zeros(n),
            "taken": np.zeros(n),
            "outcome": np.full(n, "", dtype=object),
            "died": np.zeros(n, bool),
            "final_hp": np.zeros(n),
        }
        while active.any():
            actions = act(obs, masks)
            obs, rewards, term, trunc, infos = venv.step(actions)
            masks = policy_masks(infos)
            done = term | trunc
            terms = (
                np.where(done[:, None], infos["final_info"]["reward_terms"], infos["reward_terms"])
                if done.any()
                else infos["reward_terms"]
            )
            out["returns"][active] += rewards[active]
            out["lengths"][active] += 1
            out["dealt"][active] += terms[active, _T["damage_dealt"]]
            out["taken"][active] += terms[active, _T["damage_taken"]]
            out["died"][active] |= terms[active, _T["death"]] > 0
            for i in np.flatnonzero(done & active):
                out["outcome"][i] = infos["final_info"]["outcome"][i]
                out["final_hp"][i] = infos["final_obs"][i][_HP]
            active &= ~done
    finally:
        venv.close()
    return out


def policy_result(name: str, r: dict[str, npt.NDArray[Any]]) -> EvalResult:
    """A policy's metrics from :func:`play_episodes` arrays (of one or more
    shards, concatenated in seed order)."""
    outcome = r["outcome"]
    return EvalResult(
        name=name,
        episodes=len(outcome),
        win_rate=float(np.mean(outcome == "win")),
        loss_rate=float(np.mean(outcome == "loss")),
        draw_rate=float(np.mean(outcome == "draw")),
        survival=float(np.mean(~r["died"])),
        final_hp=float(r["final_hp"].mean()),
        efficiency=_efficiency(float(r["dealt"].sum()), float(r["taken"].sum())),
        mean_return=float(r["returns"].mean()),
        mean_length=float(r["lengths"].mean()),
    )


def controller_episodes(controller: str, seeds: list[int], kwargs: dict[str, Any]) -> list[dict[str, Any]]:
    """Play one battle per seed (through ``simulate``) with ``controller`` in
    the agent's seat of the env built from ``kwargs``.

    Per episode: the outcome, whether the agent survived, its final hp
    fraction, the damage its weapons did to hostiles and the damage it took
    (lists of the engine's ``damage`` event values, in event order, so that
    :func:`controller_result` sums them in one order however the episodes
    were split up), and the duration.
    """
    from tidebreak.engine.simulation import simulate
    from tidebreak.gym import config

    scenario = config.scenario_for(kwargs.get("scenario"), kwargs.get("stage"))
    pkg, agents = config.build_package(
        scenario, agent_ship=kwargs.get("agent_ship"), opponent=kwargs.get("opponent")
    )
    agent = agents[0]
    ships = {s["ship_id"]: s for s in pkg["ships"]}
    ships[agent]["controller"] = controller
    team = ships[agent]["team_id"]
    max_hp = {sid: float(s["hull"]["hp"]) for sid, s in ships.items()}
    episodes = []
    for s in seeds:
        pkg["seed"] = config.native_seed(s)
        result = simulate(pkg)
        if result.winner_team_id is None:
            outcome = "draw"
        elif result.winner_team_id == team:
            outcome = "win"
        else:
            outcome = "loss"
        dealt, taken = _damage_events(pkg, agent)
        fate = next(o for o in result.ships if o.ship_id == agent)
        episodes.append(
            {
                "outcome": outcome,
                "survived": fate.fate == "OPERATIONAL",
                "hp_frac": fate.final_state.hp / max_hp[agent],
                "dealt": dealt,
                "taken": taken,
                "length": result.duration_s,
            }
        )
    return episodes


def _damage_events(pkg: dict[str, Any], agent: str) -> tuple[list[float], list[float]]:
    """The values of the engine's damage events of one battle: those the
    ``agent`` ship's weapons did to hostiles, and those it took."""
    from tidebreak.engine.events import kind_code
    from tidebreak.engine.native_env import NativeEnv

    ids = [s["ship_id"] for s in pkg["ships"]]
    team = {s["ship_id"]: s["team_id"] for s in pkg["ships"]}
    me = ids.index(agent) + 1  # entity id
    hostile = np.array([False] + [team[sid] != team[agent] for sid in ids])  # by entity id
    damage = kind_code("damage")
    dealt: list[float] = []
    taken: list[float] = []
    with NativeEnv(pkg) as env:
        env.reset(seed=int(pkg["seed"]))
        zero = env.zero_actions()
        done = False
        while not done:
            _, _, term, trunc = env.step(zero)
            ev = env.events()
            d = ev[ev["kind"] == damage]
            dealt += d["value"][(d["source"] == me) & hostile[d["target"]]].tolist()
            taken += d["value"][d["target"] == me].tolist()
            done = term or trunc
    return dealt, taken


def controller_result(name: str, episodes: list[dict[str, Any]]) -> EvalResult:
    """A scripted controller's metrics from :func:`controller_episodes` records."""
    n = float(len(episodes))
    dealt = taken = 0.0
    for ep in episodes:  # one summation order, however the episodes were sharded
        for x in ep["dealt"]:
            dealt += x
        for x in ep["taken"]:
            taken += x
    count = {k: sum(ep["outcome"] == k for ep in episodes) for k in ("win", "loss", "draw")}
    return EvalResult(
        name=name,
        episodes=len(episodes),
        win_rate=count["win"] / n,
        loss_rate=count["loss"] / n,
        draw_rate=count["draw"] / n,
        survival=sum(ep["survived"] for ep in episodes) / n,
        final_hp=float(np.mean([ep["hp_frac"] for ep in episodes])),
        efficiency=_efficiency(dealt, taken),
        mean_return=float("nan"),
        mean_length=float(np.mean([ep["length"] for ep in episodes])),
    )


def _evaluate_controller(controller: str, episodes: int, seed: int, kwargs: dict[str, Any]) -> EvalResult:
    from tidebreak.gym.config import env_seeds

    return controller_result(
        controller, controller_episodes(controller, env_seeds(seed, episodes, SEEDING), kwargs)
    )


def evaluate(
    policy_or_controller: Any,
    env_id: str = "Tidebreak/Duel-v0",
    episodes: int = 20,
    seed: int = 0,
    *,
    baselines: tuple[str, ...] | list[str] = DEFAULT_BASELINES,
    opponents: tuple[str, ...] | list[str] = (),
    deterministic: bool = True,
    env_kwargs: dict[str, Any] | None = None,
    backend: str | None = None,
    tensorboard_log: str | os.PathLike[str] | None = None,
    step: int = 0,
    **distributed: Any,
) -> EvalReport:
    """Play ``episodes`` episodes of ``env_id`` and report metrics.

    ``backend`` None plays every episode in this process; "ray" or "local"
    spreads them over Ray tasks or a process pool through
    :func:`tidebreak.distributed.evaluate` (which takes the extra keyword
    arguments, e.g. ``workers=``, ``ray_address=``) and returns the same
    report.

    ``policy_or_controller`` is an SB3 model (anything with
    ``predict(obs, deterministic=...)``; MaskablePPO also gets the masks), a
    callable ``policy(obs_batch)`` or ``policy(obs_batch, mask_batch)``
    returning a batch of actions, a trained :class:`~tidebreak.rl.policy.Policy`
    or the path of its ``.npz`` file (``tidebreak train`` writes them; the
    policy brings its env's keyword arguments, e.g. ``agent_ship`` and
    ``action_mode``, under ``env_kwargs``), or the name of a scripted controller
    ("patrol", "random", …) put in the agent's seat. Episodes run in one
    native batch, one per env, seeded with ``env_seeds(seed, episodes, "sequence")``;
    scripted players play the same seeds through ``simulate``.
    ``env_kwargs`` override the id's (``opponent=``, ``action_mode=`` …).

    ``tensorboard_log`` writes the metrics there as TensorBoard scalars at
    ``step`` when TensorBoard is installed (see :meth:`EvalReport.to_tensorboard`).

    ``opponents`` (scripted controller names, e.g. ``SCRIPTED_CONTROLLERS``)
    plays the episodes once more against each, with that controller in every
    opponent seat; ``report.opponents[name]`` holds the player's result.

    >>> r = evaluate("patrol", "Tidebreak/GunDuel-v0", episodes=1, seed=0, baselines=(), opponents=("idle",))
    >>> sorted(r.opponents), r.opponents["idle"].loss_rate
    (['idle'], 0.0)
    """
    unknown = sorted(set(opponents) - set(SCRIPTED_CONTROLLERS))
    if unknown:
        raise ValueError(
            f"unknown opponents {unknown}; scripted controllers: {', '.join(SCRIPTED_CONTROLLERS)}"
        )
    if isinstance(policy_or_controller, (str, os.PathLike)) and str(policy_or_controller).endswith(".npz"):
        from tidebreak.rl.policy import load_policy

        policy_or_controller = load_policy(policy_or_controller)
    own = getattr(policy_or_controller, "env_kwargs", None)
    if isinstance(own, dict) and own:
        env_kwargs = {**own, **(env_kwargs or {})}
    if backend is not None:
        from tidebreak.distributed import evaluate as distributed_evaluate

        report: EvalReport = distributed_evaluate(
            policy_or_controller,
            env_id,
            episodes,
            seed,
            baselines=baselines,
            deterministic=deterministic,
            env_kwargs=env_kwargs,
            backend=backend,
            **distributed,
        )
        _add_opponents(
            report,
            opponents,
            policy_or_controller,
            env_id,
            episodes,
            seed,
            deterministic,
            env_kwargs,
            backend=backend,
            **distributed,
        )
        if tensorboard_log is not None:
            report.to_tensorboard(tensorboard_log, step)
        return report
    if distributed:
        raise TypeError(f"unexpected arguments without a backend: {', '.join(sorted(distributed))}")
    if episodes < 1:
        raise ValueError(f"episodes must be >= 1 (got {episodes})")
    kwargs = id_kwargs(env_id, env_kwargs)
    if isinstance(policy_or_controller, str):
        result = _evaluate_controller(policy_or_controller, episodes, seed, kwargs)
    else:
        act = policy_fn(policy_or_controller, deterministic)
        result = policy_result(
            type(policy_or_controller).__name__, play_episodes(act, seed, episodes, kwargs)
        )
    report = EvalReport(env_id, seed, result)
    for base in baselines:
        report.baselines[base] = _evaluate_controller(base, episodes, seed, kwargs)
    _add_opponents(report, opponents, policy_or_controller, env_id, episodes, seed, deterministic, env_kwargs)
    if tensorboard_log is not None:
        report.to_tensorboard(tensorboard_log, step)
    return report


def _add_opponents(
    report: EvalReport,
    opponents: tuple[str, ...] | list[str],
    player: Any,
    env_id: str,
    episodes: int,
    seed: int,
    deterministic: bool,
    env_kwargs: dict[str, Any] | None,
    **backend: Any,
) -> None:
    """Fill ``report.opponents``: the player again, against each opponent."""
    for name in opponents:
        kw = {**(env_kwargs or {}), "opponent": name}
        sub = evaluate(
            player,
            env_id,
            episodes,
            seed,
            baselines=(),
            deterministic=deterministic,
            env_kwargs=kw,
            **backend,
        )
        report.opponents[name] = sub.result


_policy_fn = policy_fn  # the names they had before they were public
_env_kwargs = id_kwargs
