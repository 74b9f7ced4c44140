"""PPO in one short file (CleanRL-style): actor-critic, rollout buffer, update.

The actor is the MLP a :class:`~tidebreak.rl.policy.Policy` runs in numpy;
:meth:`ActorCritic.policy` exports it. Multidiscrete actions sample each of
the five components from its masked softmax (illegal choices get zero
probability); box actions are a Gaussian with a learned, state-independent
standard deviation. Needs torch (the ``train`` extra).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from tidebreak.gym.spaces import MultiDiscreteActions
from tidebreak.rl.policy import Policy
from tidebreak.rl.train.config import PPOConfig

__all__ = ["ActorCritic", "Rollout", "update"]

_NVEC = MultiDiscreteActions.nvec
_ACTION_SIZE = 7


def _mlp(sizes: list[int], activation: str, out_gain: float) -> nn.Sequential:
    act: type[nn.Module] = nn.Tanh if activation == "tanh" else nn.ReLU
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        lin = nn.Linear(a, b)
        last = i == len(sizes) - 2
        nn.init.orthogonal_(lin.weight, out_gain if last else float(np.sqrt(2)))
        nn.init.zeros_(lin.bias)
        layers.append(lin)
        if not last:
            layers.append(act())
    return nn.Sequential(*layers)


_LOG_SQRT_2PI = 0.5 * float(np.log(2 * np.pi))


class ActorCritic(nn.Module):  # type: ignore[misc,unused-ignore]
    """Separate actor and critic MLPs over the flat observation."""

    pad_idx: torch.Tensor

    def __init__(self, obs_size: int, action_mode: str, hidden: tuple[int, ...], activation: str) -> None:
        super().__init__()
        self.action_mode = action_mode
        self.activation = activation
        out = sum(_NVEC) if action_mode == "multidiscrete" else _ACTION_SIZE
        self.actor = _mlp([obs_size, *hidden, out], activation, 0.01)
        self.critic = _mlp([obs_size, *hidden, 1], activation, 1.0)
        if action_mode == "box":
            self.log_std = nn.Parameter(torch.zeros(_ACTION_SIZE))
        else:
            k = max(_NVEC)
            idx = torch.full((len(_NVEC), k), sum(_NVEC), dtype=torch.long)
            off = 0
            for g, n in enumerate(_NVEC):
                idx[g, :n] = torch.arange(off, off + n)
                off += n
            self.register_buffer("pad_idx", idx.reshape(-1))

    def _gaussian_logp(self, mean: torch.Tensor, action: torch.Tensor) -> torch.Tensor:
        z = (action - mean) / self.log_std.exp()
        out: torch.Tensor = (-0.5 * z * z - self.log_std - _LOG_SQRT_2PI).sum(-1)
        return out

    def value(self, obs: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.critic(obs).squeeze(-1)
        return out

    def _grouped(self, obs: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Log-probabilities (n, 5, 5) with padding and illegal choices at -inf-ish, and legality."""
        logits = self.actor(obs)
        n = logits.shape[0]
        k = max(_NVEC)
        pad = torch.cat([logits, logits.new_zeros(n, 1)], 1)[:, self.pad_idx].reshape(n, len(_NVEC), k)
        legal = torch.cat([mask, mask.new_zeros(n, 1)], 1)[:, self.pad_idx].reshape(n, len(_NVEC), k)
        pad = pad.masked_fill(~legal, -1e9)
        return torch.log_softmax(pad, -1), legal

    def act(self, obs: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Sampled actions, their log-probabilities and the values (no gradients)."""
        with torch.no_grad():
            value = self.value(obs)
            if self.action_mode == "box":
                mean = self.actor(obs)
                action = mean + self.log_std.exp() * torch.randn_like(mean)
                return action, self._gaussian_logp(mean, action), value
            logp_all, _ = self._grouped(obs, mask)
            gumbel = -torch.log(-torch.log(torch.rand_like(logp_all).clamp_min(1e-20)))
            action = (logp_all + gumbel).argmax(-1)
            logp = logp_all.gather(-1, action.unsqueeze(-1)).squeeze(-1).sum(-1)
            return action, logp, value

    def evaluate(
        self, obs: torch.Tensor, mask: torch.Tensor, action: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Log-probabilities of ``action``, entropies and values (with gradients)."""
        value = self.value(obs)
        if self.action_mode == "box":
            logp = self._gaussian_logp(self.actor(obs), action)
            entropy = (0.5 + _LOG_SQRT_2PI + self.log_std).sum().expand(obs.shape[0])
            return logp, entropy, value
        logp_all, legal = self._grouped(obs, mask)
        logp = logp_all.gather(-1, action.unsqueeze(-1)).squeeze(-1).sum(-1)
        p = logp_all.exp()
        entropy = -torch.where(legal, p * logp_all, torch.zeros_like(p)).sum((-1, -2))
        return logp, entropy, value

    def imitation(
        self, obs: torch.Tensor, mask: torch.Tensor, teacher: torch.Tensor, dims: int | None = None
    ) -> torch.Tensor:
        """Per-sample negative log-likelihood of the teacher's action (with
        gradients), over every action dimension or over the first ``dims``
        (2: throttle and rudder). A choice the mask forbids (the teacher saw a
        solution the agent's mask does not offer) adds nothing for its dimension."""
        if self.action_mode == "box":
            mean = self.actor(obs)
            z = (teacher.clamp(-1, 1) - mean) / self.log_std.exp()
            nll = 0.5 * z * z + self.log_std + _LOG_SQRT_2PI
            box: torch.Tensor = nll[:, :dims].sum(-1)
            return box
        logp_all, legal = self._grouped(obs, mask)
        choice = teacher.unsqueeze(-1)
        logp = logp_all.gather(-1, choice).squeeze(-1)
        ok = legal.gather(-1, choice).squeeze(-1)
        out: torch.Tensor = -torch.where(ok, logp, torch.zeros_like(logp))[:, :dims].sum(-1)
        return out

    def policy(self, env_id: str, env_kwargs: dict[str, Any], **kwargs: Any) -> Policy:
        """The actor as a numpy :class:`~tidebreak.rl.policy.Policy`."""
        linears = [m for m in self.actor if isinstance(m, nn.Linear)]
        return Policy(
            weights=[m.weight.detach().numpy().copy() for m in linears],
            biases=[m.bias.detach().numpy().copy() for m in linears],
            action_mode=self.action_mode,
            env_id=env_id,
            env_kwargs=env_kwargs,
            activation=self.activation,
            log_std=self.log_std.detach().numpy().copy() if self.action_mode == "box" else None,
            **kwargs,
        )


@dataclass
class Rollout:
    """``steps × envs`` transitions, preallocated once (numpy; torch views share the memory)."""

    obs: npt.NDArray[np.float32]
    masks: npt.NDArray[np.bool_]
    actions: npt.NDArray[Any]
    logp: npt.NDArray[np.float32]
    values: npt.NDArray[np.float32]
    rewards: npt.NDArray[np.float32]
    starts: npt.NDArray[np.float32]  # 1 where the step begins a new episode
    teacher: npt.NDArray[Any] | None = None  # the teacher's actions, as actions (with a teacher)
    teacher_weight: npt.NDArray[np.float32] | None = None  # per env: 1 where the teacher's term counts

    @classmethod
    def allocate(
        cls, steps: int, envs: int, obs_size: int, mask_size: int, action_mode: str, teacher: bool = False
    ) -> Rollout:
        if action_mode == "box":
            actions: npt.NDArray[Any] = np.zeros((steps, envs, _ACTION_SIZE), np.float32)
        else:
            actions = np.zeros((steps, envs, len(_NVEC)), np.int64)
        return cls(
            obs=np.zeros((steps, envs, obs_size), np.float32),
            masks=np.zeros((steps, envs, mask_size), bool),
            actions=actions,
            logp=np.zeros((steps, envs), np.float32),
            values=np.zeros((steps, envs), np.float32),
            rewards=np.zeros((steps, envs), np.float32),
            starts=np.zeros((steps, envs), np.float32),
            teacher=np.zeros_like(actions) if teacher else None,
            teacher_weight=np.ones(envs, np.float32) if teacher else None,
        )


def advantages(
    r: Rollout,
    last_value: npt.NDArray[np.float32],
    last_start: npt.NDArray[np.float32],
    gamma: float,
    lam: float,
) -> npt.NDArray[np.float32]:
    """Generalised advantage estimates; an episode end is terminal (no bootstrap across it)."""
    steps = r.rewards.shape[0]
    adv = np.zeros_like(r.rewards)
    running = np.zeros_like(last_value)
    for t in reversed(range(steps)):  # over time steps only; every env at once
        if t == steps - 1:
            nonterminal, next_value = 1.0 - last_start, last_value
        else:
            nonterminal, next_value = 1.0 - r.starts[t + 1], r.values[t + 1]
        delta = r.rewards[t] + gamma * next_value * nonterminal - r.values[t]
        running = delta + gamma * lam * nonterminal * running
        adv[t] = running
    return adv


def update(
    model: ActorCritic,
    optimizer: torch.optim.Optimizer,
    r: Rollout,
    adv: npt.NDArray[np.float32],
    cfg: PPOConfig,
    generator: torch.Generator,
    teacher_coef: float = 0.0,
    heard_coef: float = 0.0,
    heard_index: int = -1,
) -> dict[str, float]:
    """``cfg.epochs`` passes of clipped PPO over the rollout in ``cfg.minibatches`` minibatches;
    with ``teacher_coef`` > 0 the loss adds that times the cross-entropy against the
    rollout's teacher actions (kickstarting), and with ``heard_coef`` > 0 that times the
    cross-entropy of throttle and rudder on the samples whose observation value
    ``heard_index`` is positive (a torpedo heard)."""
    n = adv.size
    obs = torch.from_numpy(r.obs.reshape(n, -1))
    masks = torch.from_numpy(r.masks.reshape(n, -1))
    actions = torch.from_numpy(r.actions.reshape(n, *r.actions.shape[2:]))
    old_logp = torch.from_numpy(r.logp.reshape(n))
    adv_t = torch.from_numpy(adv.reshape(n))
    returns = adv_t + torch.from_numpy(r.values.reshape(n))
    teach = weight = heard = None
    if (teacher_coef > 0 or heard_coef > 0) and r.teacher is not None and r.teacher_weight is not None:
        teach = torch.from_numpy(r.teacher.reshape(n, *r.teacher.shape[2:]))
        weight = torch.from_numpy(np.broadcast_to(r.teacher_weight, r.rewards.shape).reshape(n).copy())
        if heard_coef > 0 and heard_index >= 0:
            heard = weight * (obs[:, heard_index] > 0).float()
    size = n // cfg.minibatches
    stats = {
        "loss/policy": 0.0,
        "loss/value": 0.0,
        "loss/entropy": 0.0,
        "loss/approx_kl": 0.0,
        "loss/clip_frac": 0.0,
        "loss/imitation": 0.0,
        "loss/imitation_heard": 0.0,
    }
    count = 0
    for _ in range(cfg.epochs):
        order = torch.randperm(n, generator=generator)
        for start in range(0, size * cfg.minibatches, size):
            idx = order[start : start + size]
            logp, entropy, value = model.evaluate(obs[idx], masks[idx], actions[idx])
            log_ratio = logp - old_logp[idx]
            ratio = log_ratio.exp()
            a = adv_t[idx]
            a = (a - a.mean()) / (a.std() + 1e-8)
            pg = torch.max(-a * ratio, -a * ratio.clamp(1 - cfg.clip_coef, 1 + cfg.clip_coef)).mean()
            v_loss = 0.5 * ((value - returns[idx]) ** 2).mean()
            ent = entropy.mean()
            loss = pg + cfg.vf_coef * v_loss - cfg.ent_coef * ent
            if teach is not None and weight is not None and teacher_coef > 0:
                w = weight[idx]
                imitation = (model.imitation(obs[idx], masks[idx], teach[idx]) * w).sum() / w.sum().clamp_min(
                    1.0
                )
                loss = loss + teacher_coef * imitation
                stats["loss/imitation"] += float(imitation.detach())
            if teach is not None and heard is not None:
                h = heard[idx]
                evasion = (
                    model.imitation(obs[idx], masks[idx], teach[idx], dims=2) * h
                ).sum() / h.sum().clamp_min(1.0)
                loss = loss + heard_coef * evasion
                stats["loss/imitation_heard"] += float(evasion.detach())
            optimizer.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call,unused-ignore]
            nn.utils.clip_grad_norm_(model.parameters(), cfg.max_grad_norm)
            optimizer.step()
            with torch.no_grad():
                stats["loss/policy"] += float(pg)
                stats["loss/value"] += float(v_loss)
                stats["loss/entropy"] += float(ent)
                stats["loss/approx_kl"] += float(((ratio - 1) - log_ratio).mean())
                stats["loss/clip_frac"] += float(((ratio - 1).abs() > cfg.clip_coef).float().mean())
            count += 1
    return {k: v / max(count, 1) for k, v in stats.items()}
