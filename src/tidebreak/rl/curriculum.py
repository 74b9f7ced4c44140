"""Curriculum stages and promotion by rolling win rate.

Stages 1–6 are the scenarios ``stage1`` … ``stage6`` (``Tidebreak/Curriculum-v0``
with ``stage=n``), from a single slow target to a full engagement. A
:class:`CurriculumTracker` keeps the rolling win rate of recent episodes and
says when to promote; :func:`make_callback` (or ``CurriculumCallback``)
wraps it as a Stable-Baselines3 callback that switches the training envs to
the next stage between rollouts.

>>> tracker = CurriculumTracker(threshold=0.6, window=5)
>>> [tracker.record(win) for win in (True, True, False, True, True)]
[False, False, False, False, True]
>>> tracker.stage, tracker.win_rate
(2, 0.0)
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

__all__ = [
    "Stage",
    "STAGES",
    "NUM_STAGES",
    "stage_scenario",
    "CurriculumTracker",
    "make_callback",
    "CurriculumCallback",  # noqa: F822 (defined on first access, when SB3 is installed)
]


@dataclass(frozen=True)
class Stage:
    """One curriculum stage."""

    number: int
    scenario: str
    description: str


STAGES: tuple[Stage, ...] = (
    Stage(1, "stage1", "one slow, passive target on the surface: learn to close and fire"),
    Stage(2, "stage2", "a manoeuvring surface target"),
    Stage(3, "stage3", "a target that fires back"),
    Stage(4, "stage4", "a submerged target: sonar, ping, ASW"),
    Stage(5, "stage5", "small mixed groups"),
    Stage(6, "stage6", "full engagement against aggressive and stalking opponents"),
)
NUM_STAGES = len(STAGES)


def stage_scenario(stage: int) -> str:
    """The scenario name of ``stage`` (1-based)."""
    if not 1 <= stage <= NUM_STAGES:
        raise ValueError(f"stage must be within [1, {NUM_STAGES}] (got {stage})")
    return STAGES[stage - 1].scenario


class CurriculumTracker:
    """Rolling win rate over the last ``window`` episodes, and promotion.

    :meth:`record` returns True when the stage was just promoted: the window
    is full and its win rate reached ``threshold``. The window is cleared on
    promotion, so each stage is judged on its own episodes.
    """

    def __init__(
        self, threshold: float = 0.7, window: int = 100, start_stage: int = 1, max_stage: int = NUM_STAGES
    ) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(f"threshold must be within (0, 1] (got {threshold})")
        if window < 1:
            raise ValueError(f"window must be >= 1 (got {window})")
        self.threshold = threshold
        self.window = window
        self.stage = start_stage
        self.max_stage = max_stage
        self.history: list[tuple[int, int]] = []  # (episodes seen, stage reached)
        self.episodes = 0
        self._results: deque[bool] = deque(maxlen=window)

    @property
    def win_rate(self) -> float:
        """Win rate of the episodes in the window (0 when empty)."""
        return float(np.mean(self._results)) if self._results else 0.0

    def record(self, win: bool) -> bool:
        """Count one finished episode; True if this promoted the stage."""
        self.episodes += 1
        self._results.append(bool(win))
        if self.stage >= self.max_stage or len(self._results) < self.window:
            return False
        if self.win_rate >= self.threshold:
            self.stage += 1
            self._results.clear()
            self.history.append((self.episodes, self.stage))
            return True
        return False


if TYPE_CHECKING:
    from stable_baselines3.common.callbacks import BaseCallback


def make_callback(
    threshold: float = 0.7,
    window: int = 100,
    start_stage: int = 1,
    max_stage: int = NUM_STAGES,
    verbose: int = 0,
) -> BaseCallback:
    """An SB3 callback promoting the training envs' curriculum stage.

    It reads ``is_success`` from the infos of finished episodes (the
    Tidebreak envs set it on a win). When the rolling win rate passes
    ``threshold``, it calls ``env_method("set_stage", n)`` on the training
    env after the current rollout, resets it, and hands the new first
    observations to the model. It logs ``curriculum/stage`` and
    ``curriculum/win_rate``.
    """
    callback: BaseCallback = _callback_class()(
        CurriculumTracker(threshold, window, start_stage, max_stage), verbose
    )
    return callback


_CALLBACK: Any = None


def _callback_class() -> Any:
    global _CALLBACK
    if _CALLBACK is not None:
        return _CALLBACK
    from stable_baselines3.common.callbacks import BaseCallback

    class CurriculumCallback(BaseCallback):  # type: ignore[misc,unused-ignore]
        """SB3 callback around a :class:`CurriculumTracker` (see :func:`make_callback`)."""

        def __init__(self, tracker: CurriculumTracker | None = None, verbose: int = 0) -> None:
            super().__init__(verbose)
            self.tracker = tracker or CurriculumTracker()
            self._pending = False

        def _on_training_start(self) -> None:
            if self.tracker.stage != 1 or self._env_stage() not in (None, self.tracker.stage):
                self._switch()

        def _env_stage(self) -> Any:
            try:
                return self.training_env.get_attr("stage")[0]
            except (AttributeError, ValueError):
                return None

        def _on_step(self) -> bool:
            dones = self.locals.get("dones")
            infos = self.locals.get("infos", [])
            if dones is None:
                return True
            for done, info in zip(dones, infos):
                if done and self.tracker.record(bool(info.get("is_success", False))):
                    self._pending = True
            self.logger.record("curriculum/stage", self.tracker.stage)
            self.logger.record("curriculum/win_rate", self.tracker.win_rate)
            return True

        def _on_rollout_end(self) -> None:
            if self._pending:
                self._pending = False
                self._switch()

        def _switch(self) -> None:
            env = self.training_env
            env.env_method("set_stage", self.tracker.stage)
            self.model._last_obs = env.reset()  # type: ignore[assignment,unused-ignore]
            self.model._last_episode_starts = np.ones((env.num_envs,), dtype=bool)
            if self.verbose:
                print(f"curriculum: stage {self.tracker.stage} after {self.tracker.episodes} episodes")

    _CALLBACK = CurriculumCallback
    return _CALLBACK


def __getattr__(name: str) -> Any:
    if name == "CurriculumCallback":
        return _callback_class()
    raise AttributeError(f"module 'tidebreak.rl.curriculum' has no attribute {name!r}")
