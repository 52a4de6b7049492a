"""The last automatic assignment and the last advancement of a stage are domain state: written
on the stage by the services (beside their audit entries) and read from there by the panels and
advancement pages, which keep working with the audit log emptied and never query it."""

import datetime as dt
import importlib
import re

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards.audit_actions import AuditAction
from awards.models import AuditEntry
from awards.services.audit import record
from scoring.enums import StageKind
from scoring.review.models import ReviewStage
from scoring.review.services.assignment import auto_assign
from scoring.review.services.stages import apply_advancement
from tests.factories import CycleFactory, OfficialFactory
from tests.scoring.factories import (
    AssignmentFactory,
    EligibleApplicationFactory,
    PanelFactory,
    ReviewerProfileFactory,
    ReviewStageFactory,
    submitted_scorecard,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def minute_now():
    """The present, to the minute (what the pages show), as a fixed clock for one test."""
    return timezone.now().replace(second=0, microsecond=0)


def shown(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def get_without_audit_queries(client, url) -> str:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert [q["sql"] for q in queries if "awards_auditentry" in q["sql"]] == []
    return text_of(response)


@pytest.fixture
def office(client):
    cycle = CycleFactory()
    official = OfficialFactory(authority=cycle.programme.authority, full_name="王主任")
    client.force_login(official)
    return {"cycle": cycle, "official": official, "authority": cycle.programme.authority}


@pytest.fixture
def short_of_reviewers(office):
    """Two applications needing two reviewers each; one reviewer works for the first applicant."""
    stage = ReviewStageFactory(cycle=office["cycle"], panel_size=2)
    applications = [EligibleApplicationFactory(cycle=office["cycle"]) for _ in range(2)]
    ReviewerProfileFactory(user__username="able", user__authority=office["authority"])
    ReviewerProfileFactory(
        user__username="tied",
        user__authority=office["authority"],
        employer_credit_code=applications[0].organization.credit_code,
    )
    return {**office, "stage": stage, "apps": applications}


# --- automatic assignment -> panels page ------------------------------------------------------


def test_auto_assign_writes_its_time_and_shortfalls_on_the_stage(short_of_reviewers):
    stage, first = short_of_reviewers["stage"], short_of_reviewers["apps"][0]
    moment = minute_now()
    with time_machine.travel(moment, tick=False):
        auto_assign(stage=stage, by=short_of_reviewers["official"])
    expected = [
        {
            "application": first.pk,
            "missing": 1,
            "reason": "too_few_eligible",
            "eligible": 1,
            "panel_size": 2,
        }
    ]
    assert (stage.auto_assigned_at, stage.auto_assign_shortfalls) == (moment, expected)
    stored = ReviewStage.objects.get(pk=stage.pk)
    assert (stored.auto_assigned_at, stored.auto_assign_shortfalls) == (moment, expected)
    entry = AuditEntry.objects.get(action=AuditAction.AUTO_ASSIGN)
    assert (entry.created_at, entry.details["shortfalls"]) == (moment, expected)


def test_the_panels_page_shows_the_last_run_from_the_stage_without_the_audit_log(
    client, short_of_reviewers
):
    stage, first = short_of_reviewers["stage"], short_of_reviewers["apps"][0]
    url = f"/admin/review/stages/{stage.pk}/panels/"
    assert "上次自动分配" not in get_without_audit_queries(client, url)

    moment = minute_now()
    with time_machine.travel(moment, tick=False):
        client.post(f"/admin/review/stages/{stage.pk}/auto-assign/")
    AuditEntry._base_manager.all().delete()  # test reset, bypassing the read-only manager
    assert (
        f"上次自动分配（{shown(moment)}）后，以下申报缺少评审专家： "
        f"申报 {first.pk} {first.organization.name}。原因："
        "评审组需要 2 名专家，但只有 1 名专家与该申报无利益冲突，缺 1 名。请扩充专家库。"
    ) in get_without_audit_queries(client, url)


def test_a_complete_run_replaces_the_shortfalls_of_the_previous_one(client, short_of_reviewers):
    stage = short_of_reviewers["stage"]
    auto_assign(stage=stage, by=short_of_reviewers["official"])
    ReviewerProfileFactory(user__username="third", user__authority=short_of_reviewers["authority"])
    later = minute_now()
    with time_machine.travel(later, tick=False):
        auto_assign(stage=stage, by=short_of_reviewers["official"])
    stage.refresh_from_db()
    assert (stage.auto_assigned_at, stage.auto_assign_shortfalls) == (later, [])
    AuditEntry._base_manager.all().delete()  # test reset, bypassing the read-only manager
    page = get_without_audit_queries(client, f"/admin/review/stages/{stage.pk}/panels/")
    assert f"上次自动分配（{shown(later)}）已为所有申报配齐评审组和组长。" in page
    assert "以下申报缺少评审专家" not in page


# --- advancement -> advancement page ----------------------------------------------------------


@pytest.fixture
def scored_stage(office):
    document = ReviewStageFactory(cycle=office["cycle"], advance_top_n=1)
    ReviewStageFactory(cycle=office["cycle"], kind=StageKind.ONSITE, order=2)
    for percent in (80, 50):
        submitted_scorecard(AssignmentFactory(panel=PanelFactory(stage=document)), percent)
    return document


def test_apply_advancement_writes_when_and_who_on_the_stage(office, scored_stage):
    moment = minute_now()
    with time_machine.travel(moment, tick=False):
        apply_advancement(stage=scored_stage, by=office["official"])
    stored = ReviewStage.objects.get(pk=scored_stage.pk)
    assert (stored.advancement_applied_at, stored.advancement_applied_by) == (
        moment,
        office["official"],
    )
    assert AuditEntry.objects.get(action=AuditAction.APPLY_ADVANCEMENT).created_at == moment


def test_the_advancement_page_shows_the_last_one_from_the_stage_without_the_audit_log(
    client, office, scored_stage
):
    url = f"/admin/review/stages/{scored_stage.pk}/advancement/"
    assert "上次确定晋级" not in get_without_audit_queries(client, url)
    moment = minute_now()
    with time_machine.travel(moment, tick=False):
        client.post(url)
    AuditEntry._base_manager.all().delete()  # test reset, bypassing the read-only manager
    assert f"上次确定晋级：{shown(moment)}，王主任。" in get_without_audit_queries(client, url)


# --- the migration that moved existing stages' state out of the audit log ----------------------


def test_the_migration_copies_each_stage_latest_runs_from_the_audit_log(office):
    migration = importlib.import_module("scoring.migrations.0006_review_stage_last_runs")
    stage = ReviewStageFactory(cycle=office["cycle"])
    untouched = ReviewStageFactory(cycle=office["cycle"], kind=StageKind.ONSITE, order=2)
    official, colleague = office["official"], OfficialFactory(authority=office["authority"])
    earlier, later = minute_now() - dt.timedelta(days=2), minute_now()
    shortfall = {
        "application": 7,
        "missing": 2,
        "reason": "eligible_at_capacity",
        "eligible": 4,
        "panel_size": 5,
    }
    written = [
        (AuditAction.AUTO_ASSIGN, later, official, {"shortfalls": [shortfall]}),
        (AuditAction.AUTO_ASSIGN, earlier, official, {"shortfalls": []}),
        (AuditAction.APPLY_ADVANCEMENT, earlier, official, {}),
        (AuditAction.APPLY_ADVANCEMENT, later, colleague, {}),
        (AuditAction.CHANGE_REVIEW_STAGE, later, official, {}),
    ]
    for action, moment, actor, details in written:
        entry = record(actor=actor, action=action, target=stage, **details)
        AuditEntry._base_manager.filter(pk=entry.pk).update(created_at=moment)

    migration.copy_last_runs_from_the_audit_log(django_apps, None)
    stage.refresh_from_db()
    untouched.refresh_from_db()
    assert (
        stage.auto_assigned_at,
        stage.auto_assign_shortfalls,
        stage.advancement_applied_at,
        stage.advancement_applied_by,
    ) == (later, [shortfall], later, colleague)
    assert (
        untouched.auto_assigned_at,
        untouched.auto_assign_shortfalls,
        untouched.advancement_applied_at,
        untouched.advancement_applied_by,
    ) == (None, [], None, None)
