import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from awards.enums import CycleStatus
from awards.models import AuditEntry, Cycle
from awards.services.cycles import change_cycle_status, level_errors, timetable_errors
from awards.services.programmes import create_cycle
from tests import clock
from tests.admin_forms import cycle_form_data, inline_formset
from tests.factories import (
    AwardLevelFactory,
    CycleFactory,
    OfficialFactory,
    cycle_timetable,
    national_framework,
)

pytestmark = pytest.mark.django_db


def test_a_timetable_in_order_has_no_errors():
    assert timetable_errors(cycle_timetable()) == {}


def test_a_deadline_before_opening_names_both_milestones():
    timetable = cycle_timetable()
    opening = timetable["applications_open"]
    early = opening - dt.timedelta(days=31)
    bad = {**timetable, "application_deadline": clock.at(early, 9)}
    assert timetable_errors(bad) == {
        "application_deadline": f"“申报截止时间”（{early}）不能早于“开始申报日期”（{opening}）。"
    }


def test_deadline_compared_in_shanghai_time_not_utc():
    # 00:30 on the opening day in Shanghai is still the day before in UTC: it must count as
    # the opening day.
    timetable = cycle_timetable()
    edge = {
        **timetable,
        "application_deadline": clock.at(timetable["applications_open"], 0, 30).astimezone(dt.UTC),
    }
    assert edge["application_deadline"].date() < timetable["applications_open"]
    assert timetable_errors(edge) == {}


def test_an_extension_must_be_later_than_the_deadline():
    timetable = cycle_timetable()
    errors = timetable_errors(
        {**timetable, "deadline_extended_until": timetable["application_deadline"]}
    )
    assert errors == {"deadline_extended_until": "延长后的截止时间必须晚于原申报截止时间。"}


def test_levels_must_descend_by_minimum_total():
    assert level_errors([("质量奖", 600, 2), ("提名奖", 550, 3)]) == []
    assert level_errors([("提名奖", 550, 3), ("质量奖", 600, 2)]) == [
        "奖项等级“质量奖”的最低总分（600）高于排在其前的“提名奖”（550）。"
    ]


def unused_edition(programme) -> int:
    """An edition no cycle of ``programme`` has (factories number editions in sequence)."""
    return max(programme.cycles.values_list("edition", flat=True), default=0) + 1


def test_create_cycle_refuses_bad_dates_and_saves_nothing():
    official = OfficialFactory()
    programme = CycleFactory(programme__authority=official.authority).programme
    before = Cycle.objects.count()
    timetable = cycle_timetable()
    onsite = timetable["onsite_review_deadline"]
    early = timetable["screening_deadline"] + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        create_cycle(
            programme=programme,
            edition=unused_edition(programme),
            year=clock.today().year,
            framework=national_framework(),
            timetable={**timetable, "notice_start": early},
            levels=[("质量奖", 600, 2)],
            by=official,
        )
    assert caught.value.message_dict == {
        "notice_start": [f"“公示开始日期”（{early}）不能早于“现场评审截止日期”（{onsite}）。"]
    }
    assert Cycle.objects.count() == before


def test_create_cycle_stores_levels_in_order_and_audits():
    official = OfficialFactory()
    programme = CycleFactory(programme__authority=official.authority).programme
    cycle = create_cycle(
        programme=programme,
        edition=unused_edition(programme),
        year=clock.today().year + 1,
        framework=national_framework(),
        timetable=cycle_timetable(),
        levels=[("质量奖", 600, 2), ("提名奖", 550, 3)],
        by=official,
    )
    assert [(lv.name, int(lv.min_total), lv.quota) for lv in cycle.levels.all()] == [
        ("质量奖", 600, 2),
        ("提名奖", 550, 3),
    ]
    assert cycle.status == CycleStatus.DRAFT
    entry = AuditEntry.objects.get(action="create_cycle")
    assert (entry.actor, entry.target_id) == (official, str(cycle.pk))


def test_status_moves_forward_only_and_is_audited():
    official = OfficialFactory()
    cycle = CycleFactory(programme__authority=official.authority, status=CycleStatus.DRAFT)
    change_cycle_status(cycle=cycle, to=CycleStatus.OPEN, by=official)
    with pytest.raises(ValidationError) as caught:
        change_cycle_status(cycle=cycle, to=CycleStatus.DRAFT, by=official)
    assert caught.value.messages == ["届次状态不能从“申报中”变为“筹备中”。"]
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    assert list(
        AuditEntry.objects.filter(action="change_cycle_status").values_list("details", flat=True)
    ) == [{"from": "draft", "to": "open"}]


def test_admin_edit_refuses_out_of_order_dates_with_a_message_and_saves_nothing(client):
    official = OfficialFactory()
    cycle = CycleFactory(programme__authority=official.authority)
    AwardLevelFactory(cycle=cycle)
    client.force_login(official)
    saved = cycle.screening_deadline
    deadline = cycle.application_deadline.astimezone(clock.SHANGHAI).date()
    early = cycle.applications_open + dt.timedelta(days=1)
    response = client.post(
        f"/admin/cycles/edit/{cycle.pk}/",
        cycle_form_data(cycle, screening_deadline=early.isoformat()),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["screening_deadline"] == [
        f"“资格审查截止日期”（{early}）不能早于“申报截止时间”（{deadline}）。"
    ]
    cycle.refresh_from_db()
    assert cycle.screening_deadline == saved


def test_admin_edit_refuses_levels_out_of_order(client):
    official = OfficialFactory()
    cycle = CycleFactory(programme__authority=official.authority)
    client.force_login(official)
    response = client.post(
        f"/admin/cycles/edit/{cycle.pk}/",
        cycle_form_data(
            cycle,
            levels=[
                {"name": "提名奖", "min_total": "550", "quota": "3"},
                {"name": "质量奖", "min_total": "600", "quota": "2"},
            ],
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "奖项等级“质量奖”的最低总分（600）高于排在其前的“提名奖”（550）。"
    ]
    assert cycle.levels.count() == 0


def test_admin_status_page_opens_a_cycle(client):
    official = OfficialFactory()
    cycle = CycleFactory(programme__authority=official.authority, status=CycleStatus.DRAFT)
    client.force_login(official)
    page = client.get(f"/admin/cycles/{cycle.pk}/status/")
    assert page.status_code == 200
    assert [t.value for t in page.context["targets"]] == ["open", "closed"]
    response = client.post(f"/admin/cycles/{cycle.pk}/status/", {"to": "open"}, follow=True)
    assert response.redirect_chain == [(f"/admin/cycles/edit/{cycle.pk}/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["届次状态已改为“申报中”。"]
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    bad = client.post(f"/admin/cycles/{cycle.pk}/status/", {"to": "draft"}, follow=True)
    assert [str(m) for m in bad.context["messages"]] == ["届次状态不能从“申报中”变为“筹备中”。"]


def test_admin_creates_a_cycle_with_default_evidence_requirements(client):
    official = OfficialFactory()
    programme = CycleFactory(programme__authority=official.authority).programme
    template = CycleFactory(programme=programme)
    client.force_login(official)
    data = cycle_form_data(template, levels=[{"name": "质量奖", "min_total": "600", "quota": "2"}])
    edition = unused_edition(programme)
    data.update({"edition": edition, "year": clock.today().year + 1})
    data.update(inline_formset("attachment_requirements", []))
    response = client.post("/admin/cycles/new/", data)
    assert response.status_code == 302
    created = Cycle.objects.get(programme=programme, edition=edition)
    assert [r.code for r in created.attachment_requirements.all()] == [
        "financial-statements",
        "certificates",
        "recommendation",
        "commitment",
        "other",
    ]
    assert AuditEntry.objects.filter(action="create_cycle", target_id=str(created.pk)).count() == 1


def test_admin_edits_a_cycles_evidence_requirements(client):
    official = OfficialFactory()
    cycle = CycleFactory(programme__authority=official.authority)
    from awards.services.application_attachments import ensure_attachment_requirements

    ensure_attachment_requirements(cycle=cycle)
    client.force_login(official)
    data = cycle_form_data(cycle)
    data["attachment_requirements-4-required"] = "on"  # make "other evidence" required
    response = client.post(f"/admin/cycles/edit/{cycle.pk}/", data)
    assert response.status_code == 302
    assert cycle.attachment_requirements.get(code="other").required is True
