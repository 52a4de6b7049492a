"""Where an application stands, as the applicant's dashboard shows it: from the draft to the
result, with the notice page, the certificate and the feedback report linked once they exist."""

import datetime as dt

import pytest
from django.utils import timezone

from awards.enums import ApplicationStatus
from home.models import ResultsNoticePage
from scoring.certificates.services.progress import Stage, applicant_progress
from scoring.publication.models import PublicNotice
from tests import clock
from tests.factories import ReviewerFactory, open_cycle, started_application
from tests.home.helpers import add_programme_page
from tests.scoring.certificate_world import (
    announced,
    application_of,
    award_for,
    certificate_with_file,
    luyu_cycle,
    reviewed,
)
from tests.scoring.factories import ApprovedSnapshotFactory, ResultEntryFactory

pytestmark = pytest.mark.django_db


def progress_of(application):
    application.refresh_from_db()
    [row] = applicant_progress([application]).values()
    return row


def with_status(application, status):
    application.status = status
    application.save()
    return application


def test_before_and_during_screening():
    application, _user = started_application()
    row = progress_of(application)
    assert (row.stage, row.label) == (Stage.DRAFT, "草稿，尚未提交")
    with_status(application, ApplicationStatus.RETURNED)
    assert progress_of(application).label == "退回修改，请修改后重新提交"
    with_status(application, ApplicationStatus.SUBMITTED)
    row = progress_of(application)
    assert (row.stage, row.label) == (Stage.SUBMITTED, "已提交，申报截止后进行资格审查")
    cycle = application.cycle
    cycle.application_deadline = timezone.now() - dt.timedelta(hours=1)
    cycle.save()
    row = progress_of(application)
    assert (row.stage, row.label) == (Stage.SCREENING, "资格审查中")
    cycle.deadline_extended_until = timezone.now() + dt.timedelta(days=1)
    cycle.save()
    assert progress_of(application).stage == Stage.SUBMITTED
    with_status(application, ApplicationStatus.INELIGIBLE)
    assert progress_of(application).label == "资格审查未通过"
    with_status(application, ApplicationStatus.WITHDRAWN)
    assert progress_of(application).label == "已撤回"


def test_review_notice_and_result():
    cycle = luyu_cycle()
    application = application_of(cycle)
    row = progress_of(application)
    assert (row.stage, row.label) == (Stage.AWAITING_REVIEW, "资格审查通过，等待评审")
    reviewed(application, [ReviewerFactory()])
    row = progress_of(application)
    assert (row.stage, row.label, row.feedback) == (Stage.UNDER_REVIEW, "评审中", False)
    snapshot = announced(cycle, [(application, "700.00", "质量奖", {})], announced_at=None)
    notice = PublicNotice.objects.get(snapshot=snapshot)
    row = progress_of(application)
    assert (row.stage, row.label, row.notice_id) == (Stage.NOTICE, "评审结果公示中", notice.pk)
    notice.announced_at = clock.at(clock.days_from_today(-1), 10)
    notice.save()
    award = award_for(snapshot, application, "质量奖")
    row = progress_of(application)
    assert (row.stage, row.label, row.level, row.award_id, row.feedback) == (
        Stage.AWARDED,
        "已表彰，荣获质量奖",
        "质量奖",
        None,  # no printed certificate yet
        True,
    )
    certificate_with_file(award)
    assert progress_of(application).award_id == award.pk
    award.revoked_at = timezone.now()
    award.save()
    row = progress_of(application)
    assert (row.stage, row.label, row.award_id, row.feedback) == (
        Stage.REVOKED,
        "所获奖项已撤销",
        None,
        True,
    )


def test_not_awarded_and_not_reviewed():
    cycle = luyu_cycle()
    winner, listed, unreviewed = (application_of(cycle) for _ in range(3))
    reviewed(listed, [ReviewerFactory()])
    snapshot = announced(cycle, [(winner, "700.00", "质量奖", {}), (listed, "500.00", "", {})])
    award_for(snapshot, winner)
    rows = applicant_progress([listed, unreviewed])
    assert [
        (rows[a.pk].stage, rows[a.pk].label, rows[a.pk].feedback) for a in (listed, unreviewed)
    ] == [
        (Stage.NOT_AWARDED, "已表彰，本单位未获奖", True),
        (Stage.NOT_AWARDED, "已表彰，本单位未获奖", False),
    ]


def test_an_unapproved_snapshot_is_no_notice():
    cycle = luyu_cycle()
    application = application_of(cycle)
    snapshot = ApprovedSnapshotFactory(cycle=cycle, approved_at=None)
    ResultEntryFactory(snapshot=snapshot, application=application, rank=1, level="质量奖")
    assert progress_of(application).stage == Stage.AWAITING_REVIEW


def test_the_dashboard_links_the_notice_page(client, home_page):
    cycle = luyu_cycle()
    application = application_of(cycle)
    programme_page = add_programme_page(home_page, cycle.programme)
    snapshot = announced(cycle, [(application, "700.00", "质量奖", {})], announced_at=None)
    page = ResultsNoticePage(title="公示", slug="notice-x", notice=snapshot.notice)
    programme_page.add_child(instance=page)
    page.save_revision().publish()
    client.force_login(application.organization.members.get())
    html = client.get("/portal/").content.decode()
    assert 'data-stage="notice">评审结果公示中</span>' in html
    assert f'href="{page.url}" data-notice-link>查看结果公示</a>' in html
    assert "data-certificate-link" not in html


def test_the_winners_dashboard_links_the_certificate_and_the_feedback(client):
    cycle = luyu_cycle()
    application = application_of(cycle)
    reviewed(application, [ReviewerFactory()])
    snapshot = announced(cycle, [(application, "700.00", "质量奖", {})])
    certificate_with_file(award_for(snapshot, application))
    award = application.award
    client.force_login(application.organization.members.get())
    html = client.get("/portal/").content.decode()
    assert 'data-stage="awarded">已表彰，荣获质量奖</span>' in html
    assert "资格审查通过" not in html.split("data-applications", 1)[1].split("data-timeline", 1)[0]
    assert f'href="/portal/awards/{award.pk}/certificate/" data-certificate-link>' in html
    assert f'href="/portal/applications/{application.pk}/feedback/" data-feedback-link>' in html
    assert (
        f'href="/portal/applications/{application.pk}/feedback/pdf/" data-feedback-pdf-link>'
        in html
    )
    assert client.get(f"/portal/awards/{award.pk}/certificate/").status_code == 200
    assert client.get(f"/portal/applications/{application.pk}/feedback/").status_code == 200


def test_a_draft_has_no_links(client):
    application, user = started_application(cycle=open_cycle())
    client.force_login(user)
    html = client.get("/portal/").content.decode()
    assert 'data-stage="draft">草稿，尚未提交</span>' in html
    assert "data-progress-links" not in html
