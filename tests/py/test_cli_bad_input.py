"""Every command that reads a file, fed malformed, truncated, bit-flipped, oversized and
deeply nested files: exit 2 with one line on standard error naming the file, never a
traceback (docs/cli.md, "Exit codes").

Most cases run ``main()`` in this process (an escaping exception fails the test with
its traceback); a few run the installed ``tidebreak`` as a separate process, to show
what a user sees. Bit flips can leave a file well formed (a digit changed), so for them
the outcome may also be a success or, for ``replay --verify`` and ``diff``, a
difference (exit 1) — but never a traceback or an unreadable error.
"""

from __future__ import annotations

import gzip
import json
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import tidebreak
from tidebreak import scenarios
from tidebreak.cli import main

DEEP = 100_000  # far beyond Python's recursion limit and every reader's depth limit


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A short battle as a package, a replay file, a record and two result files."""
    d = tmp_path_factory.mktemp("cli_bad_input")
    pkg = scenarios.package("duel", seed=3)
    pkg["time_limit_s"] = 30  # a draw after 30 ticks: small files, quick commands
    (d / "pkg.json").write_text(json.dumps(pkg))
    tidebreak.simulate(pkg, record_path=d / "good.tbr")
    tidebreak.simulate(pkg, record_path=d / "good.json.gz")
    (d / "r.json").write_text(tidebreak.simulate(pkg).model_dump_json())
    return {
        "dir": d,
        "pkg": d / "pkg.json",
        "tbr": d / "good.tbr",
        "record": d / "good.json.gz",
        "result": d / "r.json",
    }


def _package_commands(base: dict[str, Path], bad: Path) -> list[list[str]]:
    out = bad.parent / "out"
    return [
        ["validate", str(bad)],
        ["simulate", str(bad), "-o", str(out / "r.json")],
        ["diff", str(base["result"]), str(base["result"]), "--package", str(bad)],
    ]


def _replay_commands(base: dict[str, Path], bad: Path) -> list[list[str]]:
    out = bad.parent / "out"
    return [
        ["view", str(bad), "-o", str(out / "v.html")],
        ["replay", str(bad), "--verify"],
        ["replay", str(bad), "--png", str(out / "p.png")],
        ["diff", str(base["tbr"]), str(bad)],
        ["diff", str(bad), str(base["tbr"])],
    ]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def _check_refused(argv: list[str], bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(argv, capsys)
    lines = err.splitlines()
    assert code == 2, (argv, code, err)
    assert len(lines) == 1 and "Traceback" not in err, (argv, err)
    assert str(bad) in lines[0], (argv, err)


def _gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def _tbr_doc(base: dict[str, Path]) -> dict[str, Any]:
    with gzip.open(base["tbr"], "rt", encoding="utf-8") as f:
        doc: dict[str, Any] = json.load(f)
    return doc


# --------------------------------------------------------------- packages

PACKAGE_CASES: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda good: b"",
    "truncated_third": lambda good: good[: len(good) // 3],
    "truncated_last_byte": lambda good: good[:-1],
    "not_json": lambda good: b"hello, world",
    "null": lambda good: b"null",
    "array": lambda good: b"[]",
    "huge_number": lambda good: b"1e999",
    "deep_array": lambda good: b"[" * DEEP + b"]" * DEEP,
    "deep_object": lambda good: b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    "deep_inside_package": lambda good: good.replace(
        b'"battle_id": "duel"', b'"battle_id": ' + b"[" * DEEP + b"]" * DEEP, 1
    ),
    "invalid_utf8": lambda good: good.replace(b'"duel"', b'"du\xff\xfeel"', 1),
    "utf16": lambda good: good.decode().encode("utf-16"),
    "binary": lambda good: bytes(random.Random(7).randrange(256) for _ in range(4096)),
    "gzip_instead_of_json": lambda good: _gz(good),
    "oversized": lambda good: good + b" " * (9 << 20),  # beyond the contract's 8 MiB for a package
    "too_many_ships": lambda good: _many_ships(good, 5000),  # about 3 MB, within the size limit
    "typo_in_a_key": lambda good: good.replace(b'"controller"', b'"controler"', 1),
}


@pytest.mark.parametrize("case", sorted(PACKAGE_CASES))
def test_malformed_packages_exit_2(
    case: str, base: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / f"{case}.json"
    bad.write_bytes(PACKAGE_CASES[case](base["pkg"].read_bytes()))
    for argv in _package_commands(base, bad):
        _check_refused(argv, bad, capsys)


def _many_ships(good: bytes, n: int) -> bytes:
    doc = json.loads(good)
    ship = doc["ships"][0]
    doc["ships"] = [dict(ship, ship_id=f"s{i}") for i in range(n)]
    return json.dumps(doc).encode()


def _flip(data: bytes, rng: random.Random, bits: int) -> bytes:
    out = bytearray(data)
    for _ in range(bits):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def _check_any_outcome(argv: list[str], allowed: set[int], capsys: pytest.CaptureFixture[str]) -> int:
    code, err = _run(argv, capsys)
    assert code in allowed, (argv, code, err)
    assert "Traceback" not in err and "internal error" not in err, (argv, err)
    if code == 2:
        assert len(err.splitlines()) == 1, (argv, err)
    return code


def test_bit_flipped_packages(
    base: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(13)
    good = base["pkg"].read_bytes()
    refused = 0
    for k in range(60):
        bad = tmp_path / f"flip{k}.json"
        bad.write_bytes(_flip(good, rng, 1 + k % 3))
        refused += _check_any_outcome(["validate", str(bad)], {0, 2}, capsys) == 2
    assert refused >= 20  # most flips break the JSON or a value


# --------------------------------------------------------------- replay files


def _edit(base: dict[str, Path], edit: Callable[[dict[str, Any]], object]) -> bytes:
    doc = _tbr_doc(base)
    edit(doc)
    return _gz(json.dumps(doc).encode())


def _raw(base: dict[str, Path], old: bytes, new: bytes) -> bytes:
    """The replay file with the first ``old`` of its JSON text replaced by ``new``."""
    raw = gzip.decompress(base["tbr"].read_bytes())
    assert old in raw
    return _gz(raw.replace(old, new, 1))


def _ship(doc: dict[str, Any], frame: int = 3, ship: int = 0) -> dict[str, Any]:
    s: dict[str, Any] = doc["frames"][frame]["ships"][ship]
    return s


REPLAY_CASES: dict[str, Callable[[dict[str, Path]], bytes]] = {
    "empty": lambda b: b"",
    "truncated_gzip": lambda b: b["tbr"].read_bytes()[: len(b["tbr"].read_bytes()) // 2],
    "truncated_json": lambda b: _gz(gzip.decompress(b["tbr"].read_bytes())[:-40]),
    "gzip_crc_broken": lambda b: b["tbr"].read_bytes()[:-8] + b"\0" * 8,
    "not_gzip_not_json": lambda b: b"\x00\x01binary\xff" * 100,
    "deep_array": lambda b: _gz(b"[" * DEEP + b"]" * DEEP),
    "deep_object_in_frames": lambda b: _raw(b, b'"frames":[', b'"frames":[' + b'{"a":' * 5000 + b"1" + b"}" * 5000 + b","),
    "deep_package": lambda b: _raw(b, b'"battle_id":"duel"', b'"battle_id":' + b"[" * DEEP + b"]" * DEEP),
    "invalid_utf8": lambda b: _raw(b, b'"duel"', b'"d\xffl"'),
    "wrong_format": lambda b: _edit(b, lambda d: d.update(format="something.else")),
    "wrong_version": lambda b: _edit(b, lambda d: d.update(version=99)),
    "frames_null": lambda b: _edit(b, lambda d: d.update(frames=None)),
    "a_frame_null": lambda b: _edit(b, lambda d: d["frames"].__setitem__(2, None)),
    "ships_null": lambda b: _edit(b, lambda d: d["frames"][2].update(ships=None)),
    "nan_position": lambda b: _edit(b, lambda d: _ship(d).update(x=float("nan"))),
    "infinite_hp": lambda b: _edit(b, lambda d: _ship(d).update(hp=float("inf"))),
    "string_position": lambda b: _edit(b, lambda d: _ship(d).update(y="north")),
    "unknown_ship": lambda b: _edit(b, lambda d: _ship(d).update(id="ghost")),
    "unknown_track_target": lambda b: _edit(
        b, lambda d: d["frames"][3]["tracks"].update(corvette=[{"target": "ghost", "q": 1, "x": 0, "y": 0, "err": 5, "layer": 0}])
    ),
    "package_null": lambda b: _edit(b, lambda d: d.update(package=None)),
    "package_ships_not_a_list": lambda b: _edit(b, lambda d: d["package"].update(ships={"a": 1})),
    "result_garbage": lambda b: _edit(b, lambda d: d.update(result=[1, 2, 3])),
    "hashes_not_strings": lambda b: _edit(b, lambda d: d["result"]["replay"].update(tick_hashes=[{}])),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(REPLAY_CASES))
def test_malformed_replay_files_exit_2(
    case: str, base: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / f"{case}.tbr"
    bad.write_bytes(REPLAY_CASES[case](base))
    for argv in _replay_commands(base, bad):
        _check_refused(argv, bad, capsys)
    assert not (tmp_path / "out" / "v.html").exists()  # view wrote no page


def test_oversized_replay_files_exit_2(
    base: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small gzip file that inflates past the limit (lowered here so the test stays quick).
    monkeypatch.setenv("TIDEBREAK_MAX_REPLAY_BYTES", str(1 << 20))
    bad = tmp_path / "bomb.tbr"
    doc = gzip.decompress(base["tbr"].read_bytes())
    bad.write_bytes(_gz(doc[:-1] + b" " * (2 << 20) + doc[-1:]))
    assert bad.stat().st_size < 100_000
    for argv in _replay_commands(base, bad):
        _check_refused(argv, bad, capsys)


def test_bit_flipped_replay_files(
    base: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(5)
    raw = gzip.decompress(base["tbr"].read_bytes())
    refused = 0
    for k in range(24):
        bad = tmp_path / f"flip{k}.tbr"
        if k % 2:  # in the compressed stream: the CRC or the inflater notices
            bad.write_bytes(_flip(base["tbr"].read_bytes(), rng, 1))
        else:  # in the JSON, compressed again: only the reader's checks stand in the way
            bad.write_bytes(_gz(_flip(raw, rng, 1)))
        view = ["view", str(bad), "-o", str(tmp_path / "v.html")]
        refused += _check_any_outcome(view, {0, 2}, capsys) == 2
        _check_any_outcome(["diff", str(base["tbr"]), str(bad)], {0, 1, 2}, capsys)
    assert refused >= 12  # every flip of the compressed stream at least


# --------------------------------------------------------------- the real process


@pytest.mark.parametrize(
    ("argv", "content"),
    [
        (["validate"], b"[" * DEEP + b"]" * DEEP),
        (["validate"], b'{"battle_id": "\xff"}'),
        (["view"], _gz(b"[" * DEEP + b"]" * DEEP)),
        (["diff", "GOOD"], _gz(b'{"format": "tidebreak.replay", "version": 2, "package": null}')),
    ],
    ids=["validate-deep", "validate-utf8", "view-deep", "diff-null-package"],
)
def test_a_user_sees_one_line(base: dict[str, Path], tmp_path: Path, argv: list[str], content: bytes) -> None:
    exe = shutil.which("tidebreak", path=str(Path(sys.executable).parent))
    assert exe is not None
    bad = tmp_path / "bad.tbr"
    bad.write_bytes(content)
    args = [a.replace("GOOD", str(base["tbr"])) for a in argv]
    proc = subprocess.run(
        [exe, *args, str(bad)], capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"tidebreak {argv[0]}: ") and str(bad) in lines[0]
