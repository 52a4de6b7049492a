"""Adding, removing and reordering review stages: the service rules and the stages page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from awards.audit_actions import AuditAction
from awards.models import AuditEntry
from scoring.enums import StageKind
from scoring.results.models import ResultsSettings
from scoring.review.models import ReviewStage
from scoring.review.services.stage_list import save_stages
from scoring.review.services.stages import ensure_default_stages
from tests.factories import CycleFactory, OfficialFactory
from tests.scoring.factories import AssignmentFactory, PanelFactory, ReviewStageFactory

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def setup():
    cycle = CycleFactory()
    official = OfficialFactory(authority=cycle.programme.authority, username="official")
    document, onsite = ensure_default_stages(cycle=cycle, by=official)
    AuditEntry._base_manager.all().delete()  # test reset, bypassing the read-only manager
    return cycle, official, document, onsite


def defence_row(document, **overrides):
    row = {
        "kind": StageKind.DEFENCE,
        "order": 2,
        "opens_at": document.closes_at + dt.timedelta(days=1),
        "closes_at": document.closes_at + dt.timedelta(days=10),
        "panel_size": 5,
        "spread_threshold": 20,
        "advance_min_total": None,
        "advance_top_n": 5,
        "weight": Decimal("0.2"),
    }
    return row | overrides


def kinds(cycle):
    return list(
        ReviewStage.objects.filter(cycle=cycle)
        .order_by("order")
        .values_list("kind", "order", "weight")
    )


def test_add_a_defence_stage_between_document_and_onsite(setup):
    cycle, official, document, onsite = setup
    save_stages(
        cycle=cycle,
        changes={
            document.pk: {"weight": Decimal("0.3")},
            onsite.pk: {"order": 3, "weight": Decimal("0.5")},
        },
        added=[defence_row(document)],
        by=official,
    )
    assert kinds(cycle) == [
        ("document", 1, Decimal("0.300")),
        ("defence", 2, Decimal("0.200")),
        ("onsite", 3, Decimal("0.500")),
    ]
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "details")) == [
        ("change_review_stage", {"changes": {"order": ["2", "3"], "weight": ["0.700", "0.5"]}}),
        (
            "add_review_stage",
            {
                "kind": "defence",
                "values": {
                    "order": "2",
                    "opens_at": str(ReviewStage.objects.get(kind="defence").opens_at),
                    "closes_at": str(ReviewStage.objects.get(kind="defence").closes_at),
                    "panel_size": "5",
                    "spread_threshold": "20",
                    "advance_min_total": "None",
                    "advance_top_n": "5",
                    "individual_advance_min_total": "None",
                    "individual_advance_top_n": "None",
                    "weight": "0.2",
                },
            },
        ),
    ]


def test_swapping_two_stages_without_work_is_allowed(setup):
    cycle, official, document, onsite = setup
    save_stages(
        cycle=cycle, changes={document.pk: {"order": 2}, onsite.pk: {"order": 1}}, by=official
    )
    assert kinds(cycle) == [("onsite", 1, Decimal("0.700")), ("document", 2, Decimal("0.300"))]


def test_weights_must_add_up_in_weighted_mode(setup):
    cycle, official, document, _onsite = setup
    with pytest.raises(ValidationError) as error:
        save_stages(cycle=cycle, changes={}, added=[defence_row(document)], by=official)
    assert error.value.messages == ["评审阶段的顺序不能重复。", "各阶段权重之和为 1.2，应为 1"]
    assert (kinds(cycle), AuditEntry.objects.exclude(action=AuditAction.LOG_IN).count()) == (
        [("document", 1, Decimal("0.300")), ("onsite", 2, Decimal("0.700"))],
        0,
    )


def test_replacement_mode_only_needs_one_weight_above_zero(setup):
    cycle, official, document, onsite = setup
    ResultsSettings.objects.create(cycle=cycle, mode="replacement", tie_break=["total"])
    save_stages(
        cycle=cycle,
        changes={onsite.pk: {"order": 3, "weight": Decimal("1")}},
        added=[defence_row(document, weight=Decimal("1"))],
        by=official,
    )
    assert kinds(cycle) == [
        ("document", 1, Decimal("0.300")),
        ("defence", 2, Decimal("1.000")),
        ("onsite", 3, Decimal("1.000")),
    ]
    with pytest.raises(ValidationError) as error:
        save_stages(
            cycle=cycle,
            changes={
                stage.pk: {"weight": Decimal("0")}
                for stage in ReviewStage.objects.filter(cycle=cycle)
            },
            by=official,
        )
    assert error.value.messages == ["至少一个评审阶段的权重应大于 0"]


def test_a_stage_with_assignments_cannot_be_removed(setup):
    cycle, official, document, onsite = setup
    AssignmentFactory(panel=PanelFactory(stage=onsite))
    with pytest.raises(ValidationError) as error:
        save_stages(
            cycle=cycle,
            changes={document.pk: {"weight": Decimal("1")}},
            removed=[onsite.pk],
            by=official,
        )
    assert error.value.messages == ["“现场评审”已有评审分配、评分、共识或问询，不能删除。"]
    assert (len(kinds(cycle)), AuditEntry.objects.exclude(action=AuditAction.LOG_IN).count()) == (
        2,
        0,
    )


def test_an_empty_stage_is_removed_with_its_empty_panels_and_audited(setup):
    cycle, official, document, onsite = setup
    PanelFactory(stage=onsite)
    save_stages(
        cycle=cycle,
        changes={document.pk: {"weight": Decimal("1")}},
        removed=[onsite.pk],
        by=official,
    )
    assert kinds(cycle) == [("document", 1, Decimal("1.000"))]
    assert list(
        AuditEntry.objects.order_by("pk").values_list("action", "target_id", "details")
    ) == [
        ("remove_review_stage", str(onsite.pk), {"kind": "onsite", "order": 2}),
        ("change_review_stage", str(document.pk), {"changes": {"weight": ["0.300", "1"]}}),
    ]


def test_no_stage_may_be_added_before_a_stage_that_has_work(setup):
    cycle, official, document, onsite = setup
    AssignmentFactory(panel=PanelFactory(stage=onsite))
    with pytest.raises(ValidationError) as error:
        save_stages(
            cycle=cycle,
            changes={onsite.pk: {"order": 3, "weight": Decimal("0.5")}},
            added=[defence_row(document)],
            by=official,
        )
    assert error.value.messages == [
        "“现场评审”已有评审分配、评分、共识或问询，它之前的评审阶段不能增加、删除或调换。"
    ]
    # After the busy stage it is fine.
    save_stages(
        cycle=cycle,
        changes={onsite.pk: {"weight": Decimal("0.5")}},
        added=[defence_row(document, order=3)],
        by=official,
    )
    assert [kind for kind, _order, _weight in kinds(cycle)] == ["document", "onsite", "defence"]


def test_a_stage_named_in_the_tie_break_chain_is_not_removed(setup):
    cycle, official, document, onsite = setup
    ResultsSettings.objects.create(cycle=cycle, tie_break=["total", "stage:onsite"])
    with pytest.raises(ValidationError) as error:
        save_stages(
            cycle=cycle,
            changes={document.pk: {"weight": Decimal("1")}},
            removed=[onsite.pk],
            by=official,
        )
    assert error.value.messages == [
        "结果设置的并列处理依据用到了“现场评审”，请先在结果设置中修改后再删除。"
    ]


def test_a_stage_of_another_cycle_is_refused(setup):
    cycle, official, document, _onsite = setup
    stranger = ReviewStageFactory()
    with pytest.raises(ValidationError) as error:
        save_stages(cycle=cycle, changes={stranger.pk: {"order": 5}}, removed=[], by=official)
    assert error.value.messages == ["所提交的评审阶段不属于该届次，请刷新页面后重试。"]
    with pytest.raises(ValidationError):
        save_stages(cycle=cycle, changes={}, removed=[stranger.pk], by=official)
    assert ReviewStage.objects.filter(pk=stranger.pk).exists()


# --- the stages page ------------------------------------------------------------------------


def minute(moment) -> str:
    return f"{moment.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def page_data(stages, extra=None, **overrides):
    data = {
        "stages-TOTAL_FORMS": str(len(stages) + 1),
        "stages-INITIAL_FORMS": str(len(stages)),
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "1000",
    }
    for index, stage in enumerate(stages):
        data.update(
            {
                f"stages-{index}-id": str(stage.pk),
                f"stages-{index}-order": str(stage.order),
                f"stages-{index}-opens_at": minute(stage.opens_at),
                f"stages-{index}-closes_at": minute(stage.closes_at),
                f"stages-{index}-panel_size": str(stage.panel_size),
                f"stages-{index}-spread_threshold": str(stage.spread_threshold),
                f"stages-{index}-advance_min_total": "",
                f"stages-{index}-advance_top_n": "",
                f"stages-{index}-weight": str(stage.weight),
            }
        )
    new = len(stages)
    data.update(
        {
            f"stages-{new}-kind": "",
            f"stages-{new}-order": "",
            f"stages-{new}-opens_at": "",
            f"stages-{new}-closes_at": "",
            f"stages-{new}-panel_size": "5",
            f"stages-{new}-spread_threshold": "20",
            f"stages-{new}-advance_min_total": "",
            f"stages-{new}-advance_top_n": "",
            f"stages-{new}-weight": "0",
        }
    )
    for key, value in (extra or {}).items():
        data[f"stages-{new}-{key}"] = value
    data.update(overrides)
    return data


def test_page_adds_a_stage_and_reorders(client, setup):
    cycle, official, document, onsite = setup
    client.force_login(official)
    page = client.get(f"/admin/review/cycles/{cycle.pk}/stages/")
    assert "增加评审阶段" in page.content.decode()
    response = client.post(
        f"/admin/review/cycles/{cycle.pk}/stages/",
        page_data(
            [document, onsite],
            extra={
                "kind": "defence",
                "order": "2",
                "opens_at": minute(document.closes_at + dt.timedelta(days=1)),
                "closes_at": minute(document.closes_at + dt.timedelta(days=5)),
                "weight": "0.2",
            },
            **{"stages-1-order": "3", "stages-1-weight": "0.5"},
        ),
    )
    assert (response.status_code, response["Location"]) == (
        302,
        f"/admin/review/cycles/{cycle.pk}/stages/",
    )
    assert kinds(cycle) == [
        ("document", 1, Decimal("0.300")),
        ("defence", 2, Decimal("0.200")),
        ("onsite", 3, Decimal("0.500")),
    ]


def test_page_adding_needs_order_and_window(client, setup):
    cycle, official, document, onsite = setup
    client.force_login(official)
    response = client.post(
        f"/admin/review/cycles/{cycle.pk}/stages/",
        page_data([document, onsite], extra={"kind": "defence"}),
    )
    errors = response.context["formset"].forms[2].errors
    assert (response.status_code, errors) == (
        200,
        {
            "order": ["增加评审阶段时必须填写此项。"],
            "opens_at": ["增加评审阶段时必须填写此项。"],
            "closes_at": ["增加评审阶段时必须填写此项。"],
        },
    )
    assert len(kinds(cycle)) == 2


def test_page_refuses_removing_a_stage_with_assignments(client, setup):
    cycle, official, document, onsite = setup
    AssignmentFactory(panel=PanelFactory(stage=onsite))
    client.force_login(official)
    response = client.post(
        f"/admin/review/cycles/{cycle.pk}/stages/",
        page_data([document, onsite], **{"stages-1-DELETE": "on", "stages-0-weight": "1"}),
    )
    assert (response.status_code, list(response.context["formset"].non_form_errors())) == (
        200,
        ["“现场评审”已有评审分配、评分、共识或问询，不能删除。"],
    )
    assert len(kinds(cycle)) == 2


def test_page_removes_an_empty_stage(client, setup):
    cycle, official, document, onsite = setup
    client.force_login(official)
    response = client.post(
        f"/admin/review/cycles/{cycle.pk}/stages/",
        page_data([document, onsite], **{"stages-1-DELETE": "on", "stages-0-weight": "1"}),
    )
    assert response.status_code == 302
    assert kinds(cycle) == [("document", 1, Decimal("1.000"))]


@pytest.mark.parametrize("field", ["stages-0-id", "stages-1-id"])
def test_page_tampered_stage_id_is_a_form_error(client, setup, field):
    cycle, official, document, onsite = setup
    stranger = ReviewStageFactory(weight="0.5")
    client.force_login(official)
    response = client.post(
        f"/admin/review/cycles/{cycle.pk}/stages/",
        page_data([document, onsite], **{field: str(stranger.pk), "stages-0-weight": "0.9"}),
    )
    formset = response.context["formset"]
    errors = [form.errors for form in formset.forms] + [formset.non_form_errors()]
    assert (response.status_code, [dict(e) for e in errors[:3]], list(errors[3])) == (
        200,
        [{}, {}, {}],
        ["所提交的评审阶段不属于该届次，请刷新页面后重试。"],
    )
    stranger.refresh_from_db()
    assert (
        kinds(cycle),
        stranger.weight,
        AuditEntry.objects.exclude(action=AuditAction.LOG_IN).count(),
    ) == (
        [("document", 1, Decimal("0.300")), ("onsite", 2, Decimal("0.700"))],
        Decimal("0.500"),
        0,
    )


def test_page_with_a_broken_management_form_is_not_a_500(client, setup):
    cycle, official, document, onsite = setup
    client.force_login(official)
    data = page_data([document, onsite])
    data["stages-INITIAL_FORMS"] = "5"
    response = client.post(f"/admin/review/cycles/{cycle.pk}/stages/", data)
    forms = response.context["formset"].forms
    assert (response.status_code, [dict(form.errors) for form in forms]) == (
        200,
        [{}, {}, {"id": ["必需字段"]}],
    )
    assert len(kinds(cycle)) == 2
