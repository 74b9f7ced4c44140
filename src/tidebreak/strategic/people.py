"""People: leaders, governors, captains and executive officers.

Names are built from syllables with the ``people`` stream, so a seed always
produces the same cast.

>>> import numpy as np
>>> make_name(np.random.default_rng(1)) == make_name(np.random.default_rng(1))
True
"""

from __future__ import annotations

import numpy as np

from .world import Competence, Person, World

_FIRST = (
    "Ara",
    "Bel",
    "Cor",
    "Dar",
    "Esk",
    "Fen",
    "Gal",
    "Hal",
    "Ira",
    "Jun",
    "Kel",
    "Lio",
    "Mar",
    "Nev",
    "Ori",
    "Pel",
    "Quin",
    "Ros",
    "Sel",
    "Tam",
    "Ula",
    "Ves",
    "Wyn",
    "Yar",
    "Zel",
)
_SECOND = ("a", "en", "is", "o", "ra", "eth", "iel", "un", "ys", "ar")
_FAMILY = (
    "Tide",
    "Keel",
    "Brine",
    "Haw",
    "Drift",
    "Shoal",
    "Reef",
    "Gale",
    "Fathom",
    "Current",
    "Kelp",
    "Spray",
    "Hull",
    "Anchor",
    "Salt",
    "Swell",
)
_FAMILY2 = ("wright", "ward", "mere", "holt", "stone", "line", "well", "mark", "fall", "ridge")
TRAITS: tuple[str, ...] = ("cautious", "reckless", "charismatic", "paranoid", "methodical", "ambitious")


def make_name(gen: np.random.Generator) -> str:
    first = _FIRST[int(gen.integers(len(_FIRST)))] + _SECOND[int(gen.integers(len(_SECOND)))]
    family = _FAMILY[int(gen.integers(len(_FAMILY)))] + _FAMILY2[int(gen.integers(len(_FAMILY2)))]
    return f"{first} {family}"


def make_person(
    world: World, gen: np.random.Generator, faction_id: str, role: str, skill: float = 0.5
) -> Person:
    """Create and register a person whose competences scatter around ``skill``."""

    def c() -> float:
        return round(float(min(1.0, max(0.0, skill + gen.normal(0.0, 0.15)))), 4)

    comp = Competence(command=c(), operations=c(), engineering=c(), intelligence=c(), politics=c())
    n_traits = int(gen.integers(0, 3))
    picks = sorted({TRAITS[int(gen.integers(len(TRAITS)))] for _ in range(n_traits)})
    pid = world.next_id("P")
    person = Person(
        id=pid,
        name=make_name(gen),
        faction_id=faction_id,
        role=role,  # type: ignore[arg-type]
        competence=comp,
        traits=picks,
        loyalty=round(float(gen.uniform(0.4, 1.0)), 4),
        ambition=round(float(gen.uniform(0.0, 0.8)), 4),
    )
    world.people[pid] = person
    return person
