"""The application wizard through the test client: every step, drafts, resume, bad input."""

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.timezone import localtime

from awards.enums import ApplicationStatus
from awards.models import Application, AuditEntry, ItemResponse
from tests.factories import (
    COMPLETE_BASIC,
    COMPLETE_ELIGIBILITY,
    COMPLETE_OVERVIEW,
    fill_application,
    open_cycle,
    pdf_bytes,
    started_application,
    step_url,
    tianmen_applicant,
    wizard_post,
)

pytestmark = pytest.mark.django_db

CATEGORY_STEPS = ["sa-4-1", "sa-4-2", "sa-4-3", "sa-4-4", "sa-4-5", "sa-4-6", "sa-4-7"]
ALL_STEPS = ["basic", "eligibility", "overview", *CATEGORY_STEPS, "evidence", "review"]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def fresh(application) -> Application:
    return Application.objects.get(pk=application.pk)


def category_values(application, step: str, text: str = "做法与成效。", percent: str = "60"):
    code = step.removeprefix("sa-").replace("-", ".")
    values = {}
    for item in application.cycle.framework.items.all():
        if item.category_code == code:
            values[f"text_{item.pk}"] = f"{item.code} {text}"
            values[f"percent_{item.pk}"] = percent
    return values


def test_whole_wizard_from_start_to_submitted_with_pdf(client, django_capture_on_commit_callbacks):
    cycle = open_cycle()
    user = tianmen_applicant()
    client.force_login(user)

    response = client.post(f"/portal/cycles/{cycle.pk}/apply/", follow=True)
    application = Application.objects.get(cycle=cycle, organization=user.organization)
    assert response.redirect_chain == [
        (f"/portal/applications/{application.pk}/step/", 302),
        (step_url(application, "basic"), 302),
    ]
    assert messages_of(response) == ["已创建申报草稿，填写内容会自动保存。"]
    assert response.context["wizard"]["form"]["organization_name"].value() == user.organization.name

    visited = []
    for step, values in [
        ("basic", COMPLETE_BASIC),
        ("eligibility", COMPLETE_ELIGIBILITY),
        ("overview", COMPLETE_OVERVIEW),
        *[(step, category_values(application, step)) for step in CATEGORY_STEPS],
    ]:
        response = wizard_post(client, application, step, values)
        assert response.status_code == 302, (
            step,
            response.context and response.context["wizard"]["form"].errors,
        )
        visited.append(response["Location"])
    assert visited == [step_url(application, step) for step in ALL_STEPS[1:-1]]

    required = ["financial-statements", "certificates", "commitment"]
    upload = {
        f"evidence-file_{code}": SimpleUploadedFile(
            f"{code}.pdf", pdf_bytes(code), "application/pdf"
        )
        for code in required
    }
    response = wizard_post(client, application, "evidence", action="save", extra=upload)
    assert response["Location"] == step_url(application, "evidence")
    assert messages_of(response) == [f"已上传“{code}.pdf”。" for code in required]
    response = wizard_post(client, application, "evidence")
    assert response["Location"] == step_url(application, "review")

    response = client.get(step_url(application, "review"))
    assert response.context["problems"] == []
    assert [str(r) for r in response.context["eligibility"] if not r.passed] == []
    with django_capture_on_commit_callbacks(execute=True):
        response = wizard_post(
            client, application, "review", {"commitment": "on"}, action="submit", follow=True
        )
    assert response.redirect_chain == [(f"/portal/applications/{application.pk}/", 302)]
    assert messages_of(response) == ["申报已提交。申报书 PDF 生成后可在本页下载。"]
    application = fresh(application)
    assert (application.status, application.framework_code, application.framework_version) == (
        ApplicationStatus.SUBMITTED,
        "GB/T 19580",
        "2012",
    )
    assert application.framework_id == cycle.framework_id
    assert list(application.events.values_list("status", flat=True)) == ["draft", "submitted"]
    assert application.pdf.name.startswith(f"applications/{application.pk}/pdf/")
    assert application.pdf.read()[:5] == b"%PDF-"
    assert ItemResponse.objects.filter(application=application).count() == 23
    assert application.attachments.count() == 3


def test_next_with_errors_saves_what_was_typed_and_stays(client):
    application, user = started_application()
    client.force_login(user)
    typed = {"contact_person": "王五", "employees": "很多", "contact_email": "not-an-email"}
    response = wizard_post(client, application, "basic", typed)
    assert response.status_code == 200
    errors = response.context["wizard"]["form"].errors
    assert errors["employees"] == ["输入整数。"]
    assert errors["contact_email"] == ["输入一个有效的 Email 地址。"]
    assert errors["contact_phone"] == ["请填写此项。"]
    application = fresh(application)
    assert application.draft["basic"]["contact_person"] == "王五"
    assert application.draft["basic"]["employees"] == "很多"
    assert (application.version, application.current_step) == (2, "basic")
    # Rendered again with the new version, so the next save from this page is accepted.
    assert response.context["draft_version"] == 2


def test_back_button_saves_partial_input_and_goes_back(client):
    application, user = started_application()
    client.force_login(user)
    response = wizard_post(
        client, application, "eligibility", {"major_accident": "none"}, goto="basic"
    )
    assert response["Location"] == step_url(application, "basic")
    assert messages_of(response) == [
        "“资格条件声明”已保存为草稿，但仍有需要修改之处，提交前请更正。"
    ]
    application = fresh(application)
    assert application.draft["eligibility"]["major_accident"] == "none"
    assert application.current_step == "basic"
    # Coming back shows the saved answer and the questions still open.
    response = client.get(step_url(application, "eligibility"))
    form = response.context["wizard"]["form"]
    assert form["major_accident"].value() == "none"
    assert sorted(form.errors) == ["failed_inspection", "serious_complaint", "tax_social_violation"]


def test_back_from_a_self_assessment_step_keeps_text_and_valid_scores(client):
    application, user = started_application()
    client.force_login(user)
    values = category_values(application, "sa-4-2", text="写了一半", percent="")
    response = wizard_post(client, application, "sa-4-2", values, goto="sa-4-1")
    assert response["Location"] == step_url(application, "sa-4-1")
    texts = dict(
        ItemResponse.objects.filter(application=application).values_list("item__code", "text")
    )
    assert texts == {"4.2.1": "4.2.1 写了一半", "4.2.2": "4.2.2 写了一半"}


def test_resume_after_logout_on_another_device(client):
    application, user = started_application()
    client.force_login(user)
    wizard_post(client, application, "basic", COMPLETE_BASIC)
    wizard_post(client, application, "eligibility", COMPLETE_ELIGIBILITY)
    client.logout()
    other_device = Client()
    other_device.force_login(user)
    dashboard = other_device.get("/portal/")
    assert f'href="/portal/applications/{application.pk}/step/"' in dashboard.content.decode()
    response = other_device.get(f"/portal/applications/{application.pk}/step/", follow=True)
    assert response.redirect_chain == [(step_url(application, "overview"), 302)]
    basic = other_device.get(step_url(application, "basic"))
    assert basic.context["wizard"]["form"]["contact_person"].value() == "李四"
    assert basic.context["wizard"]["form"].errors == {}


def test_a_stale_tab_is_refused_and_overwrites_nothing(client):
    application, user = started_application()
    client.force_login(user)
    tab_a = client.get(step_url(application, "overview")).context["draft_version"]
    tab_b = client.get(step_url(application, "overview")).context["draft_version"]
    assert tab_a == tab_b == 0
    first = wizard_post(
        client, application, "overview", {"overview": "甲窗口的内容"}, version=tab_a
    )
    assert first.status_code == 302
    second = wizard_post(
        client, application, "overview", {"overview": "乙窗口的内容"}, version=tab_b
    )
    assert second.status_code == 409
    assert messages_of(second) == [
        "该申报已在其他窗口或设备上修改，请刷新后再编辑；您本次输入的内容未保存。"
    ]
    assert "乙窗口的内容" in second.content.decode()
    assert second.context["draft_version"] == 0
    application = fresh(application)
    assert (application.draft["overview"], application.version) == ({"overview": "甲窗口的内容"}, 2)


def test_a_stale_tab_cannot_overwrite_the_self_assessment_or_upload(client):
    application, user = started_application()
    client.force_login(user)
    wizard_post(client, application, "sa-4-1", category_values(application, "sa-4-1", "新"))
    stale = wizard_post(
        client, application, "sa-4-1", category_values(application, "sa-4-1", "旧"), version=0
    )
    assert stale.status_code == 409
    assert set(ItemResponse.objects.values_list("text", flat=True)) == {
        "4.1.1 新",
        "4.1.2 新",
        "4.1.3 新",
    }
    upload = {"evidence-file_commitment": SimpleUploadedFile("承诺书.pdf", pdf_bytes())}
    assert wizard_post(client, application, "evidence", action="save", version=0).status_code == 302
    stale = wizard_post(client, application, "evidence", action="save", version=0, extra=upload)
    assert stale.status_code == 409
    assert application.attachments.count() == 0


def test_over_long_overview_says_how_many_characters_too_many_and_keeps_the_text(client):
    application, user = started_application()
    client.force_login(user)
    text = "质" * 3123
    response = wizard_post(client, application, "overview", {"overview": text})
    assert response.status_code == 200
    assert response.context["wizard"]["form"].errors["overview"] == [
        "超出 123 个字符（上限 3000 个字符，当前 3123 个字符），请删减。"
    ]
    assert fresh(application).draft["overview"]["overview"] == text


def test_a_line_break_counts_as_one_character_as_in_the_browser(client):
    application, user = started_application()
    client.force_login(user)
    text = ("质" * 99 + "\r\n") * 30  # 30 lines of 100 characters = 3000
    response = wizard_post(client, application, "overview", {"overview": text})
    assert response["Location"] == step_url(application, "sa-4-1")
    assert fresh(application).draft["overview"]["overview"] == text.replace("\r\n", "\n")


def test_whole_self_assessment_limit_counts_the_other_categories(client):
    cycle = open_cycle(self_assessment_char_limit=100)
    application, user = started_application(cycle=cycle)
    client.force_login(user)
    items = {item.code: item for item in cycle.framework.items.all()}
    ItemResponse.objects.create(application=application, item=items["4.7.1"], text="字" * 80)
    values = category_values(application, "sa-4-2", text="")
    values[f"text_{items['4.2.1'].pk}"] = "甲" * 20
    values[f"text_{items['4.2.2'].pk}"] = "乙" * 10
    response = wizard_post(client, application, "sa-4-2", values)
    assert response.context["wizard"]["form"].non_field_errors() == [
        "自评报告全文超出 10 个字符（上限 100 个字符，当前 110 个字符），请删减。"
    ]


def test_self_score_off_the_5_percent_grid_is_refused_and_the_saved_score_kept(client):
    application, user = started_application()
    client.force_login(user)
    wizard_post(client, application, "sa-4-1", category_values(application, "sa-4-1", "初稿", "60"))
    values = category_values(application, "sa-4-1", "二稿", "60")
    item_411 = application.cycle.framework.items.get(code="4.1.1")
    values[f"percent_{item_411.pk}"] = "37"
    response = wizard_post(client, application, "sa-4-1", values)
    assert response.status_code == 200
    assert response.context["wizard"]["form"].errors == {
        f"percent_{item_411.pk}": ["自评得分率须为 0 至 100 之间 5 的整数倍，“37”不符合要求。"]
    }
    saved = ItemResponse.objects.get(application=application, item=item_411)
    assert (saved.text, saved.self_percent) == ("4.1.1 二稿", 60)


def test_review_lists_every_problem_with_a_link_to_its_step(client):
    application, user = started_application()
    client.force_login(user)
    response = client.get(step_url(application, "review"))
    problems = [(p["message"], p["url"]) for p in response.context["problems"]]
    assert len(problems) == 29
    assert problems[:4] == [
        ("“申报表”尚未填写。", step_url(application, "basic")),
        ("“资格条件声明”尚未填写。", step_url(application, "eligibility")),
        ("“组织概述”尚未填写。", step_url(application, "overview")),
        ("自评报告 · 4.1.1 高层领导的作用：尚未填写自评内容。", step_url(application, "sa-4-1")),
    ]
    assert problems[-3:] == [
        ("证明材料：尚未上传“近三年经审计的财务报表”。", step_url(application, "evidence")),
        ("证明材料：尚未上传“管理体系认证证书”。", step_url(application, "evidence")),
        ("证明材料：尚未上传“承诺书”。", step_url(application, "evidence")),
    ]
    html = response.content.decode()
    assert (
        f'<a href="{step_url(application, "sa-4-7")}">自评报告 · 4.7.6 领导方面的结果：尚未填写自评内容。</a>'
        in html
    )


def test_review_lists_field_errors_and_ineligibility(client):
    application, user = started_application()
    fill_application(application, user)
    client.force_login(user)
    deadline = localtime(application.cycle.application_deadline).date()
    certified = deadline - dt.timedelta(days=400)  # one full year before the deadline, not two
    wizard_post(
        client,
        application,
        "basic",
        {**COMPLETE_BASIC, "iso9001_date": certified.isoformat(), "contact_phone": ""},
    )
    response = client.get(step_url(application, "review"))
    assert [p["message"] for p in response.context["problems"]] == [
        "申报表 · 联系电话：请填写此项。",
        f"不符合申报条件 · 通过质量管理体系认证满 3 年：贵单位于 {certified} 首次获得质量管理体系认证，"
        "截至申报截止日仅 1 年",
    ]


def test_submitting_an_incomplete_application_is_refused_with_the_problems(client):
    application, user = started_application()
    client.force_login(user)
    response = wizard_post(client, application, "review", {"commitment": "on"}, action="submit")
    assert response.status_code == 200
    assert messages_of(response) == ["申报尚不完整或不符合申报条件，未能提交，请按下列提示修改。"]
    assert len(response.context["problems"]) == 29
    assert fresh(application).status == ApplicationStatus.DRAFT


def test_the_commitment_must_be_ticked(client):
    application, user = started_application()
    fill_application(application, user)
    client.force_login(user)
    response = wizard_post(client, application, "review", {}, action="submit")
    assert response.context["wizard"]["form"].errors == {"commitment": ["提交前请阅读并勾选承诺。"]}
    assert fresh(application).status == ApplicationStatus.DRAFT


def test_script_typed_anywhere_is_shown_as_text(client):
    script = '<script>alert("x")</script>'
    application, user = started_application()
    fill_application(application, user)
    client.force_login(user)
    wizard_post(client, application, "basic", {**COMPLETE_BASIC, "contact_person": script})
    wizard_post(client, application, "overview", {"overview": script})
    wizard_post(client, application, "sa-4-1", category_values(application, "sa-4-1", script))
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    for url in (
        step_url(application, "basic"),
        step_url(application, "overview"),
        step_url(application, "sa-4-1"),
        step_url(application, "review"),
        f"/portal/applications/{application.pk}/",
    ):
        html = client.get(url).content.decode()
        assert "<script>alert(" not in html, url
        assert escaped in html, url


def test_every_step_shows_the_progress_indicator(client):
    application, user = started_application()
    client.force_login(user)
    for number, step in enumerate(ALL_STEPS, start=1):
        response = client.get(step_url(application, step))
        assert response.status_code == 200
        html = response.content.decode()
        assert f"第 {number} 步，共 12 步" in html
        current = re.findall(r'value="([\w-]+)" aria-current="step"', html)
        assert current == [step]
        assert [entry["name"] for entry in response.context["nav"]] == ALL_STEPS


def test_opening_a_step_records_where_to_resume_and_unknown_steps_redirect(client):
    application, user = started_application()
    client.force_login(user)
    client.get(step_url(application, "sa-4-3"))
    assert fresh(application).current_step == "sa-4-3"
    response = client.get(step_url(application, "nonsense"))
    assert response["Location"] == step_url(application, "sa-4-3")
    assert wizard_post(client, application, "nonsense", {}).status_code == 404


def test_someone_elses_application_is_404_on_every_url_and_method(client):
    application, owner = started_application()
    fill_application(application, owner)
    attachment = application.attachments.first()
    intruder = tianmen_applicant()
    client.force_login(intruder)
    base = f"/portal/applications/{application.pk}"
    for url in (
        f"{base}/",
        f"{base}/step/",
        f"{base}/step/basic/",
        f"{base}/step/review/",
        f"{base}/pdf/",
        f"{base}/attachments/{attachment.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        wizard_post(client, application, "basic", {"contact_person": "入侵者"}).status_code == 404
    )
    assert (
        wizard_post(
            client, application, "review", {"commitment": "on"}, action="submit"
        ).status_code
        == 404
    )
    assert fresh(application).draft["basic"]["contact_person"] == "李四"
    # Signing in is audited; nothing else the intruder did is.
    assert not AuditEntry.objects.filter(actor=intruder).exclude(action="log_in").exists()
