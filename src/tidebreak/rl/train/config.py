"""Training configurations: one TOML file per env id, shipped with the package.

``tidebreak/rl/configs/<Name>.toml`` holds the tuned configuration of
``Tidebreak/<Name>`` (rl-zoo style: the env's keyword arguments, the scripted
opponents it trains against, the PPO hyperparameters and the evaluation).
:func:`load_config` reads the one for an id, a file of your own, or a mapping;
:meth:`TrainConfig.override` changes single values (``"ppo.ent_coef"``).
Unknown keys are errors that name the closest known key.

>>> cfg = load_config("Tidebreak/Duel-v0")
>>> cfg.env_id, cfg.env["agent_ship"]
('Tidebreak/Duel-v0', 'corvette')
>>> cfg.override({"ppo.learning_rate": 1e-3, "total_steps": 1000}).ppo.learning_rate
0.001
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tidebreak.engine.native_env import TEACHERS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "PPOConfig",
    "EvalConfig",
    "TeacherConfig",
    "TrainConfig",
    "ConfigError",
    "load_config",
    "config_names",
    "config_file",
]


class ConfigError(ValueError):
    """A training configuration is invalid (the message names the key)."""


@dataclass(frozen=True)
class PPOConfig:
    """PPO hyperparameters (names as in CleanRL and SB3)."""

    num_envs: int = 64
    steps_per_env: int = 32
    learning_rate: float = 3e-4
    anneal_lr: bool = True
    gamma: float = 0.995
    gae_lambda: float = 0.95
    clip_coef: float = 0.2
    epochs: int = 4
    minibatches: int = 4
    ent_coef: float = 0.01
    vf_coef: float = 0.5
    max_grad_norm: float = 0.5
    hidden: tuple[int, ...] = (128, 128)
    activation: str = "tanh"


@dataclass(frozen=True)
class EvalConfig:
    """Periodic evaluation against scripted opponents (200 battles each by default)."""

    every_steps: int = 25_000
    episodes: int = 200
    opponents: tuple[str, ...] = ("idle", "aggressive")
    seed: int = 1_000_000
    deterministic: bool = False
    targets: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class TeacherConfig:
    """An imitation term from a scripted teacher (kickstarting).

    With ``controller`` set, the envs also run that scripted controller
    (``aggressive``, ``stalker`` or ``expert``) for the agent's ship and
    report what it would have ordered; the PPO loss adds ``coef`` times the
    cross-entropy of the policy against that order, falling linearly to
    ``min_coef`` at ``decay_steps`` env-steps and staying there (0: never
    falls). ``opponents`` limits the term to the envs that train against
    those scripted opponents (empty: all). ``heard_coef`` adds a second
    term that never decays: on the steps whose observation hears a torpedo
    (``own.threat_heard``), the cross-entropy of the throttle and rudder
    against the teacher's (it keeps teaching torpedo evasion, which the
    observation shows, after the rest has faded). The teacher never acts:
    every transition is the learner's own, so the env-steps are the run's.
    """

    controller: str = ""
    coef: float = 1.0
    decay_steps: int = 0
    min_coef: float = 0.0
    opponents: tuple[str, ...] = ()
    heard_coef: float = 0.0


@dataclass(frozen=True)
class TrainConfig:
    """Everything a training run needs besides its seed."""

    env_id: str
    total_steps: int = 300_000
    env: dict[str, Any] = field(default_factory=dict)
    opponents: dict[str, float] = field(default_factory=dict)
    ppo: PPOConfig = PPOConfig()
    eval: EvalConfig = EvalConfig()
    teacher: TeacherConfig = TeacherConfig()
    torch_threads: int = 1
    description: str = ""

    def override(self, values: Mapping[str, Any]) -> TrainConfig:
        """A copy with dotted keys replaced, e.g. ``{"ppo.gamma": 0.99, "eval.episodes": 50}``."""
        doc = as_dict(self)
        for key, value in values.items():
            node: Any = doc
            parts = key.split(".")
            for part in parts[:-1]:
                if not isinstance(node, dict) or part not in node:
                    raise ConfigError(f"unknown key {key!r}")
                node = node[part]
            if not isinstance(node, dict):
                raise ConfigError(f"unknown key {key!r}")
            node[parts[-1]] = value
        return from_dict(doc, source="overrides")

    def to_dict(self) -> dict[str, Any]:
        """The configuration as plain data (JSON- and TOML-friendly)."""
        return as_dict(self)


def as_dict(cfg: TrainConfig) -> dict[str, Any]:
    doc = dataclasses.asdict(cfg)
    doc["ppo"]["hidden"] = list(cfg.ppo.hidden)
    doc["eval"]["opponents"] = list(cfg.eval.opponents)
    doc["teacher"]["opponents"] = list(cfg.teacher.opponents)
    return doc


def _check_keys(table: Mapping[str, Any], known: list[str], where: str) -> None:
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(known)}"
            raise ConfigError(f"{where}: unknown key {key!r}{hint}")


def _typed(cls: Any, table: Mapping[str, Any], where: str) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    _check_keys(table, list(fields), where)
    kwargs: dict[str, Any] = {}
    defaults = cls()
    for name, value in table.items():
        want = getattr(defaults, name)
        key = f"{where}.{name}"
        if isinstance(want, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{key} must be true or false (got {value!r})")
        elif isinstance(want, int):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigError(f"{key} must be an integer (got {value!r})")
        elif isinstance(want, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{key} must be a number (got {value!r})")
            value = float(value)
        elif isinstance(want, tuple):
            if not isinstance(value, (list, tuple)):
                raise ConfigError(f"{key} must be a list (got {value!r})")
            value = tuple(value)
        elif isinstance(want, str):
            if not isinstance(value, str):
                raise ConfigError(f"{key} must be a string (got {value!r})")
        elif isinstance(want, dict):
            if not isinstance(value, Mapping):
                raise ConfigError(f"{key} must be a table (got {value!r})")
            value = dict(value)
        kwargs[name] = value
    return cls(**kwargs)


def _positive(key: str, value: float) -> None:
    if not value > 0:
        raise ConfigError(f"{key} must be > 0 (got {value})")


def _validate(cfg: TrainConfig, where: str) -> None:
    from tidebreak.rl.evaluation import SCRIPTED_CONTROLLERS

    p, e = cfg.ppo, cfg.eval
    for key, value in [
        ("total_steps", cfg.total_steps),
        ("ppo.num_envs", p.num_envs),
        ("ppo.steps_per_env", p.steps_per_env),
        ("ppo.learning_rate", p.learning_rate),
        ("ppo.epochs", p.epochs),
        ("ppo.minibatches", p.minibatches),
        ("ppo.max_grad_norm", p.max_grad_norm),
        ("eval.every_steps", e.every_steps),
        ("eval.episodes", e.episodes),
        ("torch_threads", cfg.torch_threads),
    ]:
        _positive(f"{where}: {key}", value)
    if not 1 <= p.num_envs <= 65536:
        raise ConfigError(f"{where}: ppo.num_envs must be within [1, 65536] (got {p.num_envs})")
    if not 0 < p.gamma <= 1 or not 0 <= p.gae_lambda <= 1:
        raise ConfigError(f"{where}: ppo.gamma must be in (0, 1] and ppo.gae_lambda in [0, 1]")
    if p.minibatches > p.num_envs * p.steps_per_env:
        raise ConfigError(f"{where}: ppo.minibatches exceeds the batch (num_envs × steps_per_env)")
    if not p.hidden or any(not isinstance(h, int) or not 1 <= h <= 4096 for h in p.hidden):
        raise ConfigError(f"{where}: ppo.hidden must be a list of layer widths within [1, 4096]")
    if p.activation not in ("tanh", "relu"):
        raise ConfigError(f"{where}: ppo.activation must be 'tanh' or 'relu' (got {p.activation!r})")
    if e.episodes > 65536:
        raise ConfigError(f"{where}: eval.episodes must be at most 65536 (got {e.episodes})")
    for table, names in (("opponents", list(cfg.opponents)), ("eval.opponents", list(e.opponents))):
        for name in names:
            if name not in SCRIPTED_CONTROLLERS:
                raise ConfigError(
                    f"{where}: {table}: {name!r} is not a scripted controller ({', '.join(SCRIPTED_CONTROLLERS)})"
                )
    for name, share in cfg.opponents.items():
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not share > 0:
            raise ConfigError(f"{where}: opponents.{name} must be a positive share (got {share!r})")
    if cfg.opponents and p.num_envs < len(cfg.opponents):
        raise ConfigError(f"{where}: ppo.num_envs ({p.num_envs}) is fewer than the opponents")
    for name, target in e.targets.items():
        if name not in e.opponents:
            raise ConfigError(f"{where}: eval.targets.{name}: not one of eval.opponents")
        if isinstance(target, bool) or not isinstance(target, (int, float)) or not 0 <= target <= 1:
            raise ConfigError(f"{where}: eval.targets.{name} must be a win rate in [0, 1] (got {target!r})")
    t = cfg.teacher
    if t.controller not in ("", *TEACHERS):
        raise ConfigError(
            f'{where}: teacher.controller must be one of {", ".join(TEACHERS)} or "" (got {t.controller!r})'
        )
    if not t.coef >= 0 or t.decay_steps < 0 or not t.heard_coef >= 0:
        raise ConfigError(f"{where}: teacher.coef, teacher.decay_steps and teacher.heard_coef must be >= 0")
    for name in t.opponents:
        if name not in cfg.opponents:
            raise ConfigError(
                f"{where}: teacher.opponents: {name!r} is not one of the [opponents] trained against"
            )
    if not 0 <= t.min_coef <= t.coef:
        raise ConfigError(f"{where}: teacher.min_coef must be within [0, teacher.coef] (got {t.min_coef})")
    if cfg.env.get("action_mode", "box") not in ("box", "multidiscrete"):
        raise ConfigError(f"{where}: env.action_mode must be 'box' or 'multidiscrete'")
    for key in ("opponent", "render_mode", "record_dir"):
        if key in cfg.env:
            raise ConfigError(f"{where}: env.{key} is set by the trainer (use the [opponents] table)")


def from_dict(doc: Mapping[str, Any], *, source: str = "config") -> TrainConfig:
    """A validated :class:`TrainConfig` from plain data (a parsed TOML file)."""
    known = [f.name for f in dataclasses.fields(TrainConfig)]
    _check_keys(doc, known, source)
    if "env_id" not in doc or not isinstance(doc["env_id"], str):
        raise ConfigError(f"{source}: env_id (a registered id, e.g. 'Tidebreak/Duel-v0') is required")
    kwargs: dict[str, Any] = {"env_id": doc["env_id"]}
    for key in ("total_steps", "torch_threads"):
        if key in doc:
            if isinstance(doc[key], bool) or not isinstance(doc[key], int):
                raise ConfigError(f"{source}: {key} must be an integer (got {doc[key]!r})")
            kwargs[key] = doc[key]
    if "description" in doc:
        kwargs["description"] = str(doc["description"])
    for key in ("env", "opponents"):
        if key in doc:
            if not isinstance(doc[key], Mapping):
                raise ConfigError(f"{source}: [{key}] must be a table")
            kwargs[key] = dict(doc[key])
    if "ppo" in doc:
        kwargs["ppo"] = _typed(PPOConfig, doc["ppo"], f"{source}: ppo")
    if "eval" in doc:
        kwargs["eval"] = _typed(EvalConfig, doc["eval"], f"{source}: eval")
    if "teacher" in doc:
        kwargs["teacher"] = _typed(TeacherConfig, doc["teacher"], f"{source}: teacher")
    cfg = TrainConfig(**kwargs)
    _validate(cfg, source)
    return cfg


def config_names() -> list[str]:
    """Env ids with a shipped configuration."""
    root = resources.files("tidebreak.rl") / "configs"
    return sorted(f"Tidebreak/{p.name[: -len('.toml')]}" for p in root.iterdir() if p.name.endswith(".toml"))


def config_file(env_id: str) -> Any:
    """The shipped configuration file of ``env_id`` (a ``Traversable``)."""
    name = env_id.split("/", 1)[-1]
    path = resources.files("tidebreak.rl") / "configs" / f"{name}.toml"
    if not path.is_file():
        raise ConfigError(
            f"no shipped training configuration for {env_id!r}; shipped: {', '.join(config_names())} "
            "(pass config= a TOML file of your own)"
        )
    return path


def load_config(config: str | os.PathLike[str] | Mapping[str, Any] | TrainConfig) -> TrainConfig:
    """A configuration from an env id (the shipped file), a TOML path, a mapping or a config."""
    if isinstance(config, TrainConfig):
        return config
    if isinstance(config, Mapping):
        return from_dict(config)
    text = str(config)
    if text.endswith(".toml") or os.sep in text and not text.startswith("Tidebreak/"):
        path = Path(text)
        try:
            raw = path.read_bytes()
        except OSError as e:
            raise ConfigError(f"{path}: cannot read: {e.strerror}") from e
        source = str(path)
    else:
        file = config_file(text)
        raw = file.read_bytes()
        source = f"{file.name} (shipped for {text})"
    try:
        doc = tomllib.loads(raw.decode())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{source}: not valid TOML: {e}") from e
    return from_dict(doc, source=source)
