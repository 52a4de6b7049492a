"""Ranking by a declared tie-break chain, and filling award levels by rank.

Values are compared rounded to 2 decimals, the precision officials see, so two applications shown
with the same total are never ordered by an invisible third decimal. A tie the whole chain cannot
break shares its rank (competition ranking: 1, 2, 2, 4) and is reported, never decided here; the
same holds for a tied group that does not fit into the places left in a level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from .types import (
    ADVANCED,
    REACHED_STAGE,
    UNBROKEN_TIE,
    LevelOutcome,
    LevelRule,
    QuotaConflict,
    TieGroup,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round2(value: float) -> Decimal:
    """Round half up to 2 decimals, after rounding float noise away at 9 decimals.

    Without the first step a total that is exactly x.xx5 on paper but stored as x.xx4999…
    would round down for one application and up for another with the same scores.
    """
    rounded = Decimal(repr(round(value, 9))).quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded if rounded else ZERO


def cents(values: np.ndarray) -> np.ndarray:
    """``round2`` of every value as whole cents (int64): the same numbers, computed in bulk.

    ``round2`` first rounds to 9 decimals, then half up to 2. In billionths, ``value × 10⁹``
    is off the exact product by far less than a thousandth for any value below 10⁵, so rounding
    it to an integer gives ``round(value, 9)`` exactly unless it lies within a thousandth of a
    half; those rare values (and any larger ones) go through ``round2`` itself.
    """
    values = np.asarray(values, dtype=np.float64)
    scaled = np.abs(values) * 1e9
    billionths = np.floor(scaled + 0.5)
    result = np.sign(values) * np.floor((billionths + 5e6) / 1e7)
    unsure = (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-3) | (np.abs(values) >= 1e5)
    for index in np.flatnonzero(unsure).tolist():
        result[index] = float(round2(float(values[index])) * 100)
    return result.astype(np.int64)


def from_cents(value: int | None) -> Decimal | None:
    """Whole cents back to the 2-decimal ``Decimal`` that ``round2`` gives."""
    return None if value is None else Decimal(value).scaleb(-2)


#: Rounded values of the tie-break chain, in whole cents (None: the stage was not scored).
TieValues = tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class Placement:
    """Applications (as indexes into the caller's lists) in rank order, with their ranks."""

    order: tuple[int, ...]
    ranks: tuple[int, ...]
    separated_by: tuple[str | None, ...]
    ties: tuple[TieGroup, ...]


def _rank_order(
    names: Sequence[str],
    advanced: Sequence[bool],
    depth: Sequence[int],
    values: Sequence[TieValues],
    n_criteria: int,
) -> list[int]:
    """Indexes sorted by: all weighted stages first, then (among the others) the later stage
    reached first, then each criterion descending (a missing value, for an application without
    the stage named in the chain, after every present one), then by name. One ``lexsort`` (its
    last key sorts first) instead of a Python sort."""
    n = len(names)
    by_name = np.empty(n, dtype=np.int64)
    by_name[np.argsort(np.array(names, dtype=object), kind="stable")] = np.arange(n)
    keys = [by_name]
    for k in reversed(range(n_criteria)):
        column = [row[k] for row in values]
        keys.append(np.array([0 if v is None else -v for v in column], dtype=np.int64))
        keys.append(np.array([v is None for v in column], dtype=bool))
    keys.append(-np.array(depth, dtype=np.int64))
    keys.append(~np.array(advanced, dtype=bool))
    return np.lexsort(keys).tolist()


def rank_applications(
    names: Sequence[str],
    advanced: Sequence[bool],
    values: Sequence[TieValues],
    criteria: Sequence[str],
    reached: Sequence[int] | None = None,
) -> Placement:
    """Competition ranking: applications with all weighted stages first, then by the chain.

    ``values[i][k]`` is application ``i``'s rounded value of criterion ``criteria[k]``.
    ``reached[i]`` is the index of the stage application ``i`` reached: among applications not
    advanced, one that reached a later stage comes first (their totals are of different stages
    and are not compared across stages).
    """
    depth = [
        0 if is_advanced or reached is None else stage
        for is_advanced, stage in zip(advanced, reached or [0] * len(advanced), strict=True)
    ]
    order = _rank_order(names, advanced, depth, values, len(criteria))
    ranks: list[int] = []
    separated_by: list[str | None] = []
    for position, index in enumerate(order):
        if position == 0:
            ranks.append(1)
            separated_by.append(None)
            continue
        above = order[position - 1]
        if advanced[index] != advanced[above]:
            step: str | None = ADVANCED
        elif depth[index] != depth[above]:
            step = REACHED_STAGE
        else:
            step = next(
                (
                    criterion
                    for criterion, mine, theirs in zip(
                        criteria, values[index], values[above], strict=True
                    )
                    if mine != theirs
                ),
                None,
            )
        separated_by.append(step or UNBROKEN_TIE)
        ranks.append(position + 1 if step else ranks[-1])
    return Placement(
        order=tuple(order),
        ranks=tuple(ranks),
        separated_by=tuple(separated_by),
        ties=_tie_groups(order, ranks, names, values),
    )


def _tie_groups(
    order: Sequence[int], ranks: Sequence[int], names: Sequence[str], values: Sequence[TieValues]
) -> tuple[TieGroup, ...]:
    groups: list[TieGroup] = []
    start = 0
    for position in range(1, len(order) + 1):
        if position == len(order) or ranks[position] != ranks[start]:
            if position - start > 1:
                members = order[start:position]
                groups.append(
                    TieGroup(
                        rank=ranks[start],
                        applications=tuple(names[i] for i in members),
                        values=tuple(map(from_cents, values[members[0]])),
                    )
                )
            start = position
    return tuple(groups)


@dataclass(frozen=True, slots=True)
class LevelAssignment:
    levels: dict[int, str]
    outcomes: tuple[LevelOutcome, ...]
    conflicts: tuple[QuotaConflict, ...]


def _rank_groups(placement: Placement, advanced: Sequence[bool]) -> list[tuple[int, list[int]]]:
    groups: list[tuple[int, list[int]]] = []
    for index, rank in zip(placement.order, placement.ranks, strict=True):
        if not advanced[index]:
            break
        if groups and groups[-1][0] == rank:
            groups[-1][1].append(index)
        else:
            groups.append((rank, [index]))
    return groups


def assign_levels(
    placement: Placement,
    advanced: Sequence[bool],
    totals: Sequence[int],
    names: Sequence[str],
    levels: Sequence[LevelRule],
) -> LevelAssignment:
    """Fill each level in order, by rank, among applications at or above its minimum.

    ``totals`` are rounded totals in whole cents, as the officials see them.

    Places are never handed past a tied group that does not fit: the group gets none of the level
    and is reported, the level's remaining places stay open for the officials' decision, and the
    group (like everyone below it) is considered for the next level.
    """
    groups = _rank_groups(placement, advanced)
    assigned: dict[int, str] = {}
    outcomes: list[LevelOutcome] = []
    conflicts: list[QuotaConflict] = []
    for level in levels:
        minimum = int(round2(float(level.min_total)) * 100)
        left = level.quota
        awarded: list[int] = []
        for rank, members in groups:
            if left == 0 or totals[members[0]] < minimum:
                break
            if members[0] in assigned:
                continue
            if len(members) > left:
                conflicts.append(
                    QuotaConflict(
                        level=level.name,
                        rank=rank,
                        applications=tuple(names[i] for i in members),
                        places_left=left,
                    )
                )
                break
            for index in members:
                assigned[index] = level.name
            awarded += members
            left -= len(members)
        outcomes.append(
            LevelOutcome(
                level=level.name,
                min_total=level.min_total,
                quota=level.quota,
                awarded=tuple(names[i] for i in awarded),
                places_left=left,
            )
        )
    return LevelAssignment(levels=assigned, outcomes=tuple(outcomes), conflicts=tuple(conflicts))
