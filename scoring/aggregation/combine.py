"""From item percentages to points, stage totals, categories and one total per application.

Stages combine either by weight (document 30 % / on-site 70 %) or by replacement (the latest
stage an application has replaces the earlier ones). Both come down to an effective weight per
stage and application, so totals, category totals and tie-break values are all weighted alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .scores import PreparedScores
from .types import WEIGHTED, ResultsConfig


@dataclass(frozen=True, slots=True)
class Totals:
    """Arrays indexed by stage (S), application (A), item (I) and category (C).

    ``weights[s, a]`` is the share stage ``s`` has in application ``a``'s total. An application
    is ``advanced`` when it has scores in every stage with a positive weight (weighted mode) or
    in at least one such stage (replacement mode).
    """

    categories: tuple[str, ...]
    points: np.ndarray
    stage_present: np.ndarray
    stage_total: np.ndarray
    stage_categories: np.ndarray
    weights: np.ndarray
    active_stages: np.ndarray
    advanced: np.ndarray
    total: np.ndarray
    category_total: np.ndarray


def categories_of(prepared: PreparedScores) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.category for item in prepared.items))


def _effective_weights(
    present: np.ndarray, config: ResultsConfig, stages: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    stage_weight = np.array([float(config.stage_weights.get(stage, 0.0)) for stage in stages])
    active = stage_weight > 0
    if config.mode == WEIGHTED:
        weights = np.where(present & active[:, None], stage_weight[:, None], 0.0)
        advanced = np.all(present[active], axis=0)
        return weights, advanced, active
    weights = np.zeros(present.shape)
    taken = np.zeros(present.shape[1], dtype=bool)
    for stage in reversed(np.flatnonzero(active).tolist()):
        chosen = present[stage] & ~taken
        weights[stage, chosen] = 1.0
        taken |= chosen
    return weights, taken, active


def combine_stages(
    cell_percent: np.ndarray, prepared: PreparedScores, config: ResultsConfig
) -> Totals:
    """Points = max points × percentage / 100; every sum runs in a fixed order."""
    n_stages, n_apps, n_items = (
        len(prepared.stages),
        len(prepared.applications),
        len(prepared.items),
    )
    percent = cell_percent.reshape(n_stages, n_apps, n_items)
    present_cells = ~np.isnan(percent)
    max_points = np.array([item.max_points for item in prepared.items], dtype=np.float64)
    points = np.where(present_cells, max_points * np.nan_to_num(percent) / 100.0, 0.0)
    stage_present = present_cells.any(axis=2)
    stage_total = points.sum(axis=2)
    categories = categories_of(prepared)
    stage_categories = np.zeros((n_stages, n_apps, len(categories)))
    for position, category in enumerate(categories):
        members = [i for i, item in enumerate(prepared.items) if item.category == category]
        stage_categories[:, :, position] = points[:, :, members].sum(axis=2)
    weights, advanced, active = _effective_weights(stage_present, config, prepared.stages)
    return Totals(
        categories=categories,
        points=points,
        stage_present=stage_present,
        stage_total=stage_total,
        stage_categories=stage_categories,
        weights=weights,
        active_stages=active,
        advanced=advanced,
        total=(weights * stage_total).sum(axis=0),
        category_total=(weights[:, :, None] * stage_categories).sum(axis=0),
    )
