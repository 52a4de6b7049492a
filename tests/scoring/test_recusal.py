"""A panel leader (组长) who recuses hands the role on, or leaves the panel without a leader."""

import re

import pytest

from awards.models import AuditEntry
from scoring.enums import ConflictRelation
from scoring.review.models import ConflictDeclaration, Panel
from scoring.review.services.recusal import recuse
from tests.factories import AuthorityFactory, CycleFactory, OfficialFactory
from tests.scoring.factories import (
    OpenReviewStageFactory,
    PanelFactory,
    ReviewerProfileFactory,
    review_panel,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage():
    cycle = CycleFactory(programme__authority=AuthorityFactory(region_code="429006"))
    return OpenReviewStageFactory(cycle=cycle)


def panel_of(stage, *profiles: dict):
    """A panel whose first member leads; each member gets a pool profile with ``profiles``."""
    assignments = review_panel(stage=stage, members=len(profiles))
    for assignment, profile in zip(assignments, profiles, strict=True):
        ReviewerProfileFactory(user=assignment.reviewer, **profile)
    return assignments


def hand_overs() -> list[tuple]:
    return list(
        AuditEntry.objects.filter(action="hand_over_panel_leader")
        .order_by("pk")
        .values_list("actor_id", "target_type", "target_id", "details")
    )


def panel_row(client, stage, panel) -> str:
    html = client.get(f"/admin/review/stages/{stage.pk}/panels/").content.decode()
    return re.search(rf'<tr data-application="{panel.application_id}">.*?</tr>', html, re.S)[0]


LEADS = '<span class="w-status w-status--primary">组长</span>'
NO_LEADER = '<span class="w-status w-status--label">无组长</span>'


def test_the_role_passes_to_the_able_member_leading_fewest_panels_then_lowest_id(client, stage):
    leader, busy, cannot, retired, conflicted, first, second = panel_of(
        stage,
        {"can_lead": True},
        {"can_lead": True},
        {"can_lead": False},
        {"can_lead": True, "is_active": False},
        {"can_lead": True},
        {"can_lead": True},
        {"can_lead": True},
    )
    PanelFactory(stage=stage, leader=busy.reviewer)
    ConflictDeclaration.objects.create(
        cycle=stage.cycle,
        reviewer=conflicted.reviewer,
        organization=leader.panel.application.organization,
        relation=ConflictRelation.CONSULTANCY,
    )

    recuse(assignment=leader, reason="曾为该单位提供咨询", by=leader.reviewer)

    panel = Panel.objects.get(pk=leader.panel_id)
    assert (first.reviewer.pk < second.reviewer.pk, panel.leader) == (True, first.reviewer)
    assert leader.panel.leader_id == first.reviewer.pk
    assert hand_overs() == [
        (
            leader.reviewer.pk,
            "scoring.panel",
            str(panel.pk),
            {
                "previous": leader.reviewer.username,
                "leader": first.reviewer.username,
                "cause": "recuse",
            },
        )
    ]
    client.force_login(OfficialFactory(authority=stage.cycle.programme.authority))
    row = panel_row(client, stage, panel)
    member = re.search(rf'<li data-member="{first.reviewer.username}">.*?</li>', row, re.S)[0]
    assert (LEADS in member, row.count(LEADS), NO_LEADER in row) == (True, 1, False)


def test_with_nobody_able_to_lead_the_panel_is_left_without_leader(client, stage):
    leader, cannot, retired = panel_of(
        stage, {"can_lead": True}, {"can_lead": False}, {"can_lead": True, "is_active": False}
    )

    recuse(assignment=leader, reason="曾为该单位提供咨询", by=leader.reviewer)

    panel = Panel.objects.get(pk=leader.panel_id)
    assert panel.leader is None
    assert hand_overs() == [
        (
            leader.reviewer.pk,
            "scoring.panel",
            str(panel.pk),
            {"previous": leader.reviewer.username, "leader": None, "cause": "recuse"},
        )
    ]
    client.force_login(OfficialFactory(authority=stage.cycle.programme.authority))
    row = panel_row(client, stage, panel)
    assert (NO_LEADER in row, LEADS in row) == (True, False)


def test_a_member_who_recuses_leaves_the_leader_in_place(stage):
    leader, member, _other = panel_of(stage, *[{"can_lead": True}] * 3)

    recuse(assignment=member, reason="曾为该单位提供咨询", by=member.reviewer)

    assert (Panel.objects.get(pk=leader.panel_id).leader, hand_overs()) == (leader.reviewer, [])


def test_the_leader_recusing_on_the_reviewer_page_hands_the_role_on(client, stage):
    leader, member = panel_of(stage, {"can_lead": True}, {"can_lead": True})
    client.force_login(leader.reviewer)

    response = client.post(f"/review/assignments/{leader.pk}/recuse/", {"reason": "亲属在该单位"})

    assert (response.status_code, response["Location"]) == (302, "/review/")
    assert Panel.objects.get(pk=leader.panel_id).leader == member.reviewer
    client.force_login(member.reviewer)
    page = client.get(f"/review/panels/{leader.panel_id}/consensus/")
    assert (page.status_code, page.context["is_leader"]) == (200, True)
