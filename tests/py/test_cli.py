"""The tidebreak command line: main paths and error paths."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tidebreak
from tidebreak import scenarios
from tidebreak.cli import main


def _write(tmp_path: Path, name: str, data: object) -> Path:
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data))
    return p


def test_scenarios_lists_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    assert "duel" in out and "fleet_16v16" in out


def test_simulate_writes_a_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pkg = _write(tmp_path, "duel.json", scenarios.package("duel", seed=3))
    out = tmp_path / "result.json"
    assert main(["simulate", str(pkg), "--seed", "9", "-o", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["seed"] == 9 and result["battle_id"] == "duel"
    assert "result written" in capsys.readouterr().out


def test_simulate_prints_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pkg = _write(tmp_path, "g.json", scenarios.package("gun_duel", seed=1))
    assert main(["simulate", str(pkg)]) == 0
    assert json.loads(capsys.readouterr().out)["schema_version"] == "arena.v1"


def test_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pkg = _write(tmp_path, "ok.json", scenarios.package("duel", seed=1))
    assert main(["validate", str(pkg)]) == 0
    assert "valid arena.v1 package 'duel'" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "invalid JSON"),
        ({"schema_version": "arena.v9", "battle_id": "x", "seed": 1}, "schema_version"),
        (
            {"battle_id": "x", "seed": 1, "teams": [{"team_id": "a"}], "ships": [{"team_id": "a"}]},
            "ships[0].ship_id",
        ),
    ],
)
@pytest.mark.parametrize("command", ["validate", "simulate"])
def test_bad_files_exit_2_and_name_the_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, content: object, message: str
) -> None:
    path = _write(tmp_path, "bad.json", content)
    assert main([command, str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and message in err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_schema_prints_the_package_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "ships" in schema["properties"]


def test_demo_writes_a_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tracks.png"
    assert main(["demo", "--out", str(out), "--seed", "2"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = capsys.readouterr().out
    assert "corvette" in text and "submarine" in text and "winner" in text


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ["simulate", "validate", "demo", "schema", "scenarios"]:
        with pytest.raises(SystemExit) as info:
            main([command, "--help"])
        assert info.value.code == 0
        assert "example" in capsys.readouterr().out


def test_campaign_is_wired(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "state.json"
    assert main(["campaign", "run", "--days", "20", "--seed", "3", "--save", str(state)]) == 0
    assert state.exists()


def test_unknown_command_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


def test_sweep_is_wired(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pkgs = tmp_path / "pkgs"
    pkgs.mkdir()
    for seed in (1, 2):
        _write(pkgs, f"duel-{seed}.json", scenarios.package("duel", seed=seed))
    out = tmp_path / "results.jsonl"
    assert main(["sweep", str(pkgs), "--backend", "serial", "--out", str(out), "--no-progress"]) == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(line["seed"] for line in lines) == [1, 2]


def test_version_names_the_library_abi_go_and_commit(capsys: pytest.CaptureFixture[str]) -> None:
    from tidebreak.engine import _native

    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    info = _native.build_info()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"tidebreak {tidebreak.__version__}"
    assert out[1] == (
        f"library: {tidebreak.__version__}, C ABI version {_native.lib().TB_ABI_VERSION}, "
        f"{info['go']} {info['platform']}, commit {info['commit']}"
    )


def test_selfcheck_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["selfcheck"]) == 0
    out = capsys.readouterr().out
    for name in ("load", "exports", "version", "errors", "panic", "episode", "simulate"):
        assert f"ok   {name}: " in out
    assert out.rstrip().endswith("7 passed, 0 failed")


@pytest.mark.parametrize("argv", [["scenarios"], ["simulate", "--scenario", "duel"], ["schema"]])
def test_a_closed_pipe_ends_the_command_quietly(argv: list[str]) -> None:
    # `tidebreak scenarios | head -1`: the reader has gone away. Here it is gone
    # before the first write, so that the outcome does not depend on timing.
    exe = shutil.which("tidebreak", path=str(Path(sys.executable).parent))
    assert exe is not None
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [exe, *argv], stdout=write_end, stderr=subprocess.PIPE, timeout=120, check=False
        )
    finally:
        os.close(write_end)
    assert proc.returncode == 141  # as the shell reports a program ended by SIGPIPE
    assert proc.stderr.decode() == ""


def test_an_output_that_cannot_be_written_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    out = blocker / "result.json"
    assert main(["simulate", "--scenario", "gun_duel", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"tidebreak simulate: {out}: Not a directory\n"


def _typo_package() -> dict[str, object]:
    pkg = scenarios.package("duel", seed=2)
    pkg["time_limit_s"] = 30
    pkg["ships"][0]["controler"] = pkg["ships"][0].pop("controller")
    pkg["ships"][0]["hull"]["max_sped"] = pkg["ships"][0]["hull"].pop("max_speed")
    return pkg


@pytest.mark.parametrize("command", ["validate", "simulate"])
def test_typos_exit_2_with_a_suggestion(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "typo.json", _typo_package())
    assert main([command, str(path)]) == 2
    err = capsys.readouterr().err
    assert 'ships[0].controler: unknown field; did you mean "controller"?' in err
    assert 'ships[0].hull.max_sped: unknown field; did you mean "max_speed"?' in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("command", ["validate", "simulate"])
def test_lenient_accepts_typos_with_a_warning(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "typo.json", _typo_package())
    assert (
        main([command, "--lenient", str(path), *(["-o", str(tmp_path / "r.json")] * (command == "simulate"))])
        == 0
    )
    err = capsys.readouterr().err
    assert "warning" in err and "ships[0].controler: unknown field ignored" in err


def test_validate_and_simulate_give_the_same_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg = json.loads((Path(__file__).parents[1] / "testdata/packages/valid/full.json").read_text())
    pkg["ships"][1]["controller"] = "ambush"
    path = _write(tmp_path, "ambush.json", pkg)
    assert main(["validate", str(path)]) == 2
    validate_err = capsys.readouterr().err
    assert main(["simulate", str(path)]) == 2
    simulate_err = capsys.readouterr().err
    assert 'ships[1].controller: unknown controller "ambush"' in validate_err
    assert validate_err.split(": ", 2)[2] == simulate_err.split(": ", 2)[2]
