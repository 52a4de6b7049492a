"""The data step of scoring 0007: each existing waiver moves to the stage it was given for."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from scoring.enums import AssignmentStatus, StageKind
from scoring.review.models import Assignment, ConflictOverride, Panel
from tests import clock
from tests.factories import CycleFactory, OfficialFactory, ReviewerFactory
from tests.scoring.factories import EligibleApplicationFactory, ReviewStageFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "scoring.migrations.0008_integrity_stale_consensus_stage_waivers"
)


def run_data_step() -> None:
    migration.waivers_to_their_stage(
        apps, SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    )


@pytest.fixture
def cycle_world():
    cycle = CycleFactory()
    authority = cycle.programme.authority
    return SimpleNamespace(
        cycle=cycle,
        official=OfficialFactory(authority=authority),
        document=ReviewStageFactory(cycle=cycle, kind=StageKind.DOCUMENT, order=1),
        onsite=ReviewStageFactory(
            cycle=cycle,
            kind=StageKind.ONSITE,
            order=2,
            opens_at=clock.at(cycle.document_review_deadline, 18),
            closes_at=clock.at(cycle.onsite_review_deadline, 17),
        ),
    )


def waiver(world, application, reviewer, stage) -> ConflictOverride:
    return ConflictOverride.objects.create(
        stage=stage,
        application=application,
        reviewer=reviewer,
        reason="旧豁免",
        decided_by=world.official,
    )


def test_a_waiver_moves_to_the_first_stage_the_reviewer_was_assigned_in(cycle_world):
    application = EligibleApplicationFactory(cycle=cycle_world.cycle)
    reviewer = ReviewerFactory(authority=cycle_world.cycle.programme.authority)
    for stage in (cycle_world.onsite, cycle_world.document):
        panel = Panel.objects.create(stage=stage, application=application)
        Assignment.objects.create(panel=panel, reviewer=reviewer, status=AssignmentStatus.REMOVED)
    override = waiver(cycle_world, application, reviewer, cycle_world.onsite)
    run_data_step()
    override.refresh_from_db()
    assert override.stage == cycle_world.document


def test_without_an_assignment_the_stage_open_when_it_was_decided(cycle_world):
    application = EligibleApplicationFactory(cycle=cycle_world.cycle)
    reviewer = ReviewerFactory(authority=cycle_world.cycle.programme.authority)
    late = waiver(cycle_world, application, reviewer, cycle_world.document)
    ConflictOverride.objects.filter(pk=late.pk).update(
        decided_at=cycle_world.onsite.opens_at
        + (cycle_world.onsite.closes_at - cycle_world.onsite.opens_at) / 2
    )
    other = EligibleApplicationFactory(cycle=cycle_world.cycle)
    early = waiver(cycle_world, other, reviewer, cycle_world.onsite)
    ConflictOverride.objects.filter(pk=early.pk).update(
        decided_at=cycle_world.document.opens_at
        - (cycle_world.onsite.opens_at - cycle_world.document.opens_at)
    )
    run_data_step()
    late.refresh_from_db()
    early.refresh_from_db()
    assert (late.stage, early.stage) == (cycle_world.onsite, cycle_world.document)


def test_a_waiver_of_a_cycle_without_stages_is_dropped(cycle_world):
    bare = CycleFactory(programme=cycle_world.cycle.programme, edition=99)
    application = EligibleApplicationFactory(cycle=bare)
    reviewer = ReviewerFactory(authority=bare.programme.authority)
    kept = waiver(
        cycle_world,
        EligibleApplicationFactory(cycle=cycle_world.cycle),
        reviewer,
        cycle_world.document,
    )
    waiver(cycle_world, application, reviewer, cycle_world.document)
    run_data_step()
    assert list(ConflictOverride.objects.values_list("pk", "stage")) == [
        (kept.pk, cycle_world.document.pk)
    ]
