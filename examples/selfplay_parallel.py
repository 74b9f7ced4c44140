"""Self-play on the PettingZoo env: PPO against a pool of its own past policies.

    python examples/selfplay_parallel.py --steps 100000
    python examples/selfplay_parallel.py --scenario duel --steps 300000 --snapshot-every 25000

``tidebreak.gym.parallel_env`` makes every ship an agent. Here one PPO policy learns the
first ship's seat of a two-ship scenario; the other ship is played by an opponent drawn, for
each episode, from a pool of frozen snapshots of the learner. The pool starts with the
untrained policy, and every ``--snapshot-every`` steps the current policy joins it. At the end
the learner plays the first and the newest snapshot, and the win/loss/draw rates are printed.
``--gap-km`` starts the ships closer than the scenario does (6 km by default, so that in
gun_duel they begin 4 km apart, in contact), which makes battles end before the time limit.

Needs ``pip install 'tidebreak[sb3,pettingzoo]'``.
"""

from __future__ import annotations

import argparse
import copy
import json
from typing import Any

import gymnasium
import numpy as np
from stable_baselines3 import PPO
from stable_baselines3.common.callbacks import BaseCallback
from stable_baselines3.common.monitor import Monitor
from stable_baselines3.common.vec_env import DummyVecEnv

from tidebreak import scenarios
from tidebreak.gym import parallel_env


class SelfPlayEnv(gymnasium.Env):  # type: ignore[type-arg]
    """The first seat of a two-ship ParallelEnv as a Gymnasium env.

    The second seat is played by a policy from ``pool`` (anything with an SB3
    ``predict``), drawn afresh for each episode.
    """

    def __init__(self, package: dict[str, Any], pool: list[Any], seed: int, **env_kwargs: Any) -> None:
        self.env = parallel_env(package, **env_kwargs)
        if len(self.env.possible_agents) != 2:
            raise ValueError(f"self-play needs a two-ship scenario, got agents {self.env.possible_agents}")
        self.me, self.other = self.env.possible_agents
        self.observation_space = self.env.observation_space(self.me)
        self.action_space = self.env.action_space(self.me)
        self.pool = pool  # filled by the caller before the first reset
        self.opponent: Any = None
        self._draw = np.random.default_rng(seed)
        self._other_obs: np.ndarray | None = None

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        super().reset(seed=seed)
        obs, infos = self.env.reset(seed=seed)
        self.opponent = self.pool[self._draw.integers(len(self.pool))]
        self._other_obs = obs[self.other]
        return obs[self.me], infos[self.me]

    def step(self, action: np.ndarray) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        actions = {self.me: action}
        if self.other in self.env.agents:
            actions[self.other], _ = self.opponent.predict(self._other_obs, deterministic=False)
        obs, rewards, terms, truncs, infos = self.env.step(actions)
        if self.other in obs:
            self._other_obs = obs[self.other]
        return obs[self.me], float(rewards[self.me]), terms[self.me], truncs[self.me], infos[self.me]

    def close(self) -> None:
        self.env.close()


class Snapshots(BaseCallback):
    """Adds a frozen copy of the learner's policy to the pool every ``every`` steps."""

    def __init__(self, pool: list[Any], every: int) -> None:
        super().__init__()
        self.pool, self.every, self._next = pool, every, every

    def _on_step(self) -> bool:
        if self.num_timesteps >= self._next:
            snapshot = copy.deepcopy(self.model.policy)
            snapshot.set_training_mode(False)
            self.pool.append(snapshot)
            self._next += self.every
        return True


def play(
    model: PPO, opponent: Any, package: dict[str, Any], episodes: int, seed: int, **env_kwargs: Any
) -> dict[str, float]:
    """Win/loss/draw rates of ``model`` (deterministic) against ``opponent`` from the first seat."""
    env = SelfPlayEnv(package, [opponent], seed, **env_kwargs)
    counts = {"win": 0, "loss": 0, "draw": 0}
    for episode in range(episodes):
        obs, _ = env.reset(seed=seed + episode)
        done, info = False, {}
        while not done:
            action, _ = model.predict(obs, deterministic=True)
            obs, _, terminated, truncated, info = env.step(action)
            done = terminated or truncated
        counts[info.get("outcome", "draw")] += 1
    env.close()
    return {f"{k}_rate": v / episodes for k, v in counts.items()}


def closer(package: dict[str, Any], gap_km: float) -> dict[str, Any]:
    """``package`` with its second ship moved ``gap_km`` toward the first (keeping 1 km between them)."""
    a, b = (s["initial_state"] for s in package["ships"][:2])
    dx, dy = a["x"] - b["x"], a["y"] - b["y"]
    dist = float(np.hypot(dx, dy))
    move = min(gap_km * 1000, max(dist - 1000, 0))
    if dist > 0:
        b["x"], b["y"] = b["x"] + dx / dist * move, b["y"] + dy / dist * move
    return package


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenario", default="gun_duel", help="a two-ship scenario: gun_duel, duel, sub_duel"
    )
    parser.add_argument("--steps", type=int, default=100_000, help="training steps of the learner")
    parser.add_argument("--envs", type=int, default=8)
    parser.add_argument("--snapshot-every", type=int, default=20_000)
    parser.add_argument("--time-limit", type=float, default=300, help="seconds per battle")
    parser.add_argument(
        "--gap-km",
        type=float,
        default=6,
        help="start the second ship this much closer (0: as in the scenario)",
    )
    parser.add_argument("--eval-episodes", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    package = closer(scenarios.load(args.scenario), args.gap_km)
    package["time_limit_s"] = args.time_limit
    env_kwargs = {"reward_weights": "dense"}
    pool: list[Any] = []
    venv = DummyVecEnv(
        [
            lambda i=i: Monitor(SelfPlayEnv(package, pool, args.seed + i, **env_kwargs))
            for i in range(args.envs)
        ]
    )
    n_steps = 256
    model = PPO(
        "MlpPolicy",
        venv,
        n_steps=n_steps,
        batch_size=min(1024, n_steps * args.envs),
        ent_coef=0.01,
        seed=args.seed,
        device="cpu",
        verbose=1,
    )
    first = copy.deepcopy(model.policy)
    first.set_training_mode(False)
    pool.append(first)  # the untrained policy
    model.learn(total_timesteps=args.steps, callback=Snapshots(pool, args.snapshot_every))
    venv.close()

    results = {
        "snapshots": len(pool),
        "vs_untrained": play(model, first, package, args.eval_episodes, args.seed + 1000, **env_kwargs),
        "vs_newest_snapshot": play(
            model, pool[-1], package, args.eval_episodes, args.seed + 2000, **env_kwargs
        ),
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
