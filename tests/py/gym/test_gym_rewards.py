"""RewardShaper: weights, presets, batching, custom callables."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tidebreak.engine import layout
from tidebreak.engine.layout import NUM_REWARD_TERMS
from tidebreak.rl.rewards import DEFAULT_WEIGHTS, RewardShaper, as_reward_fn, dense, sparse


def test_defaults_cover_every_term() -> None:
    assert set(DEFAULT_WEIGHTS) == set(layout.REWARD_TERMS)
    shaper = RewardShaper()
    assert shaper.as_dict() == DEFAULT_WEIGHTS
    assert shaper.weights.shape == (NUM_REWARD_TERMS,)


def test_weighted_sum_one_env_and_batches() -> None:
    shaper = RewardShaper({"damage_dealt": 0.5, "win": 10.0, "time": -0.01})
    terms = np.zeros(NUM_REWARD_TERMS, np.float32)
    terms[layout.REWARD_TERMS.index("damage_dealt")] = 4
    terms[layout.REWARD_TERMS.index("time")] = 1
    assert shaper(terms) == pytest.approx(1.99)
    batch = np.stack([terms, np.zeros(NUM_REWARD_TERMS, np.float32)])
    assert shaper(batch).shape == (2,)
    assert shaper(batch.reshape(1, 2, NUM_REWARD_TERMS)).shape == (1, 2)


@settings(max_examples=50, deadline=None)
@given(
    hnp.arrays(
        np.float32,
        st.tuples(st.integers(1, 40), st.just(NUM_REWARD_TERMS)),
        elements=st.floats(-100, 100, width=32),
    )
)
def test_batch_rows_equal_single_rows_bit_for_bit(terms: np.ndarray) -> None:
    shaper = dense()
    batch = shaper(terms)
    for i, row in enumerate(terms):
        assert shaper(row) == batch[i]
    # Rows that are a strided view of a wider buffer give the same bits.
    wide = np.zeros((terms.shape[0], NUM_REWARD_TERMS + 6), np.float32)
    wide[:, 3 : 3 + NUM_REWARD_TERMS] = terms
    assert shaper(wide[:, 3 : 3 + NUM_REWARD_TERMS]).tobytes() == batch.tobytes()


def test_presets() -> None:
    s = sparse().as_dict()
    assert s["win"] == 1 and s["loss"] == -1
    assert sum(abs(v) for v in s.values()) == 2
    d = dense().as_dict()
    assert d["damage_dealt"] > DEFAULT_WEIGHTS["damage_dealt"] > 0
    assert d["approach"] == 2 * DEFAULT_WEIGHTS["approach"] and d["win"] == DEFAULT_WEIGHTS["win"]
    assert as_reward_fn("legacy").as_dict()["draw"] == -1 and as_reward_fn("legacy").as_dict()["win"] == 5


def test_defaults_make_a_draw_no_safer_than_a_loss() -> None:
    # Hiding to a draw must never beat fighting and losing: a draw weighs as a
    # loss, and being hit or sunk costs nothing beyond the loss it leads to.
    w = DEFAULT_WEIGHTS
    assert w["draw"] <= w["loss"] < 0 < w["win"]
    assert w["damage_taken"] == 0 and w["death"] == 0
    assert w["approach"] > 0 and w["damage_dealt"] > 0 and w["kill"] > 0
    assert as_reward_fn("sparse") == sparse()
    assert as_reward_fn(None) == RewardShaper()


def test_weight_arrays_and_errors() -> None:
    w = np.arange(NUM_REWARD_TERMS, dtype=np.float64)
    assert RewardShaper(w).as_dict()["detected"] == 11
    assert RewardShaper(RewardShaper(w)) == RewardShaper(w)
    with pytest.raises(KeyError, match="unknown reward terms"):
        RewardShaper({"treasure": 1.0})
    with pytest.raises(ValueError, match=f"want {NUM_REWARD_TERMS} weights"):
        RewardShaper([1.0, 2.0])
    with pytest.raises(ValueError, match="finite"):
        RewardShaper({"win": float("nan")})
    with pytest.raises(ValueError, match="shape"):
        RewardShaper()(np.zeros(5))
    with pytest.raises(ValueError, match="preset"):
        as_reward_fn("lavish")


def test_callables_replace_the_shaper() -> None:
    def fn(terms: np.ndarray) -> np.ndarray:
        return terms[..., 0] - terms[..., 1]

    assert as_reward_fn(fn) is fn
