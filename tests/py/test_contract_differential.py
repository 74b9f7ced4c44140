"""validate accepts exactly what simulate accepts: a hypothesis differential test.

Mutated packages (types, ranges, case variants of keys, deep nesting, huge arrays, unicode,
unknown keys, duplicates, nulls, broken text; see scripts/contract_fuzz.py) go to the library as
``tidebreak validate`` gives them (``tb_package_parse``) and as ``tidebreak simulate`` gives them
(``tb_simulate``): the verdicts must be the same, and a refusal must list the same problems at
the same paths. The generated models, which check each field on their own without the library,
must never refuse a package the contract accepts. ``scripts/contract_fuzz.py --cases 5000`` runs
the long campaign in a separate process (aborts and hangs counted).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tidebreak.contracts import BattlePackage

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from contract_fuzz import CLASSES, base_packages, judge, mutate  # noqa: E402

BASES = base_packages()


class Draws:
    """The choices of a mutation, drawn by hypothesis (so failures shrink)."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def choice(self, seq: Any) -> Any:
        return self.data.draw(st.sampled_from(list(seq)))

    def randint(self, a: int, b: int) -> int:
        return int(self.data.draw(st.integers(a, b)))


def _light_verdict(doc: bytes) -> bool | None:
    """Whether the generated models accept doc on their own (None: not a JSON object)."""
    try:
        value = json.loads(doc)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict):
        return None
    try:
        BattlePackage.model_validate(value)
    except (ValidationError, RecursionError):
        return False
    return True


@settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(st.data())
def test_validate_and_simulate_agree(data: st.DataObject) -> None:
    base = data.draw(st.sampled_from(BASES), label="base")
    doc, cls = mutate(base, Draws(data), small=True)
    verdict = judge(doc)
    assert verdict["agree"], f"{cls}: {verdict['detail']}"
    if verdict["ok"]:
        assert _light_verdict(doc) is not False, f"{cls}: the models refuse a package the contract accepts"


@pytest.mark.parametrize("cls", CLASSES)
def test_every_mutation_class_is_exercised(cls: str) -> None:
    """Each class produces documents the contract refuses (and validate/simulate agree on them)."""
    import random

    r = random.Random(cls)
    refused = 0
    for _ in range(40):
        doc, _ = mutate(r.choice(BASES), r, cls, small=True)
        verdict = judge(doc)
        assert verdict["agree"], verdict["detail"]
        refused += not verdict["ok"]
    assert refused > 0
