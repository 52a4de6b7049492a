"""The reviewer's pages end to end with the test client: access, commitment and declared ties,
the scoring page, the sheet, submission, recusal, downloads and query counts."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from awards.models import AuditEntry
from scoring.enums import AssignmentStatus, ConflictRelation, ScorecardStatus
from scoring.review.models import (
    Assignment,
    ConflictDeclaration,
    ItemScore,
    ReviewerCommitment,
    Scorecard,
)
from scoring.review.services.scorecards import ItemEntry, save_scores
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    CycleFactory,
    OfficialFactory,
    OrganizationFactory,
    ReviewerFactory,
)
from tests.scoring.factories import (
    AssignmentFactory,
    EligibleApplicationFactory,
    attachment_for,
    cleared_reviewer,
)
from tests.scoring.reviewer_pages import (  # noqa: F401
    all_codes,
    filled,
    full_post,
    page_messages,
    review_world,
    sheet_form,
    url,
)

pytestmark = pytest.mark.django_db


# Access ----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get("/review/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/review/")


@pytest.mark.parametrize("role", ["applicant", "official"])
def test_people_who_are_not_reviewers_get_404(client, world, role):
    person = (
        ApplicantFactory()
        if role == "applicant"
        else OfficialFactory(authority=world["cycle"].programme.authority)
    )
    client.force_login(person)
    assert [
        client.get(url(name, world)).status_code for name in ("workspace", "item", "consensus")
    ] == [
        404,
        404,
        404,
    ]


def test_an_unassigned_reviewer_gets_404_everywhere(client, world):
    client.force_login(cleared_reviewer(world["cycle"]))
    names = ("item", "item_411", "sheet", "submit", "recuse", "attachment", "consensus")
    assert {name: client.get(url(name, world)).status_code for name in names} == dict.fromkeys(
        names, 404
    )


def test_a_conflicted_reviewer_gets_404_even_though_assigned(client, world):
    reviewer = world["leader"].reviewer
    ConflictDeclaration.objects.create(
        cycle=world["cycle"],
        reviewer=reviewer,
        organization=world["application"].organization,
        relation=ConflictRelation.CONSULTANCY,
    )
    client.force_login(reviewer)
    names = ("item", "item_411", "sheet", "submit", "recuse", "attachment", "consensus")
    assert {name: client.get(url(name, world)).status_code for name in names} == dict.fromkeys(
        names, 404
    )
    assert (
        client.post(url("item_411", world), full_post(0, prefix_codes=["4.1.1"])).status_code == 404
    )
    workspace = client.get("/review/").content.decode()
    assert "天门纺织机械股份有限公司" not in workspace
    assert "另有 1 份分配因与您存在利益冲突而不予显示，质量奖办公室将另行安排。" in workspace
    assert Scorecard.objects.count() == 0


def test_a_recused_assignment_is_no_longer_visible(client, world):
    assignment = world["member"]
    client.force_login(assignment.reviewer)
    response = client.post(
        f"/review/assignments/{assignment.pk}/recuse/", {"reason": "曾任该单位顾问"}
    )
    assert (response.status_code, response["Location"]) == (302, "/review/")
    assignment.refresh_from_db()
    assert (assignment.status, assignment.recusal_reason) == (
        AssignmentStatus.RECUSED,
        "曾任该单位顾问",
    )
    assert client.get(f"/review/assignments/{assignment.pk}/").status_code == 404
    assert "已回避：天门纺织机械股份有限公司（资料评审）" in client.get("/review/").content.decode()


def test_recusal_without_a_reason_is_refused(client, world):
    client.force_login(world["leader"].reviewer)
    response = client.post(url("recuse", world), {"reason": ""})
    assert response.status_code == 200
    assert '<p class="error-message" role="alert">请填写回避理由。</p>' in response.content.decode()
    assert Assignment.objects.get(pk=world["leader"].pk).status == AssignmentStatus.ACTIVE


# Commitment and declared ties ------------------------------------------------------------


def test_nothing_of_the_cycle_is_shown_before_the_commitment(client, world):
    reviewer = ReviewerFactory(authority=world["cycle"].programme.authority)
    assignment = AssignmentFactory(panel=world["panel"], reviewer=reviewer)
    client.force_login(reviewer)
    workspace = client.get("/review/").content.decode()
    assert "天门纺织机械股份有限公司" not in workspace
    assert "本届已有 1 份申报分配给您评审。" in workspace
    response = client.get(f"/review/assignments/{assignment.pk}/")
    assert (response.status_code, response["Location"]) == (
        302,
        f"/review/cycles/{world['cycle'].pk}/commitment/",
    )
    attachment = client.get(
        f"/review/assignments/{assignment.pk}/attachments/{world['attachment'].pk}/"
    )
    assert attachment.status_code == 302


def test_the_reviewer_signs_declares_a_tie_and_finishes(client, world):
    cycle = world["cycle"]
    reviewer = ReviewerFactory(authority=cycle.programme.authority)
    assignment = AssignmentFactory(panel=world["panel"], reviewer=reviewer)
    tied = OrganizationFactory(name="天门茶业有限公司", region_code="429006")
    OrganizationFactory(name="南昌茶业有限公司", region_code="360100")
    client.force_login(reviewer)
    base = f"/review/cycles/{cycle.pk}"

    refused = client.post(f"{base}/commitment/", {})
    assert (
        '<p class="error-message" role="alert">请勾选“我已阅读上述保密承诺，并承诺遵守”。</p>'
        in refused.content.decode()
    )
    signed = client.post(f"{base}/commitment/", {"accept": "on"})
    assert (signed.status_code, signed["Location"]) == (302, f"{base}/conflicts/")

    found = client.get(f"{base}/conflicts/", {"q": "茶业"}).content.decode()
    assert "天门茶业有限公司" in found
    assert "南昌茶业有限公司" not in found
    by_code = client.get(f"{base}/conflicts/", {"q": tied.credit_code[:10]}).content.decode()
    assert "天门茶业有限公司" in by_code

    declared = client.post(
        f"{base}/conflicts/?q=茶业",
        {"organization": tied.pk, "relation": "supplier", "note": "供应茶叶"},
        follow=True,
    )
    assert declared.redirect_chain == [(f"{base}/conflicts/?q=%E8%8C%B6%E4%B8%9A", 302)]
    assert page_messages(declared) == [
        ("success", "已申报与“天门茶业有限公司”的利益关系，该单位的申报材料将对您回避。")
    ]
    assert list(
        ConflictDeclaration.objects.values_list("reviewer", "organization", "relation", "note")
    ) == [(reviewer.pk, tied.pk, "supplier", "供应茶叶")]

    not_yet = client.get(f"/review/assignments/{assignment.pk}/", follow=True)
    assert page_messages(not_yet) == [
        ("info", "查看本届申报材料前，请先签署保密承诺并申报利益冲突（回避）情况。")
    ]
    finished = client.post(f"{base}/conflicts/finish/", follow=True)
    assert page_messages(finished) == [
        ("success", "已完成利益冲突申报，现在可以查看分配给您的申报材料。")
    ]
    assert "天门纺织机械股份有限公司" in finished.content.decode()
    assert ReviewerCommitment.objects.get(reviewer=reviewer).conflicts_declared_at is not None
    assert client.get(f"/review/assignments/{assignment.pk}/").status_code == 200


def test_a_tie_outside_the_jurisdiction_cannot_be_declared(client, world):
    cycle = world["cycle"]
    reviewer = world["leader"].reviewer
    outside = OrganizationFactory(region_code="360100")
    client.force_login(reviewer)
    response = client.post(
        f"/review/cycles/{cycle.pk}/conflicts/",
        {"organization": outside.pk, "relation": "customer"},
    )
    assert response.status_code == 200
    assert "<li>只能申报本授奖机关辖区内的单位。</li>" in response.content.decode()
    assert ConflictDeclaration.objects.count() == 0


def test_another_authoritys_cycle_is_hidden(client, world):
    other_cycle = CycleFactory(programme__authority=AuthorityFactory(name="江西省人民政府"))
    client.force_login(world["leader"].reviewer)
    assert client.get(f"/review/cycles/{other_cycle.pk}/commitment/").status_code == 404
    assert client.get(f"/review/cycles/{other_cycle.pk}/conflicts/").status_code == 404


# The scoring page ------------------------------------------------------------------------


def test_the_scoring_page_shows_the_application_beside_the_item(client, world):
    client.force_login(world["leader"].reviewer)
    html = client.get(url("item", world)).content.decode()
    assert "<h1 data-organization-name>天门纺织机械股份有限公司</h1>" in html
    assert "本公司创立于 1998 年，主营纺织机械。" in html
    assert "高层领导每季度开展战略回顾。" in html
    assert "<strong>65%</strong>（32.5 / 50 分）" in html
    assert f'href="{url("attachment", world)}" data-attachment>自评报告.pdf</a>' in html
    assert "<strong data-item-points>50</strong>" in html
    assert "评价维度：方法、展开、学习、整合" in html
    assert '<th scope="row">50–65%</th>' in html
    assert "有应对总体要求的有效、系统的方法；方法展开良好；" in html
    assert "没有结果或结果很差" not in html
    results = client.get(url("item_471", world)).content.decode()
    assert "评价维度：水平、趋势、对比、整合" in results
    assert "没有结果或结果很差；没有趋势数据和对比数据。" in results
    assert (
        client.get(url("item", world) + "?item=4.7.1")
        .content.decode()
        .count("评价维度：水平、趋势、对比、整合")
        == 1
    )
    assert client.get(f"/review/assignments/{world['leader'].pk}/items/4.9.9/").status_code == 404


def test_saving_an_item_keeps_a_draft_and_moves_on(client, world):
    assignment = world["leader"]
    client.force_login(assignment.reviewer)
    response = client.post(
        url("item_411", world),
        {
            "version": "0",
            "4.1.1-percent": "65",
            "4.1.1-strengths": "使命愿景清晰",
            "4.1.1-improvements": "",
            "save_next": "1",
        },
        follow=True,
    )
    assert response.redirect_chain == [(f"/review/assignments/{assignment.pk}/items/4.1.2/", 302)]
    assert page_messages(response) == [("success", "已保存 4.1.1 高层领导的作用。")]
    assert list(ItemScore.objects.values_list("item__code", "percent", "strengths")) == [
        ("4.1.1", 65, "使命愿景清晰")
    ]
    html = client.get(url("item_411", world)).content.decode()
    assert '<option value="65" selected>65%</option>' in html
    assert '<output data-points-output for="id_4.1.1-percent">32.5</output>' in html
    assert '<tr data-band-low="50" data-band-high="65" class="is-current">' in html


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("37", "得分百分比须为 5 的倍数（0%、5%、10% …… 100%），当前为 37%。"),
        ("110", "得分百分比须在 0% 到 100% 之间，当前为 110%。"),
        ("abc", "得分百分比须为整数。"),
    ],
)
def test_a_tampered_percentage_is_refused_with_a_clear_message(client, world, value, message):
    client.force_login(world["leader"].reviewer)
    response = client.post(
        url("item_411", world),
        {"version": "0", "4.1.1-percent": value, "4.1.1-strengths": "优势"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<p class="error-message" role="alert" data-percent-error>{message}</p>' in html
    assert page_messages(response) == [
        ("error", "有条款填写有误，请按提示更正后再保存；本次未保存。")
    ]
    assert Scorecard.objects.count() == 0


def test_a_stale_tab_is_refused_and_keeps_what_was_typed(client, world):
    assignment = world["leader"]
    reviewer = assignment.reviewer
    save_scores(
        assignment=assignment,
        expected_version=0,
        entries={"4.1.1": ItemEntry(70, "另一标签页的优势", "")},
        by=reviewer,
    )
    client.force_login(reviewer)
    response = client.post(
        url("item_411", world),
        {"version": "0", "4.1.1-percent": "30", "4.1.1-strengths": "这个标签页的优势"},
    )
    html = response.content.decode()
    assert page_messages(response) == [
        (
            "error",
            "条款 4.1.1 已在其他窗口保存过，本次修改未保存，已保存的内容没有被覆盖。"
            "请核对后重新保存。",
        )
    ]
    assert "这个标签页的优势</textarea>" in html
    assert '<input type="hidden" name="version" value="1" data-autosave-version>' in html
    saved_box = re.search(
        r"<div class=\"saved-elsewhere\" data-saved-elsewhere>(.*?)</div>", html, re.S
    )
    assert " ".join(saved_box.group(1).split()) == (
        "<strong>其他窗口已保存的内容</strong>： 70% <br>优势：另一标签页的优势 <br>"
        '<span class="muted">下方仍是您刚才填写的内容。核对后再次保存，将以您填写的内容为准。</span>'
    )
    assert list(ItemScore.objects.values_list("percent", "strengths")) == [(70, "另一标签页的优势")]


def test_outside_the_window_the_page_is_read_only_and_posts_are_refused(client, world):
    stage = world["stage"]
    stage.opens_at = timezone.now() + dt.timedelta(days=1)
    stage.closes_at = timezone.now() + dt.timedelta(days=10)
    stage.save()
    client.force_login(world["leader"].reviewer)
    window = (
        f"{timezone.localtime(stage.opens_at):%Y-%m-%d %H:%M} 至 "
        f"{timezone.localtime(stage.closes_at):%Y-%m-%d %H:%M}"
    )
    html = client.get(url("item_411", world)).content.decode()
    assert (
        f'<p class="message message-warning" role="status" data-read-only>本阶段评分时间为 {window}'
        "（北京时间），当前不在评分时间内。页面只读。</p>" in html
    )
    assert "data-save-item" not in html
    assert '<select name="4.1.1-percent" data-points="50" data-percent-select="" disabled' in html
    response = client.post(
        url("item_411", world), {"version": "0", "4.1.1-percent": "60", "4.1.1-strengths": "x"}
    )
    assert page_messages(response) == [
        ("error", f"本阶段评分时间为 {window}（北京时间），当前不在评分时间内。")
    ]
    sheet = client.post(url("sheet", world), full_post(0))
    assert page_messages(sheet)[0][0] == "error"
    assert Scorecard.objects.count() == 0


def test_save_all_on_the_sheet_then_submit(client, world):
    assignment = world["leader"]
    client.force_login(assignment.reviewer)
    data = sheet_form(client, world, **filled(all_codes(), percent=55))
    saved = client.post(url("sheet", world), data, follow=True)
    assert page_messages(saved) == [("success", "已保存全部条款。")]
    assert ItemScore.objects.filter(percent=55).count() == 23
    html = saved.content.decode()
    assert "<strong data-total-output>550</strong>" in html
    submit_page = client.get(url("submit", world)).content.decode()
    assert "全部条款均已评分并填写评语，合计 550 分。" in submit_page
    submitted = client.post(url("submit", world), {"version": "1"}, follow=True)
    assert page_messages(submitted) == [("success", "评分表已提交。感谢您的独立评审。")]
    card = Scorecard.objects.get(assignment=assignment)
    assert (card.status, card.version) == (ScorecardStatus.SUBMITTED, 2)
    html = submitted.content.decode()
    assert "评分表已于" in html and "提交并锁定；如需修改，请联系质量奖办公室退回。" in html
    assert "data-save-item" not in html
    again = client.post(url("item_411", world), {"version": "2", "4.1.1-percent": "90"})
    assert page_messages(again) == [
        ("error", "评分表已提交并锁定；如需修改，请联系质量奖办公室退回。")
    ]
    assert ItemScore.objects.get(item__code="4.1.1").percent == 55


def test_an_incomplete_submission_lists_exactly_what_is_missing_with_links(client, world):
    assignment = world["leader"]
    client.force_login(assignment.reviewer)
    data = sheet_form(client, world, **{**filled(all_codes()[:-2]), "4.4.2-percent": ""})
    client.post(url("sheet", world), data, follow=True)
    response = client.post(url("submit", world), {"version": "1"})
    html = response.content.decode()
    base = f"/review/assignments/{assignment.pk}/items"
    found = re.findall(
        r'<li data-missing-item="([\d.]+)"><a href="([^"]+)">([^<]+)</a>：([^<]+)</li>', html
    )
    assert found == [
        ("4.4.2", f"{base}/4.4.2/", "4.4.2 财务资源", "未选择得分百分比"),
        (
            "4.7.5",
            f"{base}/4.7.5/",
            "4.7.5 过程有效性结果",
            "未选择得分百分比；未填写优势或改进机会",
        ),
        (
            "4.7.6",
            f"{base}/4.7.6/",
            "4.7.6 领导方面的结果",
            "未选择得分百分比；未填写优势或改进机会",
        ),
    ]
    assert "还有 3 个条款未完成，完成后才能提交：" in html
    assert page_messages(response) == [("error", "评分表尚未完成，不能提交。")]
    assert Scorecard.objects.get(assignment=assignment).status == ScorecardStatus.DRAFT


# Downloads -------------------------------------------------------------------------------


def test_the_assigned_reviewer_downloads_an_attachment(client, world):
    client.force_login(world["leader"].reviewer)
    response = client.get(url("attachment", world))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence\n%%EOF\n"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    other = attachment_for(EligibleApplicationFactory(cycle=world["cycle"]))
    assert (
        client.get(f"/review/assignments/{world['leader'].pk}/attachments/{other.pk}/").status_code
        == 404
    )


def downloads_audited() -> list[tuple]:
    return list(
        AuditEntry.objects.filter(action="download_attachment")
        .order_by("pk")
        .values_list("actor_id", "target_type", "target_id", "details")
    )


def test_a_download_by_the_assigned_reviewer_is_audited_once(client, world):
    reviewer = world["leader"].reviewer
    client.force_login(reviewer)
    response = client.get(url("attachment", world))
    assert (response.status_code, b"".join(response.streaming_content)) == (
        200,
        b"%PDF-1.4 evidence\n%%EOF\n",
    )
    assert downloads_audited() == [
        (
            reviewer.pk,
            "awards.application",
            str(world["application"].pk),
            {
                "attachment": world["attachment"].pk,
                "name": "自评报告.pdf",
                "assignment": world["leader"].pk,
            },
        )
    ]


def test_refused_downloads_are_not_audited(client, world):
    leader = world["leader"]
    other = attachment_for(EligibleApplicationFactory(cycle=world["cycle"]))
    client.force_login(leader.reviewer)
    answers = [
        client.get(f"/review/assignments/{leader.pk}/attachments/{other.pk}/").status_code,
        client.post(url("attachment", world)).status_code,
    ]
    client.force_login(cleared_reviewer(world["cycle"]))
    answers.append(client.get(url("attachment", world)).status_code)
    client.force_login(leader.reviewer)
    world["attachment"].file.delete(save=False)
    answers.append(client.get(url("attachment", world)).status_code)
    assert (answers, downloads_audited()) == ([404, 405, 404, 404], [])
