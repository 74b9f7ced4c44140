"""Build hooks: compile the Go arena into the package with ``go build -buildmode=c-shared``.

Everything else lives in pyproject.toml. The wheel holds a native library,
so it is tagged for the platform (py3-none-<platform>): the binding uses
cffi's ABI mode and does not depend on the Python version.

The library is built for Go's target platform, so the usual Go variables
cross-compile: ``GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc`` gives
a ``win_amd64`` wheel holding ``tidebreak.dll``; ``GOARCH=arm64
CC=aarch64-linux-gnu-gcc`` a ``linux_aarch64`` one (``scripts/build-wheel.sh``
sets them per platform). The library carries the package's version and the
commit it was built from (``tidebreak --version``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist
from setuptools.dist import Distribution

try:
    from wheel.bdist_wheel import bdist_wheel
except ImportError:  # pragma: no cover - wheel is a build requirement
    bdist_wheel = None

ROOT = Path(__file__).resolve().parent
NATIVE = ("tidebreak", "engine", "_native")

# The library's file name on each GOOS, as the loader (engine/_native) expects it.
LIBRARY_NAMES = {"linux": "libtidebreak.so", "darwin": "libtidebreak.dylib", "windows": "tidebreak.dll"}
# Go 1.23 and later need macOS 11.
MACOS_MIN = "11.0"
WHEEL_ARCH = {
    ("linux", "amd64"): "linux_x86_64",
    ("linux", "arm64"): "linux_aarch64",
    ("darwin", "amd64"): f"macosx_{MACOS_MIN.replace('.', '_')}_x86_64",
    ("darwin", "arm64"): f"macosx_{MACOS_MIN.replace('.', '_')}_arm64",
    ("windows", "amd64"): "win_amd64",
    ("windows", "arm64"): "win_arm64",
}


def go_binary() -> str:
    go = shutil.which("go")
    if go is None:
        sys.exit("tidebreak needs Go (https://go.dev/dl) on PATH to build its native library")
    return go


def go_target() -> tuple[str, str]:
    """Go's target platform (GOOS, GOARCH), honouring the environment."""
    out = subprocess.run(
        [go_binary(), "env", "GOOS", "GOARCH"], cwd=ROOT, check=True, capture_output=True, text=True
    )
    goos, goarch = out.stdout.split()
    return goos, goarch


def library_name() -> str:
    goos, _ = go_target()
    if goos not in LIBRARY_NAMES:
        sys.exit(
            f"tidebreak's library cannot be built for GOOS={goos} (supported: {', '.join(LIBRARY_NAMES)})"
        )
    return LIBRARY_NAMES[goos]


# An sdist has no git history: it carries the commit it was made from in this file.
COMMIT_FILE = "COMMIT"


def git_commit() -> str:
    """The commit being built, with -dirty for uncommitted changes.

    Outside a checkout, the commit an sdist recorded, else 'unknown'.
    """
    recorded = ROOT / COMMIT_FILE
    if recorded.is_file() and not (ROOT / ".git").exists():
        return recorded.read_text().strip() or "unknown"
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return rev + ("-dirty" if dirty else "")


def build_library(dest: Path, version: str) -> None:
    """Compile go/capi into dest (libtidebreak.so, .dylib or tidebreak.dll) and copy the header beside it."""
    go = go_binary()
    goos, _ = go_target()
    lib = library_name()
    dest.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CGO_ENABLED="1")
    if goos == "darwin":
        env.setdefault("MACOSX_DEPLOYMENT_TARGET", MACOS_MIN)
    ldflags = f"-X main.version={version} -X main.commit={git_commit()}"
    # -buildvcs=false: the commit comes from git above; Go's own stamping fails
    # the build where git refuses the checkout (another user's directory).
    cmd = [go, "build", "-trimpath", "-buildvcs=false", "-buildmode=c-shared", "-ldflags", ldflags]
    cmd += ["-o", str(dest / lib), "./go/capi"]
    print("building the Go library:", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    # cgo writes its own header beside the library; ours is checked in.
    (dest / (Path(lib).stem + ".h")).unlink(missing_ok=True)
    shutil.copyfile(ROOT / "go" / "capi" / "tidebreak.h", dest / "tidebreak.h")


class BuildPyWithGo(build_py):
    """build_py that also builds the Go library into the package."""

    def run(self) -> None:
        # setuptools reuses build/lib between builds: modules that moved or were
        # deleted since the last build would otherwise ship in the wheel.
        shutil.rmtree(Path(self.build_lib) / "tidebreak", ignore_errors=True)
        super().run()
        native = Path(self.build_lib).joinpath(*NATIVE)
        # package_data copies whatever library a development build left in the source
        # tree (another platform's, or a stale one): only the one built now may ship.
        for name in LIBRARY_NAMES.values():
            (native / name).unlink(missing_ok=True)
        build_library(native, self.distribution.get_version())

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:  # type: ignore[override]
        native = Path(self.build_lib).joinpath(*NATIVE)
        return [
            *super().get_outputs(include_bytecode),
            str(native / library_name()),
            str(native / "tidebreak.h"),
        ]


class BinaryDistribution(Distribution):
    """A distribution with a platform-specific payload."""

    def has_ext_modules(self) -> bool:
        return True


class SdistWithCommit(sdist):
    """sdist that records the commit it was made from (``COMMIT``), for the library's build info."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        target = Path(base_dir) / COMMIT_FILE
        target.unlink(missing_ok=True)  # may be a hard link into the source tree
        target.write_text(git_commit() + "\n")


cmdclass: dict[str, type] = {"build_py": BuildPyWithGo, "sdist": SdistWithCommit}

if bdist_wheel is not None:

    class PlatformWheel(bdist_wheel):  # type: ignore[misc, valid-type]
        """Tag wheels py3-none-<platform>: native code, no Python ABI dependency.

        The platform is Go's target, not the running Python's: a cross-built
        library gets its own platform's tag, and a macOS wheel says macOS 11
        and one architecture whatever the Python it was built with.
        """

        def get_tag(self) -> tuple[str, str, str]:
            goos, goarch = go_target()
            plat = WHEEL_ARCH.get((goos, goarch))
            if plat is None:
                sys.exit(f"no wheel platform tag is known for GOOS={goos} GOARCH={goarch}")
            return "py3", "none", plat

    cmdclass["bdist_wheel"] = PlatformWheel

setup(cmdclass=cmdclass, distclass=BinaryDistribution)
