"""Per-step cost of the engine's log on a single NativeEnv, variants alternated in one process.

(a) the pending-count read that check() does after every call, against a
check() without it; (b) the opt-in timing of single-env steps (two clock
reads in Go) against none. Rounds run the variants in a shuffled order; the
ratios are medians of per-round ratios, so a shared machine's drift cancels.

    .venv/bin/python scripts/bench_engine_log.py
"""

import math
import random
import statistics
import time

import numpy as np

import tidebreak
from tidebreak import scenarios
from tidebreak.engine import _native, log

pkg = scenarios.load("duel", controllers={"corvette": "agent"})
env = tidebreak.NativeEnv(pkg)
env.reset(seed=1)
act = np.zeros(env.actions.size, np.float32)
orig = _native.check


def check_no_log(function, code):
    if code != 0:
        orig(function, code)


def run(n):
    t0 = time.perf_counter_ns()
    for _ in range(n):
        _, _, term, trunc = env.step(act)
        if term or trunc:
            env.reset()
    return (time.perf_counter_ns() - t0) / n


N = 3000
# env_step is untimed by default; slow=inf turns timing off (the default for steps), 1.0 times steps too.
variants = {
    "default (pending read)": (orig, math.inf),
    "no pending read": (check_no_log, math.inf),
    "steps timed (opt-in)": (orig, 1.0),
}
res = {k: [] for k in variants}
random.seed(0)
for _ in range(40):
    order = list(variants.items())
    random.shuffle(order)
    for k, (chk, slow) in order:
        _native.check = chk
        log.configure(slow_call_s=slow)
        res[k].append(run(N))
_native.check = orig
log.configure(slow_call_s=1.0)
for k, v in res.items():
    print(f"{k:20s} median {statistics.median(v):7.0f} ns/step  min {min(v):7.0f}")
a, b, c = (res[k] for k in variants)
print(
    "pending read: median per-round ratio with/without",
    round(statistics.median(x / y for x, y in zip(a, b)), 4),
    " min-vs-min",
    round(min(a) / min(b), 4),
)
print(
    "opt-in step timing: median per-round ratio on/off",
    round(statistics.median(x / y for x, y in zip(c, a)), 4),
    " min-vs-min",
    round(min(c) / min(a), 4),
)
