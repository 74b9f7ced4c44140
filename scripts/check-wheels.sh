#!/usr/bin/env bash
# Build and check the wheels this machine can check (make wheels runs it):
#
#   1. the manylinux x86_64 wheel (glibc 2.17 baseline, zig as the C
#      compiler), its `auditwheel show`, and a smoke test in a fresh venv
#      with Go removed from PATH: --version, selfcheck, demo, a Gym episode;
#   2. the arm64 library cross-built with gcc-aarch64-linux-gnu and the C ABI
#      check program (tests/go/abi) run against it under qemu-aarch64, and
#      the manylinux aarch64 wheel;
#   3. the Windows wheel cross-built with MinGW-w64, its DLL exporting every
#      tb_* function of go/capi/tidebreak.h and needing only system DLLs;
#   4. the sdist, installed (with Go) into a fresh venv and self-checked;
#      twine check on everything in dist/.
#
# macOS wheels need macOS; CI builds and tests them (.github/workflows/wheels.yml).
# On Debian/Ubuntu as root, missing cross tools are installed with apt-get
# (gcc-aarch64-linux-gnu, libc6-dev-arm64-cross, qemu-user, gcc-mingw-w64-x86-64);
# elsewhere install them first. CROSS_ARCH=1 also runs
# scripts/check-cross-arch.sh (golden hashes on amd64 v1/v3 and under qemu).
#
#   scripts/check-wheels.sh            # all of it, about 5 minutes on 2 cores
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$root/build/check-wheels"
rm -rf "$work" dist
mkdir -p "$work"

step() { printf '\n===== %s\n' "$*"; }

# build TARGET: run build-wheel.sh with its log in $work, show the export
# check, and set $built to the file it made.
build() {
	if ! scripts/build-wheel.sh "$1" >"$work/build-$1.log" 2>&1; then
		tail -40 "$work/build-$1.log"
		echo "check-wheels: building $1 failed (log: $work/build-$1.log)" >&2
		exit 1
	fi
	grep -E "exports [0-9]+ of the header" "$work/build-$1.log" | sed "s|$work/||; s|/tmp/[^ ]*/unpacked/||" || true
	built="$(tail -1 "$work/build-$1.log")"
	echo "built $built"
}

tools=(aarch64-linux-gnu-gcc qemu-aarch64 x86_64-w64-mingw32-gcc)
missing=()
for t in "${tools[@]}"; do command -v "$t" >/dev/null || missing+=("$t"); done
if ((${#missing[@]})); then
	if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
		step "installing cross tools (missing: ${missing[*]})"
		apt-get update -q
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64
	else
		echo "check-wheels: missing ${missing[*]}; install gcc-aarch64-linux-gnu, libc6-dev-arm64-cross," \
			"qemu-user and gcc-mingw-w64-x86-64 (Debian/Ubuntu)" >&2
		exit 1
	fi
fi

step "1. manylinux x86_64 wheel"
build linux-x86_64
x86="$built"
step "auditwheel show $(basename "$x86")"
build/wheel-tools/bin/python -m auditwheel show "$x86"
step "smoke test in a fresh venv without Go"
scripts/smoke-wheel.sh "$x86" "$work/venv-x86_64"

step "2. arm64: the C ABI check program under qemu-aarch64"
TIDEBREAK_ABI_GOARCH=arm64 TIDEBREAK_ABI_CC=aarch64-linux-gnu-gcc \
	TIDEBREAK_ABI_EXEC="qemu-aarch64 -L /usr/aarch64-linux-gnu" \
	go test -count=1 -v -run TestABI ./tests/go/abi 2>&1 | grep -Ev '^=== RUN'
step "manylinux aarch64 wheel"
build linux-aarch64
build/wheel-tools/bin/python -m auditwheel show "$built"

step "3. Windows x86_64 wheel (MinGW-w64)"
build windows-x86_64

step "4. sdist: built, installed with Go (compiling the library), self-checked"
build sdist
"${PYTHON:-python3}" -m venv "$work/venv-sdist"
"$work/venv-sdist/bin/python" -m pip install --quiet "$built"
(cd "$work" && "$work/venv-sdist/bin/tidebreak" selfcheck)
step "twine check dist/*"
build/wheel-tools/bin/python -m twine check --strict dist/*

if [[ ${CROSS_ARCH:-0} == 1 ]]; then
	step "golden hashes across CPUs and architectures"
	REQUIRE_QEMU=1 scripts/check-cross-arch.sh
fi

step "OK"
ls -l dist/
