"""Turning score rows into sorted numeric arrays, once per computation.

Names become integer indexes taken from *sorted* names, and rows are sorted by
(cell, percent, reviewer), where a cell is one application's item in one stage. Every later sum
then runs in the same order whatever order the rows arrived in, so results are bit-for-bit
independent of input order, and each method works on contiguous slices of one array.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from .messages import Problem, ScoreDataError
from .types import ConsensusKey, ItemDef, ScoreRow

MAX_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class PreparedScores:
    """Score rows as arrays; ``cell = (stage * n_applications + application) * n_items + item``.

    ``row_*`` arrays are in sorted order; ``starts``/``counts`` delimit the rows of each cell in
    ``cells`` (cells with at least one reviewer score). ``consensus_cells``/``consensus_percent``
    hold the panel's agreed percentages, which may exist for cells without reviewer scores.
    """

    applications: tuple[str, ...]
    reviewers: tuple[str, ...]
    stages: tuple[str, ...]
    items: tuple[ItemDef, ...]
    row_cell: np.ndarray
    row_stage: np.ndarray
    row_reviewer: np.ndarray
    row_percent: np.ndarray
    cells: np.ndarray
    starts: np.ndarray
    counts: np.ndarray
    consensus_cells: np.ndarray
    consensus_percent: np.ndarray

    @property
    def n_cells_dense(self) -> int:
        return len(self.stages) * len(self.applications) * len(self.items)


def _index(names: Iterable[str]) -> dict[str, int]:
    return {name: position for position, name in enumerate(sorted(set(names)))}


def _codes(values: list[str], index: Mapping[str, int]) -> np.ndarray:
    """Index of each value, -1 where unknown (``map`` keeps the 322,000-row loop in C)."""
    return np.fromiter(
        map(index.get, values, repeat(-1, len(values))), dtype=np.int64, count=len(values)
    )


def _unknown(values: list[str], codes: np.ndarray, problem: str, choices: str) -> list[Problem]:
    bad = sorted({values[position] for position in np.flatnonzero(codes < 0)})
    return [Problem(problem, {"value": value, "choices": choices}) for value in bad[:MAX_PROBLEMS]]


def _as_float(value: object) -> float:
    if isinstance(value, bool):
        return math.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _percent_array(values: list[object]) -> np.ndarray:
    """Percentages as floats; anything that is not a number becomes NaN and is reported."""
    try:
        return np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        return np.array([_as_float(value) for value in values], dtype=np.float64)


def _percent_problems(percent: np.ndarray) -> list[Problem]:
    problems: list[Problem] = []
    for value in percent[~np.isfinite(percent)][:MAX_PROBLEMS].tolist():
        problems.append(Problem("percent_not_number", {"value": value}))
    finite = percent[np.isfinite(percent)]
    outside = finite[(finite < 0) | (finite > 100)]
    for value in sorted(set(outside.tolist()))[:MAX_PROBLEMS]:
        problems.append(Problem("percent_out_of_range", {"value": f"{value:g}"}))
    return problems


def _duplicates(keys: np.ndarray) -> np.ndarray:
    """Positions (into ``keys``) of the second occurrence of each repeated key."""
    order = np.argsort(keys, kind="stable")
    repeated = np.flatnonzero(keys[order][1:] == keys[order][:-1]) + 1
    return order[repeated]


def prepare_scores(
    rows: Sequence[ScoreRow] | Iterable[ScoreRow],
    *,
    stages: Sequence[str],
    items: Sequence[ItemDef],
    consensus: Mapping[ConsensusKey, float] | None = None,
) -> PreparedScores:
    """Validate and index ``rows`` (and consensus percentages) for the methods.

    Raises ``ScoreDataError`` for unknown stages or items, percentages that are not numbers in
    0..100 and repeated (application, reviewer, stage, item) scores. The 5 % grid is the
    input layer's concern: consensus percentages and imported data may legitimately be finer.
    """
    rows = rows if isinstance(rows, list | tuple) else list(rows)
    consensus = consensus or {}
    app_names = [row.application for row in rows]
    reviewer_names = [row.reviewer for row in rows]
    stage_names = [row.stage for row in rows]
    item_codes = [row.item for row in rows]
    percent = _percent_array([row.percent for row in rows])

    applications = _index([*app_names, *(key[0] for key in consensus)])
    reviewers = _index(reviewer_names)
    stage_index = {stage: position for position, stage in enumerate(stages)}
    item_index = {item.code: position for position, item in enumerate(items)}

    stage_code = _codes(stage_names, stage_index)
    item_code = _codes(item_codes, item_index)
    problems = _unknown(stage_names, stage_code, "unknown_score_stage", ", ".join(stages))
    problems += _unknown(item_codes, item_code, "unknown_item", "")
    problems += _percent_problems(percent)
    consensus_keys = list(consensus)
    consensus_percent = _percent_array(list(consensus.values()))
    consensus_stage = _codes([key[1] for key in consensus_keys], stage_index)
    consensus_item = _codes([key[2] for key in consensus_keys], item_index)
    problems += _unknown(
        [key[1] for key in consensus_keys],
        consensus_stage,
        "unknown_score_stage",
        ", ".join(stages),
    )
    problems += _unknown([key[2] for key in consensus_keys], consensus_item, "unknown_item", "")
    problems += _percent_problems(consensus_percent)
    if problems:
        raise ScoreDataError(problems)

    n_apps, n_items, n_reviewers = len(applications), len(items), max(len(reviewers), 1)
    app_code = _codes(app_names, applications)
    reviewer_code = _codes(reviewer_names, reviewers)
    cell = (stage_code * n_apps + app_code) * n_items + item_code
    repeated = _duplicates(cell * n_reviewers + reviewer_code)
    if len(repeated):
        raise ScoreDataError(
            [
                Problem(
                    "duplicate_score",
                    {
                        "application": rows[position].application,
                        "reviewer": rows[position].reviewer,
                        "stage": rows[position].stage,
                        "item": rows[position].item,
                    },
                )
                for position in repeated[:MAX_PROBLEMS].tolist()
            ]
        )

    order = np.lexsort((reviewer_code, percent, cell))
    row_cell = cell[order]
    cells, starts, counts = np.unique(row_cell, return_index=True, return_counts=True)
    consensus_app = _codes([key[0] for key in consensus_keys], applications)
    return PreparedScores(
        applications=tuple(applications),
        reviewers=tuple(reviewers),
        stages=tuple(stages),
        items=tuple(items),
        row_cell=row_cell,
        row_stage=stage_code[order],
        row_reviewer=reviewer_code[order],
        row_percent=percent[order],
        cells=cells,
        starts=starts,
        counts=counts,
        consensus_cells=(consensus_stage * n_apps + consensus_app) * n_items + consensus_item,
        consensus_percent=consensus_percent,
    )
