#!/usr/bin/env bash
# Cross-CPU / cross-architecture identity check for the simulation core.
#
# 1. Runs the ./go/core/... tests (golden values included) built for the
#    baseline amd64 ISA (GOAMD64=v1) and for GOAMD64=v3 (AVX2/FMA/BMI).
# 2. If qemu-aarch64 is installed (Debian/Ubuntu package qemu-user), cross-
#    compiles each package's test binary for linux/arm64 and runs it under
#    emulation from the package directory, so testdata/ paths resolve and
#    golden values are checked on arm64 (where Go may fuse x*y+z).
#
# Usage: scripts/check-cross-arch.sh [extra go test flags, e.g. -short]
# Exit status is non-zero if any run fails; a missing qemu is reported, and
# makes the script fail only when REQUIRE_QEMU=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

status=0
for level in v1 v3; do
	echo "== GOAMD64=$level go test ./go/core/... ./tests/go/golden"
	if ! GOAMD64=$level go test -count=1 "$@" ./go/core/... ./tests/go/golden; then
		echo "FAIL: GOAMD64=$level" >&2
		status=1
	fi
done

if ! command -v qemu-aarch64 >/dev/null 2>&1; then
	echo "== SKIPPED arm64: qemu-aarch64 not found (install with: apt-get install -y qemu-user)" >&2
	if [[ "${REQUIRE_QEMU:-0}" == 1 ]]; then
		status=1
	fi
	exit "$status"
fi

bindir="$(mktemp -d)"
trap 'rm -rf "$bindir"' EXIT
mapfile -t pkgs < <(go list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}} {{.Dir}}{{end}}' ./go/core/... ./tests/go/golden)
for entry in "${pkgs[@]}"; do
	pkg="${entry%% *}"
	dir="${entry#* }"
	bin="$bindir/$(echo "$pkg" | tr '/.' '__').test"
	echo "== arm64 (qemu-aarch64) $pkg"
	if ! CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go test -c -o "$bin" "$pkg"; then
		echo "FAIL: building $pkg for arm64" >&2
		status=1
		continue
	fi
	args=(-test.count=1)
	for a in "$@"; do
		args+=("-test.${a#-}")
	done
	if ! (cd "$dir" && qemu-aarch64 "$bin" "${args[@]}"); then
		echo "FAIL: $pkg under qemu-aarch64" >&2
		status=1
	fi
done

if [[ $status == 0 ]]; then
	echo "== OK: all ./go/core/... and golden-hash tests pass on amd64 v1, amd64 v3 and arm64"
fi
exit "$status"
