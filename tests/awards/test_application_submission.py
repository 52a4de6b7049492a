"""Submission: idempotent, frozen afterwards, refused when ineligible, late or stale."""

import datetime as dt
import threading

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.tasks.signals import task_enqueued
from django.utils import timezone
from wagtail.models import Page

from awards.enums import ApplicationStatus, CycleStatus
from awards.models import Application, ApplicationEvent, AuditEntry
from awards.services.application_drafts import EditingClosed, StaleDraft, save_step_draft
from awards.services.applications import SubmissionRefused, submit_application
from awards.services.screening import screen_application
from home.models import AwardProgrammePage, HomePage
from tests.factories import (
    COMPLETE_BASIC,
    OfficialFactory,
    fill_application,
    open_cycle,
    started_application,
    step_url,
    tianmen_applicant,
    wizard_post,
)


@pytest.fixture
def enqueued():
    """Names of our (awards) tasks enqueued while the test runs; Wagtail queues its own too."""
    names: list[str] = []

    def receiver(sender, task_result, **kwargs):
        if task_result.task.module_path.startswith("awards."):
            names.append(task_result.task.name)

    task_enqueued.connect(receiver)
    yield names
    task_enqueued.disconnect(receiver)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def shown(response) -> list[str]:
    """Messages displayed on a page reached with ``follow=True``."""
    return [str(message) for message in response.context["messages"]]


def ready_application(**cycle_options):
    application, user = started_application(cycle=open_cycle(**cycle_options))
    return fill_application(application, user), user


@pytest.mark.django_db
def test_double_click_gives_one_submission_one_event_one_pdf_task(
    client, enqueued, django_capture_on_commit_callbacks
):
    application, user = ready_application()
    client.force_login(user)
    version = application.version
    responses = []
    with django_capture_on_commit_callbacks(execute=True):
        for _click in range(2):
            responses.append(
                wizard_post(
                    client,
                    application,
                    "review",
                    {"commitment": "on"},
                    action="submit",
                    version=version,
                    follow=True,
                )
            )
    assert [r.redirect_chain for r in responses] == [
        [(f"/portal/applications/{application.pk}/", 302)]
    ] * 2
    assert [shown(r) for r in responses] == [["申报已提交。申报书 PDF 生成后可在本页下载。"]] * 2
    assert list(application.events.values_list("status", flat=True)) == ["draft", "submitted"]
    assert AuditEntry.objects.filter(action="submit_application").count() == 1
    # One receipt to the applicant's one user (e-mail; the portal notice needs no task), one PDF.
    assert enqueued == ["deliver_notification", "render_application_pdf_task"]
    assert Application.objects.get(pk=application.pk).version == version + 1


# serialized_rollback: the flush after this test must not re-create content types behind the
# back of later tests that restore the post-migration state (seed_demo, browser journeys).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs row locks across connections")
def test_concurrent_submissions_give_exactly_one(enqueued):
    application, user = ready_application()
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            submit_application(application=application, by=user)
            outcomes.append("ok")
        except Exception as error:  # recorded for the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["ok", "ok"]
    assert (
        ApplicationEvent.objects.filter(
            application=application, status=ApplicationStatus.SUBMITTED
        ).count()
        == 1
    )
    # One submission: one PDF and one delivery of the receipt to the applicant's one address.
    assert sorted(enqueued) == ["deliver_notification", "render_application_pdf_task"]


@pytest.mark.django_db
def test_submission_records_framework_and_rules_revision_in_force():
    application, user = ready_application()
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="门户", slug="portal-home"))
    page = home.add_child(
        instance=AwardProgrammePage(
            title="陆羽质量奖", slug="luyu-rules", programme=application.cycle.programme
        )
    )
    revision = page.save_revision()
    revision.publish()
    page.save_revision()  # a newer draft is not "in force"
    submitted = submit_application(application=application, by=user)
    assert (submitted.rules_revision_id, submitted.framework_id) == (
        revision.pk,
        application.cycle.framework_id,
    )
    entry = AuditEntry.objects.get(action="submit_application")
    assert entry.details == {
        "version": submitted.version,
        "framework": "GB/T 19580-2012",
        "framework_id": application.cycle.framework_id,
        "rules_revision_id": revision.pk,
    }


@pytest.mark.django_db
def test_without_a_rules_page_the_revision_is_empty():
    application, user = ready_application()
    assert submit_application(application=application, by=user).rules_revision_id is None


@pytest.mark.django_db
def test_edits_after_submission_are_refused_and_change_nothing(client):
    application, user = ready_application()
    submit_application(application=application, by=user)
    client.force_login(user)
    response = wizard_post(client, application, "basic", {**COMPLETE_BASIC, "contact_person": "改"})
    assert response["Location"] == f"/portal/applications/{application.pk}/"
    assert messages_of(response) == ["该申报当前状态为“已提交”，不能再修改。"]
    response = client.get(step_url(application, "overview"))
    assert response["Location"] == f"/portal/applications/{application.pk}/"
    saved = Application.objects.get(pk=application.pk)
    assert saved.draft["basic"]["contact_person"] == "李四"
    with pytest.raises(EditingClosed) as refused:
        save_step_draft(
            application=saved,
            step="overview",
            values={"overview": "改"},
            expected_version=saved.version,
            next_step="overview",
            by=user,
        )
    assert refused.value.messages == ["该申报当前状态为“已提交”，不能再修改。"]


@pytest.mark.django_db
def test_an_ineligible_application_cannot_be_submitted():
    cycle = open_cycle(min_years_operating=5)
    deadline = timezone.localtime(cycle.application_deadline).date()
    registered = deadline - dt.timedelta(days=400)  # one full year before the deadline, not two
    user = tianmen_applicant(organization__registration_date=registered)
    application, _ = started_application(cycle=cycle, user=user)
    fill_application(application, user)
    with pytest.raises(SubmissionRefused) as refused:
        submit_application(application=application, by=user)
    assert refused.value.messages == [
        f"不符合申报条件 · 注册经营满 5 年：贵单位注册于 {registered}，截至申报截止日仅 1 年"
    ]
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


@pytest.mark.django_db
def test_after_the_deadline_nothing_can_be_edited_or_submitted(client):
    application, user = ready_application(days_left=1)
    cycle = application.cycle
    cycle.application_deadline = timezone.now() - dt.timedelta(minutes=5)
    cycle.save()
    deadline = timezone.localtime(cycle.application_deadline).strftime("%Y-%m-%d %H:%M")
    message = f"“{cycle}”已于 {deadline}（北京时间）截止申报，不能再填写、修改或提交。"
    client.force_login(user)
    detail = f"/portal/applications/{application.pk}/"
    version = Application.objects.get(pk=application.pk).version
    for response in (
        client.get(step_url(application, "overview"), follow=True),
        wizard_post(client, application, "overview", {"overview": "迟到的修改"}, follow=True),
        wizard_post(
            client, application, "review", {"commitment": "on"}, action="submit", follow=True
        ),
    ):
        assert (response.redirect_chain, shown(response)) == ([(detail, 302)], [message])
    saved = Application.objects.get(pk=application.pk)
    assert (saved.status, saved.version, saved.draft["overview"]["overview"]) == (
        ApplicationStatus.DRAFT,
        version,
        "本公司成立于 2010 年，主要生产纺织机械。",
    )
    detail = client.get(f"/portal/applications/{application.pk}/").content.decode()
    assert message in detail
    assert "继续填写" not in detail


@pytest.mark.django_db
def test_an_extended_deadline_reopens_editing_and_submission(
    client, django_capture_on_commit_callbacks
):
    application, user = ready_application()
    cycle = application.cycle
    cycle.application_deadline = timezone.now() - dt.timedelta(days=1)
    cycle.deadline_extended_until = timezone.now() + dt.timedelta(days=2)
    cycle.save()
    client.force_login(user)
    assert client.get(step_url(application, "overview")).status_code == 200
    with django_capture_on_commit_callbacks(execute=False):
        response = wizard_post(client, application, "review", {"commitment": "on"}, action="submit")
    assert response["Location"] == f"/portal/applications/{application.pk}/"
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED


@pytest.mark.django_db
def test_a_cycle_that_is_not_open_refuses_edits():
    application, user = ready_application()
    application.cycle.status = CycleStatus.SCREENING
    application.cycle.save()
    with pytest.raises(EditingClosed) as refused:
        submit_application(application=application, by=user)
    assert refused.value.messages == [
        f"“{application.cycle}”目前不受理申报（届次状态：资格审查）。"
    ]


@pytest.mark.django_db
def test_submitting_from_a_stale_review_page_is_refused(client):
    application, user = ready_application()
    client.force_login(user)
    stale_version = application.version
    wizard_post(client, application, "overview", {"overview": "刚刚在另一个窗口改过"})
    response = wizard_post(
        client, application, "review", {"commitment": "on"}, action="submit", version=stale_version
    )
    assert response.status_code == 409
    assert messages_of(response) == [
        "该申报已在其他窗口或设备上修改，请刷新后再编辑；您本次输入的内容未保存。"
    ]
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


@pytest.mark.django_db
def test_a_returned_application_is_edited_and_resubmitted_before_the_deadline(client):
    application, user = ready_application()
    submit_application(application=application, by=user)
    official = OfficialFactory(authority=application.cycle.programme.authority)
    screen_application(
        application=application, decision="return", reasons="请补充 2023 年审计报告。", by=official
    )
    client.force_login(user)
    response = wizard_post(client, application, "overview", {"overview": "补充后的概述"})
    assert response["Location"] == step_url(application, "sa-4-1")
    response = wizard_post(client, application, "review", {"commitment": "on"}, action="submit")
    assert response["Location"] == f"/portal/applications/{application.pk}/"
    events = [(event.status, event.note_text) for event in application.events.all()]
    assert events == [
        ("draft", "开始填写申报材料"),
        ("submitted", "提交申报"),
        ("returned", "审查意见：请补充 2023 年审计报告。"),
        ("submitted", "修改后重新提交申报"),
    ]


@pytest.mark.django_db
def test_only_the_applying_organization_may_submit():
    application, _user = ready_application()
    with pytest.raises(PermissionDenied):
        submit_application(application=application, by=tianmen_applicant())
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


@pytest.mark.django_db
def test_save_service_refuses_a_stale_version_without_writing():
    application, user = started_application()
    save_step_draft(
        application=application,
        step="overview",
        values={"overview": "新"},
        expected_version=1,
        next_step="overview",
        by=user,
    )
    stale = Application.objects.get(pk=application.pk)
    stale.version = 1  # what a second tab still holds
    with pytest.raises(StaleDraft):
        save_step_draft(
            application=stale,
            step="overview",
            values={"overview": "旧"},
            expected_version=1,
            next_step="overview",
            by=user,
        )
    saved = Application.objects.get(pk=application.pk)
    assert (saved.version, saved.draft["overview"]) == (2, {"overview": "新"})
