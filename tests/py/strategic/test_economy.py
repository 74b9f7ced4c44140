from __future__ import annotations

import pytest

from tidebreak.strategic import AutoResolver, build_world, tick
from tidebreak.strategic.battle import crew_morale
from tidebreak.strategic.campaign import morale_phase
from tidebreak.strategic.economy import days_of_supply, faction_band, supply_band
from tidebreak.strategic.ledger import ConservationError, Ledger
from tidebreak.strategic.movement import movement_phase
from tidebreak.strategic.world import RESOURCES


def test_resources_conserved_exactly_every_day() -> None:
    world = build_world(seed=11)
    res = AutoResolver()
    for _ in range(150):
        rep = tick(world, res, check=True)  # the ledger's own per-arcology check
        # independent check, per faction (end-of-day owners), from the opening snapshot
        for fid, flows in rep.flows.items():
            for r in RESOURCES:
                opening = sum(rep.opening[a.id][r] for a in world.faction_arcologies(fid))
                closing = sum(a.stocks[r] for a in world.faction_arcologies(fid))
                f = flows[r]
                assert (
                    closing - opening == f["produced"] - f["consumed"] + f["transfer_in"] - f["transfer_out"]
                )
                assert closing >= 0
        ins = sum(fl[r]["transfer_in"] for fl in rep.flows.values() for r in RESOURCES)
        outs = sum(fl[r]["transfer_out"] for fl in rep.flows.values() for r in RESOURCES)
        assert ins == outs
        if world.finished:
            break


def test_ledger_catches_untracked_change() -> None:
    world = build_world(seed=1)
    led = Ledger(world)
    led.produce("accord_prime", "food", 1000)
    led.verify()
    world.arcologies["accord_prime"].stocks["food"] += 1  # bypasses the ledger
    with pytest.raises(ConservationError):
        led.verify()


def test_consume_never_goes_negative() -> None:
    world = build_world(seed=1)
    led = Ledger(world)
    have = world.arcologies["kelp_reach"].stocks["components"]
    assert led.consume("kelp_reach", "components", have + 5000) == have
    assert world.arcologies["kelp_reach"].stocks["components"] == 0
    assert led.shortfall[("kelp_reach", "components")] == 5000
    led.verify()


@pytest.mark.parametrize(
    ("days", "band"),
    [
        (1000.0, "comfortable"),
        (30.01, "comfortable"),
        (30.0, "adequate"),
        (15.0, "adequate"),
        (14.99, "rationing"),
        (7.0, "rationing"),
        (6.99, "critical"),
        (1.0, "critical"),
        (0.99, "exhausted"),
        (0.0, "exhausted"),
    ],
)
def test_supply_band_thresholds(days: float, band: str) -> None:
    assert supply_band(days) == band


def _drain(world, fid: str, keep_days: float) -> None:
    """Leave ``keep_days`` of food in the faction's arcologies (others untouched)."""
    from tidebreak.strategic.economy import faction_needs

    need = faction_needs(world, fid)["food"]
    arcs = world.faction_arcologies(fid)
    for a in arcs:
        a.stocks["food"] = 0
    arcs[0].stocks["food"] = int(need * keep_days)


@pytest.mark.parametrize(
    ("keep", "band", "crew_mod", "attrition"),
    [
        (40, "comfortable", 1.0, 0.0),
        (20, "adequate", 1.0, 0.0),
        (10, "rationing", 0.9, -0.05),
        (3, "critical", 0.75, -0.15),
        (0.5, "exhausted", 0.5, -0.3),
    ],
)
def test_supply_band_effects(keep: float, band: str, crew_mod: float, attrition: float) -> None:
    world = build_world(seed=3)
    _drain(world, "accord", keep)
    assert faction_band(world, "accord") == band
    fac = world.factions["accord"]
    fac.battle_modifier = 0.0
    ship = world.ships[sorted(world.fleets["F001"].ship_ids)[0]]
    cap = world.people[ship.captain_id]
    w = world.tuning.condition_morale_weight
    condition = 1 - w + w * ship.hp / ship.max_hp
    expect = min(1.0, (fac.base_morale) * crew_mod * condition * (0.8 + 0.4 * cap.competence.command))
    assert crew_morale(world, ship) == pytest.approx(expect)
    morale_phase(world)
    assert fac.attrition_modifier == pytest.approx(attrition)


def test_exhausted_fleets_cannot_move() -> None:
    world = build_world(seed=3)
    _drain(world, "accord", 0.1)
    assert days_of_supply(world, "accord") < 1
    fl = world.fleets["F001"]
    fl.path = ["kelp_reach"]
    movement_phase(world)
    assert fl.node_id == "accord_prime" and fl.edge_progress == 0
    world2 = build_world(seed=3)
    fl2 = world2.fleets["F001"]
    fl2.path = ["kelp_reach"]
    movement_phase(world2)
    assert fl2.node_id == "kelp_reach"
