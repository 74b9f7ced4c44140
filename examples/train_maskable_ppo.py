"""Train MaskablePPO (sb3-contrib) on a Tidebreak env with impossible actions masked out.

    python examples/train_maskable_ppo.py --steps 200000 --envs 16
    python examples/train_maskable_ppo.py --env-id Tidebreak/SubDuel-v0 --steps 50000

With ``action_mode="multidiscrete"`` an action is five choices: throttle (5 bins), rudder (5),
fire (none, gun, torpedo, ASW), layer (stay, dive, surface) and ping (no, yes). The flat
19-entry mask rules out, every tick, the choices the ship cannot make: a weapon it does not
carry, one that is reloading or has no target, a dive in the shallows, a ping without an
active sonar. The SB3 VecEnv from ``tidebreak.gym.sb3.make_vec_env`` answers
``env_method("action_masks")`` from the native batch, which is how MaskablePPO reads them.

Needs ``pip install 'tidebreak[sb3]'``. Prints how much of the action space the masks ruled
out during a short rollout, trains, evaluates against the scripted baselines (with masks)
and saves the model.
"""

from __future__ import annotations

import argparse

import numpy as np
from _common import save_and_evaluate  # examples/_common.py
from sb3_contrib import MaskablePPO
from sb3_contrib.common.maskable.utils import get_action_masks

import tidebreak.gym  # noqa: F401 - registers the Tidebreak ids
from tidebreak.gym.sb3 import make_vec_env


def masked_share(venv: object, steps: int = 64) -> float:
    """Mean fraction of the 19 choices masked out, over a short random rollout."""
    shares = []
    for _ in range(steps):
        masks = get_action_masks(venv)
        shares.append(1.0 - masks.mean())
        venv.step(np.stack([venv.action_space.sample() for _ in range(venv.num_envs)]))  # type: ignore[attr-defined]
    return float(np.mean(shares))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env-id", default="Tidebreak/Duel-v0")
    parser.add_argument("--steps", type=int, default=200_000, help="training env-steps")
    parser.add_argument("--envs", type=int, default=16, help="envs in the native batch")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reward", default="dense", help="reward preset: default, sparse or dense")
    parser.add_argument("--tb", default=None, help="TensorBoard log dir (needs tensorboard)")
    parser.add_argument("--eval-episodes", type=int, default=32)
    parser.add_argument("--out", default="maskable_ppo")
    args = parser.parse_args()

    env_kwargs = {"action_mode": "multidiscrete", "reward_weights": args.reward}
    venv = make_vec_env(args.env_id, n_envs=args.envs, seed=args.seed, **env_kwargs)
    venv.reset()
    print(f"masks rule out {masked_share(venv):.0%} of the choices under random play")

    n_steps = 256
    model = MaskablePPO(
        "MlpPolicy",
        venv,
        n_steps=n_steps,
        batch_size=min(1024, n_steps * args.envs),
        seed=args.seed,
        tensorboard_log=args.tb,
        device="cpu",
        verbose=1,
    )
    model.learn(total_timesteps=args.steps)
    save_and_evaluate(model, args.out, args.env_id, args.eval_episodes, args.seed + 1, env_kwargs)
    venv.close()


if __name__ == "__main__":
    main()
