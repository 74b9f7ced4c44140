"""tidebreak.rl.league: the rating fit, the round robin, policies in the league, the command."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from tidebreak.cli import main
from tidebreak.rl import league


def test_bradley_terry_recovers_known_odds() -> None:
    # A beats B 3:1 and B beats C 3:1: A is 400·log10(3) above B, twice that above C.
    r = league.bradley_terry(3, [(0, 1, 300.0, 400), (1, 2, 300.0, 400)], prior_draws=0)
    step = 400 * math.log10(3)
    assert r[0] - r[1] == pytest.approx(step, abs=0.5)
    assert r[1] - r[2] == pytest.approx(step, abs=0.5)
    assert abs(float(r.mean())) < 1e-6, "the ratings are centred"


def test_bradley_terry_treats_players_alike_and_keeps_perfect_records_finite() -> None:
    even = league.bradley_terry(2, [(0, 1, 50.0, 100)])
    assert even[0] == pytest.approx(even[1])
    swept = league.bradley_terry(2, [(0, 1, 200.0, 200)])
    assert np.isfinite(swept).all() and swept[0] - swept[1] > 800
    # A player that never met anyone is left out of the centring.
    alone = league.bradley_terry(3, [(0, 1, 60.0, 100)])
    assert alone[2] == 0 and alone[0] + alone[1] == pytest.approx(0)


def test_a_league_of_controllers(tmp_path: Path) -> None:
    result = league.play(
        ["idle", "aggressive", "expert"],
        ["duel", "gun_duel"],
        seeds=3,
        backend="serial",
        progress=False,
        bootstrap=30,
    )
    assert result.seeds == {"duel": 3, "gun_duel": 3}
    assert result.sides["duel"] == ["corvette", "submarine"] and result.sides["gun_duel"] is None
    assert len(result.pairings) == 2 * 9 and all(p.games == 3 for p in result.pairings)
    # The duel rates every controller once per side, the gun duel once.
    assert {r.side for r in result.ladder("duel")} == {"corvette", "submarine"}
    assert len(result.ladder("duel")) == 6 and len(result.ladder("gun_duel")) == 3
    for r in result.ratings:
        assert r.low <= r.rating <= r.high
    assert result.ladder("gun_duel")[-1].player == "idle"
    assert result.pairing("gun_duel", "aggressive", "idle").wins == 3
    ratings = {r.label: r.rating for r in result.ratings if r.scenario == "duel"}
    assert ratings["aggressive (corvette)"] > ratings["idle (corvette)"]
    assert ratings["aggressive (submarine)"] > ratings["idle (submarine)"]
    again = league.LeagueResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again == result
    doc = league.balance_markdown(result)
    assert "| duel | aggressive beats idle ≥ 85% | 100% as corvette, 100% as submarine | yes |" in doc
    assert "## gun_duel" in doc and "Ladder, submarine:" in doc


def test_backends_play_the_same_battles() -> None:
    kw = {"seeds": 2, "progress": False, "bootstrap": 0}
    serial = league.play(["idle", "random", "aggressive"], ["sub_duel"], backend="serial", **kw)
    local = league.play(["idle", "random", "aggressive"], ["sub_duel"], backend="local", workers=2, **kw)
    assert serial.pairings == local.pairings


def test_a_policy_plays_its_seat() -> None:
    def drift(obs: np.ndarray) -> np.ndarray:  # the corvette: slow ahead, nothing else
        act = np.zeros((len(obs), 7), np.float32)
        act[:, 0] = 0.3
        return act

    player = league.Player("drifter", policy=drift, scenario="duel", agent_ship="corvette")
    result = league.play([player, "idle", "aggressive"], ["duel"], seeds=2, backend="serial", progress=False)
    # The policy sits on the corvette (the first team) against each controller.
    mine = [p for p in result.pairings if "drifter" in (p.blue, p.red)]
    assert {(p.blue, p.red) for p in mine} == {("drifter", "idle"), ("drifter", "aggressive")}
    assert result.pairing("duel", "drifter", "idle").draws == 2, "nobody fires: a time-out"
    assert result.pairing("duel", "drifter", "aggressive").losses == 2, "the aggressive submarine sinks it"
    rated = {r.label for r in result.ladder("duel")}
    assert "drifter (corvette)" in rated and "drifter (submarine)" not in rated


def test_the_league_rates_a_saved_policy_file(tmp_path: Path) -> None:
    """A policy file as ``tidebreak train`` writes it (.npz, numpy only) plays
    its own seat (the corvette of Duel-v0's scenario) through ``tidebreak
    league --policy``. This one never fires and never pings, whatever it sees:
    it draws with the idle submarine and the aggressive one sinks it."""
    from tidebreak.engine import layout
    from tidebreak.gym.spaces import MultiDiscreteActions
    from tidebreak.rl.policy import Policy

    policy = Policy.random(
        layout.obs_size(),
        (8,),
        env_id="Tidebreak/Duel-v0",
        env_kwargs={"action_mode": "multidiscrete"},
        seed=0,
    )
    for w in policy.weights:
        w[:] = 0
    bias = policy.biases[-1]
    bias[:] = 0
    starts = np.cumsum((0, *MultiDiscreteActions.nvec))
    bias[starts[2]] = 50.0  # fire: none
    bias[starts[4]] = 50.0  # ping: no
    path = policy.save(tmp_path / "quiet.npz")
    out = tmp_path / "league.json"
    args = ["league", "--controllers", "idle,aggressive", "--policy", f"quiet={path}", "--scenarios", "duel"]
    assert (
        main([*args, "--seeds", "2", "--backend", "serial", "--no-progress", "--json", str(out), "-q"]) == 0
    )
    result = league.LeagueResult.from_dict(json.loads(out.read_text()))
    assert result.pairing("duel", "quiet", "idle").draws == 2
    assert result.pairing("duel", "quiet", "aggressive").losses == 2
    assert "quiet (corvette)" in {r.label for r in result.ladder("duel")}
    assert main([*args[:-2], "--policy", f"bad={tmp_path / 'missing.npz'}", "--scenarios", "duel"]) == 2


def test_bad_players_and_scenarios_are_named() -> None:
    with pytest.raises(ValueError, match="neither a scripted controller"):
        league.play(["idle", "bogus"], ["duel"], seeds=1, backend="serial", progress=False)
    with pytest.raises(ValueError, match="unknown scenarios"):
        league.play(["idle", "random"], ["nowhere"], seeds=1, backend="serial", progress=False)
    with pytest.raises(ValueError, match="at least two"):
        league.play(["idle"], ["duel"], seeds=1, backend="serial", progress=False)
    with pytest.raises(FileNotFoundError):
        league.load_policy("no/such/policy.npz")


def test_the_league_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["league", "--help"])
    assert exit_info.value.code == 0
    assert "examples:" in capsys.readouterr().out
    out = tmp_path / "league.json"
    args = ["league", "--controllers", "idle,aggressive", "--scenarios", "gun_duel", "--seeds", "2"]
    assert main([*args, "--backend", "serial", "--no-progress", "--json", str(out), "-q"]) == 0
    doc = tmp_path / "balance.md"
    assert main(["league", "--from-json", str(out), "--balance-doc", str(doc), "-q"]) == 0
    assert doc.read_text().startswith("# Balance of the scripted controllers")
    assert main(["league", "--controllers", "idle,bogus", "--scenarios", "duel", "--no-progress"]) == 2
    assert "bogus" in capsys.readouterr().err


def test_the_cli_doc_league_example_runs() -> None:
    import re

    doc = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text()
    blocks = [b for b in re.findall(r"```python\n(.*?)```", doc, re.S) if "league" in b]
    assert blocks, "docs/cli.md shows the league from Python"
    for block in blocks:
        exec(compile(block, "docs/cli.md", "exec"), {})


def test_docs_balance_is_the_league_and_keeps_its_promises() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "balance.md").read_text()
    assert f"Made with `{league.DOC_COMMAND}`" in doc
    for name in league.SCENARIOS:
        assert f"\n## {name} (" in doc, f"docs/balance.md has no ladder for {name}"
    checks = doc.split("## Checks", 1)[1].split("\n## ", 1)[0]
    rows = [
        line for line in checks.splitlines() if line.startswith("| ") and not line.startswith("| scenario")
    ]
    assert len(rows) >= 19, "every promise of the ladder is checked"
    failed = [line for line in rows if not line.endswith("| yes |")]
    assert not failed, f"docs/balance.md records broken promises: {failed}"
