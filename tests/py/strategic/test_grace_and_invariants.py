from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidebreak.strategic import AutoResolver, World, build_world, tick
from tidebreak.strategic.faction_ai import available
from tidebreak.strategic.movement import may_enter


def test_grace_periods_hold_even_at_war_from_day_one() -> None:
    world = build_world(seed=8, overrides={"disposition_shift": -0.4})
    world.wars = ["accord|dominion"]
    res = AutoResolver()
    while world.day < 120 and not world.finished:
        tick(world, res)
        if world.day < 90:
            for fl in world.fleets.values():
                owner = world.nodes[fl.node_id].owner
                assert (
                    owner in (None, fl.faction_id)
                    or not world.at_war(fl.faction_id, owner)
                    or world.has_treaty(fl.faction_id, owner, "alliance")
                ), (world.day, fl.id, fl.node_id)
    early = [m for m in world.missions.values() if m.kind == "invade" and m.created_day < 90]
    assert not early
    assert not [e for e in world.events if e.kind == "arcology_captured" and e.day < 90]
    assert not [t for t in world.treaties if t.kind == "alliance" and t.start_day < 60]


def test_invasion_unavailable_before_day_90() -> None:
    world = build_world(seed=8)
    world.wars = ["accord|dominion"]
    world.day = 89
    assert available(world, "dominion", "launch_invasion") is None
    assert not may_enter(world, "dominion", "port_meridian")
    world.day = 90
    assert may_enter(world, "dominion", "port_meridian")


def check_invariants(world: World) -> None:
    for a in world.arcologies.values():
        assert all(v >= 0 for v in a.stocks.values())
        assert 0.0 <= a.legitimacy <= 1.0 and a.population >= 0
        assert 0.0 <= a.defense <= a.max_defense
        for i in a.internal_factions:
            assert 0.0 <= i.satisfaction <= 1.0 and 0.0 <= i.radicalisation <= 1.0
        for f in a.facilities:
            assert 0.0 <= f.condition <= 1.0
    for v in world.dispositions.values():
        assert -1.0 <= v <= 1.0
    for fac in world.factions.values():
        from tidebreak.strategic.morale import effective_morale

        assert 0.0 <= effective_morale(fac) <= 1.0
        assert 0.0 <= fac.ap <= fac.ap_cap + 1e-9
    for s in world.ships.values():
        assert 0.0 < s.hp <= s.max_hp and s.crew_count >= 0
        assert all(n >= 0 for n in s.ammo.values())
        if s.status == "active":
            assert s.fleet_id in world.fleets and s.id in world.fleets[s.fleet_id].ship_ids
            assert world.fleets[s.fleet_id].faction_id == s.faction_id
        else:
            assert s.fleet_id is None
            assert any(r.ship_id == s.id for r in world.factions[s.faction_id].repair_queue)
    in_fleets = [sid for fl in world.fleets.values() for sid in fl.ship_ids]
    assert len(in_fleets) == len(set(in_fleets))
    # every ship id ever issued is alive, lost, or still on the slips
    issued = {f"S{n:04d}" for n in range(1, world.counters.get("S", 0) + 1)}
    alive = set(world.ships)
    lost = {x.id for x in world.lost_ships}
    building = {o.ship_id for f in world.factions.values() for o in f.build_queue}
    assert not (alive & lost) and not (alive & building) and not (lost & building)
    assert alive | lost | building == issued


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    stock_scale=st.floats(0.05, 2.0),
    production_scale=st.floats(0.3, 1.5),
    disposition_shift=st.floats(-0.5, 0.5),
    invasion_grace=st.integers(0, 120),
    extra_ships=st.integers(0, 6),
)
def test_no_invariant_breaks(
    seed: int,
    stock_scale: float,
    production_scale: float,
    disposition_shift: float,
    invasion_grace: int,
    extra_ships: int,
) -> None:
    world = build_world(
        seed=seed,
        overrides={
            "stock_scale": stock_scale,
            "production_scale": production_scale,
            "disposition_shift": disposition_shift,
            "extra_ships": extra_ships,
            "tuning": {"invasion_grace_days": invasion_grace},
        },
    )
    res = AutoResolver()
    check_invariants(world)
    for _ in range(120):
        tick(world, res, check=True)
        check_invariants(world)
        if world.finished:
            break
