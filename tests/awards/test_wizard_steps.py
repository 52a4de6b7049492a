"""The wizard's step classes on their own: the step list per cycle, and each step's form data,
saving, navigation and problems, through the real services (no view in between)."""

import datetime as dt

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards.enums import ApplicationStatus, ItemKind
from awards.models import Application, CriteriaCategory, CriteriaFramework, CriteriaItem, Cycle
from awards.services.application_drafts import EditingClosed, editing_closed_reason
from awards.services.applications import Problem, application_problems
from awards.wizard.base import Reply, SavedWork, StepList, StepPost
from awards.wizard.content_steps import BasicStep, OverviewStep, SelfAssessmentStep
from awards.wizard.evidence_step import EvidenceStep
from awards.wizard.review_step import ReviewStep
from awards.wizard.tracks import steps_for
from tests.factories import (
    COMPLETE_BASIC,
    COMPLETE_OVERVIEW,
    fill_application,
    open_cycle,
    pdf_bytes,
    started_application,
    step_url,
)

pytestmark = pytest.mark.django_db

CATEGORY_STEPS = ["sa-4-1", "sa-4-2", "sa-4-3", "sa-4-4", "sa-4-5", "sa-4-6", "sa-4-7"]
ALL_STEPS = ["basic", "eligibility", "overview", *CATEGORY_STEPS, "evidence", "review"]


def fresh(application) -> Application:
    return Application.objects.select_related(
        "cycle__programme__authority", "cycle__framework", "organization"
    ).get(pk=application.pk)


def post_to(application, user, step, values=None, *, action="next", goto=None, files=None):
    """A POST to ``step`` as the browser sends it, and the step's form bound to it."""
    steps = steps_for(application.cycle)
    data = {f"{step.name}-{name}": value for name, value in (values or {}).items()}
    data["draft_version"] = str(step.page_version(application))
    if goto:
        data["wizard_goto_step"] = goto
    else:
        data["action"] = action
    data.update(files or {})
    request = RequestFactory().post(step_url(application, step.name), data)
    request.user = user
    request._messages = CookieStorage(request)
    names = steps.names()
    position = names.index(step.name)
    post = StepPost.read(
        request,
        application=application,
        step_names=names,
        next_step=names[position + 1] if position + 1 < len(names) else None,
    )
    form = step.form_class(
        data=request.POST,
        files=request.FILES or None,
        prefix=step.name,
        **step.form_kwargs(application),
    )
    return post, form


def said(post) -> list[str]:
    return [str(message) for message in post.request._messages]


def category_values(step: SelfAssessmentStep, text: str, percent: str = "60") -> dict:
    values = {}
    for item in step.items:
        values[f"text_{item.pk}"] = f"{item.code} {text}"
        values[f"percent_{item.pk}"] = percent
    return values


# The step list --------------------------------------------------------------------------------


def test_the_organization_track_has_form_steps_a_step_per_category_evidence_and_review():
    steps = steps_for(open_cycle())
    assert steps.names() == ALL_STEPS
    assert [step.title for step in steps] == [
        "申报表",
        "资格条件声明",
        "组织概述",
        "自评报告：4.1 领导",
        "自评报告：4.2 战略",
        "自评报告：4.3 顾客与市场",
        "自评报告：4.4 资源",
        "自评报告：4.5 过程管理",
        "自评报告：4.6 测量、分析与改进",
        "自评报告：4.7 结果",
        "证明材料",
        "确认提交",
    ]
    assert [step.name for step in steps if step.uploads_files] == ["evidence"]
    assert [step.name for step in steps if step.submits_application] == ["review"]
    assert [item.code for item in steps.get("sa-4-1").items] == ["4.1.1", "4.1.2", "4.1.3"]
    assert list(steps.forms()) == ALL_STEPS
    assert steps.get("nonsense") is None


def other_framework() -> CriteriaFramework:
    """Categories 5.9 and 5.10 (codes sort differently as text), and a 0-point category without
    items, which a framework allows."""
    framework = CriteriaFramework.objects.create(
        code="T/TEST 1", version="2027", name="个人质量奖评价准则"
    )
    for order, (code, name, points) in enumerate(
        [("5.9", "个人品德", 400), ("5.10", "个人绩效", 600), ("5.11", "备用", 0)]
    ):
        CriteriaCategory.objects.create(
            framework=framework, code=code, name=name, points=points, sort_order=order
        )
    for order, (code, name, points) in enumerate(
        [("5.9.1", "诚信", 400), ("5.10.1", "质量成果", 300), ("5.10.2", "示范作用", 300)]
    ):
        CriteriaItem.objects.create(
            framework=framework,
            code=code,
            name=name,
            points=points,
            kind=ItemKind.RESULTS,
            sort_order=order,
        )
    return framework


def test_the_steps_follow_a_framework_of_another_shape():
    steps = steps_for(open_cycle(framework=other_framework()))
    assert steps.names() == [
        "basic",
        "eligibility",
        "overview",
        "sa-5-9",
        "sa-5-10",
        "evidence",
        "review",
    ]
    category = steps.get("sa-5-10")
    assert (category.title, [item.code for item in category.items]) == (
        "自评报告：5.10 个人绩效",
        ["5.10.1", "5.10.2"],
    )


def test_a_category_without_items_does_not_apply():
    cycle = open_cycle(framework=other_framework())
    built = {step.name: step for step in SelfAssessmentStep.for_framework(cycle.framework)}
    assert {name: step.applies_to(cycle) for name, step in built.items()} == {
        "sa-5-9": True,
        "sa-5-10": True,
        "sa-5-11": False,
    }


def test_the_wizard_walks_a_framework_of_another_shape(client):
    application, user = started_application(cycle=open_cycle(framework=other_framework()))
    client.force_login(user)
    page = client.get(step_url(application, "sa-5-10"))
    assert "第 5 步，共 7 步" in page.content.decode()
    assert [entry["name"] for entry in page.context["nav"]] == steps_for(application.cycle).names()
    assert client.get(step_url(application, "sa-5-11"))["Location"] == step_url(
        application, "sa-5-10"
    )


def test_a_step_list_refuses_two_steps_of_one_name():
    with pytest.raises(ValueError, match="Two wizard steps share a name"):
        StepList([OverviewStep(), BasicStep(), OverviewStep()])


# Form steps ------------------------------------------------------------------------------------


def test_the_basic_step_starts_from_the_organization_and_the_user():
    application, user = started_application()
    assert BasicStep().initial(application, user) == {
        "organization_name": application.organization.name,
        "address": application.organization.address,
        "legal_representative": application.organization.legal_representative,
        "contact_person": user.get_full_name(),
        "contact_phone": user.phone,
        "contact_email": user.email,
    }


def test_a_form_step_saves_and_continues_to_the_next_step():
    application, user = started_application()
    step = OverviewStep()
    post, form = post_to(application, user, step, COMPLETE_OVERVIEW)
    assert step.handle(post, form) == Reply(go_to="sa-4-1")
    assert said(post) == []
    saved = fresh(application)
    assert (saved.version, saved.current_step) == (2, "sa-4-1")
    assert saved.draft == {"overview": COMPLETE_OVERVIEW}
    assert step.saved_data(saved).dict() == {"overview-overview": COMPLETE_OVERVIEW["overview"]}
    assert step.is_saved(SavedWork.of(saved)) is True


def test_a_form_step_with_errors_keeps_the_input_and_stays():
    application, user = started_application()
    step = BasicStep()
    post, form = post_to(application, user, step, {"contact_person": "王五", "employees": "很多"})
    assert step.handle(post, form) == Reply()
    assert form.errors["employees"] == ["输入整数。"]
    saved = fresh(application)
    assert (saved.current_step, saved.draft["basic"]["employees"]) == ("basic", "很多")


def test_jumping_away_from_an_incomplete_step_saves_it_and_warns():
    application, user = started_application()
    step = OverviewStep()
    post, form = post_to(application, user, step, {"overview": ""}, goto="basic")
    assert step.handle(post, form) == Reply(go_to="basic")
    assert said(post) == ["“组织概述”已保存为草稿，但仍有需要修改之处，提交前请更正。"]
    assert fresh(application).current_step == "basic"


def test_save_without_moving_on_confirms_and_stays():
    application, user = started_application()
    step = BasicStep()
    post, form = post_to(application, user, step, COMPLETE_BASIC, action="save")
    assert step.handle(post, form) == Reply(go_to="basic")
    assert said(post) == ["已保存。"]
    assert fresh(application).draft["basic"]["contact_person"] == "李四"


def test_an_editable_step_refuses_once_the_deadline_has_passed():
    application, user = started_application()
    Cycle.objects.filter(pk=application.cycle_id).update(
        application_deadline=timezone.now() - dt.timedelta(hours=1)
    )
    application = fresh(application)
    step = OverviewStep()
    post, form = post_to(application, user, step, COMPLETE_OVERVIEW)
    with pytest.raises(EditingClosed) as refused:
        step.handle(post, form)
    assert refused.value.messages == [editing_closed_reason(application)]
    assert fresh(application).draft == {}


# Self-assessment -------------------------------------------------------------------------------


def test_a_category_step_saves_texts_and_scores_and_reads_them_back():
    application, user = started_application()
    step = steps_for(application.cycle).get("sa-4-2")
    assert step.saved_data(application) is None
    post, form = post_to(application, user, step, category_values(step, "做法", "65"))
    assert step.handle(post, form) == Reply(go_to="sa-4-3")
    first, second = step.items
    assert step.saved_data(application).dict() == {
        f"sa-4-2-text_{first.pk}": "4.2.1 做法",
        f"sa-4-2-percent_{first.pk}": "65",
        f"sa-4-2-text_{second.pk}": "4.2.2 做法",
        f"sa-4-2-percent_{second.pk}": "65",
    }
    saved = SavedWork.of(application)
    assert [s.name for s in steps_for(application.cycle) if s.is_saved(saved)] == ["sa-4-2"]


def test_a_category_step_counts_the_other_categories_against_the_whole_limit():
    application, user = started_application(cycle=open_cycle(self_assessment_char_limit=30))
    steps = steps_for(application.cycle)
    first = steps.get("sa-4-1")
    post, form = post_to(application, user, first, category_values(first, "甲" * 4))
    first.handle(post, form)
    second = steps.get("sa-4-2")
    assert second.form_kwargs(application)["other_chars"] == 3 * len("4.1.1 甲甲甲甲")
    post, form = post_to(application, user, second, category_values(second, "乙"))
    assert second.handle(post, form) == Reply()
    assert form.non_field_errors() == [
        "自评报告全文超出 14 个字符（上限 30 个字符，当前 44 个字符），请删减。"
    ]


# Evidence and review ---------------------------------------------------------------------------


def test_the_evidence_step_reports_uploads_and_what_is_still_missing():
    application, user = started_application()
    step = EvidenceStep()
    upload = {"evidence-file_commitment": SimpleUploadedFile("承诺书.pdf", pdf_bytes())}
    post, form = post_to(application, user, step, files=upload)
    assert step.handle(post, form) == Reply()
    assert said(post) == ["已上传“承诺书.pdf”。"]
    assert form.non_field_errors() == [
        "尚未上传“近三年经审计的财务报表”。",
        "尚未上传“管理体系认证证书”。",
    ]
    # Complete only after the save, so "next" records this step as the place to resume.
    saved = fresh(application)
    assert (saved.current_step, step.is_saved(SavedWork.of(saved))) == ("evidence", True)


def test_the_review_step_submits_only_a_complete_application():
    application, user = started_application()
    step = ReviewStep()
    post, form = post_to(application, user, step, {"commitment": "on"}, action="submit")
    assert step.handle(post, form) == Reply()
    assert said(post) == ["申报尚不完整或不符合申报条件，未能提交，请按下列提示修改。"]
    application = fresh(fill_application(application, user))
    post, form = post_to(application, user, step, {"commitment": "on"}, action="submit")
    assert step.handle(post, form) == Reply(to_application=True)
    assert said(post) == ["申报已提交。申报书 PDF 生成后可在本页下载。"]
    assert fresh(application).status == ApplicationStatus.SUBMITTED


def test_every_problem_is_reported_by_exactly_one_step():
    application, user = started_application()
    steps = steps_for(application.cycle)
    problems = application_problems(application)
    reported = {step.name: [p.message for p in step.problems(problems)] for step in steps}
    assert reported["basic"] == ["“申报表”尚未填写。"]
    assert reported["sa-4-1"] == [
        "自评报告 · 4.1.1 高层领导的作用：尚未填写自评内容。",
        "自评报告 · 4.1.2 组织治理：尚未填写自评内容。",
        "自评报告 · 4.1.3 社会责任：尚未填写自评内容。",
    ]
    assert reported["evidence"] == [
        "证明材料：尚未上传“近三年经审计的财务报表”。",
        "证明材料：尚未上传“管理体系认证证书”。",
        "证明材料：尚未上传“承诺书”。",
    ]
    assert reported["review"] == []
    assert sorted(m for messages in reported.values() for m in messages) == sorted(
        p.message for p in problems
    )


def test_an_unmet_condition_is_reported_by_the_step_holding_its_facts():
    application, user = started_application()
    fill_application(application, user)
    certified = dt.date(timezone.localtime(application.cycle.application_deadline).year - 1, 1, 1)
    basic = BasicStep()
    post, form = post_to(
        application, user, basic, {**COMPLETE_BASIC, "iso9001_date": certified.isoformat()}
    )
    basic.handle(post, form)
    problems = application_problems(fresh(application))
    steps = steps_for(application.cycle)
    assert [(steps.reporting(p).name, p.message) for p in problems] == [
        (
            "basic",
            "不符合申报条件 · 通过质量管理体系认证满 3 年：贵单位于 "
            f"{certified.isoformat()} 首次获得质量管理体系认证，截至申报截止日仅 1 年",
        )
    ]
    assert steps.reporting(Problem("nonsense", "?")) is None


def test_a_page_costs_as_many_queries_for_two_categories_as_for_seven(client):
    """The step list is built in two queries, whatever the framework's size."""

    def queries_per_page(application, user, category_step) -> list[int]:
        client.force_login(user)
        client.get(step_url(application, "basic"))  # warm caches outside the measurement
        counts = []
        for step in ["basic", "eligibility", "overview", category_step, "evidence", "review"]:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(step_url(application, step)).status_code == 200
            counts.append(len(captured))
        return counts

    small = started_application(cycle=open_cycle(framework=other_framework()))
    large = started_application()
    assert queries_per_page(*small, "sa-5-10") == queries_per_page(*large, "sa-4-7")
