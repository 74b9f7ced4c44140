"""Build hooks: compile the Go arena into the package with ``go build -buildmode=c-shared``.

Everything else lives in pyproject.toml. The wheel holds a native library,
so it is tagged for the platform (py3-none-<platform>): the binding uses
cffi's ABI mode and does not depend on the Python version.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

try:
    from wheel.bdist_wheel import bdist_wheel
except ImportError:  # pragma: no cover - wheel is a build requirement
    bdist_wheel = None

ROOT = Path(__file__).resolve().parent
LIB = "libtidebreak.so"


def build_library(dest: Path) -> None:
    """Compile go/capi into dest/libtidebreak.so and copy the header beside it."""
    go = shutil.which("go")
    if go is None:
        sys.exit("tidebreak needs Go (https://go.dev/dl) on PATH to build its native library")
    dest.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CGO_ENABLED="1")
    cmd = [go, "build", "-trimpath", "-buildmode=c-shared", "-o", str(dest / LIB), "./go/capi"]
    print("building the Go library:", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    (dest / "libtidebreak.h").unlink(missing_ok=True)  # cgo's generated header; ours is checked in
    shutil.copyfile(ROOT / "go" / "capi" / "tidebreak.h", dest / "tidebreak.h")


class BuildPyWithGo(build_py):
    """build_py that also builds the Go library into the package."""

    def run(self) -> None:
        # setuptools reuses build/lib between builds: modules that moved or were
        # deleted since the last build would otherwise ship in the wheel.
        shutil.rmtree(Path(self.build_lib) / "tidebreak", ignore_errors=True)
        super().run()
        build_library(Path(self.build_lib) / "tidebreak" / "engine" / "_native")

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:  # type: ignore[override]
        native = Path(self.build_lib) / "tidebreak" / "engine" / "_native"
        return [*super().get_outputs(include_bytecode), str(native / LIB), str(native / "tidebreak.h")]


class BinaryDistribution(Distribution):
    """A distribution with a platform-specific payload."""

    def has_ext_modules(self) -> bool:
        return True


cmdclass: dict[str, type] = {"build_py": BuildPyWithGo}

if bdist_wheel is not None:

    class PlatformWheel(bdist_wheel):  # type: ignore[misc, valid-type]
        """Tag wheels py3-none-<platform>: native code, no Python ABI dependency."""

        def get_tag(self) -> tuple[str, str, str]:
            _, _, plat = super().get_tag()
            return "py3", "none", plat

    cmdclass["bdist_wheel"] = PlatformWheel

setup(cmdclass=cmdclass, distclass=BinaryDistribution)
