"""An early manual status change asks for confirmation with its effect, and can be undone while
nothing has happened to an application since."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from awards.enums import ApplicationStatus, CycleStatus
from awards.models import ApplicationEvent, AuditEntry
from awards.services.cycles import (
    change_cycle_status,
    early_change_effect,
    undo_cycle_status,
    undoable_status_change,
)
from tests import clock
from tests.factories import OfficialFactory, open_cycle, started_application

pytestmark = pytest.mark.django_db

DEADLINE = clock.at(dt.date(2026, 9, 30), 17)


def test_the_effect_counts_the_drafts_and_is_none_after_the_deadline(time_machine):
    time_machine.move_to(DEADLINE - dt.timedelta(days=2), tick=False)
    cycle = open_cycle(application_deadline=DEADLINE)
    started_application(cycle=cycle)
    returned, _user = started_application(cycle=cycle)
    returned.status = ApplicationStatus.RETURNED
    returned.save()
    submitted, _user = started_application(cycle=cycle)
    submitted.status = ApplicationStatus.SUBMITTED
    submitted.save()
    assert early_change_effect(cycle=cycle, to=CycleStatus.SCREENING) == (
        "申报截止时间为 2026-09-30 17:00（北京时间），现在改为“资格审查”将提前结束申报："
        "2 份草稿将不能再提交。"
    )
    assert early_change_effect(cycle=cycle, to=CycleStatus.DRAFT) is None
    time_machine.move_to(DEADLINE + dt.timedelta(seconds=1), tick=False)
    assert early_change_effect(cycle=cycle, to=CycleStatus.SCREENING) is None


def test_the_console_confirms_an_early_change_and_undoes_it(client, time_machine):
    time_machine.move_to(DEADLINE - dt.timedelta(days=2))
    cycle = open_cycle(application_deadline=DEADLINE)
    started_application(cycle=cycle)
    official = OfficialFactory(authority=cycle.programme.authority)
    client.force_login(official)
    url = f"/admin/cycles/{cycle.pk}/status/"
    asked = client.post(url, {"to": "screening"})
    assert asked.status_code == 200
    assert asked.templates[0].name == "awards/console/cycle_status_confirm.html"
    assert "1 份草稿将不能再提交。" in asked.content.decode()
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    done = client.post(url, {"to": "screening", "confirm": "1"}, follow=True)
    assert [str(m) for m in done.context["messages"]] == ["届次状态已改为“资格审查”。"]
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.SCREENING
    page = client.get(url)
    assert page.context["undo_to"] == CycleStatus.OPEN
    assert "撤销上一次状态变更" in page.content.decode()
    undone = client.post(url, {"undo": "1"}, follow=True)
    assert [str(m) for m in undone.context["messages"]] == [
        "已撤销上一次状态变更，届次状态恢复为“申报中”。"
    ]
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    assert list(
        AuditEntry.objects.filter(action="change_cycle_status")
        .order_by("pk")
        .values_list("details", flat=True)
    ) == [{"from": "open", "to": "screening"}, {"from": "screening", "to": "open", "undo": True}]
    # An undo is not undone in turn.
    assert client.get(url).context["undo_to"] is None


def test_no_undo_once_a_screening_decision_was_recorded(time_machine):
    time_machine.move_to(DEADLINE - dt.timedelta(days=1))
    cycle = open_cycle(application_deadline=DEADLINE)
    application, _user = started_application(cycle=cycle)
    time_machine.move_to(DEADLINE + dt.timedelta(days=1))
    official = OfficialFactory(authority=cycle.programme.authority)
    change_cycle_status(cycle=cycle, to=CycleStatus.SCREENING, by=official)
    cycle.refresh_from_db()
    assert undoable_status_change(cycle) is not None
    time_machine.move_to(DEADLINE + dt.timedelta(days=2))
    ApplicationEvent.objects.create(
        application=application, status=ApplicationStatus.ELIGIBLE, by=official
    )
    assert undoable_status_change(cycle) is None
    with pytest.raises(ValidationError) as refused:
        undo_cycle_status(cycle=cycle, by=official)
    assert refused.value.messages == [
        "该状态变更已不能撤销：此后已有申报发生了新的进展（如资格审查决定），或没有可撤销的变更。"
    ]
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.SCREENING
