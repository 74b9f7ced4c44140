"""Train PPO (or MaskablePPO) on Tidebreak/Duel-v0 over the native batch.

    python examples/train_ppo_duel.py --steps 200000 --envs 16
    python examples/train_ppo_duel.py --masked --steps 200000   # MultiDiscrete + masks
    tensorboard --logdir runs/

examples/train_maskable_ppo.py is the MaskablePPO walk-through.

Needs ``pip install 'tidebreak[sb3]'`` (and ``tensorboard`` for --tb).
Evaluates against the scripted baselines at the end and saves the model.
"""

from __future__ import annotations

import argparse

from _common import save_and_evaluate  # examples/_common.py

import tidebreak.gym  # noqa: F401 - registers the Tidebreak ids
from tidebreak.gym.sb3 import make_vec_env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env-id", default="Tidebreak/Duel-v0")
    parser.add_argument("--steps", type=int, default=200_000)
    parser.add_argument("--envs", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--masked", action="store_true", help="MaskablePPO with action_mode=multidiscrete")
    parser.add_argument("--reward", default="dense", help="reward preset: default, sparse or dense")
    parser.add_argument("--tb", default=None, help="TensorBoard log dir (e.g. runs/)")
    parser.add_argument("--eval-episodes", type=int, default=32)
    parser.add_argument("--out", default="ppo_duel")
    args = parser.parse_args()

    action_mode = "multidiscrete" if args.masked else "box"
    env_kwargs = {"action_mode": action_mode, "reward_weights": args.reward}
    venv = make_vec_env(args.env_id, n_envs=args.envs, seed=args.seed, **env_kwargs)
    if args.masked:
        from sb3_contrib import MaskablePPO

        model = MaskablePPO(
            "MlpPolicy",
            venv,
            n_steps=256,
            batch_size=min(1024, 256 * args.envs),
            seed=args.seed,
            tensorboard_log=args.tb,
            device="cpu",
            verbose=1,
        )
    else:
        from stable_baselines3 import PPO

        model = PPO(
            "MlpPolicy",
            venv,
            n_steps=256,
            batch_size=min(1024, 256 * args.envs),
            ent_coef=0.01,
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
