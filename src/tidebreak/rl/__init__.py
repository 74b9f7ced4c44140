"""The reinforcement-learning layer on top of the envs in :mod:`tidebreak.gym`.

* :mod:`~tidebreak.rl.rewards` — reward shaping from the arena's raw terms.
* :mod:`~tidebreak.rl.curriculum` — curriculum stages and promotion.
* :mod:`~tidebreak.rl.evaluation` — win rate, survival and efficiency
  against the scripted controllers.
"""
