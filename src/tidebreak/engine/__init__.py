"""The engine layer: Tidebreak's binding to the Go arena.

* :mod:`~tidebreak.engine._native` loads the C library (lazily, fork-aware)
  and turns its status codes into :class:`~tidebreak.engine._native.NativeError`.
* :mod:`~tidebreak.engine.native_env` — :class:`NativeEnv` and
  :class:`NativeVecEnv`, one env or a batch over bound numpy buffers.
* :mod:`~tidebreak.engine.simulation` — ``simulate(package) -> BattleResult``.
* :mod:`~tidebreak.engine.layout` — observation, action, mask and reward layout.

Everything above this layer (``gym``, ``rl``, ``replays``, ``strategic``)
reaches the Go core through these modules only.
"""
