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

from .types import ADVANCED, UNBROKEN_TIE, LevelOutcome, LevelRule, QuotaConflict, TieGroup

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round2(value: float) -> Decimal:
    """Round half up to 2 decimals, after rounding float noise away at 9 decimals.

    Without the first step a total that is exactly x.xx5 on paper but stored as x.xx4999…
    would round down for one application and up for another with the same scores.
    """
    rounded = Decimal(repr(round(value, 9))).quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded if rounded else ZERO


TieValues = tuple[Decimal | None, ...]


@dataclass(frozen=True, slots=True)
class Placement:
    """Applications (as indexes into the caller's lists) in rank order, with their ranks."""

    order: tuple[int, ...]
    ranks: tuple[int, ...]
    separated_by: tuple[str | None, ...]
    ties: tuple[TieGroup, ...]


def _sort_key(advanced: bool, values: TieValues, name: str) -> tuple:
    # A missing value (an application without the stage named in the chain) sorts last.
    return (
        not advanced,
        tuple((0, -value) if value is not None else (1, ZERO) for value in values),
        name,
    )


def rank_applications(
    names: Sequence[str],
    advanced: Sequence[bool],
    values: Sequence[TieValues],
    criteria: Sequence[str],
) -> Placement:
    """Competition ranking: applications with all weighted stages first, then by the chain.

    ``values[i][k]`` is application ``i``'s rounded value of criterion ``criteria[k]``.
    """
    order = sorted(range(len(names)), key=lambda i: _sort_key(advanced[i], values[i], names[i]))
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
                        values=values[members[0]],
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
    totals: Sequence[Decimal],
    names: Sequence[str],
    levels: Sequence[LevelRule],
) -> LevelAssignment:
    """Fill each level in order, by rank, among applications at or above its minimum.

    Places are never handed past a tied group that does not fit: the group gets none of the level
    and is reported, the level's remaining places stay open for the officials' decision, and the
    group (like everyone below it) is considered for the next level.
    """
    groups = _rank_groups(placement, advanced)
    assigned: dict[int, str] = {}
    outcomes: list[LevelOutcome] = []
    conflicts: list[QuotaConflict] = []
    for level in levels:
        minimum = round2(float(level.min_total))
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
