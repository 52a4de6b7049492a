"""Reopening a scorecard after consensus: the consensus goes stale, computing is refused until
the leader confirms it again, the leader and the cycle's officials are told once; no reopening
after the cycle's announcement."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from awards.enums import CycleStatus
from awards.models import AuditEntry
from scoring.enums import ConsensusStatus, ScorecardStatus
from scoring.results.models import ResultComputation, ResultSnapshot
from scoring.results.services.computation import StaleConsensusError, compute_cycle_results
from scoring.results.services.runs import request_computation
from scoring.review.models import Consensus, Panel, Scorecard
from scoring.review.services.consensus import (
    ConsensusEntry,
    consensus_table,
    finalize_consensus,
)
from scoring.review.services.reopen import reopen_scorecard
from scoring.review.services.scorecards import submit_scorecard
from tests import clock
from tests.factories import OfficialFactory
from tests.scoring.factories import AnnouncedNoticeFactory, ApprovedSnapshotFactory
from tests.scoring.results_world import build_world

pytestmark = pytest.mark.django_db


def panel_of(world, name: str, stage) -> Panel:
    return Panel.objects.select_related("stage", "application__cycle", "leader").get(
        stage=stage, application=world.applications[name]
    )


def confirm(panel: Panel, percent: int = 70):
    """The leader (the world's first reviewer) agrees ``percent`` on every item, final."""
    table = consensus_table(panel=panel)
    entries = {row.item.code: ConsensusEntry(percent) for row in table.rows}
    return finalize_consensus(
        panel=panel, expected_version=table.version, by=panel.leader, entries=entries
    )


@pytest.fixture
def world():
    """甲公司 and 乙公司 scored in both stages; their document panels led by 专家甲 with a final
    consensus; a second official of the authority and one of another authority."""
    world = build_world(names=("甲公司", "乙公司"))
    world.other_official = OfficialFactory(
        authority=world.cycle.programme.authority, username="li", full_name="李科长"
    )
    world.foreign_official = OfficialFactory(username="far")
    for name in ("甲公司", "乙公司"):
        panel = panel_of(world, name, world.document)
        panel.leader = world.reviewers[0]
        panel.save()
        confirm(panel_of(world, name, world.document))
    mail.outbox.clear()
    return world


def scorecard(world, name: str, position: int) -> Scorecard:
    return Scorecard.objects.get(assignment=world.assignments[(name, "document", position)])


def reopen(world, name: str = "甲公司", position: int = 1, reason: str = "4.1 评语与分数不符"):
    return reopen_scorecard(
        scorecard=scorecard(world, name, position), reason=reason, by=world.official
    )


def test_reopening_after_consensus_marks_it_stale_and_the_page_says_so(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reopen(world)
    consensus = Consensus.objects.get(panel=panel_of(world, "甲公司", world.document))
    other = Consensus.objects.get(panel=panel_of(world, "乙公司", world.document))
    assert (consensus.status, other.status) == (ConsensusStatus.STALE, ConsensusStatus.FINAL)
    table = consensus_table(panel=panel_of(world, "甲公司", world.document))
    assert (table.ready, table.is_stale, table.is_final, table.rows) == (False, True, False, ())
    entry = AuditEntry.objects.get(action="mark_consensus_stale")
    assert (entry.actor, entry.target_type, entry.target_id) == (
        world.official,
        "scoring.consensus",
        str(consensus.pk),
    )
    assert entry.details["reason"] == "4.1 评语与分数不符"
    reopened = AuditEntry.objects.get(action="reopen_scorecard")
    assert reopened.details["consensus_stale"] is True


def test_the_reviewer_page_shows_stale_not_not_started(world, client):
    reopen(world)
    panel = panel_of(world, "甲公司", world.document)
    client.force_login(world.reviewers[0])
    from scoring.review.models import ReviewerCommitment

    ReviewerCommitment.objects.create(
        cycle=world.cycle,
        reviewer=world.reviewers[0],
        confidentiality_accepted_at=world.document.opens_at,
        conflicts_declared_at=world.document.opens_at,
    )
    page = client.get(f"/review/panels/{panel.pk}/consensus/").content.decode()
    assert "data-consensus-status>待重新确认</span>" in page
    assert "data-stale" in page
    assert "未开始" not in page


def test_the_leader_and_the_cycles_officials_are_mailed_exactly_once(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reopen(world)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [world.reviewers[0].email, world.official.email, world.other_official.email]
    )
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert mail.outbox[0].subject == "【政府质量奖门户】评审组共识需重新确认：甲公司"
    assert "（理由：4.1 评语与分数不符）" in mail.outbox[0].body
    assert "重新确认前不能计算本届评审结果" in mail.outbox[0].body

    # Reopening a second card of the same stale consensus tells nobody again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reopen(world, position=2, reason="再退回一份")
    assert mail.outbox == []
    assert AuditEntry.objects.filter(action="mark_consensus_stale").count() == 1


def test_an_address_shared_by_two_recipients_gets_one_mail(
    world, django_capture_on_commit_callbacks
):
    world.official.email = world.reviewers[0].email
    world.official.save()
    with django_capture_on_commit_callbacks(execute=True):
        reopen(world)
    addresses = [message.to[0] for message in mail.outbox]
    assert sorted(addresses) == sorted([world.reviewers[0].email, world.other_official.email])


def test_reopening_without_a_final_consensus_marks_nothing_and_mails_nobody(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reopen_scorecard(
            scorecard=Scorecard.objects.get(assignment=world.assignments[("甲公司", "onsite", 0)]),
            reason="现场评审评语缺失",
            by=world.official,
        )
    assert mail.outbox == []
    assert not Consensus.objects.filter(status=ConsensusStatus.STALE).exists()
    assert not AuditEntry.objects.filter(action="mark_consensus_stale").exists()


def test_computing_is_refused_while_a_consensus_is_stale_and_reconfirming_clears_it(
    world, django_capture_on_commit_callbacks
):
    reopen(world)
    message = "以下评审组共识因评分表被退回而待重新确认，确认后才能计算结果：甲公司 · 资料评审。"
    for accept_partial in (False, True):
        with pytest.raises(StaleConsensusError) as refused:
            request_computation(cycle=world.cycle, by=world.official, accept_partial=accept_partial)
        assert refused.value.messages == [message]
        assert refused.value.stale == ["甲公司 · 资料评审"]
        with pytest.raises(StaleConsensusError):
            compute_cycle_results(
                cycle=world.cycle, by=world.official, accept_partial=accept_partial
            )
    assert (ResultComputation.objects.count(), ResultSnapshot.objects.count()) == (0, 0)

    # The reviewer submits again (in the stage's window); until the leader confirms, refused.
    world.document.opens_at = clock.at(clock.days_from_today(-1), 9)
    world.document.closes_at = clock.at(clock.days_from_today(1), 17)
    world.document.save()
    card = scorecard(world, "甲公司", 1)
    submit_scorecard(scorecard=card, expected_version=card.version, by=card.assignment.reviewer)
    with pytest.raises(StaleConsensusError):
        request_computation(cycle=world.cycle, by=world.official)
    consensus = confirm(panel_of(world, "甲公司", world.document), percent=60)
    assert consensus.status == ConsensusStatus.FINAL
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    assert snapshot.version == 1


def test_the_page_of_results_shows_the_refusal(world, client):
    reopen(world)
    client.force_login(world.official)
    response = client.post(f"/admin/cycle-results/cycles/{world.cycle.pk}/")
    page = response.content.decode()
    assert (
        "以下评审组共识因评分表被退回而待重新确认，确认后才能计算结果：甲公司 · 资料评审。" in page
    )
    assert ResultComputation.objects.count() == 0


@pytest.mark.parametrize("how", ["status", "notice"])
def test_reopening_after_the_announcement_is_refused(world, how):
    if how == "status":
        world.cycle.status = CycleStatus.ANNOUNCED
        world.cycle.save()
    else:
        AnnouncedNoticeFactory(snapshot=ApprovedSnapshotFactory(cycle=world.cycle))
    with pytest.raises(ValidationError) as refused:
        reopen(world)
    assert refused.value.messages == ["本届评审结果已发布表彰决定，评分表不能再退回。"]
    assert scorecard(world, "甲公司", 1).status == ScorecardStatus.SUBMITTED
    assert Consensus.objects.filter(status=ConsensusStatus.FINAL).count() == 2
    assert not AuditEntry.objects.filter(action="reopen_scorecard").exists()


def test_an_unannounced_notice_does_not_block_reopening(world):
    AnnouncedNoticeFactory(snapshot=ApprovedSnapshotFactory(cycle=world.cycle), announced_at=None)
    assert reopen(world).status == ScorecardStatus.DRAFT


def test_the_reopen_page_shows_the_refusal_after_announcement(world, client):
    world.cycle.status = CycleStatus.ANNOUNCED
    world.cycle.save()
    client.force_login(world.official)
    card = scorecard(world, "甲公司", 1)
    response = client.post(f"/admin/review/scorecards/{card.pk}/reopen/", {"reason": "迟到的修改"})
    assert response.status_code == 200
    assert "本届评审结果已发布表彰决定，评分表不能再退回。" in response.content.decode()
    card.refresh_from_db()
    assert card.status == ScorecardStatus.SUBMITTED
