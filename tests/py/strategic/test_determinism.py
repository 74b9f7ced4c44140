from __future__ import annotations

import subprocess
import sys

from tidebreak.strategic import Campaign, World, build_world


def test_same_seed_same_hash_after_365_days(full_run: tuple[World, float]) -> None:
    world, _ = full_run
    again = build_world("accord_vs_dominion", seed=7)
    Campaign(again).run(365)
    assert again.day == world.day
    assert again.state_hash() == world.state_hash()


def test_save_at_day_100_and_resume_matches_uninterrupted(full_run: tuple[World, float], tmp_path) -> None:
    world, _ = full_run
    first = build_world("accord_vs_dominion", seed=7)
    Campaign(first).run(100)
    path = tmp_path / "state.json"
    first.save(path)
    resumed = World.load(path)
    assert resumed.state_hash() == first.state_hash()
    Campaign(resumed).run(365 - 100)
    assert resumed.day == world.day
    assert resumed.state_hash() == world.state_hash()


def test_different_seeds_differ() -> None:
    a = Campaign(build_world(seed=1)).run(30)
    b = Campaign(build_world(seed=2)).run(30)
    assert a.state_hash() != b.state_hash()


def test_hash_is_canonical_sorted_json() -> None:
    import hashlib
    import json

    w = build_world(seed=5)
    text = json.dumps(json.loads(w.to_json()), sort_keys=True, separators=(",", ":"))
    assert hashlib.sha256(text.encode()).hexdigest() == w.state_hash()


def test_365_days_run_to_the_end_with_battles(full_run: tuple[World, float]) -> None:
    world, _ = full_run
    assert world.day == 365 or world.finished
    assert len(world.battles) > 0


def test_import_loads_no_native_library() -> None:
    """The campaign stands on the contract's models (pure pydantic), never on the library."""
    code = (
        "import sys, tidebreak.strategic\n"
        "allowed = ('tidebreak.strategic', 'tidebreak.contracts', 'tidebreak.engine._errors', 'tidebreak.engine.errors')\n"
        "bad = [m for m in sys.modules if m.startswith('tidebreak') and not m.startswith(allowed)"
        " and m not in ('tidebreak', 'tidebreak._compat', 'tidebreak.engine')]\n"
        "assert not bad, bad\n"
        "assert 'cffi' not in sys.modules and '_cffi_backend' not in sys.modules\n"
        "assert 'tidebreak.engine._native' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
