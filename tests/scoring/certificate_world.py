"""Announced awards with certificates, and reviewed applications with feedback, for tests.

Built straight from factories (the announcement itself is tested with its service): a snapshot
approved, its notice announced, one ``Award`` per awarded organization. The awards were announced
a little over two weeks ago and stay valid for about three more years, whatever today is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.files.base import ContentFile
from django.db.models import Max

from awards.models import Application, CriteriaItem, Cycle, Organization
from scoring.certificates.models import Certificate
from scoring.certificates.services.certificates import certificate_serial
from scoring.enums import ConsensusStatus, StageKind
from scoring.publication.models import Award
from scoring.results.models import ResultEntry, ResultSnapshot
from scoring.review.models import Consensus, ConsensusItem, Panel, ReviewStage
from tests import clock
from tests.factories import ApplicantFactory, CycleFactory, OrganizationFactory
from tests.scoring.factories import (
    AnnouncedNoticeFactory,
    ApprovedSnapshotFactory,
    AssignmentFactory,
    EligibleApplicationFactory,
    ReviewStageFactory,
    submitted_scorecard,
)


def announced_at() -> dt.datetime:
    """When the world's results were announced: 16 days ago, 10:00 Beijing time."""
    return clock.at(clock.days_from_today(-16), 10)


def issued_on() -> dt.date:
    """The day the world's certificates were issued: the day after the announcement."""
    return announced_at().date() + dt.timedelta(days=1)


def valid_until() -> dt.date:
    """The last day the world's awards are valid: three years and ten days after the
    announcement, so about three years from now."""
    return announced_at().date() + dt.timedelta(days=3 * 365 + 10)


def luyu_cycle(**kwargs) -> Cycle:
    """第五届陆羽质量奖 (this year's) of 天门市人民政府."""
    defaults = {
        "programme__name": "陆羽质量奖",
        "programme__slug": "luyu",
        "programme__authority__name": "天门市人民政府",
        "programme__authority__region_code": "429006",
        "programme__authority__region_prefix": "429006",
        "edition": 5,
    }
    return CycleFactory(**{**defaults, **kwargs})


def application_of(cycle: Cycle, organization: Organization | None = None, **org) -> Application:
    """An eligible application; a new organization (with one applicant user) unless given."""
    if organization is None:
        region = cycle.programme.authority.region_code
        organization = OrganizationFactory(region_code=region, **org)
    if not organization.members.exists():
        ApplicantFactory(organization=organization)
    return EligibleApplicationFactory(cycle=cycle, organization=organization)


def announced(
    cycle: Cycle, entries: list[tuple[Application, str, str, Mapping[str, object]]], **notice
) -> ResultSnapshot:
    """An approved snapshot with ``(application, total, level, categories)`` entries, ranked in
    the given order, whose notice is announced (``announced_at=None`` keeps it unannounced).
    Each entry reached the document stage only, with ``categories`` as that stage's points."""
    latest = ResultSnapshot.objects.filter(cycle=cycle).aggregate(v=Max("version"))["v"] or 0
    snapshot = ApprovedSnapshotFactory(cycle=cycle, version=latest + 1)
    for rank, (application, total, level, categories) in enumerate(entries, start=1):
        ResultEntry.objects.create(
            snapshot=snapshot,
            application=application,
            rank=rank,
            total=total,
            level=level,
            categories=dict(categories),
            reached_stage=StageKind.DOCUMENT,
            stage_categories={StageKind.DOCUMENT: dict(categories)} if categories else {},
        )
    AnnouncedNoticeFactory(snapshot=snapshot, **{"announced_at": announced_at(), **notice})
    return snapshot


def award_for(
    snapshot: ResultSnapshot, application: Application, level: str = "质量奖", **kwargs
) -> Award:
    values = {"announced_at": announced_at(), "valid_until": valid_until(), **kwargs}
    return Award.objects.create(snapshot=snapshot, application=application, level=level, **values)


def certificate_with_file(award: Award, content: bytes = b"%PDF-1.4\n%%EOF\n") -> Certificate:
    """A certificate row with a stored (stand-in) file, for download and permission tests."""
    certificate = Certificate.objects.create(
        award=award, serial=certificate_serial(award=award), issued_on=issued_on()
    )
    certificate.pdf.save(f"{certificate.serial}.pdf", ContentFile(content))
    return certificate


def two_awards(cycle: Cycle) -> list[Award]:
    """湖北天门纺织机械股份有限公司 (质量奖) and 天门市食品有限公司 (提名奖)."""
    first = application_of(cycle, name="湖北天门纺织机械股份有限公司")
    second = application_of(cycle, name="天门市食品有限公司")
    snapshot = announced(cycle, [(first, "700.00", "质量奖", {}), (second, "630.00", "提名奖", {})])
    return [award_for(snapshot, first, "质量奖"), award_for(snapshot, second, "提名奖")]


def make_certificate(award: Award) -> Certificate:
    """A certificate row without a file, loaded as ``certificates_of`` loads it."""
    from scoring.certificates.services.certificates import certificates_of

    Certificate.objects.create(
        award=award, serial=certificate_serial(award=award), issued_on=issued_on()
    )
    return certificates_of(award.snapshot.cycle).get(award=award)


def reviewed(application: Application, reviewers, stage: ReviewStage | None = None) -> Panel:
    """A panel of ``reviewers`` for ``application`` whose scorecards are all submitted."""
    stage = stage or document_stage(application.cycle)
    panel = Panel.objects.create(stage=stage, application=application, leader=reviewers[0])
    for reviewer in reviewers:
        submitted_scorecard(AssignmentFactory(panel=panel, reviewer=reviewer), 50)
    return panel


def document_stage(cycle: Cycle) -> ReviewStage:
    stage = ReviewStage.objects.filter(cycle=cycle, kind=StageKind.DOCUMENT).first()
    return stage or ReviewStageFactory(cycle=cycle, kind=StageKind.DOCUMENT, order=1)


def consensus(
    panel: Panel,
    items: Mapping[str, tuple[int | None, str, str]],
    *,
    status: str = ConsensusStatus.FINAL,
) -> Consensus:
    """The panel's consensus: per item code ``(percent, strengths, improvements)``."""
    record = Consensus.objects.create(panel=panel, status=status)
    framework = panel.application.cycle.framework
    by_code = {item.code: item for item in CriteriaItem.objects.filter(framework=framework)}
    for code, (percent, strengths, improvements) in items.items():
        ConsensusItem.objects.create(
            consensus=record,
            item=by_code[code],
            percent=percent,
            rationale=f"理由 {code}",
            strengths=strengths,
            improvements=improvements,
        )
    return record


def permission_world(cycle: Cycle, *, applicant, reviewer) -> dict[str, int]:
    """For the permission table: the applicant's organization reviewed (by ``reviewer``),
    announced and awarded, with a stored certificate. Returns the URL placeholders."""
    application = application_of(cycle, applicant.organization)
    reviewed(application, [reviewer])
    snapshot = announced(cycle, [(application, "650.00", "质量奖", {"4.1": 60})])
    certificate = certificate_with_file(award_for(snapshot, application))
    return {
        "award": certificate.award_id,
        "certificate": certificate.pk,
        "feedback_application": application.pk,
    }
