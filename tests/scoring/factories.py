"""Factories for the review side (stages, panels, assignments, scorecards)."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from awards.enums import ApplicationStatus
from awards.models import Application
from scoring.enums import StageKind
from scoring.models import Assignment, Panel, ReviewerProfile, ReviewStage, Scorecard
from tests.factories import SHANGHAI, ApplicantFactory, CycleFactory, ReviewerFactory


class EligibleApplicationFactory(DjangoModelFactory):
    """An application that passed screening, ready for review."""

    class Meta:
        model = Application

    cycle = factory.SubFactory(CycleFactory)
    organization = factory.LazyAttribute(
        lambda o: ApplicantFactory(
            organization__region_code=o.cycle.programme.authority.region_code
        ).organization
    )
    created_by = factory.LazyAttribute(lambda o: o.organization.members.first())
    status = ApplicationStatus.ELIGIBLE


class ReviewStageFactory(DjangoModelFactory):
    class Meta:
        model = ReviewStage

    cycle = factory.SubFactory(CycleFactory)
    kind = StageKind.DOCUMENT
    order = 1
    opens_at = dt.datetime(2027, 1, 21, 9, 0, tzinfo=SHANGHAI)
    closes_at = dt.datetime(2027, 3, 1, 17, 0, tzinfo=SHANGHAI)
    panel_size = 5
    weight = factory.LazyAttribute(lambda o: "0.3" if o.kind == StageKind.DOCUMENT else "0.7")


class ReviewerProfileFactory(DjangoModelFactory):
    class Meta:
        model = ReviewerProfile

    user = factory.SubFactory(ReviewerFactory)
    industries = factory.LazyFunction(lambda: ["C"])
    categories = factory.LazyFunction(lambda: ["4.1", "4.7"])
    max_load_per_cycle = 10


class PanelFactory(DjangoModelFactory):
    class Meta:
        model = Panel

    stage = factory.SubFactory(ReviewStageFactory)
    application = factory.LazyAttribute(
        lambda o: EligibleApplicationFactory(cycle=o.stage.cycle)
    )


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    panel = factory.SubFactory(PanelFactory)
    reviewer = factory.LazyAttribute(
        lambda o: ReviewerFactory(authority=o.panel.stage.cycle.programme.authority)
    )


class ScorecardFactory(DjangoModelFactory):
    class Meta:
        model = Scorecard

    assignment = factory.SubFactory(AssignmentFactory)
