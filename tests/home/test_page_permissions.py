import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from awards.enums import Role
from awards.services.people import authority_group, create_staff_account
from home.models import NoticePage
from home.services import sync_authority_page_permissions, sync_page_permissions_after_edit
from tests import clock
from tests.conftest import TEST_PASSWORD
from tests.factories import AuthorityFactory, ProgrammeFactory
from tests.home.helpers import add_programme_page


@pytest.fixture
def tianmen(db):
    return AuthorityFactory(name="天门市人民政府", region_code="429006")


@pytest.fixture
def yichang(db):
    return AuthorityFactory(name="宜昌市人民政府", region_code="420500")


@pytest.fixture
def luyu_page(home_page, tianmen):
    programme = ProgrammeFactory(authority=tianmen, name="陆羽质量奖", slug="luyu")
    return add_programme_page(home_page, programme)


@pytest.fixture
def sanxia_page(home_page, yichang):
    programme = ProgrammeFactory(authority=yichang, name="三峡质量奖", slug="sanxia")
    return add_programme_page(home_page, programme)


@pytest.fixture
def tianmen_official(tianmen):
    return create_staff_account(
        role=Role.OFFICIAL,
        authority=tianmen,
        username="tianmen-office",
        full_name="天门办",
        email="office@tianmen.example.com",
        password=TEST_PASSWORD,
        by=None,
    )


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def add_notice_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=["home", "noticepage", parent.pk])


def notice_form(title: str) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": "review-arrangements",
            "date": clock.today().isoformat(),
            "summary": "评审纪律。",
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )


def test_official_edits_own_programme_page_and_is_turned_away_from_others(
    client, luyu_page, sanxia_page, tianmen_official
):
    client.force_login(tianmen_official)

    own = client.get(edit_url(luyu_page))
    other = client.get(edit_url(sanxia_page))

    assert own.status_code == 200
    # Another authority's page is hidden, not refused (tests/home/test_page_admin_scope.py).
    assert other.status_code == 404
    assert list(get_messages(other.wsgi_request)) == []


def test_official_may_link_a_page_only_to_own_authority_programmes(
    client, luyu_page, sanxia_page, tianmen_official
):
    client.force_login(tianmen_official)

    html = client.get(edit_url(luyu_page)).content.decode()

    assert f'<option value="{luyu_page.programme_id}" selected>陆羽质量奖</option>' in html
    assert "三峡质量奖" not in html


def test_official_publishes_notices_under_own_programme_only(
    client, luyu_page, sanxia_page, tianmen_official
):
    client.force_login(tianmen_official)

    own = client.post(add_notice_url(luyu_page), notice_form("第5届陆羽质量奖评审工作安排"))
    other = client.post(add_notice_url(sanxia_page), notice_form("第8届三峡质量奖评审工作安排"))

    assert own.status_code == 302
    assert other.status_code == 404
    assert list(NoticePage.objects.live().values_list("title", flat=True)) == [
        "第5届陆羽质量奖评审工作安排"
    ]
    assert NoticePage.objects.get().get_parent().pk == luyu_page.pk


def test_page_permissions_follow_the_authority(luyu_page, sanxia_page, tianmen_official):
    own = luyu_page.permissions_for_user(tianmen_official)
    other = sanxia_page.permissions_for_user(tianmen_official)

    assert (own.can_edit(), own.can_publish(), own.can_add_subpage()) == (True, True, True)
    assert (other.can_edit(), other.can_publish(), other.can_add_subpage()) == (
        False,
        False,
        False,
    )


def grants(group) -> list[tuple[str, str]]:
    return sorted(
        GroupPagePermission.objects.filter(group=group).values_list(
            "page__title", "permission__codename"
        )
    )


def test_sync_is_idempotent(luyu_page, tianmen):
    sync_authority_page_permissions(authority=tianmen)
    sync_authority_page_permissions(authority=tianmen)

    assert grants(authority_group(tianmen)) == [
        ("陆羽质量奖", "add_page"),
        ("陆羽质量奖", "change_page"),
        ("陆羽质量奖", "publish_page"),
    ]


def test_relinked_page_changes_hands(luyu_page, sanxia_page, tianmen, yichang):
    sanxia_page.programme = ProgrammeFactory(authority=tianmen, name="天门市长质量奖")
    sanxia_page.save()

    sync_page_permissions_after_edit(page=sanxia_page)

    assert grants(authority_group(tianmen)) == [
        ("三峡质量奖", "add_page"),
        ("三峡质量奖", "change_page"),
        ("三峡质量奖", "publish_page"),
        ("陆羽质量奖", "add_page"),
        ("陆羽质量奖", "change_page"),
        ("陆羽质量奖", "publish_page"),
    ]
    assert grants(authority_group(yichang)) == []


def test_programme_page_created_in_the_admin_is_handed_to_its_authority(
    client, home_page, tianmen, django_user_model
):
    client.force_login(
        django_user_model.objects.create_superuser("platform-admin", "admin@example.com", "x")
    )
    programme = ProgrammeFactory(authority=tianmen, name="陆羽质量奖", slug="luyu")
    form = nested_form_data(
        {
            "title": "陆羽质量奖",
            "slug": "luyu",
            "programme": programme.pk,
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )

    response = client.post(
        reverse("wagtailadmin_pages:add", args=["home", "awardprogrammepage", home_page.pk]),
        form,
    )

    assert response.status_code == 302
    assert grants(authority_group(tianmen)) == [
        ("陆羽质量奖", "add_page"),
        ("陆羽质量奖", "change_page"),
        ("陆羽质量奖", "publish_page"),
    ]
