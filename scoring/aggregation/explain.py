"""Per-item and per-stage records that let an official trace every number of a result.

A computation's ``ScoreTrace`` keeps, as arrays, every score it used with what the method did
with it (used or dropped, normalized value), each item's combined percentage and points, and
the stage totals and weights. Explanations are built from it one application at a time, so a
computation that stores the trace (see ``trace_store``) never builds Python objects for the
hundreds of thousands of scores of a full cycle, and a page explaining one application reads
only that application's slice.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat

import numpy as np

from .combine import Totals
from .methods import CellValues
from .scores import PreparedScores
from .types import METHODS, ItemDef, ItemResult, ReviewerScore, StageResult


@dataclass(frozen=True, slots=True)
class ScoreTrace:
    """Everything an explanation needs. Dense cell arrays are indexed like ``PreparedScores``
    (``cell = (stage * n_applications + application) * n_items + item``); ``row_*`` arrays
    are the scores in the prepared (cell, percent, reviewer) order; ``stage_*`` arrays are
    (stage, application) and ``stage_categories`` (stage, application, category)."""

    applications: tuple[str, ...]
    reviewers: tuple[str, ...]
    stages: tuple[str, ...]
    items: tuple[ItemDef, ...]
    categories: tuple[str, ...]
    row_cell: np.ndarray
    row_reviewer: np.ndarray
    row_percent: np.ndarray
    row_used: np.ndarray
    row_normalized: np.ndarray | None
    cell_percent: np.ndarray
    cell_points: np.ndarray
    cell_source: np.ndarray
    stage_present: np.ndarray
    stage_weight: np.ndarray
    stage_total: np.ndarray
    stage_categories: np.ndarray

    def application_index(self, name: str) -> int | None:
        try:
            return self.applications.index(name)
        except ValueError:
            return None


def trace_of(prepared: PreparedScores, cells: CellValues, totals: Totals) -> ScoreTrace:
    return ScoreTrace(
        applications=prepared.applications,
        reviewers=prepared.reviewers,
        stages=prepared.stages,
        items=prepared.items,
        categories=totals.categories,
        row_cell=prepared.row_cell,
        row_reviewer=prepared.row_reviewer,
        row_percent=prepared.row_percent,
        row_used=cells.used,
        row_normalized=cells.normalized,
        cell_percent=cells.percent,
        cell_points=totals.points.reshape(-1),
        cell_source=cells.source,
        stage_present=totals.stage_present,
        stage_weight=totals.weights,
        stage_total=totals.stage_total,
        stage_categories=totals.stage_categories,
    )


def _item_results(trace: ScoreTrace, base: int) -> list[ItemResult | None]:
    """The items of the cells ``base .. base + n_items`` (one application in one stage)."""
    n_items = len(trace.items)
    first, last = np.searchsorted(trace.row_cell, [base, base + n_items]).tolist()
    row_cell = trace.row_cell[first:last].tolist()
    reviewers = [trace.reviewers[r] for r in trace.row_reviewer[first:last].tolist()]
    normalized = (
        trace.row_normalized[first:last].tolist()
        if trace.row_normalized is not None
        else [None] * (last - first)
    )
    # tuple.__new__ builds the named tuples in C, several times faster than calling the class.
    scores: list[ReviewerScore] = list(
        map(
            tuple.__new__,
            repeat(ReviewerScore, last - first),
            zip(
                reviewers,
                trace.row_percent[first:last].tolist(),
                trace.row_used[first:last].tolist(),
                normalized,
                strict=True,
            ),
        )
    )
    by_cell: dict[int, list[ReviewerScore]] = {}
    for cell, score in zip(row_cell, scores, strict=True):
        by_cell.setdefault(cell, []).append(score)
    percent = trace.cell_percent[base : base + n_items].tolist()
    points = trace.cell_points[base : base + n_items].tolist()
    source = trace.cell_source[base : base + n_items].tolist()
    return [
        None
        if value != value  # NaN: neither scores nor consensus
        else ItemResult(
            item.code,
            value,
            points[offset],
            METHODS[source[offset]],
            tuple(by_cell.get(base + offset, ())),
        )
        for offset, (item, value) in enumerate(zip(trace.items, percent, strict=True))
    ]


def stage_results(trace: ScoreTrace, application: int) -> dict[str, StageResult]:
    """The stages an application has scores (or consensus) in, in stage order.

    ``stage_totals`` gives every application's stages without their items, in one pass.
    """
    n_apps, n_items = len(trace.applications), len(trace.items)
    stages: dict[str, StageResult] = {}
    for stage_index, stage in enumerate(trace.stages):
        if not trace.stage_present[stage_index, application]:
            continue
        cell_items = _item_results(trace, (stage_index * n_apps + application) * n_items)
        stages[stage] = StageResult(
            stage=stage,
            weight=float(trace.stage_weight[stage_index, application]),
            total=float(trace.stage_total[stage_index, application]),
            categories=dict(
                zip(
                    trace.categories,
                    trace.stage_categories[stage_index, application].tolist(),
                    strict=True,
                )
            ),
            items={result.item: result for result in cell_items if result is not None},
            missing_items=tuple(
                item.code
                for item, result in zip(trace.items, cell_items, strict=True)
                if result is None
            ),
        )
    return stages


def stage_totals(trace: ScoreTrace) -> list[dict[str, StageResult]]:
    """Every application's ``stage_results`` without items (totals, weights, categories)."""
    present = trace.stage_present.tolist()
    weight = trace.stage_weight.tolist()
    total = trace.stage_total.tolist()
    categories = trace.stage_categories.tolist()
    stages: list[dict[str, StageResult]] = [{} for _ in trace.applications]
    for s, stage in enumerate(trace.stages):
        for application, has in enumerate(present[s]):
            if has:
                stages[application][stage] = StageResult(
                    stage=stage,
                    weight=weight[s][application],
                    total=total[s][application],
                    categories=dict(zip(trace.categories, categories[s][application], strict=True)),
                    items={},
                    missing_items=(),
                )
    return stages
