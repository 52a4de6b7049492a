"""From item percentages to points, stage totals, categories and one total per application.

Stages combine either by weight (document 30 % / on-site 70 %) or by replacement (the latest
stage an application has replaces the earlier ones). Both come down to an effective weight per
stage and application, so totals, category totals and tie-break values are all weighted alike.

An application that is not ``advanced`` (it lacks a weighted stage) is never given a weighted
total with zeros for the stages it did not reach: its total is the total of the stage it reached
(its effective weight is 1 there and 0 elsewhere), so 447.25 points in the document stage show
as 447.25, not as 0.3 × 447.25 = 134.18.
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
    in at least one such stage (replacement mode). ``reached[a]`` is the index of the stage it
    reached: the last stage with a positive weight it has scores in, else the last stage it has
    scores in at all (-1: none); a not advanced application's total is that stage's total.
    """

    categories: tuple[str, ...]
    points: np.ndarray
    stage_present: np.ndarray
    stage_total: np.ndarray
    stage_categories: np.ndarray
    weights: np.ndarray
    active_stages: np.ndarray
    advanced: np.ndarray
    reached: np.ndarray
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


def _last_true(mask: np.ndarray) -> np.ndarray:
    """Per column of a (stage, application) mask, the index of its last True row (-1: none)."""
    n_stages = mask.shape[0]
    last = n_stages - 1 - np.argmax(mask[::-1], axis=0)
    return np.where(mask.any(axis=0), last, -1)


def reached_stages(present: np.ndarray, active: np.ndarray) -> np.ndarray:
    """The stage each application reached: its last weighted stage with scores, else its last
    stage with scores (a stage without weight), -1 when it has none."""
    weighted = _last_true(present & active[:, None])
    return np.where(weighted >= 0, weighted, _last_true(present))


def _not_advanced_weights(
    weights: np.ndarray, advanced: np.ndarray, reached: np.ndarray
) -> np.ndarray:
    """``weights`` with each not advanced application counted at 100 % in its reached stage."""
    shown = weights.copy()
    behind = np.flatnonzero(~advanced)
    if behind.size:
        shown[:, behind] = 0.0
        has = reached[behind] >= 0
        shown[reached[behind][has], behind[has]] = 1.0
    return shown


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
    reached = reached_stages(stage_present, active)
    weights = _not_advanced_weights(weights, advanced, reached)
    return Totals(
        categories=categories,
        points=points,
        stage_present=stage_present,
        stage_total=stage_total,
        stage_categories=stage_categories,
        weights=weights,
        active_stages=active,
        advanced=advanced,
        reached=reached,
        total=(weights * stage_total).sum(axis=0),
        category_total=(weights[:, :, None] * stage_categories).sum(axis=0),
    )
