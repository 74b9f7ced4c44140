"""The env classes document their spaces, rewards and episode end from the library's layout."""

from __future__ import annotations

import pytest

from tidebreak.engine import layout
from tidebreak.gym.env import TidebreakEnv
from tidebreak.gym.vector import TidebreakVectorEnv
from tidebreak.rl.rewards import DEFAULT_WEIGHTS

SECTIONS = ("Action space", "Observation space", "Rewards", "Starting state", "Episode end")


@pytest.mark.parametrize("cls", [TidebreakEnv, TidebreakVectorEnv])
def test_docstring_has_every_section_and_every_layout_name(cls: type) -> None:
    doc = cls.__doc__ or ""
    for title in SECTIONS:
        assert f"\n    {title}\n    {'-' * len(title)}\n" in doc, title
    for name in (*layout.OWN_FIELDS, *layout.TRACK_FIELDS, *layout.ACTION_NAMES, *layout.MASK_NAMES):
        assert f"{name}`" in doc, name
    for term in layout.REWARD_TERMS:
        assert f"| `{term}` | {DEFAULT_WEIGHTS.get(term, 0.0):+g} |" in doc, term


def test_parallel_env_is_documented_too() -> None:
    pytest.importorskip("pettingzoo", reason="the PettingZoo env needs the pettingzoo extra")
    from tidebreak.gym.multiagent import TidebreakParallelEnv

    assert "each agent's (one entry per agent id)" in (TidebreakParallelEnv.__doc__ or "")
