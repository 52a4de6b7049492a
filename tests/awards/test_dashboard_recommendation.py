"""The applicant's dashboard while the application is with its recommending body (issue 10):
waiting, returned (with the reason and the page to fix it), declined (with the reason),
recommended, and then the usual screening states; in Chinese and in English."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from awards.services.recommendations import decline, recommend, return_for_correction
from awards.services.screening import screen_application
from tests.awards.recommendation_world import build_world

pytestmark = pytest.mark.django_db

REASON = "请补充近三年主要产品的市场占有率。"


@pytest.fixture
def world():
    return build_world()


def dashboard(client, application, language: str) -> str:
    """The dashboard's entry of ``application``, as its applicant reads it in ``language``."""
    client.force_login(application.created_by)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/portal/").content.decode()
    start = html.index(f'data-application="{application.pk}"')
    return html[start : html.index("data-timeline", start)]


def badge(stage: str, label: str) -> str:
    return f'data-stage="{stage}">{label}</span>'


def test_waiting_for_the_body(client, world):
    application = world.submitted()
    assert badge("awaiting_recommendation", "待推荐（南昌市人民政府）") in dashboard(
        client, application, "zh-hans"
    )
    english = dashboard(client, application, "en")
    assert badge("awaiting_recommendation", "Awaiting recommendation (南昌市人民政府)") in english
    assert "data-progress-reason" not in english
    assert "data-fix-link" not in english


def test_returned_with_the_reason_and_the_page_to_fix_it(client, world):
    application = world.submitted()
    return_for_correction(
        recommendation=application.recommendation, reason=REASON, by=world.nanchang_recommender
    )
    fix = f'href="/portal/applications/{application.pk}/step/" data-fix-link>'
    chinese = dashboard(client, application, "zh-hans")
    assert badge("returned_by_recommender", "已退回修改（南昌市人民政府）") in chinese
    assert f"<p data-progress-reason>推荐单位意见：{REASON}</p>" in chinese
    assert f"{fix}按推荐单位意见修改后重新提交</a>" in chinese
    assert "继续填写" not in chinese
    english = dashboard(client, application, "en")
    assert badge("returned_by_recommender", "Returned for revision (南昌市人民政府)") in english
    assert (
        f"<p data-progress-reason>Reason given by the recommending organisation: {REASON}</p>"
    ) in english
    assert f"{fix}Revise as asked and resubmit</a>" in english


def test_declined_with_the_reason_and_nothing_to_fix(client, world):
    application = world.submitted()
    decline(
        recommendation=application.recommendation,
        reason="近三年发生过质量事故。",
        by=world.nanchang_recommender,
    )
    chinese = dashboard(client, application, "zh-hans")
    assert badge("not_recommended", "未获推荐（南昌市人民政府）") in chinese
    assert "<p data-progress-reason>推荐单位意见：近三年发生过质量事故。</p>" in chinese
    assert "/step/" not in chinese
    english = dashboard(client, application, "en")
    assert badge("not_recommended", "Not recommended (南昌市人民政府)") in english


def test_recommended_then_the_usual_screening_states(client, world):
    application = world.submitted()
    recommend(
        recommendation=application.recommendation,
        opinion="同意推荐。",
        by=world.nanchang_recommender,
    )
    assert badge("recommended", "已推荐（南昌市人民政府），申报截止后进行资格审查") in dashboard(
        client, application, "zh-hans"
    )
    assert badge(
        "recommended", "Recommended (南昌市人民政府); eligibility screening follows the deadline"
    ) in dashboard(client, application, "en")
    cycle = application.cycle
    cycle.application_deadline = timezone.now() - dt.timedelta(hours=1)
    cycle.save()
    assert badge("screening", "资格审查中") in dashboard(client, application, "zh-hans")
    assert badge("screening", "In eligibility screening") in dashboard(client, application, "en")
    # The authority extends the deadline and returns the application: screening's own return.
    cycle.deadline_extended_until = timezone.now() + dt.timedelta(days=1)
    cycle.save()
    screen_application(
        application=application, decision="return", reasons="请补充。", by=world.official
    )
    returned = dashboard(client, application, "zh-hans")
    assert badge("returned", "退回修改，请修改后重新提交") in returned
    assert "data-progress-reason" not in returned
