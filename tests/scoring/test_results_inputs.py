"""Reading a cycle's scores as columns (scoring.services.results_inputs), on either database."""

import random

import pytest

from awards.services.frameworks import copy_as_new_version
from scoring.aggregation import ScoreDataError
from scoring.enums import AssignmentStatus, ScorecardStatus
from scoring.results.services.inputs import load_score_columns
from scoring.results.services.settings import cycle_setup
from scoring.review.models import ItemScore, Scorecard
from tests.factories import national_framework
from tests.scoring.results_world import add_application, build_world

pytestmark = pytest.mark.django_db


def rows_read_one_by_one(cycle):
    """The reference: the same scores through the ORM, one tuple per score."""
    setup = cycle_setup(cycle=cycle)
    rows = ItemScore.objects.filter(
        scorecard__status=ScorecardStatus.SUBMITTED,
        scorecard__assignment__status=AssignmentStatus.ACTIVE,
        scorecard__assignment__panel__stage__cycle=cycle,
        percent__isnull=False,
    ).values_list(
        "scorecard__assignment__panel__application_id",
        "scorecard__assignment__reviewer_id",
        "scorecard__assignment__panel__stage__kind",
        "item_id",
        "percent",
    )
    return sorted(
        (app, reviewer, kind, setup.item_codes[item], float(percent))
        for app, reviewer, kind, item, percent in rows
    )


def rows_of(columns, setup):
    stages, items = setup.config.stage_order, setup.items
    return sorted(
        zip(
            columns.application.tolist(),
            columns.reviewer.tolist(),
            [stages[s] for s in columns.stage.tolist()],
            [items[i].code for i in columns.item.tolist()],
            columns.percent.tolist(),
            strict=True,
        )
    )


def test_the_columns_hold_exactly_the_counted_scores_in_line():
    world = build_world(names=())
    rng = random.Random(19580)
    for number in range(6):
        add_application(
            world,
            f"企业{number}",
            tuple(tuple(5 * rng.randint(0, 20) for _ in range(3)) for _ in range(2)),
        )
    cards = list(Scorecard.objects.filter(assignment__panel__stage__cycle=world.cycle))
    # Scores that must not count: a draft, a removed assignment, an unscored item.
    Scorecard.objects.filter(pk=cards[0].pk).update(status=ScorecardStatus.DRAFT)
    cards[1].assignment.status = AssignmentStatus.RECUSED
    cards[1].assignment.save(update_fields=["status"])
    ItemScore.objects.filter(scorecard=cards[2], item__code="4.3.1").update(percent=None)
    # Varied percentages per item, so that a misaligned column could not go unnoticed.
    for score in ItemScore.objects.filter(scorecard__in=cards[3:9]):
        score.percent = 5 * rng.randint(0, 20)
        score.save(update_fields=["percent"])

    setup = cycle_setup(cycle=world.cycle)
    columns = load_score_columns(cycle=world.cycle, setup=setup)

    expected = rows_read_one_by_one(world.cycle)
    assert len(expected) == 6 * 2 * 3 * 23 - 2 * 23 - 1
    assert rows_of(columns, setup) == expected
    assert columns.application.dtype.kind == "i" and columns.percent.dtype.kind == "f"


def test_no_scores_give_empty_columns():
    world = build_world(names=())
    columns = load_score_columns(cycle=world.cycle)
    assert len(columns) == 0
    assert columns.application.tolist() == [] and columns.item.tolist() == []


def test_a_score_for_an_item_of_another_framework_is_reported():
    world = build_world(names=("甲公司",))
    copy = copy_as_new_version(framework=national_framework(), version="test", by=None)
    stray = copy.items.get(code="4.1.1")
    score = ItemScore.objects.filter(scorecard__assignment__panel__stage__cycle=world.cycle)[0]
    ItemScore.objects.filter(pk=score.pk).update(item=stray)

    with pytest.raises(ScoreDataError) as error:
        load_score_columns(cycle=world.cycle)
    assert [(p.code, p.params["value"]) for p in error.value.problems] == [
        ("unknown_item", f"#{stray.pk}")
    ]
