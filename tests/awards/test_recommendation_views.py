"""The recommender's pages, the screening queue's filter and the region's read-only list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.enums import ApplicationStatus, RecommendationStatus
from awards.models import Application, Recommendation
from awards.services.recommendations import recommend
from tests.awards.recommendation_world import build_world
from tests.factories import ApplicationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def queued(world, n: int, *, body=None, region="360100") -> list[Application]:
    """``n`` submitted applications waiting for ``body`` (bare rows: enough for listings)."""
    rows = []
    for _ in range(n):
        application = ApplicationFactory(
            cycle=world.cycle,
            organization=OrganizationFactory(region_code=region, region_name="江西省南昌市"),
            status=ApplicationStatus.SUBMITTED,
        )
        Recommendation.objects.create(application=application, body=body or world.nanchang)
        rows.append(application)
    return rows


@pytest.mark.parametrize("size", [1, 5])
def test_the_queue_costs_the_same_for_1_and_5_rows(client, world, size):
    queued(world, size)
    queued(world, 2, body=world.jiujiang, region="360400")
    client.force_login(world.nanchang_recommender)
    client.get("/portal/recommendations/")  # warm the session and caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/portal/recommendations/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == size
    assert len(captured) == QUEUE_QUERIES


QUEUE_QUERIES = 5


def test_the_queue_lists_only_the_bodys_own_applications(client, world):
    own = queued(world, 1)[0]
    other = queued(world, 1, body=world.nanchang_market)[0]
    client.force_login(world.nanchang_recommender)
    page = client.get("/portal/recommendations/").content.decode()
    assert own.organization.name in page
    assert other.organization.name not in page


def test_another_bodys_recommender_gets_404_everywhere(client, world):
    application = world.submitted()
    recommendation = application.recommendation
    for user in (world.market_recommender, world.jiujiang_recommender):
        client.force_login(user)
        for url in (
            f"/portal/recommendations/{recommendation.pk}/",
            f"/portal/applications/{application.pk}/",
            f"/portal/applications/{application.pk}/pdf/",
        ):
            assert client.get(url).status_code == 404, (user, url)
        assert (
            client.post(
                f"/portal/recommendations/{recommendation.pk}/",
                {"decision": "recommend", "text": "推荐"},
            ).status_code
            == 404
        )
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.PENDING


def test_the_recommender_reads_the_application_and_its_files(client, world):
    application = world.submitted()
    attachment = application.attachments.first()
    client.force_login(world.nanchang_recommender)
    page = client.get(f"/portal/recommendations/{application.recommendation.pk}/")
    assert page.status_code == 200
    assert f"/portal/applications/{application.pk}/attachments/{attachment.pk}/view/" in (
        page.content.decode()
    )
    detail = client.get(f"/portal/applications/{application.pk}/")
    assert detail.status_code == 200
    download = client.get(f"/portal/applications/{application.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200
    from awards.models import AuditEntry

    entry = AuditEntry.objects.get(action="download_attachment")
    assert (entry.actor, entry.details["attachment"]) == (world.nanchang_recommender, attachment.pk)


def test_a_decision_through_the_page_and_a_refusal_shown_on_the_form(client, world):
    application = world.submitted()
    recommendation = application.recommendation
    client.force_login(world.nanchang_recommender)
    url = f"/portal/recommendations/{recommendation.pk}/"
    refused = client.post(url, {"decision": "decline", "text": ""})
    assert refused.status_code == 200
    assert "请填写不予推荐的理由。" in refused.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.PENDING
    done = client.post(url, {"decision": "recommend", "text": "同意推荐。"})
    assert (done.status_code, done["Location"]) == (302, "/portal/recommendations/")
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.opinion) == ("recommended", "同意推荐。")
    withdrawn = client.post(f"{url}withdraw/", {"reason": "数据有误。"})
    assert (withdrawn.status_code, withdrawn["Location"]) == (302, url)
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.reason) == ("pending", "数据有误。")


def test_screening_lists_only_recommended_applications_and_shows_the_opinion(client, world):
    waiting = world.submitted()
    recommended = world.submitted()
    recommend(
        recommendation=recommended.recommendation,
        opinion="质量管理体系健全，同意推荐。",
        by=world.nanchang_recommender,
    )
    client.force_login(world.official)
    queue = client.get("/admin/screening/")
    listed = [application.pk for application in queue.context["applications"]]
    assert listed == [recommended.pk]
    assert client.get(f"/admin/screening/{waiting.pk}/").status_code == 404
    page = client.get(f"/admin/screening/{recommended.pk}/").content.decode()
    assert "质量管理体系健全，同意推荐。" in page
    assert world.nanchang_recommender.full_name in page
    assert "南昌市人民政府" in page


def test_a_city_official_follows_its_region_read_only_status_not_scores(client, world):
    nanchang_app = world.submitted()
    jiujiang_app = world.submitted(city="jiujiang")
    client.force_login(world.nanchang_official)
    response = client.get("/portal/region/applications/")
    assert response.status_code == 200
    assert [a.pk for a in response.context["applications"]] == [nanchang_app.pk]
    page = response.content.decode()
    assert nanchang_app.organization.name in page
    assert jiujiang_app.organization.name not in page
    assert "已提交" in page
    assert "得分" not in page and "总分" not in page
    # The city cannot open the application itself: following is not reading.
    assert client.get(f"/portal/applications/{nanchang_app.pk}/").status_code == 404
    # The province's own official has no region list (its cycles are its screening pages).
    client.force_login(world.official)
    assert client.get("/portal/region/applications/").status_code == 404


@pytest.mark.parametrize("size", [1, 5])
def test_the_region_list_costs_the_same_for_1_and_5_rows(client, world, size):
    queued(world, size)
    client.force_login(world.nanchang_official)
    client.get("/portal/region/applications/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/portal/region/applications/")
    assert len(response.context["applications"]) == size
    assert len(captured) == REGION_QUERIES


REGION_QUERIES = 5


def test_the_wizard_offers_only_allowed_bodies_and_submits_to_the_chosen_one(client, world):
    from tests.factories import fill_application, started_application, wizard_post

    user = world.applicant("nanchang")
    application, _user = started_application(cycle=world.cycle, user=user)
    fill_application(application, user)
    client.force_login(user)
    page = client.get(f"/portal/applications/{application.pk}/step/review/").content.decode()
    assert "南昌市市场监督管理局" in page
    assert "九江市人民政府" not in page
    refused = wizard_post(
        client,
        application,
        "review",
        {"commitment": "on", "recommending_body": str(world.jiujiang.pk)},
        action="submit",
    )
    assert "请在列出的推荐单位中选择。" in refused.content.decode()
    wizard_post(
        client,
        application,
        "review",
        {"commitment": "on", "recommending_body": str(world.nanchang_market.pk)},
        action="submit",
    )
    application.refresh_from_db()
    assert (application.status, application.recommendation.body) == (
        ApplicationStatus.SUBMITTED,
        world.nanchang_market,
    )


def test_the_pager_keeps_the_filters(client, world, monkeypatch):
    monkeypatch.setattr("awards.views.recommendations.PAGE_SIZE", 2)
    queued(world, 3)
    client.force_login(world.nanchang_recommender)
    first = client.get(f"/portal/recommendations/?status=pending&cycle={world.cycle.pk}")
    assert len(first.context["rows"]) == 2
    html = first.content.decode()
    assert f'<a href="?status=pending&amp;cycle={world.cycle.pk}&amp;p=2">下一页</a>' in html
    second = client.get(f"/portal/recommendations/?status=pending&cycle={world.cycle.pk}&p=2")
    assert len(second.context["rows"]) == 1
    assert f'<a href="?status=pending&amp;cycle={world.cycle.pk}&amp;p=1">上一页</a>' in (
        second.content.decode()
    )
