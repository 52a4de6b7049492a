"""Recommendation (推荐): the state machine, quota, deadline, withdrawal and resubmission."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.enums import ApplicationStatus, RecommendationStatus, RecommenderScope
from awards.models import Application, AuditEntry, Recommendation
from awards.services.applications import submit_application
from awards.services.recommendations import (
    allowed_recommending_bodies,
    decline,
    recommend,
    return_for_correction,
    withdraw_recommendation,
)
from awards.services.screening import screen_application
from tests import clock
from tests.awards.recommendation_world import build_world
from tests.factories import fill_application, pdf_bytes, started_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def names(queryset) -> list[str]:
    return [body.name for body in queryset]


def test_only_bodies_whose_region_holds_the_organization_are_offered(world):
    nanchang_org = world.applicant("nanchang").organization
    jiujiang_org = world.applicant("jiujiang").organization
    programme = world.cycle.programme
    assert names(allowed_recommending_bodies(programme, nanchang_org)) == [
        "南昌市人民政府",
        "南昌市市场监督管理局",
    ]
    assert names(allowed_recommending_bodies(programme, jiujiang_org)) == ["九江市人民政府"]


def test_a_programme_naming_its_recommenders_offers_only_those(world):
    programme = world.cycle.programme
    programme.recommender_scope = RecommenderScope.NAMED
    programme.save()
    programme.recommending_bodies.set([world.nanchang_market, world.jiujiang])
    nanchang_org = world.applicant("nanchang").organization
    assert names(allowed_recommending_bodies(programme, nanchang_org)) == ["南昌市市场监督管理局"]


def test_submission_needs_an_allowed_body_and_changes_nothing_without_one(world):
    user = world.applicant("nanchang")
    application, _user = started_application(cycle=world.cycle, user=user)
    fill_application(application, user)
    for body, message in (
        (None, "本奖项须由推荐单位推荐，请选择推荐单位。"),
        (world.jiujiang, "“九江市人民政府”不能推荐贵单位参加本奖项，请在列出的推荐单位中选择。"),
        (world.province, "“江西省人民政府”不能推荐贵单位参加本奖项，请在列出的推荐单位中选择。"),
    ):
        with pytest.raises(ValidationError) as refused:
            submit_application(application=application, by=user, recommending_body=body)
        assert refused.value.message_dict == {"recommending_body": [message]}
    application.refresh_from_db()
    assert (application.status, Recommendation.objects.count()) == (ApplicationStatus.DRAFT, 0)


def test_submission_puts_the_application_in_the_chosen_bodys_queue(world):
    application = world.submitted(body=world.nanchang_market)
    recommendation = application.recommendation
    assert (application.status, recommendation.body, recommendation.status) == (
        ApplicationStatus.SUBMITTED,
        world.nanchang_market,
        RecommendationStatus.PENDING,
    )


def test_recommend_records_opinion_scan_event_audit_and_emails(
    world, django_capture_on_commit_callbacks
):
    application = world.submitted()
    scan = SimpleUploadedFile("推荐意见.pdf", pdf_bytes("stamp"))
    with django_capture_on_commit_callbacks(execute=True):
        recommendation = recommend(
            recommendation=application.recommendation,
            opinion="该企业质量管理水平领先，同意推荐。",
            scan=scan,
            by=world.nanchang_recommender,
        )
    assert (recommendation.status, recommendation.decided_by, recommendation.scan_name) == (
        RecommendationStatus.RECOMMENDED,
        world.nanchang_recommender,
        "推荐意见.pdf",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    event = application.events.last()
    assert (event.status, event.by, event.note_text) == (
        "submitted",
        world.nanchang_recommender,
        "南昌市人民政府推荐：该企业质量管理水平领先，同意推荐。",
    )
    entry = AuditEntry.objects.get(action="recommend_application")
    assert (entry.actor, entry.authority_id, entry.details) == (
        world.nanchang_recommender,
        world.province.pk,
        {
            "body": "南昌市人民政府",
            "from": "pending",
            "to": "recommended",
            "opinion": "该企业质量管理水平领先，同意推荐。",
            "scan": "推荐意见.pdf",
        },
    )
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("【政府质量奖门户】推荐情况：已推荐", [application.created_by.email])
    ]


def test_a_scan_is_checked_by_its_content(world):
    application = world.submitted()
    fake = SimpleUploadedFile("推荐意见.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(ValidationError):
        recommend(
            recommendation=application.recommendation,
            opinion="同意推荐。",
            scan=fake,
            by=world.nanchang_recommender,
        )
    application.recommendation.refresh_from_db()
    assert application.recommendation.status == RecommendationStatus.PENDING


def test_returned_application_is_fixed_and_resubmitted_to_the_same_body(
    world, django_capture_on_commit_callbacks
):
    application = world.submitted(body=world.nanchang_market)
    user = application.created_by
    with django_capture_on_commit_callbacks(execute=True):
        return_for_correction(
            recommendation=application.recommendation,
            reason="请补充近三年的质量监督抽查报告。",
            by=world.market_recommender,
        )
    application.refresh_from_db()
    assert (application.status, application.recommendation.status) == (
        ApplicationStatus.RETURNED,
        RecommendationStatus.RETURNED,
    )
    assert "请补充近三年的质量监督抽查报告。" in mail.outbox[0].body
    assert "申报将再次送南昌市市场监督管理局推荐" in mail.outbox[0].body
    # Resubmitting names no body (or another one): it goes back to the body that returned it.
    submit_application(application=application, by=user, recommending_body=world.nanchang)
    application.refresh_from_db()
    recommendation = Recommendation.objects.get(application=application)
    assert (application.status, recommendation.body, recommendation.status) == (
        ApplicationStatus.SUBMITTED,
        world.nanchang_market,
        RecommendationStatus.PENDING,
    )
    assert application.events.last().note_text == "修改后重新提交申报"
    recommend(recommendation=recommendation, opinion="同意推荐。", by=world.market_recommender)
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.RECOMMENDED


def test_decline_is_final_and_shown_to_the_applicant(world, django_capture_on_commit_callbacks):
    application = world.submitted()
    with django_capture_on_commit_callbacks(execute=True):
        decline(
            recommendation=application.recommendation,
            reason="近三年发生过质量投诉。",
            by=world.nanchang_recommender,
        )
    application.refresh_from_db()
    assert (application.status, application.recommendation.reason) == (
        ApplicationStatus.DECLINED,
        "近三年发生过质量投诉。",
    )
    assert mail.outbox[0].subject == "【政府质量奖门户】推荐情况：不予推荐"
    with pytest.raises(ValidationError) as refused:
        recommend(
            recommendation=application.recommendation, opinion="推荐", by=world.nanchang_recommender
        )
    assert refused.value.messages == ["只能处理待推荐的申报；该申报的推荐状态为“不予推荐”。"]


def test_reasons_and_opinions_are_required(world):
    application = world.submitted()
    recommendation = application.recommendation
    by = world.nanchang_recommender
    for call, message in (
        (lambda: recommend(recommendation=recommendation, opinion=" ", by=by), "请填写推荐意见。"),
        (
            lambda: return_for_correction(recommendation=recommendation, reason="", by=by),
            "请填写需要申报单位修改的内容。",
        ),
        (
            lambda: decline(recommendation=recommendation, reason="", by=by),
            "请填写不予推荐的理由。",
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.messages == [message]
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.PENDING


@pytest.mark.parametrize(
    "who", ["jiujiang_recommender", "market_recommender", "official", "nanchang_official"]
)
def test_only_the_chosen_bodys_recommenders_decide(world, who):
    application = world.submitted()
    with pytest.raises(PermissionDenied):
        recommend(recommendation=application.recommendation, opinion="推荐", by=getattr(world, who))
    application.recommendation.refresh_from_db()
    assert application.recommendation.status == RecommendationStatus.PENDING


def test_recommending_over_the_quota_is_refused_naming_it(world):
    programme = world.cycle.programme
    programme.recommendation_quota = 1
    programme.save()
    first = world.submitted()
    second = world.submitted()
    other_city = world.submitted(city="jiujiang")
    recommend(recommendation=first.recommendation, opinion="推荐", by=world.nanchang_recommender)
    with pytest.raises(ValidationError) as refused:
        recommend(
            recommendation=second.recommendation, opinion="推荐", by=world.nanchang_recommender
        )
    assert refused.value.messages == [
        "推荐名额已满：本奖项每个推荐单位每届最多推荐 1 项申报，南昌市人民政府已推荐 1 项。"
        "如需推荐本申报，请先撤销一项推荐。"
    ]
    second.recommendation.refresh_from_db()
    assert second.recommendation.status == RecommendationStatus.PENDING
    # The quota is per body: 九江 still has its place.
    recommend(
        recommendation=other_city.recommendation, opinion="推荐", by=world.jiujiang_recommender
    )
    # Withdrawing frees the place.
    withdraw_recommendation(
        recommendation=first.recommendation, reason="改推另一家。", by=world.nanchang_recommender
    )
    recommend(recommendation=second.recommendation, opinion="推荐", by=world.nanchang_recommender)
    assert list(Recommendation.objects.order_by("pk").values_list("status", flat=True)) == [
        "pending",
        "recommended",
        "recommended",
    ]


def test_withdrawal_before_the_deadline_returns_it_to_the_queue(
    world, django_capture_on_commit_callbacks
):
    world.cycle.recommendation_deadline = clock.now() + dt.timedelta(days=3)
    world.cycle.save()
    application = world.submitted()
    recommend(
        recommendation=application.recommendation, opinion="推荐", by=world.nanchang_recommender
    )
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_recommendation(
            recommendation=application.recommendation,
            reason="发现申报数据有误。",
            by=world.nanchang_recommender,
        )
    recommendation = Recommendation.objects.get(application=application)
    assert (recommendation.status, recommendation.reason) == (
        RecommendationStatus.PENDING,
        "发现申报数据有误。",
    )
    assert AuditEntry.objects.filter(action="withdraw_recommendation").count() == 1
    assert mail.outbox[-1].subject == "【政府质量奖门户】推荐情况：待推荐"
    # Withdrawing what is not recommended is refused.
    with pytest.raises(ValidationError) as refused:
        withdraw_recommendation(
            recommendation=recommendation, reason="再撤一次", by=world.nanchang_recommender
        )
    assert refused.value.messages == ["只能撤销已作出的推荐；该申报的推荐状态为“待推荐”。"]


def test_after_the_recommendation_deadline_nothing_is_decided_or_withdrawn(world, time_machine):
    deadline = clock.now() + dt.timedelta(days=3)
    world.cycle.recommendation_deadline = deadline
    world.cycle.save()
    recommended = world.submitted()
    pending = world.submitted()
    recommend(
        recommendation=recommended.recommendation, opinion="推荐", by=world.nanchang_recommender
    )
    time_machine.move_to(deadline + dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as refused:
        withdraw_recommendation(
            recommendation=recommended.recommendation, reason="撤销", by=world.nanchang_recommender
        )
    assert refused.value.messages[0].startswith("推荐截止时间 ")
    assert refused.value.messages[0].endswith("（北京时间）已过，不能再作出或撤销推荐。")
    with pytest.raises(ValidationError):
        recommend(
            recommendation=pending.recommendation, opinion="推荐", by=world.nanchang_recommender
        )
    assert list(Recommendation.objects.order_by("pk").values_list("status", flat=True)) == [
        "recommended",
        "pending",
    ]


def test_returning_is_refused_once_the_applicant_can_no_longer_edit(world, time_machine):
    application = world.submitted()
    time_machine.move_to(world.cycle.application_deadline + dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as refused:
        return_for_correction(
            recommendation=application.recommendation,
            reason="请修改",
            by=world.nanchang_recommender,
        )
    assert refused.value.messages[0].startswith("申报单位已无法修改，不能退回：")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_withdrawal_is_refused_once_screened(world):
    application = world.submitted()
    recommend(
        recommendation=application.recommendation, opinion="推荐", by=world.nanchang_recommender
    )
    screen_application(application=application, decision="pass", reasons="", by=world.official)
    with pytest.raises(ValidationError) as refused:
        withdraw_recommendation(
            recommendation=application.recommendation, reason="撤销", by=world.nanchang_recommender
        )
    assert refused.value.messages == [
        "授奖机关已对该申报作出资格审查决定（资格审查通过），不能再撤销推荐。"
    ]


def test_screening_refuses_an_application_not_recommended(world):
    application = world.submitted()
    with pytest.raises(ValidationError) as refused:
        screen_application(application=application, decision="pass", reasons="", by=world.official)
    assert refused.value.messages == ["该申报尚未获推荐单位推荐，不能进行资格审查。"]
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED
