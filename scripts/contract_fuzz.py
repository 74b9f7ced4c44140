"""Differential fuzzing of the arena.v1 contract: ``validate`` against ``simulate``.

Mutated packages (wrong types, out-of-range numbers, case variants of keys, deep nesting, huge
arrays, unicode, unknown and misspelt keys, duplicate keys, nulls, truncated or bit-flipped text)
are given to the library twice, as ``tidebreak validate`` and ``tidebreak simulate`` give them:
to ``tb_package_parse`` (the check behind ``parse_package``/``validate``) and to ``tb_simulate``.
Both must give the same verdict and, for a refused package, the same problems (paths and
messages). The cases run in a worker process so that an abort (the process dying) or a hang is
counted, not fatal.

Run a campaign (the figures the hardening note quotes)::

    make install && nice -n 5 .venv/bin/python scripts/contract_fuzz.py --cases 5000 --seed 1

It prints the counts per mutation class and exits 1 on any abort, hang (a case taking more than
``--hang-s`` seconds, 10 by default), or disagreement. The mutator (:func:`mutate`) is shared with
the hypothesis test in ``tests/py/test_contract_differential.py``.
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import random
import select
import subprocess
import sys
import time
from collections import Counter, defaultdict, deque
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent


class Chooser(Protocol):
    """The random choices a mutation makes (``random.Random`` or a hypothesis adapter)."""

    def choice(self, seq: Any) -> Any: ...

    def randint(self, a: int, b: int) -> int: ...


CLASSES = (
    "type",
    "range",
    "case",
    "unknown",
    "delete",
    "null",
    "nest",
    "huge",
    "unicode",
    "duplicate",
    "text",
)
"""Mutation classes, each standing for a class of bad input."""

_OTHER_KINDS: list[Any] = [None, True, False, 0, -1, 1.5, "x", "", [], {}, [1, 2], {"a": 1}, "1e3", "true"]
_NUMBERS: list[Any] = [
    0,
    -0.0,
    -1,
    1,
    0.5,
    2,
    3.0,
    7,
    33,
    65,
    257,
    1025,
    86400,
    86401,
    1e-9,
    1e6,
    1.000001e6,
    1e9,
    1e11,
    1e15,
    1e300,
    -1e300,
    2**31,
    2**53 + 1,
    2**63 - 1,
    2**63,
    2**64 - 1,
    2**64,
    -(2**63) - 1,
    6.283185307179587,
    3.141592653589793,
]
_STRINGS = [
    "",
    "a" * 257,
    "é" * 200,
    "💥" * 70,
    "\u202eevil",
    "\x00",
    "<script>alert(1)</script>",
    "ambush",
    "expert",
    "patrol",
    "Patrol",
    "patorl",
    "radar",
    "homing",
    "M",
    "XL",
    "circle",
    "polygon",
    "grid",
    "analytic",
    "submerged",
]


def _slots(doc: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in doc, breadth first."""
    out: list[tuple[Any, Any]] = []
    queue = deque([doc])
    while queue:
        node = queue.popleft()
        if isinstance(node, dict):
            for k, v in node.items():
                out.append((node, k))
                queue.append(v)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                out.append((node, i))
                queue.append(v)
    return out


def _objects(doc: Any) -> list[dict[str, Any]]:
    return [c[k] for c, k in _slots(doc) if isinstance(c[k], dict)] + ([doc] if isinstance(doc, dict) else [])


def _misspell(key: str, r: Chooser) -> str:
    if len(key) < 2:
        return key + "x"
    i = r.randint(0, len(key) - 1)
    how = r.choice(["drop", "double", "swap", "case", "suffix"])
    if how == "drop":
        return key[:i] + key[i + 1 :]
    if how == "double":
        return key[:i] + key[i] + key[i:]
    if how == "swap" and i + 1 < len(key):
        return key[:i] + key[i + 1] + key[i] + key[i + 2 :]
    if how == "case":
        return key.upper() if r.choice([True, False]) else key.title()
    return key + "_"


def _nested(depth: int, obj: bool) -> bytes:
    if obj:
        return b'{"a":' * depth + b"1" + b"}" * depth
    return b"[" * depth + b"1" + b"]" * depth


def _mutate_tree(doc: Any, cls: str, r: Chooser, small: bool) -> Any:
    slots = _slots(doc)
    if not slots:
        return doc
    container, key = r.choice(slots)
    if cls == "type":
        container[key] = copy.deepcopy(r.choice(_OTHER_KINDS))
    elif cls == "range":
        numeric = [(c, k) for c, k in slots if isinstance(c[k], (int, float)) and not isinstance(c[k], bool)]
        c, k = r.choice(numeric) if numeric else (container, key)
        c[k] = r.choice(_NUMBERS)
    elif cls in ("case", "unknown", "delete", "duplicate"):
        objs = [o for o in _objects(doc) if o]
        if not objs:
            return doc
        obj = r.choice(objs)
        name = r.choice(sorted(obj))
        if cls == "case":
            variant = name.upper() if r.choice([True, False]) else name.title()
            if r.choice([True, False]):
                obj[variant] = obj.pop(name)
            else:
                obj[variant] = copy.deepcopy(obj[name])  # both spellings
        elif cls == "unknown":
            obj[r.choice([_misspell(name, r), "future_key", "x-extension", "ship_id "])] = 1
        elif cls == "delete":
            del obj[name]
        else:  # duplicate keys are written textually by mutate()
            obj["\x00dup\x00" + name] = copy.deepcopy(obj[name])
    elif cls == "null":
        container[key] = None
    elif cls == "nest":
        # A placeholder string, replaced by the nested text once the document is written.
        depths = [31, 32, 33, 40, 100] if small else [31, 32, 33, 40, 100, 3000]
        container[key] = f"\x00nest:{r.choice(depths)}:{r.choice('ao')}\x00"
    elif cls == "huge":
        lists = [(c, k) for c, k in slots if isinstance(c[k], list)]
        c, k = r.choice(lists) if lists else (container, key)
        n = r.choice([33, 65, 257, 1025, 2000] if small else [33, 65, 257, 1025, 5000, 100_000])
        first = c[k][0] if isinstance(c[k], list) and c[k] else 0
        if n > 2000 and not isinstance(first, (int, float, str)):
            first = 0
        c[k] = [first] * n  # one object, written n times
    elif cls == "unicode":
        strings = [(c, k) for c, k in slots if isinstance(c[k], str)]
        c, k = r.choice(strings) if strings else (container, key)
        c[k] = r.choice(_STRINGS)
    return doc


def _text_mutation(text: bytes, r: Chooser, small: bool) -> bytes:
    how = r.choice(["truncate", "flip", "nan", "bignum", "intfloat", "trailing", "bom", "deep", "empty"])
    if how == "truncate":
        return text[: r.randint(0, max(0, len(text) - 1))]
    if how == "flip":
        i = r.randint(0, len(text) - 1)
        return text[:i] + bytes([text[i] ^ (1 << r.randint(0, 7))]) + text[i + 1 :]
    if how in ("nan", "bignum", "intfloat"):
        marker = b'"seed":'
        i = text.find(marker)
        if i < 0:
            return text
        j = i + len(marker)
        while j < len(text) and text[j : j + 1] in b" 0123456789":
            j += 1
        lit = {"nan": b"NaN", "bignum": b"1e400", "intfloat": b"7.0"}[how]
        return text[: i + len(marker)] + b" " + lit + text[j:]
    if how == "trailing":
        return text + r.choice([b" {}", b"x", b"\n\n", b"]"])
    if how == "bom":
        return b"\xef\xbb\xbf" + text
    if how == "deep":
        n = r.choice([33, 1000] if small else [33, 10_000, 200_000])
        return b"[" * n + b"]" * n
    return r.choice([b"", b"null", b"[]", b"0", b'"package"', b"{"])


def mutate(base: Any, r: Chooser, cls: str | None = None, small: bool = False) -> tuple[bytes, str]:
    """A mutated copy of package ``base`` as JSON bytes, and its mutation class (``cls``, or
    one chosen at random). ``small`` keeps huge arrays and deep nesting to a few thousand
    elements (for quick in-test runs; the campaign goes to 100,000 elements and 200,000 levels)."""
    cls = cls or r.choice(CLASSES)
    doc = copy.deepcopy(base)
    if cls != "text":
        for _ in range(r.randint(1, 3)):
            doc = _mutate_tree(doc, cls if r.randint(0, 3) else r.choice(CLASSES[:-1]), r, small)
    text = json.dumps(doc, ensure_ascii=r.choice([True, False])).encode("utf-8", "surrogatepass")
    text = text.replace(b'"\\u0000dup\\u0000', b'"')  # the second spelling of a duplicated key
    while (i := text.find(b'"\\u0000nest:')) >= 0:
        j = text.index(b'\\u0000"', i + 1)
        _, depth, kind = text[i + 1 : j].decode().split(":")
        text = text[:i] + _nested(int(depth), kind == "o") + text[j + 7 :]
    if cls == "text":
        text = _text_mutation(text, r, small)
    if len(text) > 16 << 20:  # stacked huge mutations: keep just past the 8 MiB limit
        text = text[: 9 << 20]
    return text, cls


def base_packages() -> list[dict[str, Any]]:
    """The packages mutations start from: every scenario and the valid corpus, made short so that
    an accepted mutant simulates quickly."""
    from tidebreak import scenarios

    out = []
    for name in scenarios.names():
        pkg = scenarios.load(name, seed=3)
        # Accepted mutants are simulated: a minute of a small battle, a few seconds of a big one
        # (a minute of 1024 ships is legitimate work of more than 10 s, not a hang).
        pkg["time_limit_s"] = 60 if len(pkg["ships"]) <= 64 else 3
        out.append(pkg)
    for f in sorted((ROOT / "tests" / "testdata" / "packages" / "valid").glob("*.json")):
        if not f.name.endswith(".normalized.json"):
            pkg = json.loads(f.read_text())
            pkg["time_limit_s"] = 60
            out.append(pkg)
    return out


# ---------------------------------------------------------------------------------------------
# One case: validate and simulate in the library.
# ---------------------------------------------------------------------------------------------


def judge(doc: bytes) -> dict[str, Any]:
    """Run ``doc`` through tb_package_parse and tb_simulate; report both verdicts and whether they
    agree (same verdict; for a refusal, tb_simulate's message is the report's problems)."""
    from tidebreak.contracts import _api
    from tidebreak.engine import _native

    t0 = time.perf_counter()
    rep = _api.report(doc)
    t1 = time.perf_counter()
    lib = _native.lib()
    blob = _native.ffi.new("uint64_t *")
    length = _native.ffi.new("int64_t *")
    rc = lib.tb_simulate(doc, len(doc), blob, length)
    t2 = time.perf_counter()
    if rc == 0:
        lib.tb_blob_free(blob[0])
        sim_text = ""
    else:
        sim_text = _native.ffi.string(lib.tb_errmsg()).decode("utf-8", "replace")
    want = _api.ContractError(_api._pairs(rep["problems"])).message if rep["problems"] else ""
    if rep["ok"]:
        agree = rc == 0
    else:
        got = sim_text.split(": ", 2)[2] if sim_text.count(": ") >= 2 else sim_text
        agree = rc in (4, 5) and got == want
    return {
        "ok": bool(rep["ok"]),
        "sim_rc": int(rc),
        "agree": agree,
        "path": rep["problems"][0]["path"] if rep["problems"] else None,
        "validate_s": t1 - t0,
        "simulate_s": t2 - t1,
        "detail": "" if agree else f"validate: {want!r} | simulate rc={rc}: {sim_text!r}",
    }


def _worker() -> None:
    """Read base64 cases from stdin, one per line; write one JSON verdict per line."""
    for line in sys.stdin:
        print(json.dumps(judge(base64.b64decode(line))), flush=True)


class _Worker:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def run(self, doc: bytes, timeout: float) -> dict[str, Any] | str:
        """The verdict, or "abort" / "hang"."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(base64.b64encode(doc) + b"\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return "abort"
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.proc.kill()
            return "hang"
        line = self.proc.stdout.readline()
        if not line:
            return "abort"
        out: dict[str, Any] = json.loads(line)
        return out

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


def campaign(cases: int, seed: int, hang_s: float) -> dict[str, Any]:
    """Run ``cases`` mutated packages; counts per class and in total."""
    r = random.Random(seed)
    bases = base_packages()
    worker = _Worker()
    per_class: dict[str, Counter[str]] = defaultdict(Counter)
    worst = {"validate_s": 0.0, "refused_simulate_s": 0.0, "accepted_simulate_s": 0.0}
    disagreements: list[str] = []
    sizes = Counter[str]()
    start = time.time()
    try:
        for i in range(cases):
            doc, cls = mutate(r.choice(bases), r)
            sizes["bytes"] += len(doc)
            sizes["max_bytes"] = max(sizes["max_bytes"], len(doc))
            verdict = worker.run(doc, hang_s)
            c = per_class[cls]
            c["cases"] += 1
            if isinstance(verdict, str):
                c[verdict + "s"] += 1
                disagreements.append(f"case {i} ({cls}, {len(doc)} bytes): {verdict}")
                worker.close()
                worker = _Worker()
                continue
            c["accepted" if verdict["ok"] else "refused"] += 1
            c["agree"] += verdict["agree"]
            worst["validate_s"] = max(worst["validate_s"], verdict["validate_s"])
            key = "accepted_simulate_s" if verdict["ok"] else "refused_simulate_s"
            worst[key] = max(worst[key], verdict["simulate_s"])
            if not verdict["agree"]:
                disagreements.append(f"case {i} ({cls}): {verdict['detail']}")
    finally:
        worker.close()
    total: Counter[str] = Counter()
    for c in per_class.values():
        total.update(c)
    return {
        "cases": cases,
        "seed": seed,
        "seconds": round(time.time() - start, 1),
        "per_class": {k: dict(v) for k, v in sorted(per_class.items())},
        "total": dict(total),
        "worst_seconds": {k: round(v, 3) for k, v in worst.items()},
        "max_case_bytes": sizes["max_bytes"],
        "problems": disagreements[:20],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cases", type=int, default=5000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--hang-s", type=float, default=10.0, help="a case taking longer is a hang")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        _worker()
        return 0
    out = campaign(args.cases, args.seed, args.hang_s)
    print(json.dumps(out, indent=2))
    t = out["total"]
    failed = t.get("aborts", 0) + t.get("hangs", 0) + (t.get("cases", 0) - t.get("agree", 0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
