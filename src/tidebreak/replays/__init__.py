"""The replay layer: battles recorded, verified, compared and shown.

* :mod:`~tidebreak.replays.records` — records and ``.tbr`` replay files,
  re-simulation with hash checks (``tidebreak.replay``).
* :mod:`~tidebreak.replays.diff` — the first tick where two runs diverge.
* :mod:`~tidebreak.replays.render` — PNG stills, GIF and MP4 (matplotlib).
* :mod:`~tidebreak.replays.viewer` — the self-contained HTML viewer.
"""
