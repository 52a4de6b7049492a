"""Combining the reviewers' percentages of each cell (application × stage × item) into one.

Rows arrive sorted by cell, then percentage, then reviewer (see ``scores``), so the lowest and
highest score of a cell sit at its first and last row and the median in its middle: every method
is a few vectorized operations over all cells at once. Each method also says which rows it used,
which is what the explanation shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .normalize import normalize_percentages
from .scores import PreparedScores
from .types import CONSENSUS, MEAN, MEDIAN, METHODS, NORMALIZED, TRIMMED_MEAN

#: The trimmed mean drops one highest and one lowest score only from this many scores up.
TRIM_MIN_SCORES = 5


@dataclass(frozen=True, slots=True)
class CellValues:
    """Combined percentages over the dense cell grid (NaN where a cell has nothing).

    ``source`` holds, per dense cell, the index in ``METHODS`` of the method that decided it;
    ``used`` and ``normalized`` are per sorted row of ``PreparedScores``.
    """

    percent: np.ndarray
    source: np.ndarray
    used: np.ndarray
    normalized: np.ndarray | None


def _cell_sums(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    if len(values) == 0:
        return np.zeros(0)
    return np.add.reduceat(values, starts)


def cell_mean(prepared: PreparedScores) -> tuple[np.ndarray, np.ndarray]:
    used = np.ones(len(prepared.row_percent), dtype=bool)
    return _cell_sums(prepared.row_percent, prepared.starts) / prepared.counts, used


def cell_trimmed_mean(prepared: PreparedScores) -> tuple[np.ndarray, np.ndarray]:
    starts, counts = prepared.starts, prepared.counts
    trim = counts >= TRIM_MIN_SCORES
    used = np.ones(len(prepared.row_percent), dtype=bool)
    used[starts[trim]] = False
    used[(starts + counts - 1)[trim]] = False
    sums = _cell_sums(np.where(used, prepared.row_percent, 0.0), starts)
    return sums / (counts - 2 * trim), used


def cell_median(prepared: PreparedScores) -> tuple[np.ndarray, np.ndarray]:
    starts, counts = prepared.starts, prepared.counts
    lower = starts + (counts - 1) // 2
    upper = starts + counts // 2
    used = np.zeros(len(prepared.row_percent), dtype=bool)
    used[lower] = True
    used[upper] = True
    return (prepared.row_percent[lower] + prepared.row_percent[upper]) / 2, used


def cell_normalized(prepared: PreparedScores) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    normalized = normalize_percentages(
        prepared.row_percent,
        prepared.row_stage,
        prepared.row_reviewer,
        len(prepared.stages),
        max(len(prepared.reviewers), 1),
    )
    used = np.ones(len(prepared.row_percent), dtype=bool)
    return _cell_sums(normalized, prepared.starts) / prepared.counts, used, normalized


_REVIEWER_METHODS = {MEAN: cell_mean, TRIMMED_MEAN: cell_trimmed_mean, MEDIAN: cell_median}


def combine_cells(prepared: PreparedScores, method: str, fallback_method: str) -> CellValues:
    """Apply ``method`` to every cell; consensus falls back to ``fallback_method`` per cell."""
    reviewer_method = fallback_method if method == CONSENSUS else method
    normalized = None
    if reviewer_method == NORMALIZED:
        values, used, normalized = cell_normalized(prepared)
    else:
        values, used = _REVIEWER_METHODS[reviewer_method](prepared)
    percent = np.full(prepared.n_cells_dense, np.nan)
    percent[prepared.cells] = values
    source = np.full(prepared.n_cells_dense, METHODS.index(reviewer_method), dtype=np.int8)
    if method == CONSENSUS and len(prepared.consensus_cells):
        percent[prepared.consensus_cells] = prepared.consensus_percent
        source[prepared.consensus_cells] = METHODS.index(CONSENSUS)
        used = used & ~np.isin(prepared.row_cell, prepared.consensus_cells)
    return CellValues(percent=percent, source=source, used=used, normalized=normalized)
