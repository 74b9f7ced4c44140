"""Fuzz the record and replay-file reader with mutated, bit-flipped and truncated files.

Each case starts from a real file — a ``.tbr`` replay of a short gun duel and
of a submarine duel, or a plain ``.json.gz`` record — and breaks it one way:
bits flipped or bytes cut, spliced or overwritten in the gzip stream or in the
JSON text inside it, a value replaced by one of the wrong type or out of
range (NaN, ±inf, 1e308, -1, huge integers, markup, deep nesting …), a key
removed, renamed or added, a list entry dropped or duplicated, or a file that
inflates past the size limit. A worker process loads it with
``load_replay`` and, when that succeeds, builds the viewer page from it. A
case ends in one of:

* ``refused`` — :class:`~tidebreak.replays.records.RecordError` named the problem;
* ``loaded`` — the file loaded (its frames passed the frame checks) and the
  viewer page was built;
* ``error`` — any other exception (a defect);
* ``abort`` — the worker process died (a defect);
* ``hang`` — no answer within ``--timeout`` seconds (a defect; the worker is
  killed and restarted).

    python scripts/fuzz_tbr.py --cases 5000 --seed 1 [--timeout 10] [--keep DIR]

The worker reads with ``TIDEBREAK_MAX_REPLAY_BYTES`` set to 16 MiB so that the
inflation cases stay cheap (the corpus files are far smaller). The exit
status is 1 when any case ends in error, abort or hang; ``--keep`` saves
those cases' files for reproduction.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import math
import os
import random
import select
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

MAX_BYTES = 16 * 2**20

_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    -(2**63),
    2**64,
    10**30,
    1e308,
    -1e308,
    float("nan"),
    float("inf"),
    float("-inf"),
    0.5,
    "",
    "x" * 1000,
    "<script>window.__pwned=1</script>",
    "\u2028</script>",
    "ghost",
    [],
    [None],
    {},
    {"a": 1},
    [[[[[[[[1]]]]]]]],
]


# ---------------------------------------------------------------- corpus


def corpus(directory: Path) -> list[Path]:
    """Write the seed files: two replay files and a plain record (a few seconds)."""
    import tidebreak

    out = []
    pkg = tidebreak.scenarios.package("gun_duel", seed=3)
    pkg["time_limit_s"] = 90
    for name, p in [("gun_duel.tbr", pkg), ("gun_duel.json.gz", pkg)]:
        tidebreak.simulate(p, record_path=directory / name)
        out.append(directory / name)
    sub = tidebreak.scenarios.package("duel", seed=5)
    sub["time_limit_s"] = 120
    tidebreak.simulate(sub, record_path=directory / "duel.tbr")
    out.append(directory / "duel.tbr")
    return out


# ---------------------------------------------------------------- mutations


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``doc`` (dict keys and list indices)."""
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for p in path[:-1]:
        doc = doc[p]
    return doc


_SECTIONS = {"frames": 4, "package": 4, "result": 2, "action_log": 1, "meta": 1, "legend": 1}


def _pick_path(doc: Any, rng: random.Random) -> tuple[Any, ...]:
    """A random path: a top-level section first (weighted, so that the long
    action logs do not take most cases), then any value inside it."""
    keys = list(doc) if isinstance(doc, dict) else []
    if not keys or rng.random() < 0.05:
        return rng.choice([p for p in _paths(doc) if p] or [()])
    section = rng.choices(keys, [_SECTIONS.get(k, 1) for k in keys])[0]
    return rng.choice(_paths(doc[section], (section,)))


def mutate_doc(doc: dict[str, Any], rng: random.Random) -> tuple[dict[str, Any], str]:
    """A structurally mutated copy of a record document and a description."""
    doc = copy.deepcopy(doc)
    path = _pick_path(doc, rng)
    if not path:
        return doc, "unchanged"
    parent, key = _parent(doc, path), path[-1]
    op = rng.choice(["value", "value", "value", "delete", "rename", "add", "duplicate", "deep", "number"])
    where = "/".join(map(str, path))
    if op == "value":
        parent[key] = copy.deepcopy(rng.choice(_VALUES))
    elif (
        op == "number"
        and isinstance(parent[key], (int, float))
        and not isinstance(parent[key], bool)
        and math.isfinite(parent[key])
    ):
        parent[key] = rng.choice([parent[key] + 1, -parent[key], parent[key] * 1e6, int(parent[key]) + 0.5])
    elif op == "delete":
        del parent[key]
    elif op == "rename" and isinstance(parent, dict):
        parent[key.upper() if isinstance(key, str) else str(key)] = parent.pop(key)
    elif op == "add" and isinstance(parent, dict):
        parent["unexpected"] = rng.choice(_VALUES)
    elif op == "duplicate" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(parent[key]))
    elif op == "deep":  # a marker the writer replaces with n nested lists (see _dump)
        parent[key] = f"__DEEP_{rng.choice([50, 500, 5000, 100000])}__"
    else:
        parent[key] = None
    return doc, f"{op} {where}"


def _flip_bits(data: bytes, rng: random.Random, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def make_case(seed_files: list[tuple[bytes, dict[str, Any]]], rng: random.Random) -> tuple[bytes, str]:
    """One mutated file's bytes and a description of the mutation."""
    raw, doc = rng.choice(seed_files)
    kind = rng.random()
    if kind < 0.12:
        n = rng.choice([1, 1, 2, 8])
        return _flip_bits(raw, rng, n), f"gzip bits flipped x{n}"
    if kind < 0.2:
        cut = rng.randrange(len(raw))
        return raw[:cut], f"gzip truncated at {cut}"
    if kind < 0.26:
        i, j = sorted(rng.randrange(len(raw)) for _ in range(2))
        return raw[:i] + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16))) + raw[
            j:
        ], "gzip spliced"
    text = json.dumps(doc, separators=(",", ":")).encode()
    if kind < 0.38:
        n = rng.choice([1, 1, 3, 16])
        return gzip.compress(_flip_bits(text, rng, n)), f"json bits flipped x{n}"
    if kind < 0.42:
        cut = rng.randrange(len(text))
        return gzip.compress(text[:cut]), f"json truncated at {cut}"
    if kind < 0.45:
        return _special(rng)
    mutated, what = mutate_doc(doc, rng)
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        mutated, more = mutate_doc(mutated, rng)
        what += "; " + more
    return gzip.compress(_dump(mutated)), what


def _dump(doc: Any) -> bytes:
    text = json.dumps(doc)
    while (i := text.find('"__DEEP_')) >= 0:
        j = text.index('__"', i)
        n = int(text[i + 8 : j])
        text = text[:i] + "[" * n + "1" + "]" * n + text[j + 3 :]
    return text.encode()


def _special(rng: random.Random) -> tuple[bytes, str]:
    which = rng.randrange(6)
    if which == 0:  # inflates past the limit: a few hundred KB on disk
        z = zlib.compressobj(9, zlib.DEFLATED, 31)
        chunk = b" " * 2**20
        body = b"".join(z.compress(chunk) for _ in range(MAX_BYTES // 2**20 + 8)) + z.flush()
        return body, "inflates past the limit"
    if which == 1:
        return gzip.compress(b"[" * 200_000), "deeply nested"
    if which == 2:
        return b"", "empty file"
    if which == 3:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4096))), "random bytes"
    if which == 4:
        return gzip.compress(b"\xff\xfe" + b"x" * 100), "not UTF-8"
    return gzip.compress(json.dumps(rng.choice(_VALUES)).encode()), "top level not an object"


# ---------------------------------------------------------------- worker


def worker() -> None:
    """Read one file path per line from stdin; answer one JSON line per file."""
    os.environ["TIDEBREAK_MAX_REPLAY_BYTES"] = str(MAX_BYTES)
    from tidebreak.replays.records import RecordError, load_replay
    from tidebreak.replays.viewer import build_html

    for line in sys.stdin:
        path = line.strip()
        try:
            rf = load_replay(path)
            build_html(rf)
            out = {"outcome": "loaded", "detail": f"{len(rf.frames)} frames"}
        except RecordError as e:
            out = {"outcome": "refused", "detail": str(e).replace(path, "FILE")[:300]}
        except Exception as e:  # a defect: any other exception
            out = {"outcome": "error", "detail": f"{type(e).__name__}: {e}"[:500]}
        print(json.dumps(out), flush=True)


class Worker:
    """A worker process with a per-case deadline."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> subprocess.Popen[str]:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [sys.executable, __file__, "--worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                bufsize=1,
            )
        return self.proc

    def run(self, path: Path, timeout: float) -> tuple[str, str, float]:
        proc = self.start()
        assert proc.stdin is not None and proc.stdout is not None
        start = time.monotonic()
        try:
            proc.stdin.write(f"{path}\n")
            proc.stdin.flush()
        except BrokenPipeError:
            return self._died(proc, start)
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        if not ready:
            proc.kill()
            proc.wait()
            return "hang", f"no answer in {timeout:g} s", time.monotonic() - start
        line = proc.stdout.readline()
        if not line:
            return self._died(proc, start)
        ans = json.loads(line)
        return ans["outcome"], ans["detail"], time.monotonic() - start

    @staticmethod
    def _died(proc: subprocess.Popen[str], start: float) -> tuple[str, str, float]:
        rc = proc.wait()
        return "abort", f"worker exited with status {rc}", time.monotonic() - start

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait()


def campaign(cases: int, seed: int, timeout: float, keep: Path | None, quiet: bool = False) -> Counter[str]:
    """Run ``cases`` cases; the count of each outcome."""
    counts: Counter[str] = Counter()
    rng = random.Random(seed)
    w = Worker()
    slowest = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        seeds = []
        for p in corpus(d):
            raw = p.read_bytes()
            seeds.append((raw, json.loads(gzip.decompress(raw))))
        case_file = d / "case.tbr"
        try:
            for k in range(cases):
                data, what = make_case(seeds, rng)
                case_file.write_bytes(data)
                outcome, detail, took = w.run(case_file, timeout)
                slowest = max(slowest, took)
                counts[outcome] += 1
                if outcome not in ("refused", "loaded"):
                    print(f"case {k}: {outcome}: {what}: {detail}", file=sys.stderr)
                    if keep is not None:
                        keep.mkdir(parents=True, exist_ok=True)
                        (keep / f"case{k:05d}.tbr").write_bytes(data)
                if not quiet and (k + 1) % 500 == 0:
                    print(f"{k + 1} cases: {dict(counts)}", flush=True)
        finally:
            w.close()
    counts["slowest_ms"] = round(slowest * 1000)
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Fuzz the .tbr reader (see the module docstring).")
    ap.add_argument("--cases", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds a case may take")
    ap.add_argument("--keep", type=Path, help="save the files of failing cases here")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker()
        return 0
    start = time.monotonic()
    counts = campaign(args.cases, args.seed, args.timeout, args.keep)
    bad = sum(counts[k] for k in ("error", "abort", "hang"))
    summary = {k: counts[k] for k in ("refused", "loaded", "error", "abort", "hang")}
    print(
        f"{args.cases} cases in {time.monotonic() - start:.0f} s: {summary}; "
        f"slowest case {counts['slowest_ms']} ms"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
