"""Optimistic locking (awards/services/versioning.py): a stale version writes nothing.

The sequential tests run on SQLite and PostgreSQL alike; the race needs PostgreSQL, where two
connections really write at the same time.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from awards.enums import ApplicationStatus
from awards.models import Application
from awards.services.application_drafts import StaleDraft
from awards.services.versioning import StaleVersion, bump_version
from scoring.review.services.scorecards import StaleVersion as ScoringStaleVersion
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def saved(application: Application) -> tuple:
    row = Application.objects.get(pk=application.pk)
    return (row.version, row.status, row.current_step)


def test_the_first_save_of_a_version_wins_and_the_second_writes_nothing():
    application = ApplicationFactory()
    rows = Application.objects.filter(pk=application.pk)
    assert bump_version(rows, expected=1, current_step="basic") is True
    assert bump_version(rows, expected=1, current_step="eligibility") is False
    assert saved(application) == (2, ApplicationStatus.DRAFT, "basic")
    assert bump_version(rows, expected=2, current_step="eligibility") is True
    assert saved(application) == (3, ApplicationStatus.DRAFT, "eligibility")


def test_the_other_conditions_of_the_queryset_must_hold_too():
    application = ApplicationFactory(status=ApplicationStatus.SUBMITTED)
    drafts = Application.objects.filter(pk=application.pk, status=ApplicationStatus.DRAFT)
    assert bump_version(drafts, expected=1, current_step="basic") is False
    assert saved(application) == (1, ApplicationStatus.SUBMITTED, "")


def test_any_version_moves_on_when_none_is_expected():
    first, second = ApplicationFactory(version=4), ApplicationFactory(version=7)
    rows = Application.objects.filter(pk__in=[first.pk, second.pk])
    assert bump_version(rows, expected=None, status=ApplicationStatus.RETURNED) is True
    assert (saved(first), saved(second)) == (
        (5, ApplicationStatus.RETURNED, ""),
        (8, ApplicationStatus.RETURNED, ""),
    )


def test_a_locked_instance_is_changed_in_memory_and_saved():
    application = ApplicationFactory()
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        assert bump_version(locked, expected=1, status=ApplicationStatus.SUBMITTED) is True
    assert (locked.version, locked.status) == (2, ApplicationStatus.SUBMITTED)
    assert saved(application) == (2, ApplicationStatus.SUBMITTED, "")


def test_a_locked_instance_of_another_version_is_left_alone():
    application = ApplicationFactory(version=3)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        assert bump_version(locked, expected=2, status=ApplicationStatus.SUBMITTED) is False
    assert (locked.version, locked.status) == (3, ApplicationStatus.DRAFT)
    assert saved(application) == (3, ApplicationStatus.DRAFT, "")


def test_one_stale_error_for_drafts_scorecards_and_consensus():
    error = StaleVersion("已在其他窗口保存过。", current_version=5)
    assert (error.messages, error.code, error.current_version) == (
        ["已在其他窗口保存过。"],
        "stale",
        5,
    )
    assert isinstance(error, ValidationError)
    assert ScoringStaleVersion is StaleVersion
    assert issubclass(StaleDraft, StaleVersion)


# serialized_rollback: the flush after this test must not re-create content types behind the
# back of later tests that restore the post-migration state (seed_demo, browser journeys).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs two writing connections")
def test_of_two_concurrent_saves_of_one_version_exactly_one_wins():
    application = ApplicationFactory()
    barrier = threading.Barrier(2)
    outcomes: dict[str, bool] = {}

    def save(step: str) -> None:
        try:
            rows = Application.objects.filter(pk=application.pk)
            barrier.wait()
            with transaction.atomic():
                outcomes[step] = bump_version(rows, expected=1, current_step=step)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(step,)) for step in ("basic", "overview")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winner = saved(application)[2]
    assert sorted(outcomes.values()) == [False, True]
    assert outcomes[winner] is True
    assert saved(application) == (2, ApplicationStatus.DRAFT, winner)
