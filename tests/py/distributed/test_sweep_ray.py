"""Sweeps and evaluation on Ray: one local Ray instance (2 CPUs) for the module."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

ray = pytest.importorskip(
    "ray", reason="ray is not installed (optional extra: pip install 'tidebreak[ray-core]')"
)

from dist_helpers import cheap_packages  # noqa: E402

from tidebreak.distributed import SweepResult, evaluate, simulate_many  # noqa: E402
from tidebreak.distributed.cli import main as cli_main  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def ray_instance() -> Iterator[None]:
    if ray.is_initialized():
        ray.shutdown()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def ray_200(packages_200: list[dict[str, Any]]) -> list[SweepResult]:
    return simulate_many(packages_200, backend="ray", progress=False)


def test_ray_sweep_identical_to_local(ray_200: list[SweepResult], local_200: list[SweepResult]) -> None:
    assert len(ray_200) == 200
    assert [r.index for r in ray_200] == list(range(200))
    assert ray_200 == local_200
    assert [r.final_state_hash for r in ray_200] == [r.final_state_hash for r in local_200]


def test_ray_invalid_package_reported_others_complete(ray_200: list[SweepResult]) -> None:
    bad = ray_200[37]
    assert bad.status == "error" and bad.error_type == "TB_ERR_INVALID"
    assert "ships[0].hull.max_speed: must be > 0" in (bad.error or "")
    assert [r.index for r in ray_200 if r.ok] == [i for i in range(200) if i != 37]


def test_ray_killed_worker_loses_nothing(
    tmp_path: Path, packages_200: list[dict[str, Any]], local_200: list[SweepResult]
) -> None:
    marker = tmp_path / "killed"
    out = simulate_many(
        packages_200, backend="ray", chunk_size=10, progress=False, _kill_once=(str(marker), 123)
    )
    assert marker.exists(), "the kill hook did not fire"
    killed_pid = int(marker.read_text())
    assert killed_pid != os.getpid()
    with pytest.raises(ProcessLookupError):
        os.kill(killed_pid, 0)  # that worker is gone; its chunk was retried elsewhere
    assert out == local_200


def test_ray_task_that_keeps_dying_reported_per_package(tmp_path: Path) -> None:
    # max_retries=0: the chunk whose worker dies is not retried; its packages
    # come back as errors and the other chunks complete.
    pkgs = cheap_packages(20)
    out = simulate_many(
        pkgs,
        backend="ray",
        chunk_size=5,
        max_retries=0,
        progress=False,
        _kill_once=(str(tmp_path / "killed"), 7),
    )
    failed = [r.index for r in out if not r.ok]
    assert failed == [5, 6, 7, 8, 9]
    assert all("task failed" in (r.error or "") for r in out if not r.ok)
    assert all(r.ok for r in out if r.index not in failed)


def test_cli_sweep_ray_backend(tmp_path: Path) -> None:
    pkgs = cheap_packages(8)
    (tmp_path / "pk").mkdir()
    for i, p in enumerate(pkgs):
        (tmp_path / "pk" / f"{i}.json").write_text(json.dumps(p))
    out = tmp_path / "r.jsonl"
    assert (
        cli_main(["sweep", str(tmp_path / "pk"), "--backend", "ray", "--out", str(out), "--no-progress"]) == 0
    )
    names = sorted(json.loads(x)["name"] for x in out.read_text().splitlines())
    assert names == sorted(f"{i}.json" for i in range(8))


def test_ray_evaluate_controller_matches_single_process() -> None:
    from tidebreak.rl.evaluation import evaluate as evaluate_one

    kw: dict[str, Any] = {"episodes": 6, "seed": 3, "baselines": ("idle",)}
    single = evaluate_one("patrol", "Tidebreak/GunDuel-v0", **kw)
    spread = evaluate("patrol", "Tidebreak/GunDuel-v0", backend="ray", episodes_per_task=2, **kw)
    assert spread.metrics() == single.metrics()  # every figure (mean_return is NaN for scripted players)
    assert spread.result.as_dict() == single.result.as_dict()
    assert spread.baselines.keys() == single.baselines.keys()


def test_ray_evaluate_policy_matches_single_process() -> None:
    from tidebreak.rl.evaluation import evaluate as evaluate_one

    kw: dict[str, Any] = {
        "episodes": 4,
        "seed": 5,
        "baselines": (),
        "env_kwargs": {"reward_weights": "dense"},
    }
    from tidebreak.gym.spaces import make_codec

    size = make_codec("box").space().shape[0]

    def policy(obs: np.ndarray) -> np.ndarray:  # a local function: shipped by value with cloudpickle
        out = np.zeros((obs.shape[0], size), np.float32)
        out[:, 0] = 1.0
        out[:, -1] = np.tanh(obs[:, 0])  # depends on the observation, row by row
        return out

    single = evaluate_one(policy, "Tidebreak/GunDuel-v0", **kw)
    spread = evaluate(policy, "Tidebreak/GunDuel-v0", backend="ray", episodes_per_task=1, **kw)
    assert spread.result == single.result
    assert spread.metrics() == single.metrics()
