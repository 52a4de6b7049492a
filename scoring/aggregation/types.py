"""Plain data going into and coming out of the results core.

The core never sees a model instance: services load scores into these frozen records, call the
core and store what comes back as a snapshot. The per-score and per-item records are
``NamedTuple``s rather than dataclasses because a full cycle creates hundreds of thousands of them
and tuples are several times cheaper to build; they are just as immutable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

MEAN = "mean"
TRIMMED_MEAN = "trimmed_mean"
MEDIAN = "median"
NORMALIZED = "normalized"
CONSENSUS = "consensus"
METHODS = (MEAN, TRIMMED_MEAN, MEDIAN, NORMALIZED, CONSENSUS)
#: Methods computed from reviewers' scores alone, compared by the robustness check.
REVIEWER_METHODS = (MEAN, TRIMMED_MEAN, MEDIAN, NORMALIZED)

WEIGHTED = "weighted"
REPLACEMENT = "replacement"
MODES = (WEIGHTED, REPLACEMENT)

DEFAULT_STAGE_ORDER = ("document", "onsite")
DEFAULT_STAGE_WEIGHTS: Mapping[str, float] = {"document": 0.3, "onsite": 0.7}
#: Total, then results (4.7), then leadership (4.1), then the on-site stage total.
DEFAULT_TIE_BREAK = ("total", "category:4.7", "category:4.1", "stage:onsite")

#: ``separated_by`` values that are not tie-break criteria.
ADVANCED = "advanced"
#: Between two applications not advanced: the one above reached a later stage.
REACHED_STAGE = "reached stage"
UNBROKEN_TIE = "unbroken tie"

#: A consensus percentage is recorded per (application, stage, item).
ConsensusKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """One reviewer's percentage for one item of one application in one stage."""

    application: str
    reviewer: str
    stage: str
    item: str
    percent: float


@dataclass(frozen=True, slots=True)
class ItemDef:
    """An item as the core needs it; frameworks are editable data, so any list is accepted."""

    code: str
    category: str
    max_points: float


@dataclass(frozen=True, slots=True)
class LevelRule:
    """An award level: places go by rank to applications at or above ``min_total``."""

    name: str
    min_total: float
    quota: int


@dataclass(frozen=True, slots=True)
class ResultsConfig:
    """How a cycle turns scores into a ranking; validated by ``config.check_config``.

    ``stage_weights`` may omit stages: a missing or zero weight means the stage is ignored. In
    ``replacement`` mode the weights only switch stages on (> 0) or off; the latest stage of
    ``stage_order`` that an application has replaces the earlier ones.
    """

    method: str = MEAN
    stage_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_STAGE_WEIGHTS))
    mode: str = WEIGHTED
    stage_order: tuple[str, ...] = DEFAULT_STAGE_ORDER
    levels: tuple[LevelRule, ...] = ()
    tie_break: tuple[str, ...] = DEFAULT_TIE_BREAK
    fallback_method: str = MEAN


class ReviewerScore(NamedTuple):
    """A reviewer's score for one item and what the method did with it.

    ``used`` is False for a score dropped by the trimmed mean, for scores outside the middle of a
    median and for all scores of an item decided by a consensus percentage. ``normalized`` is the
    rescaled percentage under the normalized method, else None.
    """

    reviewer: str
    percent: float
    used: bool
    normalized: float | None


class ItemResult(NamedTuple):
    """The combined percentage and points of one item; ``source`` names the method applied."""

    item: str
    percent: float
    points: float
    source: str
    scores: tuple[ReviewerScore, ...]


@dataclass(frozen=True, slots=True)
class StageResult:
    """One stage of one application; ``weight`` is the share this stage had in the total."""

    stage: str
    weight: float
    total: float
    categories: Mapping[str, float]
    items: Mapping[str, ItemResult]
    missing_items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ApplicationResult:
    """Everything needed to explain one application's place in the ranking.

    ``tie_break_values`` are the rounded values compared, criterion by criterion; ``separated_by``
    names the first criterion that put this application below its neighbour above (``advanced``
    when the neighbour has all weighted stages and this one has not, ``reached stage`` when
    neither has and the neighbour reached a later stage, ``unbroken tie`` when they share a rank,
    None for the first row).

    ``reached_stage`` is the stage the application reached (its last weighted stage with scores;
    None if it has none). When it is not ``advanced``, ``total`` and ``categories`` are that
    stage's own points, never a weighted total counting the missing stages as zero.
    """

    application: str
    rank: int
    level: str | None
    advanced: bool
    total: float
    total_rounded: Decimal
    categories: Mapping[str, float]
    stages: Mapping[str, StageResult]
    missing_stages: tuple[str, ...]
    tie_break_values: tuple[Decimal | None, ...]
    separated_by: str | None
    reached_stage: str | None = None


@dataclass(frozen=True, slots=True)
class TieGroup:
    """Applications the whole tie-break chain could not separate; they share ``rank``."""

    rank: int
    applications: tuple[str, ...]
    values: tuple[Decimal | None, ...]


@dataclass(frozen=True, slots=True)
class QuotaConflict:
    """A tied group larger than the places left in a level: none of them got it."""

    level: str
    rank: int
    applications: tuple[str, ...]
    places_left: int


@dataclass(frozen=True, slots=True)
class LevelOutcome:
    """How a level was filled; ``places_left`` are vacant or held open by a quota conflict."""

    level: str
    min_total: float
    quota: int
    awarded: tuple[str, ...]
    places_left: int


@dataclass(frozen=True, slots=True)
class RankingResult:
    """The full result of one computation, rows in rank order (then by application)."""

    method: str
    tie_break: tuple[str, ...]
    rows: tuple[ApplicationResult, ...]
    ties_reported: tuple[TieGroup, ...]
    quota_conflicts: tuple[QuotaConflict, ...]
    levels: tuple[LevelOutcome, ...]

    def by_application(self) -> dict[str, ApplicationResult]:
        return {row.application: row for row in self.rows}
