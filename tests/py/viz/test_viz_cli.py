"""Command line: replay, view, diff, bench and simulate --record; main and error paths."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import tidebreak
from tidebreak import scenarios
from tidebreak.cli import build_parser, main
from tidebreak.replays.render import mpl


def _edit(src: Path, dst: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    with gzip.open(src, "rt") as f:
        doc = json.load(f)
    edit(doc)
    with gzip.open(dst, "wt") as f:
        json.dump(doc, f)
    return dst


@pytest.mark.parametrize(
    "command", ["simulate", "validate", "schema", "scenarios", "demo", "replay", "view", "diff", "campaign"]
)
def test_every_command_has_help_with_examples(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main([command, "--help"])
    assert e.value.code == 0
    assert "example" in capsys.readouterr().out


def test_bench_help_and_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--help"]) == 0
    assert "tidebreak bench --steps" in capsys.readouterr().out
    assert main(["bench", "--steps", "50", "--json"]) == 0
    assert "single_env_steps_per_s" in json.loads(capsys.readouterr().out)
    assert main(["bench", "--no-such-option"]) == 2


def test_top_level_help_lists_every_command() -> None:
    text = build_parser().format_help()
    for c in (
        "simulate",
        "validate",
        "schema",
        "scenarios",
        "demo",
        "replay",
        "view",
        "diff",
        "bench",
        "campaign",
    ):
        assert c in text


def test_simulate_scenario_with_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rec = tmp_path / "g.tbr"
    assert (
        main(
            [
                "simulate",
                "--scenario",
                "gun_duel",
                "--seed",
                "2",
                "--record",
                str(rec),
                "-o",
                str(tmp_path / "r.json"),
            ]
        )
        == 0
    )
    assert tidebreak.replay(rec).ok
    assert main(["simulate", "--scenario", "atlantis"]) == 2
    assert "unknown" in capsys.readouterr().err
    assert main(["simulate"]) == 2


def test_replay_verify(duel_tbr: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(duel_tbr), "--verify"]) == 0
    assert "verified" in capsys.readouterr().out

    def tamper(doc: dict) -> None:  # type: ignore[type-arg]
        doc["package"]["ships"][0]["initial_state"]["x"] += 5

    bad = _edit(duel_tbr, tmp_path / "tampered.tbr", tamper)
    assert main(["replay", str(bad), "--verify"]) == 1
    assert "diverged at tick 0" in capsys.readouterr().out


def test_replay_renders_gif_and_png(
    duel_tbr: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gif, png = tmp_path / "d.gif", tmp_path / "d.png"
    args = [
        "replay",
        str(duel_tbr),
        "--gif",
        str(gif),
        "--png",
        str(png),
        "--step",
        "80",
        "--size",
        "3",
        "--dpi",
        "40",
        "-q",
    ]
    assert main([*args, "--pov", "corvette"]) == 0
    assert gif.read_bytes()[:6] == b"GIF89a" and png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--gif", "x.gif", "--pov", "ghost"], "--pov 'ghost': no such ship"),
        ([], "nothing to do"),
    ],
)
def test_replay_bad_usage_exits_2(
    duel_tbr: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", str(duel_tbr), *args]) == 2
    assert message in capsys.readouterr().err


def test_mp4_without_ffmpeg_names_what_to_install(
    duel_tbr: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(mpl, "ffmpeg_path", lambda: None)
    assert main(["replay", str(duel_tbr), "--mp4", str(tmp_path / "d.mp4"), "-q"]) == 1
    err = capsys.readouterr().err
    assert "ffmpeg" in err and "imageio-ffmpeg" in err


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(version=3), "record version 3; this Tidebreak reads 1 and 2"),
        (lambda d: d.pop("result"), "record has no 'result'"),
        (lambda d: d["frames"][0].pop("tick"), "frames[0].tick: Field required"),
    ],
)
@pytest.mark.parametrize("command", ["view", "replay", "diff"])
def test_bad_files_exit_2_naming_file_and_field(
    duel_tbr: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    edit,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    bad = _edit(duel_tbr, tmp_path / "bad.tbr", edit)
    if command != "view" and "frames" in message:
        return  # --verify and diff read the package, result and log, not the frames
    argv = {
        "view": ["view", str(bad), "-o", str(tmp_path / "v.html")],
        "replay": ["replay", str(bad), "--verify"],
        "diff": ["diff", str(duel_tbr), str(bad)],
    }[command]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and message in err


@pytest.mark.parametrize("command", [["view"], ["replay", "--verify"]])
def test_missing_and_garbage_files_exit_2(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command[0], str(tmp_path / "none.tbr"), *command[1:]]) == 2
    assert "cannot read" in capsys.readouterr().err
    junk = tmp_path / "junk.tbr"
    junk.write_text("hello")
    assert main([command[0], str(junk), *command[1:]]) == 2
    assert f"{junk}: not a record" in capsys.readouterr().err


def test_outputs_without_a_name_go_beside_the_replay(
    duel_tbr: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tbr = tmp_path / "runs" / "battle.tbr"
    tbr.parent.mkdir()
    tbr.write_bytes(duel_tbr.read_bytes())
    args = [
        "replay",
        str(tbr),
        "--gif",
        "--png",
        "--tick",
        "30",
        "--step",
        "200",
        "--size",
        "2",
        "--dpi",
        "30",
    ]
    assert main([*args, "-q"]) == 0
    assert (tbr.parent / "battle.gif").read_bytes()[:6] == b"GIF89a"
    assert (tbr.parent / "battle_t30.png").read_bytes()[:4] == b"\x89PNG"
    assert main(["view", str(tbr)]) == 0
    assert (tbr.parent / "battle.html").exists()
    assert f"animation written to {tbr.parent / 'battle.gif'}" in capsys.readouterr().out


def test_view_takes_several_files_but_one_out(
    duel_tbr: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a.tbr", tmp_path / "b.tbr"
    a.write_bytes(duel_tbr.read_bytes())
    b.write_bytes(duel_tbr.read_bytes())
    assert main(["view", str(a), str(b)]) == 0
    assert (tmp_path / "a.html").exists() and (tmp_path / "b.html").exists()
    capsys.readouterr()
    assert main(["view", str(a), str(b), "-o", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "-o names one page but 2 files were given" in err
    # every file is checked before a page is written
    (tmp_path / "a.html").unlink()
    (tmp_path / "junk.tbr").write_text("junk")
    assert main(["view", str(a), str(tmp_path / "junk.tbr")]) == 2
    assert not (tmp_path / "a.html").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["replay", "a.tbr", "b.tbr"],
            "tidebreak replay: unexpected argument 'b.tbr'; see `tidebreak replay --help`",
        ),
        (["diff", "a", "b", "c", "d"], "tidebreak diff: unexpected argument 'c' (and 1 more)"),
        (["view", "a.tbr", "--frobnicate"], "tidebreak view: unknown option '--frobnicate'"),
        (["campaign", "plot", "s.json", "--nope"], "tidebreak campaign plot: unknown option '--nope'"),
    ],
)
def test_extra_arguments_are_named(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


def test_view_writes_one_self_contained_page(
    duel_tbr: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "duel.html"
    assert main(["view", str(duel_tbr), "-o", str(out)]) == 0
    page = out.read_text()
    assert "window.tidebreak" in page and '"frames":' in page
    for ref in ("http://", "https://", 'src="', '<link rel="stylesheet"'):
        assert ref not in page, ref
    assert "viewer written" in capsys.readouterr().out


def test_diff_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pkg = scenarios.package("gun_duel", seed=5)
    tidebreak.simulate(pkg, record_path=tmp_path / "a.tbr")
    tidebreak.simulate(pkg, record_path=tmp_path / "same.tbr")
    pkg["ships"][0]["initial_state"]["x"] += 50
    tidebreak.simulate(pkg, record_path=tmp_path / "b.tbr")
    assert main(["diff", str(tmp_path / "a.tbr"), str(tmp_path / "same.tbr")]) == 0
    assert "identical" in capsys.readouterr().out
    assert main(["diff", str(tmp_path / "a.tbr"), str(tmp_path / "b.tbr")]) == 1
    out = capsys.readouterr().out
    ship = pkg["ships"][0]["ship_id"]
    assert "first divergent tick: 0" in out and f"ship {ship}: kinematics.x" in out
    assert f"ships[{ship}].initial_state.x" in out
    assert main(["diff", str(tmp_path / "a.tbr"), str(tmp_path / "b.tbr"), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["first_divergent_tick"] == 0 and any(f["entity"] == f"ship {ship}" for f in doc["fields"])


def test_diff_result_files_need_the_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pkg = scenarios.package("gun_duel", seed=1)
    (tmp_path / "p.json").write_text(json.dumps(pkg))
    assert main(["simulate", str(tmp_path / "p.json"), "-o", str(tmp_path / "r1.json")]) == 0
    assert main(["simulate", str(tmp_path / "p.json"), "--seed", "2", "-o", str(tmp_path / "r2.json")]) == 0
    capsys.readouterr()
    assert main(["diff", str(tmp_path / "r1.json"), str(tmp_path / "r2.json")]) == 2
    assert "--package" in capsys.readouterr().err
    assert (
        main(
            [
                "diff",
                str(tmp_path / "r1.json"),
                str(tmp_path / "r1.json"),
                "--package",
                str(tmp_path / "p.json"),
            ]
        )
        == 0
    )
