"""Would the award levels change under another aggregation method?

Officials choose a method before scoring starts; this check shows, per application, the rank and
level under each reviewer-based method, and flags the applications whose level depends on that
choice, so a committee can look at them closely before approving the list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from .config import check_config, default_items
from .engine import rank_only
from .scores import PreparedScores, prepare_scores
from .types import (
    REVIEWER_METHODS,
    ConsensusKey,
    ItemDef,
    RankingResult,
    ResultsConfig,
    ScoreRow,
)


@dataclass(frozen=True, slots=True)
class MethodOutcome:
    rank: int
    level: str | None


@dataclass(frozen=True, slots=True)
class RobustnessRow:
    """``level_changed_under`` lists the methods giving a level other than the configured one."""

    application: str
    outcomes: Mapping[str, MethodOutcome]
    level_changed_under: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.level_changed_under)


@dataclass(frozen=True, slots=True)
class RobustnessReport:
    """Rows in the configured method's rank order."""

    configured_method: str
    methods: tuple[str, ...]
    rows: tuple[RobustnessRow, ...]

    def flagged(self) -> tuple[str, ...]:
        return tuple(row.application for row in self.rows if row.flagged)


def compare_methods(
    rows: Iterable[ScoreRow],
    config: ResultsConfig,
    *,
    items: Sequence[ItemDef] | None = None,
    consensus: Mapping[ConsensusKey, float] | None = None,
) -> RobustnessReport:
    """Rank and level under mean, trimmed mean, median and normalized, against ``config.method``.

    Everything but the method (stages, levels, tie-break chain) is taken from ``config``.
    """
    items = tuple(items) if items is not None else default_items()
    check_config(config, items)
    prepared = prepare_scores(rows, stages=config.stage_order, items=items, consensus=consensus)
    return compare_prepared(prepared, config)


def compare_prepared(
    prepared: PreparedScores, config: ResultsConfig, *, configured: RankingResult | None = None
) -> RobustnessReport:
    """``compare_methods`` on already indexed scores; ``configured`` (the result under
    ``config`` itself, when the caller has it) is reused instead of being ranked again."""
    methods = tuple(dict.fromkeys((config.method, *REVIEWER_METHODS)))
    outcomes: dict[str, dict[str, MethodOutcome]] = {}
    order: list[str] = []
    names = prepared.applications
    for method in methods:
        if method == config.method and configured is not None:
            for row in configured.rows:
                outcomes.setdefault(row.application, {})[method] = MethodOutcome(
                    row.rank, row.level
                )
            order = [row.application for row in configured.rows]
            continue
        ranked = rank_only(prepared, replace(config, method=method))
        levels = ranked.assignment.levels
        placement = ranked.placement
        for index, rank in zip(placement.order, placement.ranks, strict=True):
            outcomes.setdefault(names[index], {})[method] = MethodOutcome(rank, levels.get(index))
        if method == config.method:
            order = [names[index] for index in placement.order]
    report_rows = []
    for application in order:
        by_method = outcomes[application]
        configured_level = by_method[config.method].level
        report_rows.append(
            RobustnessRow(
                application=application,
                outcomes=by_method,
                level_changed_under=tuple(
                    method
                    for method in REVIEWER_METHODS
                    if method != config.method and by_method[method].level != configured_level
                ),
            )
        )
    return RobustnessReport(
        configured_method=config.method, methods=methods, rows=tuple(report_rows)
    )
