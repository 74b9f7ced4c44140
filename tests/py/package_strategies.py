"""Hypothesis strategies that build valid arena.v1 packages from the generated models (shared by
the contract and arena property tests)."""

from __future__ import annotations

import math

from hypothesis import strategies as st

from tidebreak.contracts import (
    BattlePackage,
    Bounds,
    Capabilities,
    Crew,
    Currents,
    FactionContext,
    Guidance,
    Hull,
    InitialState,
    Map,
    Obstacle,
    Projectile,
    Randomize,
    Rules,
    Sensor,
    Shape,
    Ship,
    Team,
    Terrain,
    TerrainRegion,
    Weapon,
    Weather,
    Zone,
)

IDENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=6)
COORD = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False)
POS = st.floats(min_value=1e-3, max_value=1e3)
UNIT = st.floats(min_value=0, max_value=1)
VEC = st.tuples(COORD, COORD)
FLOW = st.tuples(st.floats(-100, 100), st.floats(-100, 100))
SMALL = st.integers(min_value=0, max_value=10**6)


@st.composite
def shapes(draw: st.DrawFn) -> Shape:
    if draw(st.booleans()):
        return Shape(kind="circle", radius=draw(POS))
    return Shape(kind="polygon", vertices=draw(st.lists(VEC, min_size=3, max_size=6)))


@st.composite
def currents(draw: st.DrawFn) -> Currents | None:
    choice = draw(st.sampled_from(["none", "grid", "analytic"]))
    if choice == "none":
        return None
    if choice == "grid":
        cols = draw(st.integers(1, 4))
        rows = draw(st.lists(st.lists(FLOW, min_size=cols, max_size=cols), min_size=1, max_size=3))
        return Currents(kind="grid", cell_size=draw(POS), cells=rows, base_vector=draw(FLOW))
    return Currents(kind="analytic", base_vector=draw(FLOW), variance=draw(st.floats(0, 10)))


@st.composite
def weapons(draw: st.DrawFn, slot: str) -> Weapon:
    kind = draw(st.sampled_from(["unguided", "lead", "homing"]))
    # Only homing guidance carries parameters: the contract drops any given to the other kinds and
    # fills a homing guidance's missing ones (the models built here hold them all, as Go would).
    params = (
        {}
        if kind != "homing"
        else {
            "turn_rate": draw(st.floats(1e-3, 100)),
            "seeker_range": draw(POS),
            "seeker_cone": draw(st.floats(0.01, 3)),
        }
    )
    return Weapon(
        slot=slot,
        type=draw(st.sampled_from(["gun", "torpedo", "asw"])),
        range=draw(POS),
        cooldown_ticks=draw(st.integers(1, 100)),
        ammo=draw(SMALL),
        projectile=Projectile(
            speed=draw(POS),
            damage=draw(st.floats(0, 1e4)),
            blast_radius=draw(st.floats(0, 1e3)),
            guidance=Guidance(kind=kind, **params),
        ),
    )


@st.composite
def ships(draw: st.DrawFn, ship_id: str, teams: list[str], b: Bounds) -> Ship:
    hull = Hull(
        mass=draw(POS),
        radius=draw(POS),
        max_speed=draw(POS),
        acceleration=draw(POS),
        turn_rate=draw(st.floats(1e-3, 100)),
        hp=draw(POS),
    )
    surface, submerge = draw(st.sampled_from([(True, False), (True, True), (False, True)]))
    caps = Capabilities(
        can_surface=surface, can_submerge=submerge, dive_time_s=draw(POS), surface_time_s=draw(POS)
    )
    slots = draw(st.lists(IDENT, max_size=3, unique=True))
    ws = [draw(weapons(s)) for s in slots]
    sensors = [
        Sensor(
            type=draw(st.sampled_from(["radar", "visual", "sonar"])),
            range=draw(POS),
            arc=draw(st.none() | st.floats(0.01, 2 * math.pi)),
            noise_floor=draw(COORD),
            update_every_ticks=draw(st.integers(1, 10)),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    layer = draw(st.sampled_from([x for x, ok in (("surface", surface), ("submerged", submerge)) if ok]))
    state = InitialState(
        x=b.min_x + (b.max_x - b.min_x) * draw(UNIT),
        y=b.min_y + (b.max_y - b.min_y) * draw(UNIT),
        heading=draw(COORD),
        speed=hull.max_speed * draw(st.floats(-1, 1)),
        layer=layer,
        hp=draw(st.none() | st.just(hull.hp) | st.floats(0.01, 1).map(lambda f: hull.hp * f)),
        ammo={s: draw(SMALL) for s in slots if draw(st.booleans())},
    )
    crew = Crew(
        crew_count=draw(SMALL),
        gunnery=draw(UNIT),
        engineering=draw(UNIT),
        morale=draw(UNIT),
        fatigue=draw(UNIT),
    )
    return Ship(
        ship_id=ship_id,
        team_id=draw(st.sampled_from(teams)),
        class_=draw(st.sampled_from(["S", "M", "L", "XL"])),
        hull=hull,
        capabilities=caps,
        sensors=sensors,
        weapons=ws,
        crew=crew,
        initial_state=state,
        controller=draw(st.sampled_from(["agent", "idle", "patrol", "random"])),
    )


@st.composite
def packages(draw: st.DrawFn) -> BattlePackage:
    team_ids = draw(st.lists(IDENT, min_size=1, max_size=3, unique=True))
    teams = [
        Team(
            team_id=t,
            name=draw(st.text(max_size=8)),
            faction_context=draw(
                st.none()
                | st.builds(
                    FactionContext,
                    faction_id=IDENT,
                    philosophy=st.dictionaries(IDENT, UNIT, max_size=2),
                    tech_tags=st.lists(IDENT, max_size=2),
                    morale_state=UNIT,
                    at_war_with=st.lists(IDENT, max_size=2),
                )
            ),
        )
        for t in team_ids
    ]
    x0, y0 = draw(st.floats(-1e5, 1e5)), draw(st.floats(-1e5, 1e5))
    b = Bounds(min_x=x0, min_y=y0, max_x=x0 + draw(st.floats(1, 1e5)), max_y=y0 + draw(st.floats(1, 1e5)))
    m = Map(
        bounds=b,
        obstacles=draw(
            st.lists(
                st.builds(
                    Obstacle,
                    shape=shapes(),
                    position=VEC,
                    material=st.sampled_from(["solid", "soft"]),
                    intensity=UNIT,
                ),
                max_size=2,
            )
        ),
        zones=draw(
            st.lists(
                st.builds(
                    Zone,
                    shape=shapes(),
                    position=VEC,
                    intensity=UNIT,
                    vector=FLOW,
                    modifier_type=st.sampled_from(
                        ["sensor_interference", "hazard", "current", "speed_bonus"]
                    ),
                ),
                max_size=2,
            )
        ),
        currents=draw(currents()),
        weather=draw(
            st.builds(
                Weather,
                sea_state=st.integers(0, 9),
                wind_speed=st.floats(0, 50),
                wind_direction=COORD,
                visibility_km=POS,
                precipitation=st.sampled_from(["none", "rain", "storm"]),
                fog=st.booleans(),
                lightning_risk=UNIT,
            )
        ),
        terrain=Terrain(
            default=draw(st.sampled_from(["deep", "shelf", "shallows"])),
            regions=draw(
                st.lists(
                    st.builds(
                        TerrainRegion,
                        shape=shapes(),
                        position=VEC,
                        depth_class=st.sampled_from(["deep", "shelf", "shallows"]),
                    ),
                    max_size=2,
                )
            ),
        ),
    )
    ship_ids = draw(st.lists(IDENT, min_size=1, max_size=3, unique=True))
    rules = Rules(
        **draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "track_timeout_s": POS,
                    "crit_chance": UNIT,
                    "heavy_sea_state": st.integers(0, 10),
                    "ping_cooldown_ticks": st.integers(0, 50),
                    "ambient_noise_db": st.floats(0, 200),
                },
            )
        )
    )
    return BattlePackage(
        battle_id=draw(IDENT),
        seed=draw(st.integers(1, 2**64 - 1)),
        torch_seed=draw(st.none() | st.integers(0, 2**64 - 1)),
        time_step_s=1 / draw(st.integers(1, 1000)),
        time_limit_s=draw(st.floats(1, 86400)),
        teams=teams,
        map=m,
        ships=[draw(ships(s, team_ids, b)) for s in ship_ids],
        rules=rules,
        randomize=draw(
            st.none()
            | st.builds(
                Randomize,
                spawn_jitter_m=st.floats(0, 1e3),
                heading_jitter_rad=st.floats(0, 3),
                sea_state_delta=st.integers(0, 9),
                visibility_jitter_km=st.floats(0, 10),
            )
        ),
    )
