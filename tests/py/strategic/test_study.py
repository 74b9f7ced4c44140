"""The campaign balance study: same outcomes however many processes play it."""

from __future__ import annotations

from tidebreak.strategic.cli import main
from tidebreak.strategic.study import markdown, study, win_table


def test_parallel_study_matches_serial() -> None:
    serial = study(seeds=range(3), days=40, resolver="auto")
    parallel = study(seeds=range(3), days=40, resolver="auto", jobs=2)
    assert serial.outcomes == parallel.outcomes
    assert sum(win_table(serial).values()) == 3


def test_study_command_prints_the_win_table(capsys) -> None:
    assert main(["study", "--seeds", "2", "--days", "30", "--resolver", "auto", "--markdown", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "| winner | campaigns | share |" in out and "| Accord |" in out
    report = study(seeds=range(2), days=30, resolver="auto")
    assert out == markdown(report)


def test_study_refuses_bad_arguments(capsys) -> None:
    assert main(["study", "--seeds", "0"]) == 2
    assert "--seeds must be in [1, 100000]" in capsys.readouterr().err
