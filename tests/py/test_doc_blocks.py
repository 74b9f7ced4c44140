"""Every code block of the documentation runs, and every output it shows is what the command prints.

See doc_blocks.py for the conventions (python, sh/bash and console blocks).
docs/rl.md's python blocks run in their own test (tests/py/gym/test_gym_docs.py).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from doc_blocks import (  # noqa: E402
    Block,
    blocks,
    documents,
    output_matches,
    printed_patterns,
    run_document,
    shell_lines,
)

PYTHON_TESTED_ELSEWHERE = {"rl.md"}
DOC_DIR = Path(__file__).resolve().parents[2] / "docs"
#: Python blocks that need the heavy extras (make test-full).
_HEAVY_IMPORTS = (
    "stable_baselines3",
    "sb3_contrib",
    "ray.rllib",
    "distributed.rllib",
    "distributed import rllib",
)


def prepare(work: Path) -> Path:
    """A folder with the files the documents' commands assume (battle.json, duel.tbr, a.tbr …)."""
    import gymnasium as gym

    import tidebreak
    import tidebreak.gym  # noqa: F401 - registers the ids
    from tidebreak import scenarios
    from tidebreak.engine import layout

    work.mkdir(parents=True, exist_ok=True)
    (work / "docs").mkdir()  # commands run from the repository root write docs/balance.md
    battle = scenarios.package("duel", seed=4)
    (work / "battle.json").write_text(json.dumps(battle, indent=1))
    (work / "newer-battle.json").write_text(json.dumps(dict(battle, comment="a key of a newer producer")))
    text = json.dumps(battle, indent=1)  # the first occurrences are the first ship's, renamed in place
    (work / "typos.json").write_text(
        text.replace('"controller"', '"controler"', 1).replace('"max_speed"', '"max_sped"', 1)
    )
    tidebreak.simulate(battle, record_path=work / "duel.tbr")
    for seed, name in ((4, "result_a.json"), (5, "result_b.json")):
        (work / name).write_text(tidebreak.simulate(dict(battle, seed=seed)).model_dump_json(indent=1))
    pkg = scenarios.package("gun_duel", seed=5)
    tidebreak.simulate(pkg, record_path=work / "a.tbr")
    tidebreak.simulate(pkg, record_path=work / "a.json.gz")
    pkg["ships"][0]["initial_state"]["x"] += 50
    tidebreak.simulate(pkg, record_path=work / "b.tbr")
    (work / "packages" / "fleet").mkdir(parents=True)
    for seed, name in ((7, "a.json"), (8, "b.json")):
        p = scenarios.package("fleet_4v4", seed=seed)
        if name == "b.json":
            p["ships"][0]["hull"]["max_speed"] = 0  # refused
        (work / "packages" / "fleet" / name).write_text(json.dumps(p))
    env = gym.make("Tidebreak/Duel-v0", record_dir=str(work / "replays"))
    env.reset(seed=1)
    done = False
    while not done:
        _, _, terminated, truncated, _ = env.step(env.action_space.sample() * 0)
        done = terminated or truncated
    env.close()
    # Where the docs' trained policies would be (tidebreak train writes them; an
    # untrained one stands in, made with numpy alone: make test has no torch).
    from tidebreak.rl.policy import Policy

    for where, ship in (("runs/Duel-v0-seed0/best.npz", "corvette"), ("runs/duel/policy.npz", "corvette")):
        (work / where).parent.mkdir(parents=True, exist_ok=True)
        Policy.random(
            layout.obs_size(),
            (16,),
            action_mode="multidiscrete",
            env_id="Tidebreak/Duel-v0",
            env_kwargs={"agent_ship": ship, "action_mode": "multidiscrete"},
            seed=0,
        ).save(work / where)
    from tidebreak.rl import league

    result = league.play(["idle", "aggressive"], ["gun_duel"], seeds=1, backend="serial", progress=False)
    (work / "league.json").write_text(json.dumps(result.to_dict(), indent=1))
    return work


@pytest.fixture(scope="session")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepare(tmp_path_factory.mktemp("docs") / "template")


def _python_blocks() -> list[Any]:
    params = []
    for doc in documents():
        if doc.name in PYTHON_TESTED_ELSEWHERE:
            continue
        for b in blocks(doc, "python"):
            heavy = any(m in b.text for m in _HEAVY_IMPORTS)
            params.append(pytest.param(b, id=b.name, marks=[pytest.mark.full] if heavy else []))
    return params


@pytest.mark.parametrize("block", _python_blocks())
def test_python_block_runs(
    block: Block,
    prepared: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    work = tmp_path / "work"
    shutil.copytree(prepared, work)
    monkeypatch.chdir(work)
    if "stable_baselines3" in block.text:
        pytest.importorskip("stable_baselines3")
        _tiny_model(work / "ppo_duel")
    exec(compile(block.text, block.name, "exec"), {"__name__": "__docs__"})
    printed = capsys.readouterr().out.splitlines()
    for pattern in printed_patterns(block):
        assert any(output_matches([pattern], [line]) for line in printed), (
            f"{block.name}: '# prints: {pattern}' but the block printed:\n" + "\n".join(printed)
        )


def _tiny_model(path: Path) -> None:
    """A barely trained PPO model saved where the quickstart loads its own from."""
    import gymnasium as gym
    from stable_baselines3 import PPO

    import tidebreak.gym  # noqa: F401

    model = PPO("MlpPolicy", gym.make("Tidebreak/Duel-v0"), n_steps=64, batch_size=32, seed=0)
    model.learn(64)
    model.save(str(path))


def _documents_with_commands() -> list[Any]:
    return [
        pytest.param(d, id=d.name)
        for d in documents()
        if blocks(d, "console") or any(shell_lines(b) for b in blocks(d, "sh", "bash"))
    ]


def _check_document(doc: Path, prepared: Path, tmp_path: Path, slow: bool) -> None:
    work = tmp_path / "work"
    shutil.copytree(prepared, work)
    steps = run_document(doc, work, slow=slow)
    assert steps, f"{doc.name}: no tidebreak command found"
    problems = [
        f"{st.block.name}: $ {st.command}\n  {st.problem}\n"
        + ("  shown:\n    " + "\n    ".join(st.shown or []) + "\n" if st.shown is not None else "")
        + "  printed:\n    "
        + "\n    ".join(st.output.splitlines()[-20:])
        for st in steps
        if st.problem
    ]
    hint = "\n(if only the output changed: python tests/py/doc_blocks.py --write)" if problems else ""
    assert not problems, "\n\n".join(problems) + hint


@pytest.mark.parametrize("doc", _documents_with_commands())
def test_document_commands_run_and_print_what_is_shown(doc: Path, prepared: Path, tmp_path: Path) -> None:
    _check_document(doc, prepared, tmp_path, slow=False)


@pytest.mark.slow
@pytest.mark.parametrize("doc", _documents_with_commands())
def test_document_commands_including_the_long_ones(doc: Path, prepared: Path, tmp_path: Path) -> None:
    _check_document(doc, prepared, tmp_path, slow=True)


def test_every_runnable_block_is_covered() -> None:
    """No code block a reader would run is left out by accident (json, toml, c, go and text are not run)."""
    langs = {b.lang for d in documents() for b in blocks(d)}
    assert langs <= {"python", "sh", "bash", "console", "json", "toml", "c", "go", "text", ""}, langs


def test_pictures_and_links_resolve() -> None:
    """Every picture and relative link of the documents names a file that exists."""
    import re

    missing = []
    for doc in documents():
        for target in re.findall(r"\]\(([^)\s]+)\)", doc.read_text(encoding="utf-8")):
            path = target.split("#", 1)[0]
            if not path or "://" in path or path.startswith("mailto:"):
                continue
            if not (doc.parent / path).exists():
                missing.append(f"{doc.name}: {target}")
    assert not missing, missing


def test_json_blocks_are_what_they_show() -> None:
    """Every json block parses (but sketches, which elide with '...'); the frame of replay.md
    is a valid frame of the duel."""
    from tidebreak.replays.frames import check_frames

    for doc in documents():
        for b in blocks(doc, "json"):
            if "..." not in b.text:
                json.loads(b.text)
    (frame,) = [json.loads(b.text) for b in blocks(Path(DOC_DIR / "replay.md"), "json")]
    check_frames([frame], ["corvette", "submarine"], [120.0, 80.0], (0.0, 0.0, 12000.0, 12000.0))


def test_toml_blocks_are_valid_training_tables() -> None:
    """Every toml block is a table a training configuration accepts, added to the Duel-v0 one."""
    import tomllib

    from tidebreak.rl.train.config import as_dict, from_dict, load_config

    found = 0
    for doc in documents():
        for b in blocks(doc, "toml"):
            table = tomllib.loads(b.text)
            merged = as_dict(load_config("Tidebreak/Duel-v0"))
            for key, value in table.items():
                merged[key] = {**merged[key], **value} if isinstance(value, dict) else value
            from_dict(merged, source=f"{doc.name} toml block")
            found += 1
    assert found >= 1


def test_output_matching() -> None:
    assert output_matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert output_matches(["x ... z"], ["x yy z"])
    assert not output_matches(["a", "b"], ["a", "c"])
    assert not output_matches(["a"], ["a", "b"])
