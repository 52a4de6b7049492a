"""Pure aggregation and ranking core: plain data in, explainable results out, no ORM.

The offline command and small callers hand ``ScoreRow``s and a ``ResultsConfig``
(``config_from_dict`` reads the JSON form) to ``compute_results``; ``compare_methods`` shows which
award levels depend on the choice of method. A whole cycle read from the database arrives as
``ScoreColumns`` (``scores.prepare_columns``), is ranked by ``engine.rank_with_trace`` and checked
by ``robustness.compare_prepared`` on the same index, and its ``ScoreTrace`` is stored
(``trace_store``) to explain any application later.
"""

from .config import check_config, config_as_dict, config_from_dict, default_items, validate_config
from .engine import compute_from_rows, compute_results, rank_prepared
from .messages import ConfigError, Problem, ResultsError, ScoreDataError
from .ranking import round2
from .robustness import MethodOutcome, RobustnessReport, RobustnessRow, compare_methods
from .scores import prepare_scores
from .types import (
    ADVANCED,
    DEFAULT_TIE_BREAK,
    METHODS,
    REACHED_STAGE,
    REVIEWER_METHODS,
    UNBROKEN_TIE,
    ApplicationResult,
    ItemDef,
    ItemResult,
    LevelOutcome,
    LevelRule,
    QuotaConflict,
    RankingResult,
    ResultsConfig,
    ReviewerScore,
    ScoreRow,
    StageResult,
    TieGroup,
)

__all__ = [
    "ADVANCED",
    "DEFAULT_TIE_BREAK",
    "METHODS",
    "REACHED_STAGE",
    "REVIEWER_METHODS",
    "UNBROKEN_TIE",
    "ApplicationResult",
    "ConfigError",
    "ItemDef",
    "ItemResult",
    "LevelOutcome",
    "LevelRule",
    "MethodOutcome",
    "Problem",
    "QuotaConflict",
    "RankingResult",
    "ResultsConfig",
    "ResultsError",
    "ReviewerScore",
    "RobustnessReport",
    "RobustnessRow",
    "ScoreDataError",
    "ScoreRow",
    "StageResult",
    "TieGroup",
    "check_config",
    "compare_methods",
    "compute_from_rows",
    "compute_results",
    "config_as_dict",
    "config_from_dict",
    "default_items",
    "prepare_scores",
    "rank_prepared",
    "round2",
    "validate_config",
]
