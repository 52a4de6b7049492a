"""Per-item and per-stage records that let an official trace every number of a result.

This is the only part of the core that builds one Python object per score; it is written as a
few flat passes (one ``map`` over all rows, one slice per cell) to keep a full cycle fast.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np

from .combine import Totals
from .methods import CellValues
from .scores import PreparedScores
from .types import METHODS, ItemResult, ReviewerScore, StageResult


def item_results(
    prepared: PreparedScores, cells: CellValues, totals: Totals
) -> list[ItemResult | None]:
    """One ``ItemResult`` per dense cell, None where a cell has neither scores nor consensus."""
    n_rows = len(prepared.row_percent)
    reviewer_names = np.array(prepared.reviewers, dtype=object)[prepared.row_reviewer].tolist()
    normalized = cells.normalized.tolist() if cells.normalized is not None else [None] * n_rows
    # tuple.__new__ builds the named tuples in C, several times faster than calling the class.
    all_scores: list[ReviewerScore] = list(
        map(
            tuple.__new__,
            repeat(ReviewerScore, n_rows),
            zip(
                reviewer_names,
                prepared.row_percent.tolist(),
                cells.used.tolist(),
                normalized,
                strict=True,
            ),
        )
    )
    scores_by_cell: list[tuple[ReviewerScore, ...]] = [()] * prepared.n_cells_dense
    for cell, start, count in zip(
        prepared.cells.tolist(), prepared.starts.tolist(), prepared.counts.tolist(), strict=True
    ):
        scores_by_cell[cell] = tuple(all_scores[start : start + count])

    codes = [item.code for item in prepared.items]
    n_items = len(codes)
    percent = cells.percent.tolist()
    points = totals.points.reshape(-1).tolist()
    source = cells.source.tolist()
    results: list[ItemResult | None] = [None] * prepared.n_cells_dense
    for cell in np.flatnonzero(~np.isnan(cells.percent)).tolist():
        results[cell] = ItemResult(
            codes[cell % n_items],
            percent[cell],
            points[cell],
            METHODS[source[cell]],
            scores_by_cell[cell],
        )
    return results


def stage_results(
    prepared: PreparedScores,
    totals: Totals,
    items: list[ItemResult | None] | None,
    application: int,
) -> dict[str, StageResult]:
    """The stages an application has scores (or consensus) in, in stage order.

    Without ``items`` (a computation run without explanations) only the totals are filled in.
    """
    n_apps, n_items = len(prepared.applications), len(prepared.items)
    stages: dict[str, StageResult] = {}
    for stage_index, stage in enumerate(prepared.stages):
        if not totals.stage_present[stage_index, application]:
            continue
        base = (stage_index * n_apps + application) * n_items
        cell_items = items[base : base + n_items] if items is not None else []
        stages[stage] = StageResult(
            stage=stage,
            weight=float(totals.weights[stage_index, application]),
            total=float(totals.stage_total[stage_index, application]),
            categories=dict(
                zip(
                    totals.categories,
                    totals.stage_categories[stage_index, application].tolist(),
                    strict=True,
                )
            ),
            items={result.item: result for result in cell_items if result is not None},
            missing_items=tuple(
                item.code
                for item, result in zip(prepared.items, cell_items, strict=False)
                if result is None
            ),
        )
    return stages
