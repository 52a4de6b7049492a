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
