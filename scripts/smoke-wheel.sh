#!/usr/bin/env bash
# Install a built wheel into a fresh virtual environment with Go removed
# from PATH and smoke-test it: tidebreak --version, the ABI self-check
# (tidebreak selfcheck), tidebreak demo and one Gymnasium episode.
#
#   scripts/smoke-wheel.sh dist/tidebreak-0.1.0-py3-none-manylinux_2_17_x86_64.whl [venv dir]
#
# Works on Linux, macOS and Windows (Git Bash). PYTHON picks the interpreter
# (default python3, or python where there is no python3).
set -euo pipefail

wheel="${1:?usage: scripts/smoke-wheel.sh WHEEL [VENV]}"
venv="${2:-$(mktemp -d)/venv}"
python="${PYTHON:-$(command -v python3 || command -v python)}"
out="$(dirname "$venv")/smoke-out"

# PATH without any directory that holds a go binary.
clean=""
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
	[[ -z $d || -x $d/go || -x $d/go.exe ]] && continue
	clean="${clean:+$clean:}$d"
done

rm -rf "$venv"
"$python" -m venv "$venv"
bin="$venv/bin"
[[ -d $bin ]] || bin="$venv/Scripts" # Windows
export PATH="$bin:$clean"
unset GOROOT GOPATH GOBIN
if command -v go >/dev/null 2>&1; then
	echo "smoke-wheel: go is still on PATH ($(command -v go))" >&2
	exit 1
fi
echo "== go on PATH: none"
python -m pip install --quiet --upgrade pip
python -m pip install --quiet "$wheel"

cd "$(dirname "$venv")" # away from any source checkout: the installed package is tested
echo "== tidebreak --version"
tidebreak --version
echo "== tidebreak selfcheck"
tidebreak selfcheck
echo "== tidebreak demo"
tidebreak demo --out "$out/demo_tracks.png"
test -s "$out/demo_tracks.png"
echo "== a Gymnasium episode"
python - <<'EOF'
import gymnasium as gym

import tidebreak
import tidebreak.gym  # registers the ids

env = gym.make("Tidebreak/Duel-v0")
obs, info = env.reset(seed=1)
steps, total, done = 0, 0.0, False
while not done:
    obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
    steps, total, done = steps + 1, total + float(reward), terminated or truncated
env.close()
print(f"Tidebreak/Duel-v0: one episode of {steps} steps, return {total:.2f}, "
      f"{'terminated' if terminated else 'truncated'}; tidebreak loaded from {tidebreak.__file__}")
EOF
echo "== OK: $(basename "$wheel") works without Go"
