"""The officials' review pages end to end with the test client: what they show and do."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.models import AuditEntry
from scoring.enums import AssignmentStatus, ConflictRelation, ScorecardStatus, StageKind
from scoring.review.models import (
    Assignment,
    ConflictDeclaration,
    ConflictOverride,
    Panel,
    ReviewerProfile,
    ReviewStage,
)
from tests.clock import SHANGHAI
from tests.factories import CycleFactory, OfficialFactory, ReviewerFactory
from tests.outbox import delivered
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
    """The page's visible text, tags removed and whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def office(client):
    cycle = CycleFactory()
    official = OfficialFactory(authority=cycle.programme.authority, username="official")
    client.force_login(official)
    return {"cycle": cycle, "official": official, "authority": cycle.programme.authority}


# --- reviewer pool ------------------------------------------------------------------------


def test_pool_lists_only_the_authority_reviewers_with_filters_and_search(client, office):
    authority = office["authority"]
    ReviewerProfileFactory(
        user__username="zhao",
        user__full_name="赵工",
        user__authority=authority,
        industries=["C"],
        can_lead=True,
        employer_name="甲公司",
    )
    ReviewerProfileFactory(
        user__username="qian",
        user__full_name="钱工",
        user__authority=authority,
        industries=["E"],
        can_lead=False,
        is_active=False,
    )
    ReviewerProfileFactory(user__username="foreign", user__full_name="外地专家")

    def names(query=""):
        response = client.get("/admin/reviewers/" + query)
        assert response.status_code == 200
        return sorted(p.user.username for p in response.context["object_list"])

    assert names() == ["qian", "zhao"]
    assert names("?industry=E") == ["qian"]
    assert names("?can_lead=true") == ["zhao"]
    assert names("?is_active=false") == ["qian"]
    assert names("?q=甲公司") == ["zhao"]

    export = client.get("/admin/reviewers/?export=csv")
    rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 3
    assert rows[0].startswith("评审专家,熟悉行业,擅长的评价类目")
    assert "外地专家" not in "".join(rows)
    xlsx = client.get("/admin/reviewers/?export=xlsx")
    assert (xlsx.status_code, xlsx["Content-Type"]) == (
        200,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_pool_create_offers_only_own_reviewers_and_checks_credit_codes(client, office):
    own = ReviewerFactory(authority=office["authority"], username="sun")
    foreign = ReviewerFactory(username="faraway")
    form = client.get("/admin/reviewers/new/").context["form"]
    assert list(form.fields["user"].queryset) == [own]

    data = {
        "user": foreign.pk,
        "industries": ["C", "E"],
        "categories": ["4.1"],
        "region_code": "",
        "employer_name": "",
        "employer_credit_code": "",
        "former_employer_credit_codes": "not-a-code",
        "max_load_per_cycle": "8",
        "can_lead": "on",
        "is_active": "on",
    }
    response = client.post("/admin/reviewers/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "user": ["选择一个有效的选项： 该选择不在可用的选项中。"],
        "former_employer_credit_codes": ["“NOT-A-CODE”不是有效的统一社会信用代码。"],
    }
    code = (
        office["cycle"].programme.authority
        and EligibleApplicationFactory(cycle=office["cycle"]).organization.credit_code
    )
    data.update(user=own.pk, former_employer_credit_codes=f"{code.lower()}\n")
    response = client.post("/admin/reviewers/new/", data)
    assert response.status_code == 302
    profile = ReviewerProfile.objects.get(user=own)
    assert (profile.industries, profile.categories, profile.former_employer_credit_codes) == (
        ["C", "E"],
        ["4.1"],
        [code],
    )


@pytest.mark.parametrize("size", [1, 5])
def test_pool_listing_query_count(client, office, size):
    for _ in range(size):
        ReviewerProfileFactory(user__authority=office["authority"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/reviewers/")
    assert len(response.context["object_list"]) == size
    assert len(queries) == 10


# --- stages ---------------------------------------------------------------------------------


def test_stages_page_creates_defaults_and_saves_edits(client, office):
    cycle = office["cycle"]
    page = client.get(f"/admin/review/cycles/{cycle.pk}/stages/")
    assert "创建默认评审阶段" in text_of(page)
    response = client.post(f"/admin/review/cycles/{cycle.pk}/stages/defaults/", follow=True)
    assert messages_of(response) == ["已设置评审阶段：资料评审、现场评审。"]
    document, onsite = ReviewStage.objects.filter(cycle=cycle).order_by("order")

    def minute(moment) -> str:
        return f"{moment.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"

    def form_data(**overrides):
        data = {
            "stages-TOTAL_FORMS": "2",
            "stages-INITIAL_FORMS": "2",
            "stages-MIN_NUM_FORMS": "0",
            "stages-MAX_NUM_FORMS": "1000",
        }
        for index, stage in enumerate((document, onsite)):
            data.update(
                {
                    f"stages-{index}-id": stage.pk,
                    f"stages-{index}-order": str(stage.order),
                    f"stages-{index}-opens_at": minute(stage.opens_at),
                    f"stages-{index}-closes_at": minute(stage.closes_at),
                    f"stages-{index}-panel_size": "5",
                    f"stages-{index}-spread_threshold": "20",
                    f"stages-{index}-advance_min_total": "",
                    f"stages-{index}-advance_top_n": "",
                    f"stages-{index}-weight": str(stage.weight),
                }
            )
        data.update(overrides)
        return data

    bad = client.post(
        f"/admin/review/cycles/{cycle.pk}/stages/", form_data(**{"stages-1-weight": "0.5"})
    )
    assert (bad.status_code, list(bad.context["formset"].non_form_errors())) == (
        200,
        ["各阶段权重之和为 0.8，应为 1"],
    )
    good = client.post(
        f"/admin/review/cycles/{cycle.pk}/stages/",
        form_data(**{"stages-0-advance_top_n": "10", "stages-1-panel_size": "7"}),
        follow=True,
    )
    assert messages_of(good) == ["评审阶段设置已保存。"]
    document.refresh_from_db()
    onsite.refresh_from_db()
    assert (document.advance_top_n, onsite.panel_size) == (10, 7)


def test_advancement_page_previews_and_applies(client, office):
    cycle = office["cycle"]
    document = ReviewStageFactory(cycle=cycle, advance_top_n=1)
    onsite = ReviewStageFactory(cycle=cycle, kind=StageKind.ONSITE, order=2)
    best, other = PanelFactory(stage=document), PanelFactory(stage=document)
    submitted_scorecard(AssignmentFactory(panel=best), 80)
    submitted_scorecard(AssignmentFactory(panel=other), 50)
    page = text_of(client.get(f"/admin/review/stages/{document.pk}/advancement/"))
    assert "总分 800.00，第 1 名：在前 1 名内" in page
    assert "总分 500.00，第 2 名：未进入前 1 名" in page
    response = client.post(f"/admin/review/stages/{document.pk}/advancement/", follow=True)
    assert messages_of(response) == ["已确定晋级：1 件申报进入“现场评审”。"]
    assert list(Panel.objects.filter(stage=onsite).values_list("application_id", flat=True)) == [
        best.application_id
    ]


# --- panels and assignment ------------------------------------------------------------------


@pytest.fixture
def panels_setting(office):
    cycle = office["cycle"]
    stage = ReviewStageFactory(cycle=cycle, panel_size=2)
    apps = [EligibleApplicationFactory(cycle=cycle) for _ in range(2)]
    ReviewerProfileFactory(
        user__username="able", user__full_name="", user__authority=office["authority"]
    )
    conflicted = ReviewerProfileFactory(
        user__username="tied",
        user__full_name="有关联的专家",
        user__authority=office["authority"],
        employer_credit_code=apps[0].organization.credit_code,
    ).user
    return {**office, "stage": stage, "apps": apps, "conflicted": conflicted}


def test_auto_assign_button_then_shortfalls_are_explained(client, panels_setting):
    stage, apps = panels_setting["stage"], panels_setting["apps"]
    response = client.post(f"/admin/review/stages/{stage.pk}/auto-assign/", follow=True)
    assert messages_of(response) == [
        "自动分配完成：新增 3 个评审分配。",
        "部分申报缺少评审专家或组长，详见下方说明。",
    ]
    page = text_of(response)
    assert (
        f"以下申报缺少评审专家： 申报 {apps[0].pk} {apps[0].organization.name}。原因："
        "评审组需要 2 名专家，但只有 1 名专家与该申报无利益冲突，缺 1 名。请扩充专家库。"
    ) in page
    assert Assignment.objects.filter(panel__application=apps[0]).count() == 1

    able = ReviewerProfile.objects.get(user__username="able").user
    ConflictDeclaration.objects.create(
        cycle=panels_setting["cycle"],
        reviewer=able,
        organization=apps[1].organization,
        relation=ConflictRelation.RELATIVE,
    )
    response = client.post(f"/admin/review/stages/{stage.pk}/auto-assign/", follow=True)
    assert messages_of(response)[-1] == (
        f"以下已有分配与利益冲突相抵触，请核查后移除或豁免：申报 {apps[1].pk} · able。"
    )


def test_manual_assignment_refuses_conflict_without_reason_then_overrides(client, panels_setting):
    stage, app, tied = (
        panels_setting["stage"],
        panels_setting["apps"][0],
        panels_setting["conflicted"],
    )
    url = f"/admin/review/stages/{stage.pk}/assign/"
    response = client.post(url, {"application": app.pk, "reviewer": tied.pk, "override_reason": ""})
    assert response.status_code == 200
    assert messages_of(response) == [
        "有关联的专家与该申报存在利益冲突（申报单位是该专家的现任职单位），不能分配。"
        "如确需分配，请填写豁免理由。"
    ]
    assert Assignment.objects.count() == 0
    response = client.post(
        url,
        {
            "application": app.pk,
            "reviewer": tied.pk,
            "override_reason": "该单位已更名重组，经研究同意",
        },
        follow=True,
    )
    assert messages_of(response) == [f"已将有关联的专家分配到申报 {app.pk}。"]
    assert ConflictOverride.objects.get().reason == "该单位已更名重组，经研究同意"
    actions = AuditEntry.objects.exclude(action="log_in").order_by("pk")
    assert list(actions.values_list("action", flat=True)) == [
        "override_conflict",
        "assign_reviewer",
    ]


def test_leader_and_remove_buttons(client, panels_setting):
    stage = panels_setting["stage"]
    app = panels_setting["apps"][1]
    client.post(f"/admin/review/stages/{stage.pk}/auto-assign/", follow=True)
    panel = Panel.objects.get(stage=stage, application=app)
    members = {a.reviewer.username: a for a in panel.assignments.all()}
    # able already leads the first panel (tied is conflicted there), so leadership spreads.
    assert panel.leader.username == "tied"
    response = client.post(f"/admin/review/assignments/{members['able'].pk}/leader/", follow=True)
    assert messages_of(response) == [f"已指定able为申报 {app.pk} 评审组组长。"]
    response = client.post(f"/admin/review/assignments/{members['able'].pk}/remove/", follow=True)
    assert messages_of(response) == [f"已将able移出申报 {app.pk} 的评审组。"]
    panel.refresh_from_db()
    assert (
        panel.leader,
        sorted(panel.assignments.values_list("reviewer__username", "status")),
    ) == (None, [("able", "removed"), ("tied", "active")])


@pytest.mark.parametrize("size", [1, 5])
def test_panels_page_query_count(client, office, size):
    stage = ReviewStageFactory(cycle=office["cycle"], panel_size=2)
    for _ in range(size):
        panel = PanelFactory(stage=stage)
        AssignmentFactory(panel=panel)
        # A removed member with a kept draft is listed apart, at no extra query.
        removed = AssignmentFactory(panel=panel, status=AssignmentStatus.REMOVED)
        submitted_scorecard(removed, 50, submit=False)
        ReviewerProfileFactory(user__authority=office["authority"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/admin/review/stages/{stage.pk}/panels/")
    assert len(response.context["rows"]) == size
    assert response.content.decode().count("评分草稿已保留（已评 23 项）") == size
    assert len(queries) == 17


# --- progress, reminders, reopening -------------------------------------------------------


def make_progress(stage, size):
    for index in range(size):
        panel = PanelFactory(stage=stage)
        submitted_scorecard(AssignmentFactory(panel=panel), 50, submit=index % 2 == 0)
        AssignmentFactory(panel=panel)


@pytest.mark.parametrize("size", [1, 5])
def test_progress_page_query_count(client, office, size):
    stage = ReviewStageFactory(cycle=office["cycle"])
    make_progress(stage, size)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/admin/review/stages/{stage.pk}/progress/")
    assert len(response.context["progress"].applications) == size
    assert len(queries) == 12


def test_progress_page_shows_counts_and_sends_reminders(client, office):
    stage = ReviewStageFactory(cycle=office["cycle"])
    make_progress(stage, 2)
    page = text_of(client.get(f"/admin/review/stages/{stage.pk}/progress/"))
    assert "合计：已分配 4，未开始 2，评分中 1，已提交 1，逾期 0。" in page
    with delivered():
        response = client.post(f"/admin/review/stages/{stage.pk}/reminders/", follow=True)
    assert messages_of(response) == ["已向 3 位专家发送提醒邮件。"]
    assert len(mail.outbox) == 3


def test_reopen_page_requires_a_reason(client, office):
    stage = ReviewStageFactory(cycle=office["cycle"])
    card = submitted_scorecard(AssignmentFactory(panel=PanelFactory(stage=stage)), 60)
    url = f"/admin/review/scorecards/{card.pk}/reopen/"
    assert "退回评分表" in text_of(client.get(url))
    response = client.post(url, {"reason": ""})
    assert response.context["form"].errors == {"reason": ["必需字段"]}
    card.refresh_from_db()
    assert card.status == ScorecardStatus.SUBMITTED
    response = client.post(url, {"reason": "分数录入有误"}, follow=True)
    assert messages_of(response) == ["评分表已退回，专家可重新修改后提交。"]
    card.refresh_from_db()
    assert card.status == ScorecardStatus.DRAFT
    assert AuditEntry.objects.get(action="reopen_scorecard").details["reason"] == "分数录入有误"


# --- paper scores -----------------------------------------------------------------------------


def test_import_page_lists_errors_then_imports_a_valid_file(client, office):
    stage = ReviewStageFactory(cycle=office["cycle"], kind=StageKind.ONSITE, order=1)
    assignment = AssignmentFactory(panel=PanelFactory(stage=stage))
    app_id, username = assignment.panel.application_id, assignment.reviewer.username
    template = client.get(f"/admin/review/stages/{stage.pk}/score-template/")
    lines = template.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "申报编号,专家用户名,评审阶段,条款编号,百分比,评语,改进机会"
    export = AuditEntry.objects.get(action="export_data")
    assert (export.actor_id, export.target_type, export.target_id, export.details) == (
        office["official"].pk,
        "scoring.reviewstage",
        str(stage.pk),
        {"kind": "scores", "format": "csv", "rows": len(lines) - 1},
    )
    filled = [lines[0]] + [line.replace(",,,", ",70,材料翔实,") for line in lines[1:]]
    broken = list(filled)
    broken[3] = broken[3].replace(",70,", ",72,")
    url = f"/admin/review/cycles/{office['cycle'].pk}/import/"

    def upload(rows):
        data = ("\n".join(rows) + "\n").encode()
        return client.post(url, {"file": SimpleUploadedFile("scores.csv", data)}, follow=True)

    response = upload(broken)
    assert messages_of(response) == ["文件有 1 处错误，未导入任何评分。"]
    assert "第 4 行：百分比 72 不在 5% 的刻度上。" in text_of(response)
    assert assignment.panel.assignments.filter(scorecard__isnull=False).count() == 0

    response = upload(filled)
    items = office["cycle"].framework.items.count()
    assert messages_of(response) == [f"导入成功：1 份评分表、{items} 条条款评分，均已提交。"]
    assignment.refresh_from_db()
    assert (assignment.scorecard.status, app_id, username) == (
        ScorecardStatus.SUBMITTED,
        assignment.panel.application_id,
        assignment.reviewer.username,
    )


def test_review_index_lists_own_cycles_only(client, office):
    ReviewStageFactory(cycle=office["cycle"])
    foreign = CycleFactory()
    page = text_of(client.get("/admin/review/"))
    assert str(office["cycle"]) in page
    assert str(foreign) not in page
