from __future__ import annotations

import numpy as np
import pytest

from tidebreak.strategic import build_world
from tidebreak.strategic.diplomacy import (
    accepts,
    declare_war,
    diplomacy_phase,
    disposition_band,
    make_ceasefire,
)
from tidebreak.strategic.governance import (
    advance_queue,
    drift_legitimacy,
    enqueue,
    influence,
    latency_days,
    legitimacy_band,
    react,
)
from tidebreak.strategic.morale import decay_battle_modifier, effective_morale
from tidebreak.strategic.rng import Rngs
from tidebreak.strategic.tuning import Tuning
from tidebreak.strategic.world import InternalFaction, pair_key


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (1.0, "allied"),
        (0.7, "allied"),
        (0.69, "friendly"),
        (0.3, "friendly"),
        (0.29, "neutral"),
        (-0.3, "neutral"),
        (-0.31, "unfriendly"),
        (-0.7, "unfriendly"),
        (-0.71, "hostile"),
        (-1.0, "hostile"),
    ],
)
def test_disposition_bands(value: float, band: str) -> None:
    assert disposition_band(value) == band


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0.9, "stable"),
        (0.6, "stable"),
        (0.59, "strained"),
        (0.4, "strained"),
        (0.39, "crisis"),
        (0.2, "crisis"),
        (0.19, "collapse"),
        (0.0, "collapse"),
    ],
)
def test_legitimacy_bands(value: float, band: str) -> None:
    assert legitimacy_band(value) == band


@pytest.mark.parametrize(
    ("gov", "lo", "hi"), [("autocracy", 0, 1), ("corporate", 2, 5), ("representative", 5, 15)]
)
def test_decision_latency_by_government(gov: str, lo: int, hi: int) -> None:
    gen = np.random.default_rng(0)
    seen = {latency_days(Tuning(), gov, gen) for _ in range(400)}
    assert min(seen) == lo and max(seen) == hi


def test_decision_queue_waits_for_latency_and_freezes_in_collapse() -> None:
    world = build_world(seed=4)
    rngs = Rngs(world.rng_states)
    arc = world.arcologies["accord_prime"]  # representative: 5–15 days
    d = enqueue(world, rngs["governance"], arc, "propaganda", "accord", {"arcology": arc.id})
    assert 5 <= d.due_day - world.day <= 15
    done: list[int] = []

    def execute(w, r, dec):  # type: ignore[no-untyped-def]
        done.append(w.day)
        return True

    arc.legitimacy = 0.1  # collapse: the queue is frozen
    for _ in range(20):
        world.day += 1
        advance_queue(world, rngs, arc, execute)
    assert not done and arc.decision_queue
    latency = d.due_day - world.day  # the whole wait is still ahead: paralysis postpones, not skips
    assert 5 <= latency <= 15
    arc.legitimacy = 0.7
    for _ in range(latency):
        world.day += 1
        advance_queue(world, rngs, arc, execute)
    assert done == [world.day] and not arc.decision_queue


def test_internal_faction_influence_and_reactions() -> None:
    t = Tuning()
    sec = InternalFaction(id="s", name="S", sector="security", share=0.5)
    ag = InternalFaction(id="a", name="A", sector="agriculture", share=0.5)
    assert influence(t, sec) == pytest.approx(0.6)
    assert influence(t, ag) == pytest.approx(0.7)
    world = build_world(seed=1)
    arc = world.arcologies["accord_prime"]
    arc.internal_factions = [sec, ag]
    react(t, arc, "declare_war")  # security supports, agriculture opposes
    assert sec.satisfaction == pytest.approx(0.55) and sec.radicalisation == pytest.approx(0.08)
    assert ag.satisfaction == pytest.approx(0.45) and ag.radicalisation == pytest.approx(0.12)


def test_legitimacy_drifts_toward_baseline() -> None:
    world = build_world(seed=1)
    arc = world.arcologies["iron_spire"]  # autocracy, baseline 0.5
    for i in arc.internal_factions:
        i.radicalisation = 0.0
        i.satisfaction = 0.5
    arc.legitimacy = 0.9
    for _ in range(400):
        drift_legitimacy(world, arc)
    assert arc.legitimacy == pytest.approx(0.5, abs=0.01)
    arc.legitimacy = 0.1
    drift_legitimacy(world, arc)
    assert arc.legitimacy > 0.1


def test_morale_decay_and_clamp() -> None:
    world = build_world(seed=1)
    f = world.factions["dominion"]
    f.battle_modifier = 0.2
    decay_battle_modifier(f, 0.95)
    assert f.battle_modifier == pytest.approx(0.19)
    f.battle_modifier = 5.0
    assert effective_morale(f) == 1.0
    f.battle_modifier = -5.0
    assert effective_morale(f) == 0.0


def test_war_treaties_and_penalties() -> None:
    world = build_world(seed=1)
    rngs = Rngs(world.rng_states)
    world.dispositions[pair_key("accord", "freeholds")] = 0.5
    from tidebreak.strategic.diplomacy import add_treaty

    add_treaty(world, "non_aggression", "accord", "freeholds")
    before = world.disposition("accord", "freeholds")
    declare_war(world, "accord", "freeholds")
    assert world.at_war("accord", "freeholds")
    assert world.disposition("accord", "freeholds") == pytest.approx(before - 0.30)
    assert not world.has_treaty("accord", "freeholds", "non_aggression")
    world.factions["freeholds"].base_morale = 0.2  # weak: accepts a ceasefire
    assert accepts(world, rngs, "ceasefire", "accord", "freeholds")
    make_ceasefire(world, "accord", "freeholds")
    assert not world.at_war("accord", "freeholds") and world.has_treaty("accord", "freeholds", "ceasefire")


def test_alliance_grace_period() -> None:
    world = build_world(seed=1)
    rngs = Rngs(world.rng_states)
    world.dispositions[pair_key("accord", "freeholds")] = 0.8
    world.day = 59
    assert not accepts(world, rngs, "alliance", "accord", "freeholds")
    from tidebreak.strategic.faction_ai import available

    assert available(world, "accord", "propose_alliance") is None
    world.day = 60
    assert accepts(world, rngs, "alliance", "accord", "freeholds")


def test_standoff_lowers_disposition() -> None:
    world = build_world(seed=1)
    k = pair_key("accord", "dominion")
    world.dispositions[k] = -0.5
    diplomacy_phase(world)
    assert world.dispositions[k] == pytest.approx(-0.51)
