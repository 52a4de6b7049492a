"""Factories for the review side (stages, panels, assignments, scorecards)."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from awards.enums import ApplicationStatus
from awards.models import Application
from scoring.enums import StageKind
from scoring.publication.models import Award, Objection, PublicNotice
from scoring.publication.services.period import notice_period
from scoring.results.models import ResultEntry, ResultSnapshot
from scoring.review.models import (
    Assignment,
    Panel,
    ReviewerCommitment,
    ReviewerProfile,
    ReviewStage,
    Scorecard,
)
from tests import clock
from tests.factories import (
    ApplicantFactory,
    CycleFactory,
    OfficialFactory,
    ReviewerFactory,
)


class EligibleApplicationFactory(DjangoModelFactory):
    """An application that passed screening, ready for review."""

    class Meta:
        model = Application

    cycle = factory.SubFactory(CycleFactory)
    organization = factory.LazyAttribute(
        lambda o: (
            ApplicantFactory(
                organization__region_code=o.cycle.programme.authority.region_code
            ).organization
        )
    )
    created_by = factory.LazyAttribute(lambda o: o.organization.members.first())
    status = ApplicationStatus.ELIGIBLE


class ReviewStageFactory(DjangoModelFactory):
    """A stage of the cycle's timetable: from the day after screening ends (09:00) to the
    document review deadline (17:00), so not open yet while the cycle takes applications."""

    class Meta:
        model = ReviewStage

    cycle = factory.SubFactory(CycleFactory)
    kind = StageKind.DOCUMENT
    order = 1
    opens_at = factory.LazyAttribute(
        lambda o: clock.at(o.cycle.screening_deadline + dt.timedelta(days=1), 9)
    )
    closes_at = factory.LazyAttribute(lambda o: clock.at(o.cycle.document_review_deadline, 17))
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
    application = factory.LazyAttribute(lambda o: EligibleApplicationFactory(cycle=o.stage.cycle))


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


class ApprovedSnapshotFactory(DjangoModelFactory):
    """An approved results snapshot; entries are added with ``ResultEntryFactory``.
    Approved two days before the cycle's notice starts."""

    class Meta:
        model = ResultSnapshot

    cycle = factory.SubFactory(CycleFactory)
    version = factory.Sequence(lambda n: n + 1)
    method = "mean"
    config = factory.LazyFunction(lambda: {"method": "mean"})
    inputs_digest = "0" * 64
    outputs = factory.LazyFunction(dict)
    created_by = factory.LazyAttribute(
        lambda o: OfficialFactory(authority=o.cycle.programme.authority)
    )
    approved_by = factory.LazyAttribute(lambda o: o.created_by)
    approved_at = factory.LazyAttribute(
        lambda o: clock.at(o.cycle.notice_start - dt.timedelta(days=2), 10)
    )


class ResultEntryFactory(DjangoModelFactory):
    class Meta:
        model = ResultEntry

    snapshot = factory.SubFactory(ApprovedSnapshotFactory)
    application = factory.LazyAttribute(
        lambda o: EligibleApplicationFactory(cycle=o.snapshot.cycle)
    )
    rank = factory.Sequence(lambda n: n + 1)
    total = "650.00"
    level = ""
    categories = factory.LazyFunction(dict)


class AnnouncedNoticeFactory(DjangoModelFactory):
    """The public notice of a snapshot, from the cycle's notice start for five working days,
    already followed by the final announcement (on the cycle's announcement date, 10:00)."""

    class Meta:
        model = PublicNotice

    snapshot = factory.SubFactory(ApprovedSnapshotFactory)
    starts_on = factory.LazyAttribute(lambda o: o.snapshot.cycle.notice_start)
    working_days = 5
    ends_on = factory.LazyAttribute(
        lambda o: notice_period(starts_on=o.starts_on, working_days=o.working_days)
    )
    created_by = factory.LazyAttribute(lambda o: o.snapshot.created_by)
    announced_at = factory.LazyAttribute(lambda o: clock.at(o.snapshot.cycle.announcement_date, 10))


class OpenNoticeFactory(AnnouncedNoticeFactory):
    """A public notice open today and not yet announced: five working days from today."""

    starts_on = factory.LazyFunction(clock.today)
    announced_at = None


class ObjectionFactory(DjangoModelFactory):
    """An objection as received (unresolved), without an evidence file."""

    class Meta:
        model = Objection

    notice = factory.SubFactory(OpenNoticeFactory)
    real_name = "张三"
    contact = "13800000000"
    text = "该单位近三年发生过质量事故。"
    evidence_name = "证明.pdf"


class AwardFactory(DjangoModelFactory):
    class Meta:
        model = Award

    snapshot = factory.SubFactory(ApprovedSnapshotFactory)
    application = factory.LazyAttribute(
        lambda o: EligibleApplicationFactory(cycle=o.snapshot.cycle)
    )
    level = "质量奖"
    announced_at = factory.LazyAttribute(lambda o: clock.at(o.snapshot.cycle.announcement_date, 10))
    valid_until = factory.LazyAttribute(
        lambda o: o.snapshot.cycle.announcement_date + dt.timedelta(days=3 * 365 - 1)
    )


def submitted_scorecard(assignment, percent: int | dict[str, int], *, submit: bool = True):
    """A scorecard of ``assignment`` scoring every item of the cycle's framework at ``percent``
    (or per item code), commented and, unless told otherwise, submitted."""
    from django.utils import timezone

    from scoring.enums import ScorecardStatus
    from scoring.review.models import ItemScore

    cycle = assignment.panel.stage.cycle
    status = ScorecardStatus.SUBMITTED if submit else ScorecardStatus.DRAFT
    card = Scorecard.objects.create(
        assignment=assignment,
        status=status,
        submitted_at=timezone.now() if submit else None,
    )
    ItemScore.objects.bulk_create(
        ItemScore(
            scorecard=card,
            item=item,
            percent=percent if isinstance(percent, int) else percent[item.code],
            strengths="优势",
            improvements="改进机会",
        )
        for item in cycle.framework_for(assignment.panel.application.track).items.all()
    )
    return card


# The reviewer's side ---------------------------------------------------------------------


class OpenReviewStageFactory(ReviewStageFactory):
    """A stage whose scoring window is open now (from yesterday to a week from now)."""

    opens_at = factory.LazyFunction(lambda: clock.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: clock.now() + dt.timedelta(days=7))


class ClearedCommitmentFactory(DjangoModelFactory):
    """Confidentiality accepted and ties declared: the reviewer may see the cycle's work."""

    class Meta:
        model = ReviewerCommitment

    cycle = factory.SubFactory(CycleFactory)
    reviewer = factory.LazyAttribute(
        lambda o: ReviewerFactory(authority=o.cycle.programme.authority)
    )
    confidentiality_accepted_at = factory.LazyFunction(clock.now)
    conflicts_declared_at = factory.LazyFunction(clock.now)


def cleared_reviewer(cycle, **kwargs):
    """A reviewer of the cycle's authority who has signed and declared for the cycle."""
    reviewer = ReviewerFactory(authority=cycle.programme.authority, **kwargs)
    ClearedCommitmentFactory(cycle=cycle, reviewer=reviewer)
    return reviewer


def review_panel(*, stage, members: int = 3, application=None, leader: int | None = 0):
    """A panel of ``members`` cleared reviewers (the first one leads); returns the assignments."""
    application = application or EligibleApplicationFactory(cycle=stage.cycle)
    panel = Panel.objects.create(stage=stage, application=application)
    assignments = [
        AssignmentFactory(panel=panel, reviewer=cleared_reviewer(stage.cycle))
        for _ in range(members)
    ]
    if leader is not None:
        panel.leader = assignments[leader].reviewer
        panel.save(update_fields=["leader"])
    return assignments


def attachment_for(
    application, *, name: str = "自评报告.pdf", content: bytes = b"%PDF-1.4\n%%EOF\n"
):
    """An evidence file of the application, stored in the private storage."""
    from django.core.files.base import ContentFile

    from awards.models import Attachment

    return Attachment.objects.create(
        application=application,
        requirement_code="report",
        original_name=name,
        file=ContentFile(content, name="evidence.pdf"),
        size=len(content),
        content_type="application/pdf",
    )


def reviewer_permission_world(*, programme, reviewer) -> dict:
    """The reviewer's pages for the permission table: a cycle of ``programme`` with an open
    stage, one application with an attachment, and a panel that ``reviewer`` (cleared) leads.

    Returns the placeholders of the reviewer rows, and under ``"review_roles"`` the extra
    reviewer roles of the reviewer table with the assignment each one requests.
    """
    from django.core.files.base import ContentFile

    from scoring.enums import ConflictRelation
    from scoring.review.models import ConflictDeclaration
    from tests.factories import AuthorityFactory

    cycle = CycleFactory(programme=programme)
    stage = OpenReviewStageFactory(cycle=cycle)
    application = EligibleApplicationFactory(cycle=cycle)
    application.pdf.save("application.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    panel = Panel.objects.create(stage=stage, application=application, leader=reviewer)
    ClearedCommitmentFactory(cycle=cycle, reviewer=reviewer)
    leader = AssignmentFactory(panel=panel, reviewer=reviewer)
    member = AssignmentFactory(panel=panel, reviewer=cleared_reviewer(cycle))
    conflicted = AssignmentFactory(panel=panel, reviewer=cleared_reviewer(cycle))
    ConflictDeclaration.objects.create(
        cycle=cycle,
        reviewer=conflicted.reviewer,
        organization=application.organization,
        relation=ConflictRelation.FORMER_EMPLOYER,
    )
    uncommitted = AssignmentFactory(panel=panel)
    outsider = ReviewerFactory(authority=AuthorityFactory(name="宜昌市人民政府"))
    return {
        "scoring_cycle": cycle.pk,
        "scoring_assignment": leader.pk,
        "scoring_panel": panel.pk,
        "scoring_attachment": attachment_for(application).pk,
        "item_code": "4.1.1",
        "review_roles": {
            "assigned": (member.reviewer, member.pk),
            "leader": (reviewer, leader.pk),
            "unassigned": (cleared_reviewer(cycle), member.pk),
            "conflicted": (conflicted.reviewer, conflicted.pk),
            "uncommitted": (uncommitted.reviewer, uncommitted.pk),
            "other_authority": (outsider, member.pk),
        },
    }
