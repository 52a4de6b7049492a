"""The 公示 and 获奖名单 pages: created from the officials' admin, live only after approval in the
authority's workflow, the objection form, and revocations shown to the public."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from awards.models import AuditEntry
from home.models import ResultsNoticePage, WinnersPage
from home.results_workflow import create_notice_page, results_workflow
from scoring.publication.models import Award, Objection, ObjectionOutcome, PublicNotice
from scoring.publication.services.notices import (
    announce_results,
    open_public_notice,
    resolve_objection,
    revoke_award,
)
from tests import clock
from tests.factories import OfficialFactory
from tests.home.results_helpers import build_results_world, html_named_pdf, pdf_upload
from tests.scoring.factories import ObjectionFactory

#: The clock of these tests, a Friday: a notice opened from the admin starts on Tuesday
#: 2026-12-01 and lasts five working days, to Monday 2026-12-07; an ended notice ran from
#: Monday 2026-03-02 to Friday 2026-03-06.
TODAY = clock.at(dt.date(2026, 11, 20), 10)

#: The clock starts at TODAY and runs (time-machine's marker, set before any fixture).
pytestmark = pytest.mark.time_machine(TODAY)


@pytest.fixture
def world(home_page):
    return build_results_world(home_page)


@pytest.fixture
def other_world(home_page):
    return build_results_world(
        home_page,
        authority_name="江西省人民政府",
        region_code="360000",
        programme_name="井冈质量奖",
        slug="jinggang",
        official_username="jinggang-office",
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def approve(page: Page, user) -> None:
    """What the approver's "Approve" in the page editor does."""
    page.current_workflow_task_state.approve(user=user)


def notice_open_today(world) -> PublicNotice:
    today = timezone.localdate()
    return open_public_notice(snapshot=world.snapshot, starts_on=today, by=world.official)


def ended_notice(world) -> PublicNotice:
    return open_public_notice(
        snapshot=world.snapshot,
        starts_on=dt.date(2026, 3, 2),
        by=world.official,
        now=clock.at(dt.date(2026, 3, 1), 10),
    )


# --- opening the notice from the admin creates a draft in the workflow ----------------------


def test_opening_a_notice_creates_a_draft_page_awaiting_approval(client, world):
    client.force_login(world.official)
    response = client.post(
        reverse("publication:open_notice", args=[world.snapshot.pk]),
        {"starts_on": "2026-12-01", "working_days": "5", "holidays": ""},
    )
    page = ResultsNoticePage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert messages_of(response) == [
        "已创建公示，公示期为 2026-12-01 至 2026-12-07；公示页面须经审核通过后才会发布。"
    ]
    assert (page.title, page.slug, page.live, page.get_parent().specific) == (
        "第5届陆羽质量奖拟表彰名单公示",
        "results-notice-5-v1",
        False,
        world.programme_page,
    )
    assert page.notice == PublicNotice.objects.get(snapshot=world.snapshot)
    state = WorkflowState.objects.get()
    assert (state.status, state.workflow.name, state.requested_by) == (
        WorkflowState.STATUS_IN_PROGRESS,
        "天门市人民政府·结果发布审核",
        world.official,
    )
    assert [group.name for group in state.current_task_state.task.specific.groups.all()] == [
        "质量奖办公室·天门市人民政府"
    ]
    client.logout()
    assert client.get("/luyu/results-notice-5-v1/").status_code == 404


def test_the_notice_page_goes_live_only_when_approved_in_the_workflow(client, world):
    notice = notice_open_today(world)
    page = create_notice_page(notice=notice, by=world.official)
    assert page.permissions_for_user(world.official).can_publish() is False

    # The official's page permissions include "publish", yet the editor's publish action is
    # refused for a results page: only the workflow publishes it.
    client.force_login(world.official)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        nested_form_data(
            {
                "title": page.title,
                "slug": page.slug,
                "body": streamfield([]),
                "comments": inline_formset([]),
                "action-publish": "action-publish",
            }
        ),
    )
    page.refresh_from_db()
    assert page.live is False
    assert client.get("/luyu/results-notice-5-v1/").status_code == 404

    approve(page, world.approver)
    page.refresh_from_db()
    assert page.live is True
    client.logout()
    response = client.get("/luyu/results-notice-5-v1/")
    assert response.status_code == 200
    assert [
        (e.rank, e.application.organization.name, e.level, str(e.total))
        for e in response.context["entries"]
    ] == [
        (1, "湖北天门纺织机械股份有限公司", "质量奖", "712.40"),
        (2, "天门市华宇食品有限公司", "提名奖", "655.10"),
    ]
    assert "天门市恒达建材有限公司" not in response.content.decode()


def test_another_authoritys_official_cannot_approve(world, other_world):
    page = create_notice_page(notice=notice_open_today(world), by=world.official)
    task = page.current_workflow_task
    assert task.get_actions(page, other_world.official) == []
    assert [name for name, _label, _modal in task.get_actions(page, world.approver)] == [
        "reject",
        "approve",
        "approve",
    ]
    # The author may ask for changes but not approve (four-eyes rule, tests/home/test_four_eyes).
    assert [name for name, _label, _modal in task.get_actions(page, world.official)] == ["reject"]


def test_results_pages_cannot_be_added_by_hand(world):
    assert ResultsNoticePage.is_creatable is False
    assert WinnersPage.is_creatable is False
    assert "home.ResultsNoticePage" in world.programme_page.specific_class.subpage_types


def test_a_programme_without_a_page_leaves_nothing_behind(client, world):
    world.programme_page.delete()
    client.force_login(world.official)
    response = client.post(
        reverse("publication:open_notice", args=[world.snapshot.pk]),
        {"starts_on": "2026-12-01", "working_days": "5", "holidays": ""},
    )
    assert response.status_code == 200
    assert messages_of(response) == [
        "“陆羽质量奖”还没有门户页面，请先创建奖项页面，再发布公示或表彰。"
    ]
    assert PublicNotice.objects.count() == 0
    assert AuditEntry.objects.filter(action="open_public_notice").count() == 0


def test_the_open_notice_form_reports_bad_holidays(client, world):
    client.force_login(world.official)
    response = client.post(
        reverse("publication:open_notice", args=[world.snapshot.pk]),
        {"starts_on": "2026-12-01", "working_days": "5", "holidays": "2026-10-01\n十月二日"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "holidays": ["节假日“十月二日”不是有效日期，请按 2026-10-01 的格式填写。"]
    }
    assert PublicNotice.objects.count() == 0


# --- the objection form ---------------------------------------------------------------------


@pytest.fixture
def live_open_notice(world):
    page = create_notice_page(notice=notice_open_today(world), by=world.official)
    approve(page, world.approver)
    return page


def objection_post(world, **overrides) -> dict:
    return {
        "real_name": "张三",
        "contact": "13800000000",
        "application": str(world.winner.application.pk),
        "text": "该单位 2025 年发生过质量事故。",
        "evidence": pdf_upload(),
        **overrides,
    }


def test_the_public_submits_an_objection_during_the_period(client, world, live_open_notice):
    page_response = client.get(live_open_notice.url)
    form = page_response.context["form"]
    assert [label for _pk, label in form.fields["application"].choices] == [
        "（不针对某一申报单位）",
        "天门市华宇食品有限公司",
        "湖北天门纺织机械股份有限公司",
    ]
    response = client.post(live_open_notice.url, objection_post(world))
    assert response.status_code == 302
    assert response["Location"] == live_open_notice.url
    assert messages_of(response) == [
        "您的异议已提交。质量奖办公室将在核实后处理，并通过您留下的联系方式答复。"
    ]
    objection = Objection.objects.get()
    assert (objection.real_name, objection.application, objection.evidence_name) == (
        "张三",
        world.winner.application,
        "证明材料.pdf",
    )


def test_an_html_file_named_pdf_is_refused_on_the_page(client, world, live_open_notice):
    response = client.post(live_open_notice.url, objection_post(world, evidence=html_named_pdf()))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "evidence": [
            "文件“证明.pdf”的内容不是 PDF、JPEG、PNG、DOCX 或 XLSX，而是网页（HTML），已拒绝上传。"
        ]
    }
    assert Objection.objects.count() == 0


def test_missing_fields_are_reported_on_the_page(client, world, live_open_notice):
    response = client.post(
        live_open_notice.url,
        objection_post(world, real_name="", application="", evidence=""),
    )
    assert response.context["form"].errors == {
        "real_name": ["请填写真实姓名。"],
        "evidence": ["请上传证明材料（PDF、JPEG、PNG、DOCX 或 XLSX 文件）。"],
    }
    assert Objection.objects.count() == 0


def test_after_the_period_the_form_is_gone_and_a_post_is_refused(client, world):
    page = create_notice_page(notice=ended_notice(world), by=world.official)
    approve(page, world.approver)
    response = client.get(page.url)
    assert response.context["form"] is None
    assert "公示期已结束，不再受理异议。" in response.content.decode()

    refused = client.post(page.url, objection_post(world))
    assert refused.status_code == 200
    assert messages_of(refused) == [
        "公示期为 2026-03-02 至 2026-03-06，现已不在公示期内，不能提交异议。"
    ]
    assert Objection.objects.count() == 0


# --- announcing from the admin, the winners page, revocation --------------------------------


def test_announcing_is_refused_with_unresolved_objections(client, world):
    notice = ended_notice(world)
    objection = ObjectionFactory(notice=notice, real_name="张三")
    Objection.objects.filter(pk=objection.pk).update(submitted_at=clock.at(dt.date(2026, 3, 3), 10))
    client.force_login(world.official)
    response = client.post(reverse("publication:announce", args=[notice.pk]), {})
    assert response.status_code == 200
    assert messages_of(response) == [
        "以下异议尚未处理，全部处理后才能发布表彰决定：张三 2026-03-03 提交的异议。"
    ]
    notice.refresh_from_db()
    assert (notice.announced_at, Award.objects.count(), WinnersPage.objects.count()) == (None, 0, 0)


def test_announcing_publishes_the_winners_page_through_the_workflow(client, world):
    notice = ended_notice(world)
    objection = ObjectionFactory(notice=notice)
    resolve_objection(
        objection=objection,
        outcome=ObjectionOutcome.REJECTED,
        resolution="经核查不属实。",
        by=world.official,
    )
    client.force_login(world.official)
    response = client.post(
        reverse("publication:announce", args=[notice.pk]), {"valid_until": "2030-12-31"}
    )
    page = WinnersPage.objects.get()
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert messages_of(response) == [
        "已发布表彰决定，共 2 个获奖单位；获奖名单页面须经审核通过后才会发布。"
    ]
    assert (page.title, page.slug, page.live) == ("第5届陆羽质量奖获奖名单", "winners-5", False)
    client.logout()
    assert client.get("/luyu/winners-5/").status_code == 404

    approve(page, world.approver)
    response = client.get("/luyu/winners-5/")
    assert response.status_code == 200
    assert [
        (a.rank, a.application.organization.name, a.level, a.valid_until, a.revoked_at)
        for a in response.context["awards"]
    ] == [
        (1, "湖北天门纺织机械股份有限公司", "质量奖", dt.date(2030, 12, 31), None),
        (2, "天门市华宇食品有限公司", "提名奖", dt.date(2030, 12, 31), None),
    ]


def test_a_revoked_award_shows_as_revoked_on_the_winners_page(client, world):
    notice = ended_notice(world)
    awards = announce_results(notice=notice, by=world.official)
    page = WinnersPage(title="获奖名单", slug="winners-5", notice=notice)
    world.programme_page.add_child(instance=page)
    page.save_revision().publish()
    revoke_award(
        award=awards[0],
        reason="获奖后发生重大质量事故。<script>alert(1)</script>",
        by=world.official,
        now=clock.at(dt.date(2027, 7, 1), 10),
    )
    html = client.get("/luyu/winners-5/").content.decode()
    assert "已于2027年7月1日撤销" in html
    assert "撤销理由：获奖后发生重大质量事故。&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert html.count("已于") == 1


def test_only_officials_of_the_authority_reach_the_notice_in_the_admin(client, world, other_world):
    notice = ended_notice(world)
    client.force_login(other_world.official)
    assert client.get(reverse("publication:notice", args=[notice.pk])).status_code == 404
    assert client.post(reverse("publication:announce", args=[notice.pk]), {}).status_code == 404
    client.force_login(OfficialFactory(authority=world.cycle.programme.authority))
    assert client.get(reverse("publication:notice", args=[notice.pk])).status_code == 200


def test_the_workflow_is_one_per_authority(world, other_world):
    first = results_workflow(authority=world.cycle.programme.authority)
    assert results_workflow(authority=world.cycle.programme.authority) == first
    assert results_workflow(authority=other_world.cycle.programme.authority) != first


# --- query counts: the same for 1 and 5 rows -----------------------------------------------


def queries_for(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page_type", [ResultsNoticePage, WinnersPage])
def test_results_pages_cost_the_same_for_one_and_five_rows(client, home_page, page_type):
    from tests.home.results_helpers import application_of
    from tests.scoring.factories import ApprovedSnapshotFactory, ResultEntryFactory

    counts = []
    for size, slug in ((1, "one"), (5, "five")):
        world = build_results_world(
            home_page,
            authority_name=f"{slug}市人民政府",
            region_code=f"42{size}000",
            programme_name=f"{slug}质量奖",
            slug=slug,
            official_username=f"{slug}-office",
        )
        snapshot = ApprovedSnapshotFactory(cycle=world.cycle, version=2, created_by=world.official)
        for rank in range(1, size + 1):
            ResultEntryFactory(
                snapshot=snapshot,
                application=application_of(world.cycle, f"{slug}企业{rank}"),
                rank=rank,
                level="质量奖",
            )
        notice = open_public_notice(
            snapshot=snapshot, starts_on=timezone.localdate(), by=world.official
        )
        if page_type is WinnersPage:
            PublicNotice.objects.filter(pk=notice.pk).update(
                starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 6)
            )
            notice.refresh_from_db()
            announce_results(notice=notice, by=world.official)
        page = page_type(title="结果", slug="results", notice=notice)
        world.programme_page.add_child(instance=page)
        page.save_revision().publish()
        counts.append(queries_for(client, page.url))
    assert counts[0] == counts[1]
