"""Helpers for the distributed tests: cheap packages (short time limits)."""

from __future__ import annotations

from typing import Any

from tidebreak import scenarios

CHEAP = ("duel", "gun_duel", "sub_duel", "fleet_4v4")


def cheap_packages(n: int, time_limit_s: float = 30.0) -> list[dict[str, Any]]:
    """``n`` concrete packages over four scenarios, each a few ms to simulate."""
    out = []
    for i in range(n):
        pkg = scenarios.package(CHEAP[i % len(CHEAP)], seed=i + 1)
        pkg["time_limit_s"] = time_limit_s
        pkg["battle_id"] = f"{pkg['battle_id']}-{i:03d}"
        out.append(pkg)
    return out


def broken(pkg: dict[str, Any]) -> dict[str, Any]:
    """A package that fails validation at ships[0].hull.max_speed."""
    pkg["ships"][0]["hull"]["max_speed"] = 0
    return pkg
