#!/usr/bin/env python3
"""Tick cost against fleet size, side by side with an older commit.

Builds the arena's Go test binary for this tree and for a base commit (a
git worktree, by default of e7c459b; the benchmark file
go/core/arena/scale_bench_test.go and the scale scenarios are copied into
it, so both run the same benchmarks), then runs the benchmarks in turn,
alternating the two binaries, ``--count`` times, and prints the best
ns/op of each with the speed-up, and the median of the rounds' own
speed-ups (each round runs the two binaries back to back), which a
machine whose speed drifts with other load moves far less.
``BenchmarkTickFleet`` is a patrolling fleet at constant density (one ship per 50 km²) of 2 to 1024 ships; the
script also prints the cost per ship and, for this tree, the ratio of the
cost per ship at 1024 ships to that at 32.

With ``--callgrind`` it counts instructions per tick instead
(valgrind --tool=callgrind, two runs of each benchmark at different
iteration counts, the difference divided by theirs, with the garbage
collector off): a measure that the machine's other load does not change.

    python3 scripts/bench_scale.py [--base e7c459b] [--count 3] [--callgrind]

Run it from the repo root with Go on the PATH. Timings depend on the
machine and its load: quote them with the command and the conditions.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARENA = "go/core/arena"
COPIED = [
    f"{ARENA}/scale_bench_test.go",
    "src/tidebreak/scenarios/data/fleet_128v128.json",
    "src/tidebreak/scenarios/data/fleet_512v512.json",
]
FLEET = [2, 8, 32, 128, 512, 1024]
DEFAULT_BENCH = [f"TickFleet/ships={n}$" for n in FLEET] + [
    "TickScenario/fleet_16v16$",
    "TickBattle/fleet_128v128$",
    "TickUncoupled$",
    "TickCoupled/foveated=false$",
    "TickCoupled/foveated=true$",
]
# Iteration counts for --callgrind (a difference of two runs).
CALLGRIND_N = {"TickFleet/ships=1024$": (10, 30), "TickFleet/ships=512$": (10, 30), "TickBattle": (20, 60)}


def worktree(commit: str) -> Path:
    """A worktree of commit with this tree's benchmark file and scale scenarios."""
    path = Path(tempfile.gettempdir()) / f"tidebreak-bench-{commit}"
    if not path.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(path), commit], cwd=ROOT, check=True)
    for rel in COPIED:
        shutil.copyfile(ROOT / rel, path / rel)
    return path


def build(tree: Path, out: Path) -> Path:
    """The arena test binary of tree."""
    subprocess.run(["go", "test", "-c", "-o", str(out), f"./{ARENA}"], cwd=tree, check=True)
    return out


def bench(binary: Path, tree: Path, name: str, benchtime: str) -> float:
    """ns/op of one benchmark (GOMAXPROCS=1, as issue 18 measured)."""
    env = dict(os.environ, GOMAXPROCS="1")
    args = [str(binary), "-test.run", "XXX", "-test.bench", name, "-test.benchtime", benchtime]
    out = subprocess.run(args, cwd=tree / ARENA, env=env, check=True, capture_output=True, text=True).stdout
    m = re.search(r"\s([0-9.]+) ns/op", out)
    return float(m.group(1)) if m else float("nan")  # nan: no such benchmark


def instructions(binary: Path, tree: Path, name: str) -> float:
    """Instructions per iteration of one benchmark, by callgrind."""
    n1, n2 = next((v for k, v in CALLGRIND_N.items() if name.startswith(k)), (100, 300))
    # GOGC=off: a garbage collection that falls in one of the two runs and
    # not the other would put its instructions into the difference.
    env = dict(os.environ, GOMAXPROCS="1", GODEBUG="asyncpreemptoff=1", GOGC="off")
    counts = []
    for n in (n1, n2):
        args = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", str(binary)]
        args += ["-test.run", "XXX", "-test.bench", name, "-test.benchtime", f"{n}x"]
        err = subprocess.run(args, cwd=tree / ARENA, env=env, capture_output=True, text=True).stderr
        m = re.search(r"Collected : (\d+)", err)
        if not m:
            raise RuntimeError(f"{name}: callgrind failed:\n{err[-2000:]}")
        counts.append(int(m.group(1)))
    return (counts[1] - counts[0]) / (n2 - n1)


def main(argv: list[str] | None = None) -> None:
    """Build both binaries, run the benchmarks alternately, print the table."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--base", default="e7c459b", help="the commit to compare with")
    p.add_argument("--count", type=int, default=3, help="alternations of the two binaries (best kept)")
    p.add_argument("--benchtime", default="1s", help="go test -benchtime per run")
    p.add_argument("--bench", action="append", help="benchmark regexp (repeatable); default: the scale set")
    p.add_argument("--callgrind", action="store_true", help="count instructions instead of timing")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = p.parse_args(argv)
    names = args.bench or DEFAULT_BENCH
    base_tree = worktree(args.base)
    tmp = Path(tempfile.mkdtemp(prefix="tidebreak-bench-"))
    binaries = {
        "head": (build(ROOT, tmp / "head.test"), ROOT),
        "base": (build(base_tree, tmp / "base.test"), base_tree),
    }
    results: dict[str, dict[str, list[float]]] = {n: {"head": [], "base": []} for n in names}
    rounds: dict[str, dict[str, dict[int, float]]] = {n: {"head": {}, "base": {}} for n in names}
    for r in range(1 if args.callgrind else args.count):
        for name in names:
            order = ["head", "base"] if r % 2 == 0 else ["base", "head"]
            for which in order:
                binary, tree = binaries[which]
                try:
                    v = (
                        instructions(binary, tree, name)
                        if args.callgrind
                        else bench(binary, tree, name, args.benchtime)
                    )
                except subprocess.CalledProcessError as e:
                    print(f"{which} {name}: failed ({e})", file=sys.stderr)
                    continue
                results[name][which].append(v)
                rounds[name][which][r] = v
                print(f"round {r} {which:>4} {name:<28} {v:>16,.0f}", file=sys.stderr)
    unit = "instructions/tick" if args.callgrind else "ns/tick (best)"
    # (nan for a benchmark a binary does not have)
    best = {
        n: {k: min((x for x in v if x == x), default=float("nan")) for k, v in d.items()}
        for n, d in results.items()
    }
    # The speed-up of each round (the two binaries ran back to back), and
    # their median: on a machine whose speed drifts with other load, the
    # best times of the two can come from different moments, and their
    # ratio drifts with them; a round's ratio compares like with like.
    paired = {n: paired_ratios(d) for n, d in rounds.items()}
    if args.json:
        print(json.dumps({"unit": unit, "best": best, "runs": results, "paired_speedups": paired}, indent=2))
        return
    print(
        f"{'benchmark':<28} {'base ' + args.base:>18} {'this tree':>14} {'speed-up':>9} {'paired':>16}   ({unit})"
    )
    for n in names:
        b, h = best[n]["base"], best[n]["head"]
        print(f"{n:<28} {b:>18,.0f} {h:>14,.0f} {b / h:>8.1f}× {spread(paired[n]):>16}")
    if not args.callgrind and args.count > 1:
        print("(speed-up: of the best times; paired: median of the rounds' speed-ups, with their range)")
    fleet = {k: best[f"TickFleet/ships={k}$"] for k in FLEET if f"TickFleet/ships={k}$" in best}
    if fleet:
        print(f"\n{'ships':>6} {'base per ship':>14} {'this per ship':>14}")
        for k, pair in fleet.items():
            print(f"{k:>6} {pair['base'] / k:>14,.0f} {pair['head'] / k:>14,.0f}")
        if 32 in fleet and 1024 in fleet:
            for which in ("base", "head"):
                ratio = (fleet[1024][which] / 1024) / (fleet[32][which] / 32)
                print(f"per-ship cost, 1024 ships / 32 ships, {which}: {ratio:.2f}")
    if "TickCoupled/foveated=true$" in best and "TickUncoupled$" in best:
        for which in ("base", "head"):
            ratio = best["TickCoupled/foveated=true$"][which] / best["TickUncoupled$"][which]
            print(f"coupled duel tick with foveated observations / uncoupled duel tick, {which}: {ratio:.0f}")


def paired_ratios(d: dict[str, dict[int, float]]) -> list[float]:
    """base/head of each round in which both binaries ran."""
    return [d["base"][r] / d["head"][r] for r in sorted(d["head"]) if r in d["base"] and d["head"][r] > 0]


def spread(ratios: list[float]) -> str:
    """The median of ratios and their range, as '2.3× (2.0-2.6)'."""
    if not ratios:
        return ""
    if len(ratios) == 1:
        return f"{ratios[0]:.2f}×"
    return f"{statistics.median(ratios):.2f}× ({min(ratios):.1f}-{max(ratios):.1f})"


if __name__ == "__main__":
    main()
