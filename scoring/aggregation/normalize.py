"""Per-reviewer normalization, for panels where some reviewers are lenient and others harsh.

Each reviewer's percentages in a stage are standardized against that reviewer's own mean and
population standard deviation over everything they scored in the stage, then mapped back onto
the stage's scale (mean and population standard deviation of all percentages of the stage) and
clipped to 0..100. A reviewer without spread cannot be standardized and is only shifted by the
difference of the means.
"""

from __future__ import annotations

import numpy as np


def _group_mean_std(
    groups: np.ndarray, values: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    count = np.bincount(groups, minlength=size).astype(np.float64)
    safe = np.where(count > 0, count, 1.0)
    mean = np.bincount(groups, weights=values, minlength=size) / safe
    deviation = values - mean[groups]
    std = np.sqrt(np.bincount(groups, weights=deviation * deviation, minlength=size) / safe)
    return mean, std


def normalize_percentages(
    percent: np.ndarray, stage: np.ndarray, reviewer: np.ndarray, n_stages: int, n_reviewers: int
) -> np.ndarray:
    """The normalized percentage of every row (same order as the inputs)."""
    if len(percent) == 0:
        return percent.copy()
    group = stage * n_reviewers + reviewer
    reviewer_mean, reviewer_std = _group_mean_std(group, percent, n_stages * n_reviewers)
    stage_mean, stage_std = _group_mean_std(stage, percent, n_stages)
    deviation = percent - reviewer_mean[group]
    spread = reviewer_std[group]
    has_spread = spread > 0
    z = np.divide(deviation, spread, out=np.zeros_like(deviation), where=has_spread)
    rescaled = np.where(
        has_spread,
        stage_mean[stage] + z * stage_std[stage],
        deviation + stage_mean[stage],
    )
    return np.clip(rescaled, 0.0, 100.0)
