"""RLlib: the PettingZoo env (every ship an agent) as an RLlib multi-agent env.

>>> from tidebreak.distributed import rllib            # doctest: +SKIP
>>> name = rllib.register()                             # doctest: +SKIP
>>> config = rllib.ppo_config("fleet_4v4", num_env_runners=2)   # doctest: +SKIP
>>> algo = config.build_algo()                          # doctest: +SKIP
>>> algo.train()["env_runners"]["episode_return_mean"]  # doctest: +SKIP

:class:`TidebreakMultiAgentEnv` adapts :class:`tidebreak.gym.TidebreakParallelEnv`
to :class:`ray.rllib.env.multi_agent_env.MultiAgentEnv`: per-agent
observation and action space dicts, ``agents`` kept in step with the
PettingZoo env (a sunk ship leaves), ``"__all__"`` done flags, and a seed per
env runner and sub-env so that runners do not all replay the same battles.
Infos carry only ``outcome`` at the end of a battle (the action masks and raw
reward terms stay in the PettingZoo env; ask for them with
``env_config={"infos": "full"}``).

Each env runner is a Ray actor process: it loads the Go library itself,
once, on its first reset.
"""

from __future__ import annotations

from typing import Any

try:
    from ray.rllib.env import multi_agent_env
except ImportError as e:  # pragma: no cover - depends on the installed extras
    raise ImportError("tidebreak.distributed.rllib needs RLlib: pip install 'tidebreak[ray]'") from e

_MultiAgentEnv: Any = multi_agent_env.MultiAgentEnv

__all__ = ["ENV_NAME", "TidebreakMultiAgentEnv", "register", "team_of", "team_policy_mapping", "ppo_config"]

ENV_NAME = "tidebreak_multiagent"

_ENV_KEYS = ("scenario", "stage", "reward_weights", "action_mode", "max_tracks")


class TidebreakMultiAgentEnv(_MultiAgentEnv):  # type: ignore[misc]
    """RLlib view of ``tidebreak.gym.parallel_env(**config)``.

    ``config`` (RLlib's ``env_config``, an ``EnvContext`` in env runners):
    ``scenario`` (default "fleet_4v4"), ``stage``, ``reward_weights``,
    ``action_mode`` ("box" default, or "multidiscrete"), ``max_tracks`` go
    to the PettingZoo env; ``seed`` (default 0) is the base seed: env runner
    ``w``, sub-env ``v`` starts from ``seed + 1000 * w + v`` and then follows
    that env's seed sequence; ``infos`` ("outcome" default, or "full").
    """

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        super().__init__()
        from tidebreak.gym.multiagent import parallel_env

        config = dict(config or {})
        kwargs = {k: config[k] for k in _ENV_KEYS if k in config}
        kwargs.setdefault("scenario", "fleet_4v4")
        self.par_env = parallel_env(**kwargs)
        worker = int(getattr(config, "worker_index", 0))
        vector = int(getattr(config, "vector_index", 0))
        self._first_seed: int | None = int(config.get("seed", 0)) + 1000 * worker + vector
        self._full_infos = config.get("infos", "outcome") == "full"
        self.possible_agents = list(self.par_env.possible_agents)
        self.agents: list[str] = []
        self.observation_spaces = {a: self.par_env.observation_space(a) for a in self.possible_agents}
        self.action_spaces = {a: self.par_env.action_space(a) for a in self.possible_agents}
        # Older RLlib code paths read the Dict spaces.
        import gymnasium

        self.observation_space = gymnasium.spaces.Dict(dict(self.observation_spaces))
        self.action_space = gymnasium.spaces.Dict(dict(self.action_spaces))

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        if seed is None and self._first_seed is not None:
            seed = self._first_seed
        self._first_seed = None
        obs, infos = self.par_env.reset(seed=seed, options=options)
        self.agents = list(self.par_env.agents)
        return obs, (infos if self._full_infos else {a: {} for a in obs})

    def step(self, action_dict: dict[str, Any]) -> tuple[dict[str, Any], ...]:
        obs, rewards, terminated, truncated, infos = self.par_env.step(action_dict)
        self.agents = list(self.par_env.agents)
        if not self._full_infos:
            infos = {a: ({"outcome": i["outcome"]} if "outcome" in i else {}) for a, i in infos.items()}
        done = not self.agents
        terminated = {**terminated, "__all__": done and all(terminated.values())}
        truncated = {**truncated, "__all__": done and not terminated["__all__"]}
        return obs, rewards, terminated, truncated, infos

    def render(self) -> Any:
        return self.par_env.render()

    def close(self) -> None:
        self.par_env.close()


def register(name: str = ENV_NAME, **defaults: Any) -> str:
    """Register :class:`TidebreakMultiAgentEnv` with Ray Tune/RLlib as
    ``name``; ``defaults`` are env-config defaults (overridden by the
    algorithm's ``env_config``). Returns ``name`` for ``config.environment(name)``."""
    from ray.tune.registry import register_env

    def creator(env_config: Any) -> TidebreakMultiAgentEnv:
        config = env_config
        for k, v in defaults.items():
            if k not in config:
                config[k] = v
        return TidebreakMultiAgentEnv(config)

    register_env(name, creator)
    return name


def team_of(scenario: Any = "fleet_4v4", stage: int | None = None) -> dict[str, str]:
    """``{ship_id: team_id}`` of a scenario (the agent ids of its env)."""
    from tidebreak.gym import config

    pkg, _ = config.build_package(config.scenario_for(scenario, stage), all_agents=True)
    return {s["ship_id"]: s["team_id"] for s in pkg["ships"]}


def team_policy_mapping(scenario: Any = "fleet_4v4", stage: int | None = None) -> Any:
    """A ``policy_mapping_fn`` sending each ship to its team's module
    (module id = team id)."""
    teams = team_of(scenario, stage)

    def mapping(agent_id: str, *args: Any, **kwargs: Any) -> str:
        return teams[agent_id]

    return mapping


def ppo_config(
    scenario: Any = "fleet_4v4",
    *,
    num_env_runners: int = 2,
    num_envs_per_env_runner: int = 1,
    train_teams: tuple[str, ...] | None = None,
    shared_policy: bool = False,
    env_config: dict[str, Any] | None = None,
    train_batch_size: int = 8000,
    minibatch_size: int = 1000,
    num_epochs: int = 5,
    lr: float = 3e-4,
    hidden: tuple[int, ...] = (128, 128),
    seed: int = 0,
) -> Any:
    """A PPO config (RLlib's new API stack) for ``scenario``, every ship an agent.

    One module per team (ids = team ids, ships of a team share it), all
    trained unless ``train_teams`` names some; ``shared_policy`` puts
    every ship on one module "shared". ``num_env_runners`` env runner
    actors of one CPU each sample in parallel; the learner runs in the
    driver. ``train_batch_size`` counts agent steps.
    """
    from ray.rllib.algorithms import ppo
    from ray.rllib.core.rl_module.default_model_config import DefaultModelConfig
    from ray.rllib.core.rl_module.multi_rl_module import MultiRLModuleSpec
    from ray.rllib.core.rl_module.rl_module import RLModuleSpec

    name = register()
    cfg = {"scenario": scenario, "seed": seed, **(env_config or {})}
    if shared_policy:
        modules = ["shared"]

        def mapping(agent_id: str, *args: Any, **kwargs: Any) -> str:
            return "shared"
    else:
        modules = sorted(set(team_of(scenario, cfg.get("stage")).values()))
        mapping = team_policy_mapping(scenario, cfg.get("stage"))
    ppo_config_cls: Any = ppo.PPOConfig
    mapping_fn: Any = mapping
    model = DefaultModelConfig(fcnet_hiddens=list(hidden), head_fcnet_hiddens=[], vf_share_layers=False)
    return (
        ppo_config_cls()
        .environment(name, env_config=cfg)
        .env_runners(
            num_env_runners=num_env_runners,
            num_envs_per_env_runner=num_envs_per_env_runner,
            num_cpus_per_env_runner=1,
            rollout_fragment_length="auto",
        )
        .learners(num_learners=0)
        .training(
            train_batch_size_per_learner=train_batch_size,
            minibatch_size=minibatch_size,
            num_epochs=num_epochs,
            lr=lr,
        )
        .multi_agent(
            policies=set(modules),
            policy_mapping_fn=mapping_fn,
            policies_to_train=list(train_teams) if train_teams is not None else None,
        )
        .rl_module(
            rl_module_spec=MultiRLModuleSpec(
                rl_module_specs={m: RLModuleSpec(model_config=model) for m in modules}
            )
        )
        .debugging(seed=seed)
    )
