"""Fuzz campaign over saved states through the C ABI: env states and MorphoSpace saves.

Each case is a mutated blob handed to ``tb_env_load`` / ``tb_ms_load`` in a
worker process; the parent counts what happened:

* ``refused``: the library returned an error status (the expected outcome for
  damaged or hostile blobs);
* ``loaded``: it accepted the blob; the worker then steps the env 20 ticks
  (checking every observation and reward term is finite) or the universe once
  (checking sampled values are finite);
* ``aborts``: the worker process died; ``hangs``: no answer within
  ``--timeout`` seconds (the worker is killed and restarted);
* ``nonfinite``: a NaN or Inf observation, reward or field value after an
  accepted load; ``step_errors``: a step after an accepted load failed (other
  than stepping a finished battle, which is refused by design).

Mutations, per class (env and MorphoSpace), in equal shares:

* ``raw``: bit flips, byte overwrites, truncations and insertions of the blob
  as saved, so the checksum must catch them (``raw accepted`` counts any that
  load: each would be a different state slipping through);
* ``sealed``: mutations re-sealed with a valid checksum, so the loader's own
  checks are what stands: for env states, JSON-level edits (values replaced by
  extremes, wrong types, nulls; keys deleted, renamed, added; arrays cut or
  grown; objects swapped) and byte edits of the JSON text; for MorphoSpace
  saves, byte edits of the payload (including NaN, Inf and out-of-range
  values written over leaf values) under a fresh header.

Run (about 2 minutes on a shared 2-core machine)::

    python scripts/fuzz_states.py --env 5000 --ms 5000

It exits with status 1 if any abort, hang, non-finite value, step error or
raw acceptance was seen.
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import json
import os
import random
import select
import struct
import subprocess
import sys
import time
from typing import Any

EXTREMES: list[Any] = [
    0,
    -1,
    1,
    2,
    3,
    7,
    8,
    127,
    255,
    256,
    -128,
    2**31,
    2**53 + 1,
    2**63,
    2**64 - 1,
    2**64,
    -(2**63) - 1,
    0.5,
    -0.0,
    1e-308,
    -1e308,
    1e308,
    1e300,
    3.5,
    "",
    "x",
    None,
    True,
    False,
    [],
    {},
    [0, 0, 0, 0],
    [1e308] * 7,
]

ENV_STEPS = 20


# ---------------------------------------------------------------- worker


def _worker() -> None:
    """Load blobs read from stdin, one JSON line per case, and answer one JSON line each."""
    import numpy as np

    import tidebreak
    from tidebreak.engine._native import NativeError
    from tidebreak.morphospace import Universe

    envs = [tidebreak.NativeEnv(cfg) for cfg in _env_configs()]
    spaces = [Universe(**kw) for kw in _ms_configs()]
    for line in sys.stdin:
        case = json.loads(line)
        blob = base64.b64decode(case["blob"])
        out: dict[str, Any] = {"id": case["id"]}
        try:
            if case["class"] == "env":
                env = envs[case["base"]]
                env.load(blob)
                out["result"] = "loaded"
                obs, _ = env.observe()
                finite = bool(np.isfinite(obs).all())
                for _ in range(ENV_STEPS):
                    try:
                        obs, rew, term, trunc = env.step(env.zero_actions())
                    except NativeError as e:
                        if e.status != "TB_ERR_STATE":  # a finished battle cannot step: expected
                            out["step_error"] = f"{e.status}: {e.message}"
                        break
                    finite = finite and bool(np.isfinite(obs).all() and np.isfinite(rew).all())
                    if term or trunc:
                        break
                out["finite"] = finite
            else:
                u = spaces[case["base"]]
                u.load(blob)
                out["result"] = "loaded"
                u.step(1.0)
                pts = np.array([[x, y, z] for x in (1, 500, 999) for y in (1, 700) for z in (1, 60)], float)
                finite = all(
                    bool(np.isfinite(u.point(f, pts)).all()) and np.isfinite(u.total(f))
                    for f in range(u.num_fields)
                )
                out["finite"] = finite
        except NativeError as e:
            out["result"] = "refused"
            out["status"] = e.status
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


def _env_configs() -> list[dict[str, Any]]:
    import tidebreak

    fleet = tidebreak.scenarios.load("fleet_4v4")
    ids = [s["ship_id"] for s in fleet["ships"]]
    fleet = tidebreak.scenarios.load("fleet_4v4", controllers={ids[0]: "agent", ids[4]: "agent"})
    duel = tidebreak.scenarios.load("duel", controllers={"corvette": "agent"})
    return [{"package": fleet}, {"package": duel, "fields": {}}]


def _ms_configs() -> list[dict[str, Any]]:
    return [
        {"size": (1000, 1400), "depth": 100, "bands": 4, "max_level": 6},
        {"size": (3000, 3000), "depth": 200, "bands": 2, "max_level": 9, "max_leaves": 50000},
    ]


# ---------------------------------------------------------------- base blobs


def _env_bases() -> list[tuple[int, bytes]]:
    """(config index, state) pairs: the fleet at 0, 60 and 300 ticks, the coupled duel at 40."""
    import tidebreak

    out = []
    for k, cfg in enumerate(_env_configs()):
        with tidebreak.NativeEnv(cfg) as env:
            env.reset(seed=11 + k)
            act = env.zero_actions()
            act[:, 0] = 1.0  # full ahead
            act[:, 2:4] = 1.0  # fire guns and torpedoes when able
            ticks = 0
            for stop in (0, 60, 300) if k == 0 else (40,):
                while ticks < stop:
                    _, _, term, trunc = env.step(act)
                    ticks += 1
                    if term or trunc:
                        break
                out.append((k, env.save()))
    return out


def _ms_bases() -> list[tuple[int, bytes]]:
    from tidebreak.morphospace import Universe

    out = []
    for k, kw in enumerate(_ms_configs()):
        with Universe(**kw) as u:
            sx, sy = kw["size"]
            u.stamp(
                "noise", "sphere", center=(sx * 0.4, sy * 0.5, 30), radius=sx / 5, value=130, falloff="smooth"
            )
            u.stamp("current_u", "box", box=(0, 0, 0, sx, sy / 3, kw["depth"]), value=0.5)
            u.stamp("smoke", "capsule", a=(10, 10, 5), b=(sx - 10, sy - 10, 5), radius=sx / 20, value=0.8)
            u.step(2.0)
            out.append((k, u.save()))
    return out


# ---------------------------------------------------------------- mutations


def _flip_bytes(rng: random.Random, blob: bytes, start: int = 0) -> bytes:
    """``blob`` with 1 to 8 random byte edits at or after ``start``, never unchanged."""
    while (out := _edit_bytes(rng, blob, start)) == blob:
        pass
    return out


def _edit_bytes(rng: random.Random, blob: bytes, start: int) -> bytes:
    b = bytearray(blob)
    for _ in range(rng.choice((1, 1, 1, 2, 3, 8))):
        op = rng.random()
        i = rng.randrange(start, len(b))
        if op < 0.6:
            b[i] ^= 1 << rng.randrange(8)
        elif op < 0.75:
            b[i] = rng.randrange(256)
        elif op < 0.87:
            del b[i : i + rng.randrange(1, 64)]
        else:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
        if len(b) <= start:
            break
    return bytes(b)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_paths(v, (*path, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node[:12]):  # the first elements of long arrays are enough
            out.extend(_paths(v, (*path, i)))
    return out


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        doc = doc[p]
    return doc


def _mutate_doc(rng: random.Random, doc: dict[str, Any]) -> None:
    world = doc["world"]
    paths = [p for p in _paths(world) if p]
    for _ in range(rng.choice((1, 1, 2, 3))):
        path = rng.choice(paths)
        try:
            parent, key = _get(world, path[:-1]), path[-1]
            op = rng.random()
            if op < 0.55:
                parent[key] = copy.deepcopy(rng.choice(EXTREMES))
            elif op < 0.65 and isinstance(parent, dict):
                del parent[key]
            elif op < 0.75 and isinstance(parent, dict):
                parent[rng.choice((key.upper(), key + "_", key.title(), "Sensor", "extra"))] = parent.pop(key)
            elif op < 0.85 and isinstance(parent[key], list):
                arr = parent[key]
                if arr and rng.random() < 0.5:
                    arr.pop(rng.randrange(len(arr)))
                else:
                    arr.append(copy.deepcopy(arr[-1]) if arr else 0)
            elif op < 0.92 and isinstance(parent[key], (int, float)) and not isinstance(parent[key], bool):
                parent[key] = parent[key] * rng.choice((-1, 2, 1e6, 1 + 1e-12)) + rng.choice((0, 1, -1))
            else:
                other = _get(world, rng.choice(paths)[:-1]) if len(paths) > 1 else parent
                if isinstance(other, type(parent)) and other is not parent:
                    if isinstance(parent, dict) and isinstance(other, dict):
                        shared = [k for k in parent if k in other]
                        if shared:
                            k = rng.choice(shared)
                            parent[k], other[k] = other[k], parent[k]
        except (KeyError, IndexError, TypeError):
            continue


def _seal_text(blob: bytes) -> bytes:
    """Re-seal an env state by bytes: the checksum's 64 digits sit at a fixed place after the header."""
    head = b'"checksum":"'
    at = blob.find(head)
    if at < 0 or at + len(head) + 64 > len(blob):
        return blob
    at += len(head)
    zeroed = blob[:at] + b"0" * 64 + blob[at + 64 :]
    return blob[:at] + hashlib.sha256(zeroed).hexdigest().encode() + blob[at + 64 :]


def _env_case(rng: random.Random, base: bytes) -> tuple[str, bytes]:
    from tidebreak.engine import state as st

    mode = rng.random()
    if mode < 1 / 3:
        return "raw", _flip_bytes(rng, base)
    if mode < 2 / 3:
        doc = st.parse_state(base)
        _mutate_doc(rng, doc)
        return "sealed", st.seal(doc)
    world_at = base.find(b'"world":') + 8
    return "sealed", _seal_text(_flip_bytes(rng, base, world_at))


MS_HEADER = 4 + 4 + 24 + 8 + 8 + 32


def _seal_ms(blob: bytes, payload: bytes) -> bytes:
    head = blob[: MS_HEADER - 40] + struct.pack("<Q", len(payload))
    return head + hashlib.sha256(payload).digest() + payload


def _ms_case(rng: random.Random, base: bytes) -> tuple[str, bytes]:
    if rng.random() < 0.5:
        return "raw", _flip_bytes(rng, base)
    payload = bytearray(base[MS_HEADER:])
    if rng.random() < 0.5:
        payload = bytearray(_flip_bytes(rng, bytes(payload)))
    else:
        for _ in range(rng.choice((1, 2, 4))):
            word = struct.pack(
                "<d", rng.choice((float("nan"), float("inf"), -float("inf"), 1e308, -1e308, -0.0, 1e9, -5.0))
            )
            i = rng.randrange(max(1, len(payload) - 8))
            payload[i : i + 8] = word
    return "sealed", _seal_ms(base, bytes(payload))


# ---------------------------------------------------------------- parent


class _Worker:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def ask(self, case: dict[str, Any], timeout: float) -> dict[str, Any] | str:
        """The worker's answer, or "abort" / "hang"."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write((json.dumps(case) + "\n").encode())
            self.proc.stdin.flush()
        except BrokenPipeError:
            return "abort"
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return "hang"
        line = self.proc.stdout.readline()
        if not line:
            return "abort"
        answer: dict[str, Any] = json.loads(line)
        return answer

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--env", type=int, default=5000, help="mutated env states (default 5000)")
    ap.add_argument("--ms", type=int, default=5000, help="mutated MorphoSpace saves (default 5000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds before a case counts as a hang")
    ap.add_argument("--json", metavar="FILE", help="also write the counts as JSON")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        _worker()
        return 0
    rng = random.Random(args.seed)
    bases = {"env": _env_bases(), "ms": _ms_bases()}
    plan = [("env", n) for n in range(args.env)] + [("ms", n) for n in range(args.ms)]
    counts: dict[str, dict[str, int]] = {
        c: {
            "cases": 0,
            "raw": 0,
            "sealed": 0,
            "refused": 0,
            "loaded": 0,
            "raw_accepted": 0,
            "aborts": 0,
            "hangs": 0,
            "nonfinite": 0,
            "step_errors": 0,
        }
        for c in ("env", "ms")
    }
    statuses: dict[str, dict[str, int]] = {"env": {}, "ms": {}}
    worker = _Worker()
    started = time.monotonic()
    for k, (cls, _) in enumerate(plan):
        base_i, base = rng.choice(bases[cls])
        mode, blob = _env_case(rng, base) if cls == "env" else _ms_case(rng, base)
        case = {"id": k, "class": cls, "base": base_i, "blob": base64.b64encode(blob).decode()}
        c = counts[cls]
        c["cases"] += 1
        c[mode] += 1
        answer = worker.ask(case, args.timeout)
        if isinstance(answer, str):
            c["aborts" if answer == "abort" else "hangs"] += 1
            print(f"\n{cls} case {k} ({mode}): {answer}", file=sys.stderr)
            worker.kill()
            worker = _Worker()
            continue
        if answer["result"] == "refused":
            c["refused"] += 1
            statuses[cls][answer["status"]] = statuses[cls].get(answer["status"], 0) + 1
        else:
            c["loaded"] += 1
            c["raw_accepted"] += mode == "raw"
            c["nonfinite"] += not answer["finite"]
            if "step_error" in answer:
                c["step_errors"] += 1
                print(f"\n{cls} case {k} ({mode}): loaded, then {answer['step_error']}", file=sys.stderr)
        if (k + 1) % 250 == 0 or k + 1 == len(plan):
            print(f"\r{k + 1}/{len(plan)} cases, {time.monotonic() - started:.0f} s", end="", file=sys.stderr)
    worker.kill()
    print(file=sys.stderr)
    elapsed = time.monotonic() - started
    for cls, name in (("env", "env states"), ("ms", "MorphoSpace saves")):
        c = counts[cls]
        print(
            f"{name}: {c['cases']} cases ({c['raw']} raw, {c['sealed']} re-sealed): {c['refused']} refused "
            f"{dict(sorted(statuses[cls].items()))}, {c['loaded']} loaded; raw accepted {c['raw_accepted']}, "
            f"aborts {c['aborts']}, hangs {c['hangs']}, non-finite after load {c['nonfinite']}, "
            f"errors stepping after load {c['step_errors']}"
        )
    print(f"{elapsed:.0f} s, seed {args.seed}, timeout {args.timeout:g} s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(
                {"counts": counts, "statuses": statuses, "seconds": elapsed, "seed": args.seed}, f, indent=2
            )
    bad = sum(
        c[k] for c in counts.values() for k in ("aborts", "hangs", "nonfinite", "raw_accepted", "step_errors")
    )
    return 1 if bad else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
