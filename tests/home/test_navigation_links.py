import pytest

from tests.factories import ApplicantFactory, OfficialFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("make", "review_link", "admin_link"),
    [
        (ApplicantFactory, False, False),
        (ReviewerFactory, True, False),
        (OfficialFactory, False, True),
    ],
)
def test_header_links_follow_the_role(client, make, review_link, admin_link):
    client.force_login(make())
    html = client.get("/portal/").content.decode()
    assert ('href="/review/"' in html) is review_link
    assert ("管理后台</a>" in html) is admin_link


def test_programme_page_links_open_cycles_to_the_application_start(client):
    from awards.enums import CycleStatus
    from home.demo import build_demo_site
    from tests.factories import CycleFactory

    open_cycle = CycleFactory(programme__slug="luyu", status=CycleStatus.OPEN)
    CycleFactory(programme=open_cycle.programme, status=CycleStatus.CLOSED, edition=99)
    build_demo_site()
    html = client.get("/luyu/").content.decode()
    assert html.count('class="button apply-link"') == 1
    assert f'href="/portal/cycles/{open_cycle.pk}/apply/"' in html
    response = client.get(f"/portal/cycles/{open_cycle.pk}/apply/")
    assert response["Location"] == f"/accounts/login/?next=/portal/cycles/{open_cycle.pk}/apply/"
