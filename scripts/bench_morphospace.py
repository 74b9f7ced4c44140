#!/usr/bin/env python3
"""MorphoSpace vs numpy benchmark; see ``tidebreak.morphospace.bench``.

Usage: python scripts/bench_morphospace.py [--steps N]
"""

from tidebreak.morphospace.bench import main

if __name__ == "__main__":
    raise SystemExit(main())
