"""Reading a cycle's scores for the results core, fast enough for a cycle of any size.

A cycle of 1,000 applications has some 322,000 item scores. Read as one Python tuple per score
they cost more than all the arithmetic that follows, so they arrive instead as three long
comma-separated lists built by the database in one aggregate query (scorecard ids, item ids and
percentages) and parsed by NumPy in C; the scorecards' application, reviewer and stage come
the same way in a second, small query. The lists of one query line up element by element:
SQLite and PostgreSQL feed every aggregate of a query the same rows in one pass
(``test_results_inputs`` checks the columns against a row-by-row read on both). Consensus
percentages are few and read as rows.
"""

from __future__ import annotations

import numpy as np
from django.db.models import Aggregate, TextField

from awards.models import Cycle
from scoring.aggregation import Problem, ScoreDataError
from scoring.aggregation.scores import ScoreColumns
from scoring.aggregation.types import ConsensusKey
from scoring.enums import AssignmentStatus, ConsensusStatus, ScorecardStatus
from scoring.results.services.settings import CycleSetup, cycle_setup
from scoring.review.models import ConsensusItem, ItemScore, Scorecard


class ScoreLoadError(RuntimeError):
    """The database returned lists of different lengths (never expected; computing stops)."""


class _NumberList(Aggregate):
    """An integer column's values as one comma-separated text, built by the database.

    The separator is written into the SQL: SQLite takes twice as long with a bound one (what
    Django's ``StringAgg`` sends), and its ``GROUP_CONCAT`` needs no cast to text.
    """

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS text), ',')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s)",
            **extra_context,
        )


def _counted_scorecards(cycle: Cycle, track: str):
    return Scorecard.objects.filter(
        status=ScorecardStatus.SUBMITTED,
        assignment__status=AssignmentStatus.ACTIVE,
        assignment__panel__stage__cycle=cycle,
        assignment__panel__application__track=track,
    )


def _integers(text: str | None) -> np.ndarray:
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def _positions(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Position of each value in the sorted ``keys``, -1 where it is not one of them."""
    if len(keys) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    found = np.searchsorted(keys, values).clip(0, len(keys) - 1)
    return np.where(keys[found] == values, found, -1)


def load_score_columns(*, cycle: Cycle, setup: CycleSetup | None = None) -> ScoreColumns:
    """Every percentage of every submitted scorecard of the cycle's active assignments.

    Two queries (plus the configuration's when no ``setup`` is given). Applications and
    reviewers are their ids; an item outside the cycle's framework is reported as unknown.
    """
    setup = setup or cycle_setup(cycle=cycle)
    scorecards = _counted_scorecards(cycle, setup.track)
    card_lists = scorecards.aggregate(
        ids=_NumberList("pk"),
        applications=_NumberList("assignment__panel__application_id"),
        reviewers=_NumberList("assignment__reviewer_id"),
        stages=_NumberList("assignment__panel__stage_id"),
    )
    card_columns = [_integers(card_lists[key]) for key in card_lists]
    if len({len(column) for column in card_columns}) > 1:
        raise ScoreLoadError("scorecard lists from the database differ in length")
    order = np.argsort(card_columns[0])
    cards = np.stack([column[order] for column in card_columns], axis=1).reshape(-1, 4)
    lists = ItemScore.objects.filter(
        scorecard__in=scorecards.values("pk"), percent__isnull=False
    ).aggregate(
        cards=_NumberList("scorecard_id"),
        items=_NumberList("item_id"),
        percents=_NumberList("percent"),
    )
    card_ids, item_ids, percents = (_integers(lists[key]) for key in ("cards", "items", "percents"))
    if not len(card_ids) == len(item_ids) == len(percents):
        raise ScoreLoadError("score lists from the database differ in length")

    card = _positions(card_ids, cards[:, 0])  # every score's card was counted by both queries
    framework_items = np.array(sorted(setup.item_codes), dtype=np.int64)
    item = _positions(item_ids, framework_items)
    if (item < 0).any():
        unknown = sorted(set(item_ids[item < 0].tolist()))
        raise ScoreDataError(
            [Problem("unknown_item", {"value": f"#{pk}", "choices": ""}) for pk in unknown[:20]]
        )
    code_position = {item.code: position for position, item in enumerate(setup.items)}
    item_position = np.array(
        [code_position[setup.item_codes[pk]] for pk in framework_items.tolist()], dtype=np.int64
    )
    stage_ids = np.array(sorted(setup.stage_kinds), dtype=np.int64)
    stage_position = np.array(
        [setup.config.stage_order.index(setup.stage_kinds[pk]) for pk in stage_ids.tolist()],
        dtype=np.int64,
    )
    return ScoreColumns(
        application=cards[card, 1],
        reviewer=cards[card, 2],
        stage=stage_position[_positions(cards[card, 3], stage_ids)],
        item=item_position[item],
        percent=percents.astype(np.float64),
    )


def load_consensus(*, cycle: Cycle, setup: CycleSetup | None = None) -> dict[ConsensusKey, float]:
    """The percentages of final consensus records: (application, stage, item) → percent."""
    setup = setup or cycle_setup(cycle=cycle)
    codes = setup.item_codes
    kinds = setup.stage_kinds
    rows = ConsensusItem.objects.filter(
        consensus__status=ConsensusStatus.FINAL,
        consensus__panel__stage__cycle=cycle,
        consensus__panel__application__track=setup.track,
        percent__isnull=False,
    ).values_list(
        "consensus__panel__application_id", "consensus__panel__stage_id", "item_id", "percent"
    )
    return {
        (str(app), kinds[stage], codes[item]): float(percent) for app, stage, item, percent in rows
    }
