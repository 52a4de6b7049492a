"""Progress counts per reviewer and application, reminders by e-mail, reopening scorecards."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from awards.models import AuditEntry
from scoring.enums import AssignmentStatus, ScorecardStatus
from scoring.review.models import Scorecard
from scoring.review.services.progress import send_reminders, stage_progress
from scoring.review.services.reopen import reopen_scorecard
from tests.clock import SHANGHAI
from tests.factories import OfficialFactory, ReviewerFactory
from tests.outbox import delivered
from tests.scoring.factories import (
    AssignmentFactory,
    PanelFactory,
    ReviewStageFactory,
    submitted_scorecard,
)

pytestmark = pytest.mark.django_db

#: Moments counted from the stage's deadline: four weeks before it, and the next day at noon.
BEFORE_CLOSE = dt.timedelta(days=-28)
AFTER_CLOSE = dt.timedelta(hours=19)


@pytest.fixture
def work():
    """Two panels; ann has three assignments (submitted, draft, untouched), bob two."""
    stage = ReviewStageFactory()
    authority = stage.cycle.programme.authority
    ann = ReviewerFactory(username="ann", full_name="安", authority=authority)
    bob = ReviewerFactory(username="bob", full_name="鲍", authority=authority)
    p1, p2, p3 = (PanelFactory(stage=stage) for _ in range(3))
    submitted_scorecard(AssignmentFactory(panel=p1, reviewer=ann), 50)
    submitted_scorecard(AssignmentFactory(panel=p2, reviewer=ann), 50, submit=False)
    AssignmentFactory(panel=p3, reviewer=ann)
    submitted_scorecard(AssignmentFactory(panel=p1, reviewer=bob), 60)
    AssignmentFactory(panel=p2, reviewer=bob)
    recused = AssignmentFactory(panel=p3, reviewer=bob, status=AssignmentStatus.RECUSED)
    return {
        "stage": stage,
        "ann": ann,
        "bob": bob,
        "panels": (p1, p2, p3),
        "recused": recused,
        "official": OfficialFactory(authority=authority),
    }


def test_progress_counts_before_the_deadline(work):
    progress = stage_progress(stage=work["stage"], now=work["stage"].closes_at + BEFORE_CLOSE)
    # (assigned, not started, started, submitted, overdue)
    assert [(row.label, row.counts.as_tuple()) for row in progress.reviewers] == [
        ("安", (3, 1, 1, 1, 0)),
        ("鲍", (2, 1, 0, 1, 0)),
    ]
    p1, p2, p3 = work["panels"]
    assert [(row.key, row.counts.as_tuple()) for row in progress.applications] == [
        (p1.application_id, (2, 0, 0, 2, 0)),
        (p2.application_id, (2, 1, 1, 0, 0)),
        (p3.application_id, (1, 1, 0, 0, 0)),
    ]
    assert (progress.is_closed, progress.totals.as_tuple()) == (False, (5, 2, 1, 2, 0))


def test_unsubmitted_work_is_overdue_after_the_deadline(work):
    progress = stage_progress(stage=work["stage"], now=work["stage"].closes_at + AFTER_CLOSE)
    assert [(row.label, row.counts.overdue) for row in progress.reviewers] == [("安", 2), ("鲍", 1)]
    assert (progress.is_closed, progress.totals.as_tuple()) == (True, (5, 2, 1, 2, 3))


def test_reminders_send_one_email_per_reviewer_with_pending_work(work):
    done = ReviewerFactory(username="done", authority=work["stage"].cycle.programme.authority)
    submitted_scorecard(AssignmentFactory(panel=work["panels"][2], reviewer=done), 70)
    p1, p2, p3 = work["panels"]
    with delivered():
        report = send_reminders(stage=work["stage"], by=work["official"])

    assert (report.sent, report.without_email) == (["ann", "bob"], [])
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ann@example.com"], "【政府质量奖门户】评审提醒：2 份评分表待提交"),
        (["bob@example.com"], "【政府质量奖门户】评审提醒：1 份评分表待提交"),
    ]
    ann_mail = mail.outbox[0].body
    assert (
        f"  · {p2.application.organization.name}\n  · {p3.application.organization.name}\n"
        in ann_mail
    )
    assert p1.application.organization.name not in ann_mail
    closes = work["stage"].closes_at.astimezone(SHANGHAI)
    assert (
        f"评分截止时间：{closes:%Y-%m-%d %H:%M}。请登录门户完成评分：http://testserver/review/\n"
        in ann_mail
    )
    entry = AuditEntry.objects.get(action="send_review_reminders")
    assert (entry.actor, entry.details) == (
        work["official"],
        {"recipients": ["ann", "bob"], "without_email": []},
    )


def test_reminders_skip_reviewers_without_email(work):
    work["bob"].email = ""
    work["bob"].save()
    with delivered():
        report = send_reminders(stage=work["stage"], by=work["official"])
    assert (report.sent, report.without_email, len(mail.outbox)) == (["ann"], ["bob"], 1)


def test_reminders_are_for_officials_of_the_authority(work):
    with pytest.raises(PermissionDenied):
        send_reminders(stage=work["stage"], by=OfficialFactory())
    assert len(mail.outbox) == 0


def test_reopen_needs_a_reason_and_is_audited(work):
    card = Scorecard.objects.get(assignment__reviewer=work["ann"], status=ScorecardStatus.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        reopen_scorecard(scorecard=card, reason="  ", by=work["official"])
    assert error.value.message_dict == {"reason": ["退回评分表必须填写理由。"]}
    card.refresh_from_db()
    assert card.status == ScorecardStatus.SUBMITTED

    reopened = reopen_scorecard(scorecard=card, reason="4.7.1 评语与分数不符", by=work["official"])
    assert (reopened.status, reopened.submitted_at, reopened.version) == (
        ScorecardStatus.DRAFT,
        None,
        1,
    )
    entry = AuditEntry.objects.get(action="reopen_scorecard")
    assert (entry.actor, entry.target_id, entry.details) == (
        work["official"],
        str(card.pk),
        {
            "reason": "4.7.1 评语与分数不符",
            "reviewer": "ann",
            "application": card.assignment.panel.application_id,
            "stage": "document",
            "consensus_stale": False,
        },
    )
    with pytest.raises(ValidationError) as error:
        reopen_scorecard(scorecard=card, reason="再次退回", by=work["official"])
    assert error.value.messages == ["只有已提交的评分表可以退回。"]


def test_only_officials_reopen(work):
    card = Scorecard.objects.filter(status=ScorecardStatus.SUBMITTED).first()
    for user in (work["ann"], OfficialFactory()):
        with pytest.raises(PermissionDenied):
            reopen_scorecard(scorecard=card, reason="理由", by=user)
    card.refresh_from_db()
    assert card.status == ScorecardStatus.SUBMITTED
