"""The installed package: importable, typed, shipped with its library, lazy."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import tidebreak
from tidebreak.engine import layout


def test_version_and_typed_marker() -> None:
    assert tidebreak.__version__
    assert resources.files("tidebreak").joinpath("py.typed").is_file()


def test_native_library_and_header_are_installed() -> None:
    native = resources.files("tidebreak").joinpath("engine", "_native")
    assert native.joinpath("libtidebreak.so").is_file()
    assert "tb_env_step" in native.joinpath("tidebreak.h").read_text()


def test_import_does_not_start_the_go_runtime() -> None:
    code = (
        "import tidebreak, tidebreak.engine.layout, tidebreak.scenarios, tidebreak.engine._native as n\n"
        "tidebreak.engine.layout.obs_size(8); tidebreak.scenarios.load('duel')\n"
        "print(n.is_loaded())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_layout_matches_the_library(duel_agent: dict) -> None:
    for k in (1, 8, 12):
        with tidebreak.NativeEnv(duel_agent, max_tracks=k) as env:
            assert env.spec.obs_size == layout.obs_size(k) == len(layout.obs_names(k))
            assert env.spec.action_size == layout.ACTION_SIZE
            assert env.spec.mask_size == layout.MASK_SIZE
            assert env.spec.reward_terms == layout.NUM_REWARD_TERMS


def test_scenarios_listed() -> None:
    assert "duel" in tidebreak.scenarios.names()


def test_old_import_paths_name_the_moved_modules() -> None:
    """Modules moved into layers answer to their old names too (one module object)."""
    import importlib

    from tidebreak._compat import MOVED

    for old, new in MOVED.items():
        module = importlib.import_module(old)
        assert module is importlib.import_module(new), old
        assert module.__spec__ is not None and module.__spec__.name == new, old
    from importlib import resources

    assert resources.files("tidebreak.replays.viewer").joinpath("assets", "template.html").is_file()
    from tidebreak.records import Recorder
    from tidebreak.replays.records import Recorder as moved

    assert Recorder is moved
    import tidebreak.render.mpl
    import tidebreak.replays.render.mpl

    assert tidebreak.render.mpl is tidebreak.replays.render.mpl
