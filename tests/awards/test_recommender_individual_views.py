"""The recommender's pages for filing an individual application (代为申报个人奖), the wizard
they fill, and what the employer and the awarding authority then see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.enums import ApplicationStatus, RecommendationStatus, RecommenderScope, Track
from awards.models import Application, IndividualCandidate
from awards.services.individuals import start_individual_application
from tests.awards.recommendation_world import build_world
from tests.factories import wizard_post
from tests.individual_world import (
    evidence_upload,
    fill_individual,
    fill_through_the_wizard,
    with_individual_track,
)

pytestmark = pytest.mark.django_db

OPINION = "该同志业绩突出，同意推荐。"


@pytest.fixture
def world():
    world = build_world()
    with_individual_track(world.cycle)
    return world


def filing_url(world, organization=None) -> str:
    base = f"/portal/recommendations/cycles/{world.cycle.pk}/individual/"
    return f"{base}{organization.pk}/" if organization is not None else base


def test_the_recommender_finds_the_cycle_and_only_its_regions_organizations(client, world):
    own = world.applicant("nanchang", organization__name="南昌洪城精密机械有限公司").organization
    other = world.applicant("jiujiang", organization__name="九江石化设备有限公司").organization
    client.force_login(world.nanchang_recommender)
    dashboard = client.get("/portal/").content.decode()
    assert 'href="/portal/recommendations/individual/" data-individual-filing-link>' in dashboard
    page = client.get("/portal/recommendations/individual/")
    assert [cycle.pk for cycle in page.context["cycles"]] == [world.cycle.pk]
    assert f'href="{filing_url(world)}"' in page.content.decode()
    listing = client.get(filing_url(world))
    assert list(listing.context["organizations"]) == [own]
    html = listing.content.decode()
    assert f'action="{filing_url(world, own)}"' in html
    assert other.name not in html
    found = client.get(filing_url(world), {"q": "洪城"})
    assert list(found.context["organizations"]) == [own]
    assert list(client.get(filing_url(world), {"q": "九江"}).context["organizations"]) == []


def test_another_regions_organization_or_an_unaccepting_cycle_is_404(client, world):
    other = world.applicant("jiujiang").organization
    own = world.applicant("nanchang").organization
    client.force_login(world.nanchang_recommender)
    assert client.post(filing_url(world, other)).status_code == 404
    assert client.get(filing_url(world, own)).status_code == 405
    programme = world.cycle.programme
    programme.recommender_scope = RecommenderScope.NAMED
    programme.save()
    programme.recommending_bodies.set([world.jiujiang])
    assert client.get(filing_url(world)).status_code == 404
    assert client.post(filing_url(world, own)).status_code == 404
    assert Application.objects.filter(track=Track.INDIVIDUAL).count() == 0


@pytest.mark.parametrize("who", ["applicant", "official", "nanchang_official"])
def test_nobody_but_a_recommender_reaches_the_pages(client, world, who):
    own = world.applicant("nanchang").organization
    person = own.members.get() if who == "applicant" else getattr(world, who)
    client.force_login(person)
    for url in ("/portal/recommendations/individual/", filing_url(world)):
        assert client.get(url).status_code == 404, url
    assert client.post(filing_url(world, own)).status_code == 404
    assert Application.objects.filter(track=Track.INDIVIDUAL).count() == 0


def test_the_recommender_files_through_the_wizard_and_submits_as_its_recommendation(client, world):
    employer = world.applicant("nanchang")
    client.force_login(world.nanchang_recommender)
    response = client.post(filing_url(world, employer.organization))
    application = Application.objects.get(track=Track.INDIVIDUAL)
    assert response["Location"] == f"/portal/applications/{application.pk}/step/"
    assert (application.organization, application.filed_by_body) == (
        employer.organization,
        world.nanchang,
    )
    evidence = fill_through_the_wizard(client, application, consent=False)
    assert evidence.context["form"].non_field_errors() == ["尚未上传“候选人同意书”。"]
    review = client.get(f"/portal/applications/{application.pk}/step/review/").content.decode()
    assert "证明材料：尚未上传“候选人同意书”。" in review
    assert (
        "本申报由南昌市人民政府代为填报，提交后即视为南昌市人民政府推荐，"
        "直接进入授奖机关的资格审查。"
    ) in review
    # The body vouches for what it filed, not the employer.
    assert "本推荐单位承诺：已核实所填报的申报材料真实、准确、完整，符合申报条件" in review
    assert "本单位承诺" not in review
    incomplete = wizard_post(
        client, application, "review", {"commitment": "on", "opinion": OPINION}, action="submit"
    )
    assert incomplete.status_code == 200
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT
    uploaded = wizard_post(
        client, application, "evidence", action="next", extra=evidence_upload("candidate-consent")
    )
    assert uploaded.status_code == 302
    refused = wizard_post(client, application, "review", {"commitment": "on"}, action="submit")
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"opinion": ["请填写推荐意见。"]}
    done = wizard_post(
        client, application, "review", {"commitment": "on", "opinion": OPINION}, action="submit"
    )
    assert done["Location"] == f"/portal/applications/{application.pk}/"
    application.refresh_from_db()
    assert (application.status, application.recommendation.status) == (
        ApplicationStatus.SUBMITTED,
        RecommendationStatus.RECOMMENDED,
    )
    listed = client.get("/portal/recommendations/individual/")
    assert [row.pk for row in listed.context["applications"]] == [application.pk]
    # The employer follows it on its dashboard, read-only.
    client.force_login(employer)
    dashboard = client.get("/portal/").content.decode()
    assert 'data-stage="recommended">已推荐（南昌市人民政府），申报截止后进行资格审查</span>' in (
        dashboard
    )
    assert '<span class="muted" data-filed-by-body>由南昌市人民政府代为填报</span>' in dashboard
    assert f"/portal/applications/{application.pk}/step/" not in dashboard
    detail = client.get(f"/portal/applications/{application.pk}/").content.decode()
    assert "<p data-filed-by-body>本申报由南昌市人民政府代为填报。</p>" in detail
    assert client.get(f"/portal/applications/{application.pk}/step/review/").status_code == 404
    # The awarding authority screens it, with the body and its opinion.
    client.force_login(world.official)
    queue = client.get("/admin/screening/")
    assert [row.pk for row in queue.context["applications"]] == [application.pk]
    screening = client.get(f"/admin/screening/{application.pk}/").content.decode()
    assert OPINION in screening
    assert "南昌市人民政府" in screening


def test_over_the_quota_the_review_page_shows_the_refusal(client, world):
    from awards.services.recommendations import recommend

    programme = world.cycle.programme
    programme.recommendation_quota = 1
    programme.save()
    earlier = world.submitted()
    recommend(recommendation=earlier.recommendation, opinion="推荐", by=world.nanchang_recommender)
    employer = world.applicant("nanchang").organization
    application = start_individual_application(
        cycle=world.cycle, organization=employer, by=world.nanchang_recommender
    )
    fill_individual(application, world.nanchang_recommender)
    client.force_login(world.nanchang_recommender)
    page = client.get(f"/portal/applications/{application.pk}/step/review/").content.decode()
    assert "本奖项每个推荐单位每届最多推荐 1 项，本单位已推荐 1 项。" in page
    refused = wizard_post(
        client, application, "review", {"commitment": "on", "opinion": OPINION}, action="submit"
    )
    assert refused.context["form"].non_field_errors() == [
        "推荐名额已满：本奖项每个推荐单位每届最多推荐 1 项申报，南昌市人民政府已推荐 1 项。"
        "如需推荐本申报，请先撤销一项推荐。"
    ]
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


@pytest.mark.parametrize("who", ["market_recommender", "jiujiang_recommender", "official"])
def test_another_bodys_recommender_cannot_open_the_wizard(client, world, who):
    employer = world.applicant("nanchang").organization
    application = start_individual_application(
        cycle=world.cycle, organization=employer, by=world.nanchang_recommender
    )
    client.force_login(getattr(world, who))
    for step in ("", "candidate/", "review/"):
        url = f"/portal/applications/{application.pk}/step/{step}"
        assert client.get(url).status_code == 404, url
    response = wizard_post(client, application, "candidate", {"name": "张三"})
    assert response.status_code == 404
    assert not IndividualCandidate.objects.filter(application=application).exists()


@pytest.mark.parametrize("size", [1, 5])
def test_the_filing_page_costs_the_same_for_1_and_5_applications(client, world, size):
    employer = world.applicant("nanchang").organization
    for _ in range(size):
        start_individual_application(
            cycle=world.cycle, organization=employer, by=world.nanchang_recommender
        )
    client.force_login(world.nanchang_recommender)
    client.get("/portal/recommendations/individual/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/portal/recommendations/individual/")
    assert len(response.context["applications"]) == size
    assert len(captured) == FILING_PAGE_QUERIES


FILING_PAGE_QUERIES = 6


@pytest.mark.parametrize("size", [1, 5])
def test_the_organization_list_costs_the_same_for_1_and_5_rows(client, world, size):
    for _ in range(size):
        world.applicant("nanchang")
    client.force_login(world.nanchang_recommender)
    client.get(filing_url(world))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(filing_url(world))
    assert len(response.context["organizations"]) == size
    assert len(captured) == ORGANIZATION_LIST_QUERIES


ORGANIZATION_LIST_QUERIES = 6


def test_withdrawn_and_returned_by_its_own_body_it_is_recommended_again_on_resubmission(
    client, world
):
    from awards.services.applications import submit_application
    from awards.services.recommendations import return_for_correction, withdraw_recommendation

    recommender = world.nanchang_recommender
    employer = world.applicant("nanchang").organization
    application = start_individual_application(
        cycle=world.cycle, organization=employer, by=recommender
    )
    fill_individual(application, recommender)
    submit_application(application=application, by=recommender, recommendation_opinion=OPINION)
    withdraw_recommendation(
        recommendation=application.recommendation, reason="候选人材料需更新。", by=recommender
    )
    return_for_correction(
        recommendation=application.recommendation, reason="更新候选人业绩。", by=recommender
    )
    client.force_login(recommender)
    page = client.get(f"/portal/applications/{application.pk}/step/review/")
    assert list(page.context["form"].fields) == ["opinion", "commitment"]
    done = wizard_post(
        client,
        application,
        "review",
        {"commitment": "on", "opinion": "更新后同意推荐。"},
        action="submit",
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert (
        application.status,
        application.recommendation.status,
        application.recommendation.opinion,
    ) == (ApplicationStatus.SUBMITTED, RecommendationStatus.RECOMMENDED, "更新后同意推荐。")


def test_the_queue_and_the_region_list_name_the_candidate_with_the_employer(client, world):
    from awards.services.applications import submit_application

    recommender = world.nanchang_recommender
    organization_application = world.submitted(
        user=world.applicant("nanchang", organization__name="南昌精密轴承有限公司")
    )
    employer = world.applicant("nanchang", organization__name="南昌航空部件有限公司")
    application = start_individual_application(
        cycle=world.cycle, organization=employer.organization, by=recommender
    )
    fill_individual(application, recommender)
    submit_application(application=application, by=recommender, recommendation_opinion=OPINION)

    client.force_login(recommender)
    for url, row in (
        ("/portal/recommendations/?status=", "data-recommendation"),
        ("/portal/region/applications/", "data-application"),
    ):
        html = client.get(url).content.decode()
        assert "<th>申报单位或候选人（工作单位）</th>" in html
        assert "<td>南昌精密轴承有限公司</td>" in html
        assert (
            '<td>李质量（南昌航空部件有限公司） <span class="w-status" data-track="individual">'
            "个人奖</span></td>"
        ) in html
        assert html.count(f"{row}=") == 2, url
    assert organization_application.track == Track.ORGANIZATION
