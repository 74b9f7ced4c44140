"""Mutated campaign saves, for the loader's fuzz test and ``python -m tidebreak.strategic.fuzz``.

Each case starts from a real save (a campaign run for some days) and breaks it
one way: a flipped bit, a truncation, a value set out of range or to the wrong
type, a key renamed or removed, an entry removed (an arcology, a ship) or a
reference pointed elsewhere. :func:`run_case` loads it (with and without the
state-hash check) and, when it loads, plays three more days. A case ends in
one of:

* ``refused`` — :class:`~tidebreak.strategic.save.SaveError` named the problem;
* ``loaded`` — the save loaded and three days ran;
* ``crash`` — any other exception, at load or while playing (a defect);
* ``hang`` — more than ``timeout_s`` seconds (a defect).

>>> import random
>>> from tidebreak.strategic import Campaign, build_world
>>> w = build_world(seed=1); _ = Campaign(w).run(20)
>>> base = w.model_dump(mode="json")
>>> outcome, detail = run_case(mutate(base, random.Random(0)), verify=False)
>>> outcome in ("refused", "loaded")
True
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

from .campaign import Campaign
from .save import FORMAT, VERSION, SaveError, load_world
from .scenario import build_world
from .world import World

__all__ = ["base_saves", "mutate", "run_case", "main"]

_VALUES: list[Any] = [
    -5,
    -1,
    0,
    10**18,
    2**64,
    -1e308,
    1e308,
    float("nan"),
    float("inf"),
    "",
    "x" * 300,
    "\u2028<script>",
    None,
    [],
    {},
    True,
    0.5,
    [[[[[[]]]]]],
]


def base_saves(seeds: tuple[int, ...] = (1, 2), days: tuple[int, ...] = (0, 40, 150)) -> list[dict[str, Any]]:
    """Worlds (as JSON-ready dicts) after ``days`` of the shipped scenario, one per seed and day."""
    out = []
    for seed in seeds:
        world = build_world(seed=seed)
        camp, done = Campaign(world), 0
        for d in sorted(days):
            camp.run(d - done)
            done = d
            out.append(world.model_dump(mode="json"))
    return out


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node[:6]):
            out += _paths(v, (*prefix, i))
    return out


def _parent(doc: Any, path: tuple[Any, ...]) -> tuple[Any, Any]:
    for k in path[:-1]:
        doc = doc[k]
    return doc, path[-1]


def mutate(world: dict[str, Any], rng: random.Random) -> bytes:
    """One broken save (bytes), derived from ``world`` by one mutation drawn from ``rng``."""
    doc = copy.deepcopy(world)
    # Half the cases carry the hash of the save they were made from (an edit after
    # saving, which the hash check catches); half the hash of the broken world itself
    # (a writer that saved bad values), which only the value checks can catch.
    signed = world if rng.random() < 0.5 else doc
    kind = rng.choice(["value", "value", "value", "delete", "rename", "drop_entry", "reference", "bytes"])
    if kind == "bytes":
        raw = bytearray(_envelope(doc, world))
        how = rng.choice(["flip", "truncate", "splice"])
        if how == "flip":
            for _ in range(rng.randint(1, 3)):
                i = rng.randrange(len(raw))
                raw[i] ^= 1 << rng.randrange(8)
        elif how == "truncate":
            del raw[rng.randrange(len(raw)) :]
        else:
            i = rng.randrange(len(raw))
            raw[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        return bytes(raw)
    paths = [p for p in _paths(doc) if p]
    path = rng.choice(paths)
    parent, key = _parent(doc, path)
    if kind == "value":
        parent[key] = rng.choice(_VALUES)
    elif kind == "delete" and isinstance(parent, dict):
        del parent[key]
    elif kind == "rename" and isinstance(parent, dict) and isinstance(key, str):
        parent[rng.choice([key.upper(), key[:-1], key + "_", key.capitalize()])] = parent.pop(key)
    elif kind == "drop_entry":
        table = rng.choice(["arcologies", "ships", "fleets", "nodes", "people", "factions", "missions"])
        if doc.get(table):
            del doc[table][rng.choice(sorted(doc[table]))]
        if rng.random() < 0.2:
            doc["arcologies"] = {}
    elif kind == "reference":
        ids = [k for t in ("factions", "arcologies", "nodes", "ships", "fleets") for k in doc.get(t, {})]
        parent[key] = rng.choice(ids + ["nowhere"])
    return _envelope(doc, signed)


def _envelope(world: dict[str, Any], signed: dict[str, Any]) -> bytes:
    """A save envelope around ``world`` carrying the state hash of ``signed``."""
    try:
        digest = World.model_validate(signed).state_hash()
    except Exception:
        digest = "0" * 64
    text = json.dumps({"format": FORMAT, "version": VERSION, "state_hash": digest, "world": world})
    return text.encode("utf-8")


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout


def run_case(data: bytes, verify: bool, days: int = 3, timeout_s: float = 10.0) -> tuple[str, str]:
    """Load ``data`` as a save and play ``days`` days; the outcome and a one-line detail."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "save.json"
        path.write_bytes(data)
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        try:
            world = load_world(path, verify=verify)
            world.day_limit = max(world.day_limit, world.day + days)
            world.finished = False
            Campaign(world).run(days)
            world.canonical_json()
            return "loaded", ""
        except SaveError as e:
            return "refused", str(e).split(": ", 1)[-1]
        except _Timeout:
            return "hang", f"over {timeout_s} s"
        except Exception as e:  # a defect: anything but a SaveError
            return "crash", f"{type(e).__name__}: {e}"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)


def main(argv: list[str] | None = None) -> int:
    """Run a fuzz campaign; exit status 1 if any case crashed or hung."""
    ap = argparse.ArgumentParser(
        prog="python -m tidebreak.strategic.fuzz", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--cases", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    bases = base_saves()
    counts: Counter[str] = Counter()
    defects: list[str] = []
    start = time.perf_counter()
    for i in range(args.cases):
        data = mutate(rng.choice(bases), rng)
        verify = i % 2 == 0
        outcome, detail = run_case(data, verify=verify)
        counts[f"{outcome} (verify={verify})"] += 1
        if outcome in ("crash", "hang"):
            defects.append(f"case {i}: {outcome}: {detail}")
    for k in sorted(counts):
        print(f"{k:>24}: {counts[k]}")
    print(f"{args.cases} cases in {time.perf_counter() - start:.0f} s; defects: {len(defects)}")
    for d in defects[:20]:
        print("  " + d)
    return 1 if defects else 0


if __name__ == "__main__":
    sys.exit(main())
