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


def test_one_version_number() -> None:
    """The package metadata, tidebreak.__version__ and the library agree."""
    from importlib.metadata import version

    from tidebreak.engine import _native

    info = _native.build_info()
    assert version("tidebreak") == tidebreak.__version__ == info["version"]
    assert info["abi"] == _native.lib().TB_ABI_VERSION
    assert info["go"].startswith("go1.")
    assert info["commit"]


def test_license_is_shipped() -> None:
    """pyproject says Apache-2.0; the distribution carries the licence text."""
    from importlib.metadata import distribution, metadata

    assert metadata("tidebreak")["License-Expression"] == "Apache-2.0"
    files = [f for f in distribution("tidebreak").files or [] if f.name == "LICENSE"]
    assert files, "LICENSE is not in the installed distribution"
    assert "Apache License" in files[0].read_text() and "Version 2.0, January 2004" in files[0].read_text()


def test_native_library_and_header_are_installed() -> None:
    from tidebreak.engine import _native

    native = resources.files("tidebreak").joinpath("engine", "_native")
    assert native.joinpath(_native._LIB_NAME).is_file()
    assert "tb_env_step" in native.joinpath("tidebreak.h").read_text()


def test_library_name_per_platform() -> None:
    from tidebreak.engine._native import _library_name

    assert _library_name("linux") == "libtidebreak.so"
    assert _library_name("darwin") == "libtidebreak.dylib"
    assert _library_name("win32") == "tidebreak.dll"


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
