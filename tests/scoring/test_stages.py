"""Review stages: defaults from the cycle's timetable, officials' edits, and advancement."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from awards.models import AuditEntry
from scoring.enums import ConsensusStatus, StageKind
from scoring.review.models import Assignment, Consensus, ConsensusItem, Panel, ReviewStage
from scoring.review.services.stage_list import save_stages
from scoring.review.services.stages import (
    advancement_outcomes,
    apply_advancement,
    ensure_default_stages,
)
from tests import clock
from tests.factories import CycleFactory, OfficialFactory
from tests.scoring.factories import (
    AssignmentFactory,
    EligibleApplicationFactory,
    PanelFactory,
    ReviewStageFactory,
    submitted_scorecard,
)

pytestmark = pytest.mark.django_db


def test_default_stages_follow_the_cycle_timetable():
    cycle = CycleFactory()
    official = OfficialFactory(authority=cycle.programme.authority)
    stages = ensure_default_stages(cycle=cycle, by=official)
    day = dt.timedelta(days=1)
    last_second = dt.timedelta(hours=23, minutes=59, seconds=59)
    assert [
        (s.kind, s.order, s.opens_at, s.closes_at, s.panel_size, s.weight, s.spread_threshold)
        for s in stages
    ] == [
        (
            StageKind.DOCUMENT,
            1,
            clock.at(cycle.screening_deadline + day),
            clock.at(cycle.document_review_deadline) + last_second,
            5,
            Decimal("0.300"),
            20,
        ),
        (
            StageKind.ONSITE,
            2,
            clock.at(cycle.document_review_deadline + day),
            clock.at(cycle.onsite_review_deadline) + last_second,
            5,
            Decimal("0.700"),
            20,
        ),
    ]
    assert ensure_default_stages(cycle=cycle, by=official) == stages
    assert list(AuditEntry.objects.values_list("action", "details")) == [
        ("create_review_stages", {"stages": ["document", "onsite"]})
    ]


def test_default_stages_keep_an_existing_stage():
    cycle = CycleFactory()
    ReviewStageFactory(cycle=cycle, kind=StageKind.DEFENCE, order=1, weight="0")
    stages = ensure_default_stages(cycle=cycle, by=None)
    assert [(s.kind, s.order) for s in stages] == [
        (StageKind.DEFENCE, 1),
        (StageKind.DOCUMENT, 2),
        (StageKind.ONSITE, 3),
    ]


def test_save_stages_checks_all_stages_and_audits_changes():
    cycle = CycleFactory()
    official = OfficialFactory(authority=cycle.programme.authority)
    document, onsite = ensure_default_stages(cycle=cycle, by=official)
    with pytest.raises(ValidationError) as error:
        save_stages(
            cycle=cycle,
            changes={
                document.pk: {"weight": Decimal("0.5"), "closes_at": document.opens_at},
                onsite.pk: {"panel_size": 0},
            },
            by=official,
        )
    assert error.value.messages == [
        "“资料评审”的评分截止时间必须晚于开始时间。",
        "“现场评审”的评审组人数至少为 1。",
        "各阶段权重之和为 1.2，应为 1",
    ]
    save_stages(
        cycle=cycle,
        changes={
            document.pk: {"advance_top_n": 3, "advance_min_total": Decimal("500.00")},
            onsite.pk: {"panel_size": 7},
        },
        by=official,
    )
    document.refresh_from_db()
    onsite.refresh_from_db()
    assert (document.advance_top_n, document.advance_min_total, onsite.panel_size) == (
        3,
        Decimal("500.00"),
        7,
    )
    assert list(
        AuditEntry.objects.filter(action="change_review_stage")
        .order_by("pk")
        .values_list("target_id", "details")
    ) == [
        (
            str(document.pk),
            {"changes": {"advance_min_total": ["None", "500.00"], "advance_top_n": ["None", "3"]}},
        ),
        (str(onsite.pk), {"changes": {"panel_size": ["5", "7"]}}),
    ]


@pytest.fixture
def scored():
    """Four applications in document review; three have submitted scores, one has none."""
    cycle = CycleFactory()
    official = OfficialFactory(authority=cycle.programme.authority)
    document, onsite = ensure_default_stages(cycle=cycle, by=official)
    apps = {}
    for name, percents in (("high", (70, 80)), ("mid", (60, 60)), ("low", (40, 50))):
        panel = PanelFactory(stage=document)
        for percent in percents:
            submitted_scorecard(AssignmentFactory(panel=panel), percent)
        apps[name] = panel.application
    draft_panel = PanelFactory(stage=document)
    submitted_scorecard(AssignmentFactory(panel=draft_panel), 90, submit=False)
    apps["draft_only"] = draft_panel.application
    return {"cycle": cycle, "official": official, "document": document, "onsite": onsite, **apps}


def test_advancement_needs_a_rule(scored):
    with pytest.raises(ValidationError) as error:
        advancement_outcomes(stage=scored["document"])
    assert error.value.messages == ["请先为该阶段设置晋级规则（最低总分和/或前 N 名）。"]


def test_advancement_by_minimum_and_top_n(scored):
    document = scored["document"]
    document.advance_min_total = Decimal("500")
    document.advance_top_n = 1
    document.save()
    outcomes = advancement_outcomes(stage=document)
    assert [(o.application_id, o.total, o.rank, o.advances, o.reason) for o in outcomes] == [
        (
            scored["high"].pk,
            Decimal("750.00"),
            1,
            True,
            "总分 750.00，第 1 名：达到最低总分 500.00；在前 1 名内",
        ),
        (scored["mid"].pk, Decimal("600.00"), 2, False, "总分 600.00，第 2 名：未进入前 1 名"),
        (
            scored["low"].pk,
            Decimal("450.00"),
            3,
            False,
            "总分 450.00，第 3 名：低于最低总分 500.00；未进入前 1 名",
        ),
        (scored["draft_only"].pk, None, None, False, "没有已提交的评分表"),
    ]


def test_apply_advancement_creates_next_stage_panels_and_audits(scored):
    document, onsite = scored["document"], scored["onsite"]
    document.advance_min_total = Decimal("600")
    document.save()
    result = apply_advancement(stage=document, by=scored["official"])
    assert (result.next_stage, result.created_panels, result.removed_panels) == (onsite, 2, 0)
    assert set(Panel.objects.filter(stage=onsite).values_list("application_id", flat=True)) == {
        scored["high"].pk,
        scored["mid"].pk,
    }
    entry = AuditEntry.objects.get(action="apply_advancement")
    assert (entry.actor, entry.details["advanced"], entry.details["rule"]) == (
        scored["official"],
        sorted([scored["high"].pk, scored["mid"].pk]),
        {"min_total": "600.00", "top_n": None},
    )
    # Raising the bar later withdraws the empty panel; a panel with members stays, named.
    AssignmentFactory(panel=Panel.objects.get(stage=onsite, application=scored["mid"]))
    document.advance_min_total = Decimal("700")
    document.save()
    result = apply_advancement(stage=document, by=scored["official"])
    assert (result.created_panels, result.removed_panels, result.kept_with_members) == (
        0,
        0,
        [scored["mid"].pk],
    )
    document.advance_min_total = Decimal("800")
    document.save()
    result = apply_advancement(stage=document, by=scored["official"])
    assert (result.removed_panels, result.kept_with_members) == (1, [scored["mid"].pk])
    assert list(Panel.objects.filter(stage=onsite).values_list("application_id", flat=True)) == [
        scored["mid"].pk
    ]


def test_final_consensus_replaces_the_mean_for_its_items(scored):
    document = scored["document"]
    document.advance_top_n = 3
    document.save()
    panel = Panel.objects.get(stage=document, application=scored["low"])
    consensus = Consensus.objects.create(panel=panel, status=ConsensusStatus.FINAL)
    item = scored["cycle"].framework.items.get(code="4.7.1")  # 80 points; mean was 45 %
    ConsensusItem.objects.create(consensus=consensus, item=item, percent=95)
    totals = {o.application_id: o.total for o in advancement_outcomes(stage=document)}
    assert totals[scored["low"].pk] == Decimal("450.00") + Decimal("40.00")


def test_last_stage_has_no_advancement(scored):
    with pytest.raises(ValidationError) as error:
        apply_advancement(stage=scored["onsite"], by=scored["official"])
    assert error.value.messages == ["这是最后一个评审阶段，没有可晋级的下一阶段。"]
    assert Assignment.objects.filter(panel__stage=scored["onsite"]).count() == 0
    assert ReviewStage.objects.filter(cycle=scored["cycle"]).count() == 2


def test_advanced_applications_are_the_next_stage_applications(scored):
    from scoring.review.services.stages import stage_applications

    document = scored["document"]
    document.advance_top_n = 2
    document.save()
    apply_advancement(stage=document, by=scored["official"])
    assert list(stage_applications(scored["onsite"])) == sorted(
        [scored["high"], scored["mid"]], key=lambda a: a.pk
    )
    extra = EligibleApplicationFactory(cycle=scored["cycle"])
    assert extra in stage_applications(document)
