"""Tuning numbers of the campaign, kept as data (scenario JSON can override any of them).

>>> t = Tuning()
>>> t.invasion_grace_days, t.alliance_grace_days, t.morale_decay
(90, 60, 0.95)
>>> Tuning.model_validate({"invasion_grace_days": 30}).invasion_grace_days
30
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Days = Annotated[int, Field(ge=0, le=100_000)]
Frac = Annotated[float, Field(ge=0.0, le=1.0)]
Delta = Annotated[float, Field(ge=-1.0, le=1.0)]
Amount = Annotated[float, Field(ge=0.0, le=1e9)]
MilliAmount = Annotated[int, Field(ge=0, le=10**15)]

SUPPLY_BANDS: tuple[str, ...] = ("comfortable", "adequate", "rationing", "critical", "exhausted")
GOVERNMENT_TYPES: tuple[str, ...] = ("autocracy", "corporate", "representative")


def _latency() -> dict[str, tuple[int, int]]:
    return {"autocracy": (0, 1), "corporate": (2, 5), "representative": (5, 15)}


def _baseline() -> dict[str, float]:
    return {"autocracy": 0.5, "corporate": 0.6, "representative": 0.7}


def _structural() -> dict[str, float]:
    return {
        "engineering": 1.5,
        "life_support": 1.8,
        "docks": 1.3,
        "agriculture": 1.4,
        "security": 1.2,
        "administration": 1.0,
    }


def _sector_stance() -> dict[str, dict[str, list[str]]]:
    """Which decision kinds each sector supports / opposes."""
    return {
        "security": {
            "supports": ["fortify", "build_ship", "declare_war", "launch_invasion", "launch_raid"],
            "opposes": ["propose_ceasefire", "propose_non_aggression"],
        },
        "agriculture": {
            "supports": ["propose_trade", "invest", "propose_ceasefire"],
            "opposes": ["declare_war", "launch_invasion"],
        },
        "engineering": {"supports": ["invest", "build_ship", "fortify"], "opposes": ["propaganda"]},
        "life_support": {
            "supports": ["invest", "propose_ceasefire", "propose_non_aggression"],
            "opposes": ["declare_war", "build_ship"],
        },
        "docks": {
            "supports": ["propose_trade", "build_ship", "propose_alliance"],
            "opposes": ["launch_invasion"],
        },
        "administration": {
            "supports": ["propaganda", "propose_alliance", "propose_non_aggression"],
            "opposes": ["launch_raid"],
        },
    }


class ActionTuning(BaseModel):
    """One faction-AI action's price and what it serves: AP, goal weights, resources."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    ap: Annotated[float, Field(ge=0.0, le=1000.0)]
    goals: dict[str, Annotated[float, Field(ge=0.0, le=100.0)]] = Field(default_factory=dict)
    cost_milli: dict[str, MilliAmount] = Field(default_factory=dict)


def _actions() -> dict[str, ActionTuning]:
    a = ActionTuning
    return {
        "wait": a(ap=0.0),
        "fortify": a(ap=2.0, goals={"defend": 1.0, "survive": 0.3}, cost_milli={"materials": 30_000}),
        "invest": a(
            ap=3.0,
            goals={"expand": 0.5, "trade": 0.7},
            cost_milli={"materials": 40_000, "components": 10_000},
        ),
        "propaganda": a(ap=2.0, goals={"survive": 1.0, "defend": 0.2}),
        "build_ship": a(ap=4.0, goals={"weaken": 0.7, "defend": 0.6, "expand": 0.5}),
        "propose_trade": a(ap=2.0, goals={"trade": 1.2}),
        "propose_non_aggression": a(ap=2.0, goals={"survive": 0.6, "defend": 0.4, "trade": 0.2}),
        "propose_alliance": a(ap=3.0, goals={"defend": 0.8, "weaken": 0.4}),
        "propose_ceasefire": a(ap=2.0, goals={"survive": 1.5}),
        "declare_war": a(ap=3.0, goals={"weaken": 1.0, "expand": 0.8}),
        "launch_raid": a(ap=2.0, goals={"weaken": 0.8, "trade": 0.3}),
        "launch_invasion": a(ap=5.0, goals={"expand": 1.4, "weaken": 0.6}),
        "hunt": a(ap=2.0, goals={"weaken": 0.6, "defend": 0.7}),
        "guard_capital": a(ap=1.0, goals={"defend": 0.6, "survive": 0.4}),
    }


class Tuning(BaseModel):
    """Every tunable number of the strategic layer (documented in docs/strategic.md)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    # faction AI: what each action costs and serves, how it chooses
    actions: dict[str, ActionTuning] = Field(default_factory=_actions)
    ai_noise: Frac = 0.05
    """Seeded noise added to every action's score."""
    save_up_ratio: Annotated[float, Field(ge=1.0, le=100.0)] = 1.3
    """The AI saves AP instead of acting when an unaffordable action scores this much higher."""
    ap_supply_days: Annotated[float, Field(gt=0.0, le=1000.0)] = 30.0
    """AP rate × (0.5 + 0.5 × min(1, days of supply / this))."""
    invasion_strength_ratio: Annotated[float, Field(ge=0.0, le=100.0)] = 1.2
    """An invasion needs idle fleets this many times the target faction's strength."""
    raid_odds: Annotated[float, Field(ge=0.0, le=100.0)] = 1.5
    """A raid goes only where the raiding fleet outguns the defence (fleets there and the
    arcology's batteries) by this factor."""
    battery_strength: Annotated[float, Field(ge=0.0, le=100.0)] = 5.0
    """Strength the faction AI credits an arcology for each hundred points of its defense."""
    mission_priority: dict[str, Annotated[float, Field(ge=0.0, le=100.0)]] = Field(
        default_factory=lambda: {
            "launch_raid": 2.0,
            "launch_invasion": 4.0,
            "guard_capital": 3.5,
            "hunt": 2.5,
        }
    )
    # action effects
    max_defense: Amount = 2000.0
    fortify_repair_fraction: Frac = 0.25
    fortify_max_defense_step: Amount = 50.0
    invest_condition_step: Frac = 0.15
    invest_capacity_growth: Annotated[float, Field(ge=1.0, le=10.0)] = 1.05
    invest_growth_condition: Frac = 0.95
    propaganda_legitimacy: Frac = 0.04
    propaganda_morale: Frac = 0.005
    propaganda_morale_cap: Frac = 0.9
    # grace periods
    invasion_grace_days: Days = 90
    alliance_grace_days: Days = 60
    # action points
    max_actions_per_day: Annotated[int, Field(ge=0, le=100)] = 2
    # consumption (milli-units; 1 unit = 1000 milli)
    water_per_person_milli: MilliAmount = 10
    food_per_person_milli: MilliAmount = 10
    combat_fuel_multiplier: Annotated[int, Field(ge=0, le=100)] = 2
    # supply bands (days of supply lower bounds) and their effects, in band order
    supply_band_days: tuple[Amount, Amount, Amount, Amount] = (30.0, 15.0, 7.0, 1.0)
    supply_crew_modifier: tuple[Frac, Frac, Frac, Frac, Frac] = (1.0, 1.0, 0.9, 0.75, 0.5)
    supply_efficiency: tuple[Frac, Frac, Frac, Frac, Frac] = (1.0, 1.0, 0.9, 0.75, 0.5)
    supply_attrition: tuple[Delta, Delta, Delta, Delta, Delta] = (0.0, 0.0, -0.05, -0.15, -0.3)
    supply_legitimacy: tuple[Delta, Delta, Delta, Delta, Delta] = (0.0, 0.0, -0.003, -0.01, -0.02)
    # morale
    morale_decay: Frac = 0.95
    fight_to_death_morale: Frac = 0.8
    mass_surrender_morale: Frac = 0.3
    desertion_rate: Frac = 0.01
    victory_morale: tuple[Delta, Delta] = (0.05, 0.15)
    defeat_morale: tuple[Delta, Delta] = (-0.20, -0.05)
    charisma_buffer: Frac = 0.75
    # diplomacy
    allied_threshold: Delta = 0.7
    friendly_threshold: Delta = 0.3
    neutral_threshold: Delta = -0.3
    hostile_threshold: Delta = -0.7
    joint_victory: tuple[Delta, Delta] = (0.05, 0.10)
    attacked_ships: tuple[Delta, Delta] = (0.20, 0.50)
    treaty_break: Delta = -0.30
    standoff_per_day: Delta = -0.01
    trade_treaty_per_day: Delta = 0.002
    ceasefire_days: Days = 60
    # governance
    decision_latency: dict[str, tuple[Days, Days]] = Field(default_factory=_latency)
    legitimacy_baseline: dict[str, Frac] = Field(default_factory=_baseline)
    legitimacy_drift: Frac = 0.02
    legitimacy_stable: Frac = 0.6
    legitimacy_crisis: Frac = 0.4
    legitimacy_collapse: Frac = 0.2
    coup_chance: Frac = 0.03
    coup_cooldown_days: Days = 90
    structural_multiplier: dict[str, Annotated[float, Field(ge=0.0, le=100.0)]] = Field(
        default_factory=_structural
    )
    sector_stance: dict[str, dict[str, list[str]]] = Field(default_factory=_sector_stance)
    satisfaction_step: Frac = 0.05
    radicalisation_step: Frac = 0.02
    radical_legitimacy_pressure: Frac = 0.01
    victory_legitimacy: Delta = 0.02
    defeat_legitimacy: Delta = -0.03
    arcology_lost_legitimacy: Delta = -0.05
    # trade routes move surplus above the reserve toward the target (days of the
    # destination's need; bulk goods in milli-units)
    trade_reserve_days: Amount = 30.0
    trade_target_days: Amount = 60.0
    bulk_reserve_milli: MilliAmount = 100_000
    bulk_target_milli: MilliAmount = 1_500_000
    # battles
    condition_morale_weight: Frac = 0.5
    """How much a damaged hull weighs on its crew's morale: × (1 − w + w × hp / max_hp).

    At 1.0 a half-wrecked ship fights at half morale and strikes its colours early, so
    the side that wins battles keeps losing its damaged ships as prizes; 0.5 halves
    that, and over 20 arena-resolved seeds neither side wins more than 70 % (see the
    Campaign balance section of docs/strategic.md)."""
    day_limit_tiebreak: Literal["none", "losses"] = "losses"
    """At the day limit, equal arcology holdings go to the principal that lost fewer ships."""
    prize_refit_days: Days = 30
    """A captured ship sails under its new flag no sooner than this many days after capture."""
    garrison_morale: Frac = 0.6
    """An arcology's garrison fights with at least this morale, whatever its faction's."""
    salvage_fraction: Frac = 0.3
    """The side that holds the field recovers this fraction of the materials that built
    every enemy hull sunk or disabled there, delivered to its capital."""
    battle_time_limit_s: Annotated[float, Field(gt=0.0, le=86_400.0)] = 1800.0
    battle_time_step_s: Annotated[float, Field(gt=0.0, le=1.0)] = 0.1
    recent_event_days: Days = 7
    # repair / rearm (milli-units of materials)
    repair_hp_per_day: Amount = 20.0
    repair_materials_per_hp_milli: MilliAmount = 200
    field_repair_fraction: Frac = 0.02
    rearm_materials_milli: dict[str, MilliAmount] = Field(
        default_factory=lambda: {"gun": 20, "torpedo": 1500, "asw": 200}
    )
    # siege
    siege_damage_factor: Frac = 0.04
    siege_return_fire: Frac = 0.01
    defense_regen_fraction: Frac = 0.01
    raid_fraction: Frac = 0.15
    raid_cap_milli: MilliAmount = 400_000
    # missions
    mission_deadline_days: Days = 30
    protect_days: Days = 10
    weak_fleet_fraction: Frac = 0.4
