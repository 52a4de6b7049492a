"""A recommending body files an individual application itself (issue 10): for a person employed
by a registered organization of its region, through the same services as the employer, and its
submission is the body's recommendation (opinion required, quota respected)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from awards.enums import ApplicationStatus, RecommendationStatus, RecommenderScope, Track
from awards.models import Application, AuditEntry, Notification, Recommendation
from awards.services.application_drafts import format_deadline, save_step_draft
from awards.services.applications import SubmissionRefused, submit_application
from awards.services.individuals import (
    filed_applications,
    filing_cycles,
    filing_organizations,
    start_individual_application,
)
from awards.services.recommendations import recommend
from awards.services.screening import screen_application
from tests import clock
from tests.awards.recommendation_world import build_world
from tests.factories import COMPLETE_ELIGIBILITY, OrganizationFactory, open_cycle
from tests.individual_world import fill_individual, with_individual_track

pytestmark = pytest.mark.django_db

OPINION = "该同志长期从事质量管理工作，业绩突出，同意推荐。"


@pytest.fixture
def world():
    world = build_world()
    with_individual_track(world.cycle)
    return world


def filed(world, *, city: str = "nanchang", by=None) -> Application:
    """A draft the body of ``by`` (南昌市人民政府 by default) filed for an employer of ``city``."""
    employer = world.applicant(city)
    return start_individual_application(
        cycle=world.cycle, organization=employer.organization, by=by or world.nanchang_recommender
    )


def timeline(application) -> list[tuple[str, str]]:
    return [(event.status, event.note_text) for event in application.events.order_by("at", "pk")]


def test_the_body_files_for_an_employer_of_its_region_and_its_submission_recommends_it(
    world, django_capture_on_commit_callbacks
):
    recommender = world.nanchang_recommender
    application = filed(world)
    employer = application.organization
    assert (
        application.organization.region_code,
        application.filed_by_body,
        application.created_by,
        application.track,
        application.status,
    ) == ("360100", world.nanchang, recommender, Track.INDIVIDUAL, ApplicationStatus.DRAFT)
    started = AuditEntry.objects.get(action="start_application")
    assert (started.actor, started.details) == (
        recommender,
        {"track": "individual", "filed_by_body": "南昌市人民政府"},
    )
    fill_individual(application, recommender)
    with django_capture_on_commit_callbacks(execute=True):
        submit_application(application=application, by=recommender, recommendation_opinion=OPINION)
    application.refresh_from_db()
    recommendation = application.recommendation
    assert (application.status, application.organization, application.filed_by_body) == (
        ApplicationStatus.SUBMITTED,
        employer,
        world.nanchang,
    )
    assert (
        recommendation.body,
        recommendation.status,
        recommendation.opinion,
        recommendation.decided_by,
    ) == (world.nanchang, RecommendationStatus.RECOMMENDED, OPINION, recommender)
    assert timeline(application) == [
        ("draft", "南昌市人民政府代为开始填写个人奖申报材料"),
        ("submitted", "提交申报"),
        ("submitted", f"南昌市人民政府推荐：{OPINION}"),
    ]
    recommended = AuditEntry.objects.get(action="recommend_application")
    assert (recommended.actor, recommended.details["from"], recommended.details["to"]) == (
        recommender,
        "pending",
        "recommended",
    )
    # It is the body's own: its queue lists it as recommended, the employer's list has it too.
    assert list(filed_applications(world.nanchang)) == [application]
    assert list(employer.applications.all()) == [application]


def test_the_timeline_reads_in_the_readers_language(world):
    with translation.override("en"):
        application = filed(world)
    [event] = application.events.all()
    assert (event.note, event.note_code, event.note_params) == (
        "",
        "individual_application_filed",
        {"body": "南昌市人民政府"},
    )
    with translation.override("zh-hans"):
        assert event.note_text == "南昌市人民政府代为开始填写个人奖申报材料"
    with translation.override("en"):
        assert event.note_text == (
            "南昌市人民政府 started the individual application on the employer's behalf"
        )


def test_another_regions_body_is_refused_and_nothing_is_created(world):
    employer = world.applicant("nanchang").organization
    with pytest.raises(PermissionDenied) as refused:
        start_individual_application(
            cycle=world.cycle, organization=employer, by=world.jiujiang_recommender
        )
    assert str(refused.value) == (
        f"九江市人民政府不能为“{employer.name}”代为申报“{world.cycle}”的个人奖。"
    )
    assert Application.objects.count() == 0
    assert not AuditEntry.objects.filter(action="start_application").exists()


def test_every_body_of_the_region_may_file_and_officials_may_not(world):
    employer = world.applicant("nanchang").organization
    application = start_individual_application(
        cycle=world.cycle, organization=employer, by=world.market_recommender
    )
    assert application.filed_by_body == world.nanchang_market
    for official in (world.official, world.nanchang_official):
        with pytest.raises(ValidationError) as refused:
            start_individual_application(cycle=world.cycle, organization=employer, by=official)
        assert refused.value.messages == ["只有候选人所在单位的用户可以申报个人奖。"]
    assert Application.objects.count() == 1


def test_a_programme_that_does_not_accept_the_body_is_refused(world):
    programme = world.cycle.programme
    programme.recommender_scope = RecommenderScope.NAMED
    programme.save()
    programme.recommending_bodies.set([world.nanchang_market])
    employer = world.applicant("nanchang").organization
    with pytest.raises(PermissionDenied):
        start_individual_application(
            cycle=world.cycle, organization=employer, by=world.nanchang_recommender
        )
    assert filing_cycles(world.nanchang) == []
    assert filing_cycles(world.nanchang_market) == [world.cycle]
    programme.requires_recommendation = False
    programme.save()
    with pytest.raises(PermissionDenied):
        start_individual_application(
            cycle=world.cycle, organization=employer, by=world.market_recommender
        )
    assert filing_cycles(world.nanchang_market) == []
    assert Application.objects.count() == 0


def test_the_cycles_and_organizations_a_body_may_file_for(world):
    nanchang_employer = world.applicant("nanchang").organization
    world.applicant("jiujiang")
    OrganizationFactory(region_code="360100", region_name="江西省南昌市")  # no account
    without_track = open_cycle(
        programme__authority=world.province, programme__requires_recommendation=True
    )
    assert without_track.takes_individuals is False
    assert filing_cycles(world.nanchang) == [world.cycle]
    assert list(filing_organizations(world.nanchang)) == [nanchang_employer]
    assert filing_cycles(world.province) == []  # the awarding authority recommends nobody


def test_the_opinion_is_required_and_nothing_changes_without_it(world):
    application = fill_individual(filed(world), world.nanchang_recommender)
    with pytest.raises(ValidationError) as refused:
        submit_application(application=application, by=world.nanchang_recommender)
    assert refused.value.message_dict == {"opinion": ["请填写推荐意见。"]}
    application.refresh_from_db()
    assert (application.status, Recommendation.objects.count()) == (ApplicationStatus.DRAFT, 0)
    assert [status for status, _note in timeline(application)] == ["draft"]


def test_over_the_quota_the_submission_is_refused_naming_it(world):
    programme = world.cycle.programme
    programme.recommendation_quota = 1
    programme.save()
    earlier = world.submitted()
    recommend(recommendation=earlier.recommendation, opinion="推荐", by=world.nanchang_recommender)
    notifications = Notification.objects.count()
    application = fill_individual(filed(world), world.nanchang_recommender)
    with pytest.raises(ValidationError) as refused:
        submit_application(
            application=application, by=world.nanchang_recommender, recommendation_opinion=OPINION
        )
    assert refused.value.messages == [
        "推荐名额已满：本奖项每个推荐单位每届最多推荐 1 项申报，南昌市人民政府已推荐 1 项。"
        "如需推荐本申报，请先撤销一项推荐。"
    ]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert list(Recommendation.objects.values_list("application_id", flat=True)) == [earlier.pk]
    assert Notification.objects.count() == notifications
    # Another body's quota is its own: the market department files and recommends.
    other = fill_individual(filed(world, by=world.market_recommender), world.market_recommender)
    submit_application(
        application=other, by=world.market_recommender, recommendation_opinion=OPINION
    )
    assert other.recommendation.status == RecommendationStatus.RECOMMENDED


def test_after_the_recommendation_deadline_the_submission_is_refused(world):
    deadline = clock.now() - dt.timedelta(hours=1)
    world.cycle.recommendation_deadline = deadline
    world.cycle.save()
    application = fill_individual(filed(world), world.nanchang_recommender)
    with pytest.raises(ValidationError) as refused:
        submit_application(
            application=application, by=world.nanchang_recommender, recommendation_opinion=OPINION
        )
    assert refused.value.messages == [
        f"推荐截止时间 {format_deadline(deadline)}（北京时间）已过，不能再作出或撤销推荐。"
    ]
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


def test_the_candidates_signed_consent_is_required(world):
    application = fill_individual(filed(world), world.nanchang_recommender, consent=False)
    with pytest.raises(SubmissionRefused) as refused:
        submit_application(
            application=application, by=world.nanchang_recommender, recommendation_opinion=OPINION
        )
    assert refused.value.messages == ["证明材料：尚未上传“候选人同意书”。"]
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


@pytest.mark.parametrize("who", ["employer", "market_recommender", "jiujiang_recommender"])
def test_only_the_filing_bodys_staff_change_or_submit_it(world, who):
    application = fill_individual(filed(world), world.nanchang_recommender)
    person = application.organization.members.get() if who == "employer" else getattr(world, who)
    version = application.version
    with pytest.raises(PermissionDenied) as refused:
        save_step_draft(
            application=application,
            step="eligibility",
            values=COMPLETE_ELIGIBILITY,
            expected_version=version,
            next_step="eligibility",
            by=person,
        )
    assert str(refused.value) == "本申报由推荐单位代为填报，只有该推荐单位的工作人员可以修改。"
    with pytest.raises(PermissionDenied):
        submit_application(application=application, by=person, recommendation_opinion=OPINION)
    application.refresh_from_db()
    assert (application.version, application.status) == (version, ApplicationStatus.DRAFT)


def test_returned_by_screening_it_is_fixed_and_resubmitted_without_a_new_opinion(world):
    recommender = world.nanchang_recommender
    application = fill_individual(filed(world), recommender)
    submit_application(application=application, by=recommender, recommendation_opinion=OPINION)
    screen_application(
        application=application,
        decision="return",
        reasons="请补充候选人业绩证明。",
        by=world.official,
    )
    submit_application(application=application, by=recommender)
    application.refresh_from_db()
    assert (application.status, application.recommendation.status) == (
        ApplicationStatus.SUBMITTED,
        RecommendationStatus.RECOMMENDED,
    )
    assert AuditEntry.objects.filter(action="recommend_application").count() == 1


def test_returned_by_its_own_body_the_employer_is_not_asked_to_fix_it(
    world, django_capture_on_commit_callbacks
):
    from django.core import mail

    from awards.services.recommendations import return_for_correction, withdraw_recommendation

    recommender = world.nanchang_recommender
    application = fill_individual(filed(world), recommender)
    submit_application(application=application, by=recommender, recommendation_opinion=OPINION)
    withdraw_recommendation(
        recommendation=application.recommendation, reason="候选人材料需更新。", by=recommender
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return_for_correction(
            recommendation=application.recommendation, reason="更新候选人业绩。", by=recommender
        )
    bodies = [message.body for message in mail.outbox]
    assert len(bodies) == 1
    assert "推荐情况：退回修改。\n南昌市人民政府退回修改：更新候选人业绩。\n" in bodies[0]
    assert "请在申报截止前修改并重新提交" not in bodies[0]
