"""The one entry point services, the offline command and the benchmark call.

``compute_results`` validates the configuration, indexes the rows once, applies the method,
combines stages, ranks, fills the levels and (unless told not to) records the explanation.
``rank_prepared`` is split out so the robustness check can rerun methods on the same index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .combine import Totals, combine_stages
from .config import check_config, default_items
from .explain import item_results, stage_results
from .methods import combine_cells
from .ranking import TieValues, assign_levels, rank_applications, round2
from .scores import PreparedScores, prepare_scores
from .types import (
    ApplicationResult,
    ConsensusKey,
    ItemDef,
    RankingResult,
    ResultsConfig,
    ScoreRow,
)


def _criterion_values(
    criterion: str, totals: Totals, prepared: PreparedScores
) -> list[float | None]:
    if criterion == "total":
        return totals.total.tolist()
    kind, _, name = criterion.partition(":")
    if kind == "category":
        return totals.category_total[:, totals.categories.index(name)].tolist()
    stage = prepared.stages.index(name)
    present = totals.stage_present[stage].tolist()
    return [
        value if has else None
        for value, has in zip(totals.stage_total[stage].tolist(), present, strict=True)
    ]


def tie_values(totals: Totals, prepared: PreparedScores, chain: Sequence[str]) -> list[TieValues]:
    """Per application, its chain values rounded to 2 decimals (None: stage not scored)."""
    columns = [
        [
            None if value is None else round2(value)
            for value in _criterion_values(c, totals, prepared)
        ]
        for c in chain
    ]
    return [tuple(column[a] for column in columns) for a in range(len(prepared.applications))]


def rank_prepared(
    prepared: PreparedScores, config: ResultsConfig, *, explain: bool = True
) -> RankingResult:
    """Rank already indexed scores under ``config`` (which must have passed ``check_config``)."""
    cells = combine_cells(prepared, config.method, config.fallback_method)
    totals = combine_stages(cells.percent, prepared, config)
    names = prepared.applications
    advanced = totals.advanced.tolist()
    values = tie_values(totals, prepared, config.tie_break)
    placement = rank_applications(names, advanced, values, config.tie_break)
    rounded_totals = [round2(value) for value in totals.total.tolist()]
    assignment = assign_levels(placement, advanced, rounded_totals, names, config.levels)
    items = item_results(prepared, cells, totals) if explain else None
    active = totals.active_stages.tolist()
    rows = []
    for index, rank, separated_by in zip(
        placement.order, placement.ranks, placement.separated_by, strict=True
    ):
        rows.append(
            ApplicationResult(
                application=names[index],
                rank=rank,
                level=assignment.levels.get(index),
                advanced=advanced[index],
                total=float(totals.total[index]),
                total_rounded=rounded_totals[index],
                categories=dict(
                    zip(totals.categories, totals.category_total[index].tolist(), strict=True)
                ),
                stages=stage_results(prepared, totals, items, index),
                missing_stages=tuple(
                    stage
                    for s, stage in enumerate(prepared.stages)
                    if active[s] and not totals.stage_present[s, index]
                ),
                tie_break_values=values[index],
                separated_by=separated_by,
            )
        )
    return RankingResult(
        method=config.method,
        tie_break=tuple(config.tie_break),
        rows=tuple(rows),
        ties_reported=placement.ties,
        quota_conflicts=assignment.conflicts,
        levels=assignment.outcomes,
    )


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
