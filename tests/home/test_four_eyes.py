"""Separation of duties on the results pages: an approver other than the author (four-eyes rule,
per authority, on by default), a group of at least two, and the live 公示 page kept public for
the whole objection period (no unpublish or delete, not even in bulk or through an ancestor)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowState, WorkflowTask
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from awards.models import AuditEntry
from home.models import ResultsNoticePage
from home.results_pages import ResultsApprovalTask
from home.results_workflow import create_notice_page, results_workflow
from scoring.publication.models import PublicNotice
from scoring.publication.services.notices import open_public_notice
from tests import clock
from tests.factories import UserFactory
from tests.home.results_helpers import build_results_world

#: A Friday; a notice opened today runs five working days, to Thursday 2026-11-26.
TODAY = clock.at(dt.date(2026, 11, 20), 10)
pytestmark = pytest.mark.time_machine(TODAY)

AUTHOR_REFUSED = "按双人复核规则，结果页面须由作者以外的工作人员审核通过。"


@pytest.fixture
def world(home_page):
    return build_results_world(home_page)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def open_notice(world) -> PublicNotice:
    return open_public_notice(
        snapshot=world.snapshot, starts_on=timezone.localdate(), by=world.official
    )


def editor_approve(client, page) -> None:
    """The "approve" of the page editor's action menu, as the browser posts it."""
    client.post(
        f"/admin/pages/{page.pk}/edit/",
        nested_form_data(
            {
                "title": page.title,
                "slug": page.slug,
                "body": streamfield([]),
                "comments": inline_formset([]),
                "action-workflow-action": "true",
                "workflow-action-name": "approve",
            }
        ),
    )


def test_the_author_cannot_approve_their_own_page_another_official_can(client, world):
    page = create_notice_page(notice=open_notice(world), by=world.official)
    task = page.current_workflow_task
    assert isinstance(task, ResultsApprovalTask)
    state = page.current_workflow_task_state

    with pytest.raises(PermissionDenied) as refused:
        task.on_action(state, world.official, "approve")
    assert str(refused.value) == AUTHOR_REFUSED
    client.force_login(world.official)
    editor_approve(client, page)
    page.refresh_from_db()
    assert (page.live, page.current_workflow_state.status) == (
        False,
        WorkflowState.STATUS_IN_PROGRESS,
    )
    assert not AuditEntry.objects.filter(action="approve_results_page").exists()

    client.force_login(world.approver)
    editor_approve(client, page)
    page.refresh_from_db()
    assert page.live is True
    entry = AuditEntry.objects.get(action="approve_results_page")
    assert (entry.actor, entry.target_id) == (world.approver, str(page.pk))


def test_whoever_edits_the_page_during_moderation_becomes_an_author(world):
    page = create_notice_page(notice=open_notice(world), by=world.official)
    page.body = "[]"
    page.save_revision(user=world.approver)
    task = page.current_workflow_task
    assert [name for name, _label, _modal in task.get_actions(page, world.approver)] == ["reject"]
    third = UserFactory(role="official", authority=world.cycle.programme.authority)
    third.groups.add(*world.official.groups.all())
    third.refresh_from_db()
    assert "approve" in [name for name, _label, _modal in task.get_actions(page, third)]


def test_a_group_of_one_cannot_submit_a_results_page(world):
    world.approver.is_active = False
    world.approver.save()
    notice = open_notice(world)
    with pytest.raises(ValidationError) as refused:
        create_notice_page(notice=notice, by=world.official)
    assert refused.value.messages == [
        "按双人复核规则，结果页面须由作者以外的工作人员审核，但“天门市人民政府”的审核组只有 1 "
        "名在职工作人员。请先增加一名工作人员，再发布公示或表彰。"
    ]
    assert not ResultsNoticePage.objects.exists()


def test_an_authority_without_the_rule_lets_a_lone_official_approve(world):
    authority = world.cycle.programme.authority
    authority.four_eyes = False
    authority.save()
    world.approver.is_active = False
    world.approver.save()
    page = create_notice_page(notice=open_notice(world), by=world.official)
    task = page.current_workflow_task
    task.on_action(page.current_workflow_task_state, world.official, "approve")
    page.refresh_from_db()
    assert page.live is True


def test_an_old_workflow_gets_the_four_eyes_task(world):
    authority = world.cycle.programme.authority
    workflow = Workflow.objects.create(name="天门市人民政府·结果发布审核")
    old = GroupApprovalTask.objects.create(name="旧审核")
    WorkflowTask.objects.create(workflow=workflow, task=old, sort_order=0)
    assert results_workflow(authority=authority) == workflow
    tasks = [task.specific for task in workflow.tasks.all()]
    assert [(type(task), task.authority) for task in tasks] == [(ResultsApprovalTask, authority)]
    assert results_workflow(authority=authority).tasks.get().pk == tasks[0].pk


@pytest.fixture
def live_notice_page(world):
    page = create_notice_page(notice=open_notice(world), by=world.official)
    page.current_workflow_task_state.approve(user=world.approver)
    page.refresh_from_db()
    assert page.live is True
    return page


KEPT = "“第5届陆羽质量奖拟表彰名单公示”正在公示，异议受理至 2026-11-26，公示期内不能{verb}；如需更正，请修改页面并提交审核。"


@pytest.mark.parametrize("who", ["official", "superuser"])
def test_the_live_notice_is_neither_unpublished_nor_deleted_during_the_period(
    client, world, live_notice_page, who
):
    user = world.official if who == "official" else UserFactory(is_superuser=True)
    page = live_notice_page
    programme_page = world.programme_page
    client.force_login(user)
    for target, action, verb in (
        (page, "unpublish", "撤下"),
        (page, "delete", "删除"),
        (programme_page, "unpublish", "撤下"),
        (programme_page, "delete", "删除"),
    ):
        response = client.post(f"/admin/pages/{target.pk}/{action}/", {"include_descendants": "on"})
        assert response.status_code == 302, (target, action)
        assert KEPT.format(verb=verb) in messages_of(response), (target, action)
    for action in ("unpublish", "delete"):
        for target in (page, programme_page):
            url = f"/admin/bulk/wagtailcore/page/{action}/?id={target.pk}"
            confirm = client.get(url)
            assert [item["item"].pk for item in confirm.context["items"]] == []
            assert [item["item"].pk for item in confirm.context["items_with_no_access"]] == [
                target.pk
            ]
            client.post(url, {"include_descendants": "on"})
    assert ResultsNoticePage.objects.live().filter(pk=page.pk).exists()
    assert Page.objects.filter(pk=programme_page.pk, live=True).exists()


def test_after_the_period_the_notice_page_may_be_unpublished(client, world, live_notice_page):
    PublicNotice.objects.filter(pk=live_notice_page.notice_id).update(
        starts_on=dt.date(2026, 11, 2), ends_on=dt.date(2026, 11, 6)
    )
    client.force_login(world.official)
    client.post(f"/admin/pages/{live_notice_page.pk}/unpublish/")
    assert ResultsNoticePage.objects.get(pk=live_notice_page.pk).live is False
