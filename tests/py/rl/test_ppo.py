"""The PPO update's imitation terms on hand-made rollouts (needs torch: make test-full)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest

from tidebreak.rl.train.config import PPOConfig

if TYPE_CHECKING:
    from tidebreak.rl.train.ppo import ActorCritic, Rollout

pytestmark = pytest.mark.full

OBS, HEARD = 8, 3  # a tiny observation; value HEARD > 0 marks "a torpedo heard"
CFG = PPOConfig(num_envs=4, steps_per_env=8, epochs=4, minibatches=2, ent_coef=0.0, hidden=(16,))
TEACHER = np.array([4, 0, 1, 2, 1])  # full ahead, hard left, gun, surface, ping


@pytest.fixture(autouse=True)
def _torch() -> None:
    pytest.importorskip("torch")


def _setup(heard_rows: np.ndarray, seed: int = 0) -> tuple[ActorCritic, Rollout, np.ndarray]:
    """A rollout with the teacher advising TEACHER everywhere and zero advantages
    (so PPO's own policy term is zero and only imitation moves the actor)."""
    import torch

    from tidebreak.rl.train.ppo import ActorCritic, Rollout

    torch.manual_seed(seed)
    model = ActorCritic(OBS, "multidiscrete", CFG.hidden, CFG.activation)
    r = Rollout.allocate(CFG.steps_per_env, CFG.num_envs, OBS, 19, "multidiscrete", teacher=True)
    rng = np.random.default_rng(seed)
    r.obs[:] = rng.uniform(-1, 1, r.obs.shape)
    r.obs[..., HEARD] = np.where(heard_rows[:, None], 1.0, 0.0)
    r.masks[:] = True
    assert r.teacher is not None
    r.teacher[:] = TEACHER
    with torch.no_grad():
        a, logp, v = model.act(
            torch.from_numpy(r.obs.reshape(-1, OBS)), torch.from_numpy(r.masks.reshape(-1, 19))
        )
    r.actions[:] = a.numpy().reshape(r.actions.shape)
    r.logp[:] = logp.numpy().reshape(r.logp.shape)
    r.values[:] = v.numpy().reshape(r.values.shape)
    return model, r, np.zeros_like(r.rewards)


def _teacher_nll(model: ActorCritic, r: Rollout, rows: np.ndarray) -> np.ndarray:
    """Per action dimension, the mean negative log-likelihood of the teacher's choice on ``rows``."""
    import torch

    obs = torch.from_numpy(r.obs[rows].reshape(-1, OBS))
    masks = torch.from_numpy(r.masks[rows].reshape(-1, 19))
    with torch.no_grad():
        logp_all, _ = model._grouped(obs, masks)
    choice = torch.as_tensor(TEACHER).expand(obs.shape[0], -1).unsqueeze(-1)
    out: np.ndarray = -logp_all.gather(-1, choice).squeeze(-1).mean(0).numpy()
    return out


def test_imitation_dims_counts_only_the_first_dimensions() -> None:
    import torch

    model, r, _ = _setup(np.zeros(CFG.steps_per_env, bool))
    obs = torch.from_numpy(r.obs.reshape(-1, OBS))
    masks = torch.from_numpy(r.masks.reshape(-1, 19))
    teach = torch.from_numpy(r.teacher.reshape(-1, 5))  # type: ignore[union-attr]
    with torch.no_grad():
        logp_all, _ = model._grouped(obs, masks)
        per_dim = -logp_all.gather(-1, teach.unsqueeze(-1)).squeeze(-1)
        assert torch.allclose(model.imitation(obs, masks, teach), per_dim.sum(-1))
        assert torch.allclose(model.imitation(obs, masks, teach, dims=2), per_dim[:, :2].sum(-1))


def test_heard_term_teaches_throttle_and_rudder_on_heard_steps_only() -> None:
    import torch

    from tidebreak.rl.train.ppo import update

    heard = np.zeros(CFG.steps_per_env, bool)
    heard[::2] = True  # every other time step hears a torpedo
    model, r, adv = _setup(heard)
    before = {k: _teacher_nll(model, r, rows) for k, rows in (("heard", heard), ("quiet", ~heard))}
    gen = torch.Generator().manual_seed(0)
    stats = update(model, torch.optim.Adam(model.parameters(), lr=1e-2), r, adv, CFG, gen, 0.0, 5.0, HEARD)
    after = {k: _teacher_nll(model, r, rows) for k, rows in (("heard", heard), ("quiet", ~heard))}
    assert stats["loss/imitation_heard"] > 0 and stats["loss/imitation"] == 0
    # throttle and rudder move toward the teacher where a torpedo is heard
    assert np.all(after["heard"][:2] < before["heard"][:2] - 0.1)
    # the heard term never imitates fire, layer or ping
    assert np.all(
        np.abs(after["heard"][2:] - before["heard"][2:])
        < np.abs(after["heard"][:2] - before["heard"][:2]).min()
    )


def test_no_heard_step_no_imitation() -> None:
    """Without a heard step (and with zero advantages) the heard term leaves the actor alone."""
    import torch

    from tidebreak.rl.train.ppo import update

    model, r, adv = _setup(np.zeros(CFG.steps_per_env, bool))
    w0 = [p.detach().clone() for p in model.actor.parameters()]
    gen = torch.Generator().manual_seed(0)
    stats = update(model, torch.optim.Adam(model.parameters(), lr=1e-2), r, adv, CFG, gen, 0.0, 5.0, HEARD)
    assert stats["loss/imitation_heard"] == 0
    assert all(torch.equal(a, b) for a, b in zip(w0, model.actor.parameters()))
