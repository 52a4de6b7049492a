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


#: Up to this many possible keys, repeated keys are found by counting instead of sorting.
_COUNTING_LIMIT = 20_000_000


def _duplicates(keys: np.ndarray, n_keys: int) -> np.ndarray:
    """Positions (into ``keys``, each in ``0 .. n_keys - 1``) of the second occurrence of each
    repeated key, in key order."""
    if len(keys) > 0 and n_keys <= _COUNTING_LIMIT and np.bincount(keys).max() < 2:
        return np.zeros(0, dtype=np.int64)  # the usual case, found in a few milliseconds
    order = np.argsort(keys, kind="stable")
    repeated = np.flatnonzero(keys[order][1:] == keys[order][:-1]) + 1
    return order[repeated]


def _sorted_order(cell: np.ndarray, percent: np.ndarray, reviewer: np.ndarray, n_reviewers: int):
    """The permutation that sorts rows by (cell, percent, reviewer).

    Whole percentages (as every reviewer gives) fold the three keys into one integer, sorted
    in one pass (no stable sort needed: with repeated scores refused, no two rows share a key);
    anything finer falls back to a three-key ``lexsort``.
    """
    whole = np.floor(percent)
    if len(percent) and np.array_equal(whole, percent) and whole.min() >= 0:
        levels = int(whole.max()) + 1
        if (int(cell.max()) + 1) * levels * n_reviewers < 2**62:
            key = (cell * levels + whole.astype(np.int64)) * n_reviewers + reviewer
            return np.argsort(key)
    return np.lexsort((reviewer, percent, cell))


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
    stage_names = [row.stage for row in rows]
    item_codes = [row.item for row in rows]
    stage_index = {stage: position for position, stage in enumerate(stages)}
    item_index = {item.code: position for position, item in enumerate(items)}
    stage_code = _codes(stage_names, stage_index)
    item_code = _codes(item_codes, item_index)
    problems = _unknown(stage_names, stage_code, "unknown_score_stage", ", ".join(stages))
    problems += _unknown(item_codes, item_code, "unknown_item", "")
    return _prepare(
        ScoreColumns(
            application=[row.application for row in rows],
            reviewer=[row.reviewer for row in rows],
            stage=stage_code,
            item=item_code,
            percent=_percent_array([row.percent for row in rows]),
        ),
        stages=stages,
        items=items,
        consensus=consensus or {},
        problems=problems,
    )


@dataclass(frozen=True, slots=True)
class ScoreColumns:
    """Score rows as columns, the fast way in for a whole cycle read from a database.

    ``application`` and ``reviewer`` are names (strings) or integer ids in a NumPy array; ids
    are named by their decimal form. ``stage`` and ``item`` are positions in the stage order and
    the item list (already checked by the caller); ``percent`` is a float array.
    """

    application: Sequence[str] | np.ndarray
    reviewer: Sequence[str] | np.ndarray
    stage: np.ndarray
    item: np.ndarray
    percent: np.ndarray

    def __len__(self) -> int:
        return len(self.percent)


def _names_and_codes(values: Sequence[str] | np.ndarray) -> tuple[tuple[str, ...], np.ndarray]:
    """Sorted distinct names and each value's position among them."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        return _id_names_and_codes(values.astype(np.int64, copy=False))
    index = _index(values)
    return tuple(index), _codes(list(values), index)


def _id_names_and_codes(ids: np.ndarray) -> tuple[tuple[str, ...], np.ndarray]:
    """For integer ids: a lookup table over their range when it is not much wider than the
    number of rows (database ids of one cycle are), else ``np.unique``."""
    if len(ids) == 0:
        return (), ids
    low, high = int(ids.min()), int(ids.max())
    if high - low <= 4 * len(ids) + 1_000_000:
        present = np.zeros(high - low + 1, dtype=bool)
        present[ids - low] = True
        distinct = np.flatnonzero(present) + low
        codes = (np.cumsum(present) - 1)[ids - low]
        return tuple(map(str, distinct.tolist())), codes
    distinct, codes = np.unique(ids, return_inverse=True)
    return tuple(map(str, distinct.tolist())), codes.astype(np.int64, copy=False)


def prepare_columns(
    columns: ScoreColumns,
    *,
    stages: Sequence[str],
    items: Sequence[ItemDef],
    consensus: Mapping[ConsensusKey, float] | None = None,
) -> PreparedScores:
    """``prepare_scores`` for columns whose stages and items are already positions."""
    return _prepare(columns, stages=stages, items=items, consensus=consensus or {}, problems=[])


def _prepare(
    columns: ScoreColumns,
    *,
    stages: Sequence[str],
    items: Sequence[ItemDef],
    consensus: Mapping[ConsensusKey, float],
    problems: list[Problem],
) -> PreparedScores:
    percent = np.asarray(columns.percent, dtype=np.float64)
    stage_code = np.asarray(columns.stage, dtype=np.int64)
    item_code = np.asarray(columns.item, dtype=np.int64)
    stage_index = {stage: position for position, stage in enumerate(stages)}
    item_index = {item.code: position for position, item in enumerate(items)}
    problems = [*problems, *_percent_problems(percent)]
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

    scored_apps, scored_app_code = _names_and_codes(columns.application)
    reviewers, reviewer_code = _names_and_codes(columns.reviewer)
    extra_apps = {key[0] for key in consensus_keys}.difference(scored_apps)
    if extra_apps:  # consensus for an application without reviewer scores: re-index by name
        application_names = sorted({*scored_apps, *extra_apps})
        position = {name: index for index, name in enumerate(application_names)}
        remap = np.array([position[name] for name in scored_apps], dtype=np.int64)
        scored_app_code = remap[scored_app_code] if len(scored_app_code) else scored_app_code
        applications = tuple(application_names)
    else:
        applications = scored_apps
        position = None

    n_apps, n_items, n_reviewers = len(applications), len(items), max(len(reviewers), 1)
    cell = (stage_code * n_apps + scored_app_code) * n_items + item_code
    repeated = _duplicates(
        cell * n_reviewers + reviewer_code, len(stages) * n_apps * n_items * n_reviewers
    )
    if len(repeated):
        raise ScoreDataError(
            [
                Problem(
                    "duplicate_score",
                    {
                        "application": applications[scored_app_code[position_]],
                        "reviewer": reviewers[reviewer_code[position_]],
                        "stage": stages[stage_code[position_]],
                        "item": items[item_code[position_]].code,
                    },
                )
                for position_ in repeated[:MAX_PROBLEMS].tolist()
            ]
        )

    order = _sorted_order(cell, percent, reviewer_code, n_reviewers)
    row_cell = cell[order]
    starts = np.flatnonzero(np.diff(row_cell, prepend=-1))
    cells = row_cell[starts]
    counts = np.diff(starts, append=len(row_cell))
    if position is None:
        position = {name: index for index, name in enumerate(applications)}
    consensus_app = _codes([key[0] for key in consensus_keys], position)
    return PreparedScores(
        applications=applications,
        reviewers=reviewers,
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
