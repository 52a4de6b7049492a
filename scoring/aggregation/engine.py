"""The one entry point services, the offline command and the benchmark call.

``compute_results`` validates the configuration, indexes the rows once, applies the method,
combines stages, ranks, fills the levels and (unless told not to) records the explanation.
``rank_prepared`` is split out so the robustness check can rerun methods on the same index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .combine import Totals, combine_stages
from .config import check_config, default_items
from .explain import ScoreTrace, stage_results, stage_totals, trace_of
from .methods import CellValues, combine_cells
from .ranking import (
    LevelAssignment,
    Placement,
    TieValues,
    assign_levels,
    cents,
    from_cents,
    rank_applications,
)
from .scores import PreparedScores, prepare_scores
from .types import (
    ApplicationResult,
    ConsensusKey,
    ItemDef,
    RankingResult,
    ResultsConfig,
    ScoreRow,
)


def _criterion_cents(criterion: str, totals: Totals, prepared: PreparedScores) -> list:
    if criterion == "total":
        return cents(totals.total).tolist()
    kind, _, name = criterion.partition(":")
    if kind == "category":
        return cents(totals.category_total[:, totals.categories.index(name)]).tolist()
    stage = prepared.stages.index(name)
    present = totals.stage_present[stage].tolist()
    return [
        value if has else None
        for value, has in zip(cents(totals.stage_total[stage]).tolist(), present, strict=True)
    ]


def tie_values(totals: Totals, prepared: PreparedScores, chain: Sequence[str]) -> list[TieValues]:
    """Per application, its chain values rounded to whole cents (None: stage not scored)."""
    columns = [_criterion_cents(criterion, totals, prepared) for criterion in chain]
    return list(zip(*columns, strict=True)) if columns else [()] * len(prepared.applications)


@dataclass(frozen=True, slots=True)
class Ranked:
    """One method's ranking, before it is written out as ``ApplicationResult`` rows."""

    cells: CellValues
    totals: Totals
    advanced: list[bool]
    values: list[TieValues]
    total_cents: list[int]
    placement: Placement
    assignment: LevelAssignment


def rank_only(prepared: PreparedScores, config: ResultsConfig) -> Ranked:
    """Apply ``config.method``, combine stages, rank and fill the levels; nothing more."""
    cells = combine_cells(prepared, config.method, config.fallback_method)
    totals = combine_stages(cells.percent, prepared, config)
    names = prepared.applications
    advanced = totals.advanced.tolist()
    values = tie_values(totals, prepared, config.tie_break)
    placement = rank_applications(
        names, advanced, values, config.tie_break, totals.reached.tolist()
    )
    total_cents = cents(totals.total).tolist()
    assignment = assign_levels(placement, advanced, total_cents, names, config.levels)
    return Ranked(cells, totals, advanced, values, total_cents, placement, assignment)


def rank_prepared(
    prepared: PreparedScores, config: ResultsConfig, *, explain: bool = True
) -> RankingResult:
    """Rank already indexed scores under ``config`` (which must have passed ``check_config``).

    With ``explain`` every row's stages carry their items and reviewers' scores; without, only
    the stage totals (the ``ScoreTrace`` from ``rank_with_trace`` can explain them later).
    """
    return rank_with_trace(prepared, config, explain=explain)[0]


def rank_with_trace(
    prepared: PreparedScores, config: ResultsConfig, *, explain: bool = False
) -> tuple[RankingResult, ScoreTrace]:
    """``rank_prepared``, also returning the trace that explains every number of the result."""
    ranked = rank_only(prepared, config)
    totals = ranked.totals
    trace = trace_of(prepared, ranked.cells, totals)
    names = prepared.applications
    stages = (
        [stage_results(trace, index) for index in range(len(names))]
        if explain
        else stage_totals(trace)
    )
    active = totals.active_stages.tolist()
    present = totals.stage_present.tolist()
    total = totals.total.tolist()
    category_total = totals.category_total.tolist()
    reached = totals.reached.tolist()
    placement = ranked.placement
    rows = []
    for index, rank, separated_by in zip(
        placement.order, placement.ranks, placement.separated_by, strict=True
    ):
        rows.append(
            ApplicationResult(
                application=names[index],
                rank=rank,
                level=ranked.assignment.levels.get(index),
                advanced=ranked.advanced[index],
                total=total[index],
                total_rounded=from_cents(ranked.total_cents[index]),
                categories=dict(zip(totals.categories, category_total[index], strict=True)),
                stages=stages[index],
                missing_stages=tuple(
                    stage
                    for s, stage in enumerate(prepared.stages)
                    if active[s] and not present[s][index]
                ),
                tie_break_values=tuple(map(from_cents, ranked.values[index])),
                separated_by=separated_by,
                reached_stage=prepared.stages[reached[index]] if reached[index] >= 0 else None,
            )
        )
    result = RankingResult(
        method=config.method,
        tie_break=tuple(config.tie_break),
        rows=tuple(rows),
        ties_reported=placement.ties,
        quota_conflicts=ranked.assignment.conflicts,
        levels=ranked.assignment.outcomes,
    )
    return result, trace


def compute_results(
    rows: Iterable[ScoreRow],
    config: ResultsConfig,
    *,
    items: Sequence[ItemDef] | None = None,
    consensus: Mapping[ConsensusKey, float] | None = None,
    explain: bool = True,
) -> RankingResult:
    """Rank every application found in ``rows`` (or in ``consensus``).

    ``items`` defaults to GB/T 19580-2012. Raises ``ConfigError`` or ``ScoreDataError`` listing
    every problem found.
    """
    items = tuple(items) if items is not None else default_items()
    check_config(config, items)
    prepared = prepare_scores(rows, stages=config.stage_order, items=items, consensus=consensus)
    return rank_prepared(prepared, config, explain=explain)


def compute_from_rows(rows: Iterable[ScoreRow], config: ResultsConfig) -> RankingResult:
    """Full results with GB/T 19580-2012 items; the benchmark's reference implementation."""
    return compute_results(rows, config)
