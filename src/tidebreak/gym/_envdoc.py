"""The structured part of the env classes' docstrings, written from the library's layout.

Gymnasium's own envs describe their action space, observation space, rewards,
starting state and episode end in the class docstring. Tidebreak's envs do
the same, but the tables are not typed out: they are rendered from
:mod:`tidebreak.engine.layout` (which the Go library reports) and from the
default reward weights, so ``help(TidebreakEnv)`` can never disagree with the
spaces the env builds.

>>> "| 0 | `own.x` |" in sections("single")
True
"""

from __future__ import annotations

from typing import Literal

from tidebreak.engine import layout
from tidebreak.rl.rewards import DEFAULT_WEIGHTS

__all__ = ["document", "sections"]

Kind = Literal["single", "vector", "parallel"]

_SHAPE = {
    "single": "one ship's",
    "vector": "each env's (stacked on a first axis of length ``num_envs``)",
    "parallel": "each agent's (one entry per agent id)",
}


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in text.splitlines())


def sections(kind: Kind) -> str:
    """The Action space … Episode end sections for one kind of env, as docstring text."""
    k = layout.DEFAULT_MAX_TRACKS
    rewards = "\n".join(
        f"| `{name}` | {DEFAULT_WEIGHTS.get(name, 0.0):+g} | {f.doc} |"
        for name, f in zip(layout.REWARD_TERMS, layout.fields("reward"))
    )
    parts = [
        "Action space",
        "------------",
        f'``action_mode="box"`` (default): ``Box(-1, 1, ({layout.ACTION_SIZE},))``, {_SHAPE[kind]}',
        "native action vector:",
        "",
        _indent(layout.render_doc_block("action")),
        "",
        '``action_mode="multidiscrete"``: ``MultiDiscrete([5, 5, 4, 3, 2])`` — throttle and rudder',
        "bins (-1, -0.5, 0, 0.5, 1), fire (none, gun, torpedo, asw), layer (hold, dive, surface),",
        'ping (no, yes). Its mask, ``info["action_mask"]``, is one int8 array per dimension',
        "(``space.sample(mask=...)`` takes it); ``action_masks()`` gives it flat for MaskablePPO.",
        'In both modes ``info["legal_choices"]`` says what may fire, dive, surface or ping now:',
        "",
        _indent(layout.render_doc_block("mask")),
        "",
        "Observation space",
        "-----------------",
        f"``Box(low, high, (obs_size(max_tracks),))`` float32, {_SHAPE[kind]} view of the battle,",
        "built from its own sensors' tracks (fog of war), never from ground truth:",
        "",
        _indent(layout.render_doc_block("obs_size")),
        "",
        _indent(layout.render_doc_block("own")),
        "",
        _indent(layout.render_doc_block("track")),
        "",
        _indent(layout.render_doc_block("env")),
        "",
        _indent(layout.render_doc_block("context")),
        "",
        "Rewards",
        "-------",
        f"The library writes {layout.NUM_REWARD_TERMS} raw terms per agent per tick",
        '(``info["reward_terms"]``); the reward is their weighted sum',
        "(:class:`tidebreak.rl.rewards.RewardShaper`; ``reward_weights=`` changes the weights):",
        "",
        _indent("| term | default weight | raw unit |\n|---|---:|---|\n" + rewards),
        "",
        "Starting state",
        "--------------",
        "The scenario's ships at their start positions, jittered by the episode seed where",
        "the scenario's ``randomize`` block says so (positions, headings, weather);",
        f"the track table starts empty ({k} slots by default, ``max_tracks=``).",
        "",
        "Episode end",
        "-----------",
        "``terminated`` when one team is the only one with ships in action (a win or a loss);",
        "``truncated`` at the scenario's time limit (a draw; one step is one 1 s tick, so the",
        "registered ``max_episode_steps`` is the time limit in seconds). A ship put out of",
        "action stays in the episode with its actions ignored until the battle ends;",
        '``info["outcome"]`` is "win", "loss" or "draw" at the end.',
    ]
    return "\n".join(parts)


def document(cls: type, kind: Kind) -> None:
    """Append the generated sections to ``cls``'s docstring (once)."""
    doc = cls.__doc__ or ""
    if "Action space\n" in doc:
        return
    cls.__doc__ = doc.rstrip() + "\n\n" + _indent(sections(kind)) + "\n"
