"""What the training examples share: save the model, evaluate it, report."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from tidebreak.rl.evaluation import evaluate


def save_and_evaluate(
    model: Any, out: str, env_id: str, episodes: int, seed: int, env_kwargs: dict[str, Any]
) -> None:
    """Save ``model`` to ``out``, evaluate it against the scripted baselines
    (``tidebreak.evaluate``), log the metrics to the model's logger
    (TensorBoard when it has one) and print them as JSON."""
    model.save(out)
    report = evaluate(model, env_id, episodes=episodes, seed=seed, env_kwargs=env_kwargs)
    report.log_to(model.logger)
    model.logger.dump(model.num_timesteps)
    metrics = {k: round(v, 4) for k, v in report.metrics().items() if not np.isnan(v)}
    print(json.dumps(metrics, indent=2, sort_keys=True))
