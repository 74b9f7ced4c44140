"""simulate_many / sweep_files on the process-pool backend (no Ray needed)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from dist_helpers import broken, cheap_packages

from tidebreak.distributed import SweepResult, load_results, simulate_many, sweep_files
from tidebreak.distributed.cli import main as cli_main


def test_local_matches_serial_in_input_order(
    packages_200: list[dict[str, Any]], local_200: list[SweepResult]
) -> None:
    serial = simulate_many(packages_200, backend="serial", progress=False)
    assert local_200 == serial
    assert [r.index for r in local_200] == list(range(200))
    assert [r.battle_id for r in local_200] == [p["battle_id"] for p in packages_200]
    assert [r.seed for r in local_200] == [p["seed"] for p in packages_200]


def test_result_equals_direct_simulate(
    packages_200: list[dict[str, Any]], local_200: list[SweepResult]
) -> None:
    import tidebreak

    for i in (0, 1, 2, 3, 199):
        direct = tidebreak.simulate(packages_200[i])
        assert local_200[i].battle_result() == direct
        assert local_200[i].final_state_hash == direct.replay.final_state_hash


def test_invalid_package_reported_others_complete(local_200: list[SweepResult]) -> None:
    bad = local_200[37]
    assert bad.status == "error" and not bad.ok and bad.result is None
    assert "ships[0].hull.max_speed: must be > 0" in (bad.error or "")
    assert bad.error_type == "TB_ERR_INVALID"
    assert sum(r.ok for r in local_200) == 199
    with pytest.raises(ValueError, match="max_speed"):
        bad.battle_result()


def test_malformed_json_and_model_inputs() -> None:
    from tidebreak.contracts import parse_package

    pkgs = cheap_packages(2)
    model = parse_package(json.dumps(pkgs[0]))
    out = simulate_many(
        {"model": model, "text": json.dumps(pkgs[1]), "junk": "{not json"}, backend="serial", progress=False
    )
    assert [r.name for r in out] == ["model", "text", "junk"]
    assert out[0].ok and out[1].ok
    assert out[2].status == "error" and out[2].error_type == "TB_ERR_JSON"


def test_killed_local_worker_loses_nothing(
    tmp_path: Path, local_200: list[SweepResult], packages_200: list[dict[str, Any]]
) -> None:
    marker = tmp_path / "killed"
    out = simulate_many(
        packages_200, backend="local", workers=2, chunk_size=10, progress=False, _kill_once=(str(marker), 123)
    )
    assert marker.exists(), "the kill hook did not fire"
    assert int(marker.read_text()) != os.getpid()
    assert out == local_200


def test_fork_start_method_refused() -> None:
    with pytest.raises(ValueError, match="spawn"):
        simulate_many(cheap_packages(2), backend="local", start_method="fork", progress=False)


def test_unknown_backend() -> None:
    with pytest.raises(ValueError, match="backend"):
        simulate_many(cheap_packages(1), backend="dask", progress=False)


def test_record_round_trip(local_200: list[SweepResult]) -> None:
    for r in (local_200[0], local_200[37]):
        back = SweepResult.from_record(json.loads(json.dumps(r.to_record())))
        assert back.status == r.status and back.result == r.result and back.error == r.error
        assert back.name == r.name and back.seed == r.seed and back.battle_id == r.battle_id


def _write_packages(d: Path, n: int) -> list[dict[str, Any]]:
    pkgs = cheap_packages(n)
    broken(pkgs[2])
    d.mkdir()
    for i, p in enumerate(pkgs):
        (d / f"p{i:02d}.json").write_text(json.dumps(p))
    return pkgs


def test_cli_sweep_streams_and_resumes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pkgs = _write_packages(tmp_path / "packages", 6)
    out = tmp_path / "results.jsonl"
    args = [
        str(tmp_path / "packages"),
        "--out",
        str(out),
        "--workers",
        "2",
        "--no-progress",
        "--chunk-size",
        "1",
    ]
    assert cli_main(["sweep", *args]) == 1  # one package is invalid
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert sorted(x["name"] for x in lines) == [f"p{i:02d}.json" for i in range(6)]
    by_name = {x["name"]: x for x in lines}
    assert by_name["p02.json"]["status"] == "error" and "max_speed" in by_name["p02.json"]["error"]
    assert by_name["p03.json"]["seed"] == pkgs[3]["seed"]
    assert by_name["p03.json"]["result"]["battle_id"] == pkgs[3]["battle_id"]
    assert set(by_name["p00.json"]) == {"name", "battle_id", "seed", "status", "result"}

    # Interrupted run: drop two records and tear the last line; the rerun fills in only those.
    kept = out.read_text().splitlines()
    dropped = {json.loads(x)["name"] for x in kept[-2:]}
    out.write_text("\n".join(kept[:-2]) + "\n" + kept[-2][: len(kept[-2]) // 2])
    capsys.readouterr()
    code = cli_main(["sweep", *args])
    assert "2 packages run" in capsys.readouterr().err
    assert code == (1 if "p02.json" in dropped else 0)
    done = load_results(out)
    assert sorted(done) == [f"p{i:02d}.json" for i in range(6)]
    fresh = simulate_many({f"p{i:02d}.json": p for i, p in enumerate(pkgs)}, backend="serial", progress=False)
    for r in fresh:
        assert done[r.name].result == r.result and done[r.name].status == r.status

    # Nothing left: nothing runs. --retry-errors reruns only the failed one.
    assert cli_main(["sweep", *args]) == 0
    assert "0 packages run" in capsys.readouterr().err
    assert cli_main(["sweep", *args, "--retry-errors"]) == 1
    assert "1 packages run (1 failed)" in capsys.readouterr().err


def test_cli_no_packages(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert cli_main(["sweep", str(tmp_path / "empty"), "--out", str(tmp_path / "r.jsonl")]) == 2
    assert cli_main(["sweep", str(tmp_path / "missing"), "--out", str(tmp_path / "r.jsonl")]) == 2


def test_sweep_files_returns_counts(tmp_path: Path) -> None:
    _write_packages(tmp_path / "pk", 4)
    ran, skipped, failed = sweep_files(
        [tmp_path / "pk"], tmp_path / "o.jsonl", backend="serial", progress=False
    )
    assert (ran, skipped, failed) == (4, 0, 1)
    assert sweep_files([tmp_path / "pk"], tmp_path / "o.jsonl", backend="serial", progress=False) == (0, 4, 0)


class ForwardPolicy:
    """Full speed ahead; the last action column follows the first observation column."""

    def __call__(self, obs: Any) -> Any:
        import numpy as np

        from tidebreak.gym.spaces import make_codec

        out = np.zeros((obs.shape[0], make_codec("box").space().shape[0]), np.float32)
        out[:, 0] = 1.0
        out[:, -1] = np.tanh(obs[:, 0])
        return out


def test_local_evaluate_matches_single_process() -> None:
    from tidebreak.distributed import evaluate
    from tidebreak.rl.evaluation import evaluate as evaluate_one

    kw: dict[str, Any] = {"episodes": 5, "seed": 2, "baselines": ("idle",)}
    for player in ("patrol", ForwardPolicy()):
        single = evaluate_one(player, "Tidebreak/GunDuel-v0", **kw)
        spread = evaluate(
            player, "Tidebreak/GunDuel-v0", backend="local", workers=2, episodes_per_task=2, **kw
        )
        assert spread.metrics() == single.metrics()
        assert spread.result.name == single.result.name


def test_evaluate_rejects_zero_episodes() -> None:
    from tidebreak.distributed import evaluate

    with pytest.raises(ValueError, match="episodes"):
        evaluate("patrol", episodes=0, backend="serial")


def test_add_sweep_parser_on_another_cli(tmp_path: Path) -> None:
    import argparse

    from tidebreak.distributed.cli import add_sweep_parser

    _write_packages(tmp_path / "pk", 3)
    parser = argparse.ArgumentParser(prog="tidebreak")
    add_sweep_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        [
            "sweep",
            str(tmp_path / "pk"),
            "--out",
            str(tmp_path / "o.jsonl"),
            "--backend",
            "serial",
            "--no-progress",
        ]
    )
    assert args.func(args) == 1  # p02 is invalid
    assert len((tmp_path / "o.jsonl").read_text().splitlines()) == 3


def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    import subprocess
    import sys

    pkgs = cheap_packages(2)
    (tmp_path / "pk").mkdir()
    for i, p in enumerate(pkgs):
        (tmp_path / "pk" / f"{i}.json").write_text(json.dumps(p))
    out = tmp_path / "o.jsonl"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tidebreak.distributed",
            "sweep",
            str(tmp_path / "pk"),
            "--out",
            str(out),
            "--workers",
            "1",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "2 packages run (0 failed)" in proc.stderr
    assert all(json.loads(x)["status"] == "ok" for x in out.read_text().splitlines())


def test_iter_simulate_streams_and_on_result_sees_each(packages_200: list[dict[str, Any]]) -> None:
    from tidebreak.distributed import iter_simulate

    seen: list[int] = []
    out = simulate_many(
        packages_200[:20], backend="serial", progress=False, on_result=lambda r: seen.append(r.index)
    )
    assert sorted(seen) == list(range(20)) and [r.index for r in out] == list(range(20))
    streamed = list(
        iter_simulate(packages_200[:20], backend="local", workers=2, chunk_size=3, progress=False)
    )
    assert sorted(r.index for r in streamed) == list(range(20))
    assert sorted(streamed, key=lambda r: r.index) == out
