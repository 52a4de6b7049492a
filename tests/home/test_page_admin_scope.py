"""Wagtail's page admin hides another authority's pages: every URL that names one answers the
admin's 404 page (like a page that does not exist), not Wagtail's "permission denied" redirect.

Own pages keep answering exactly as before, platform admins see every page, and people without
admin access still go to the login page.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from awards.enums import Role
from awards.services.people import create_staff_account
from home.models import AwardProgrammePage
from tests.conftest import TEST_PASSWORD
from tests.factories import ApplicantFactory, AuthorityFactory, ProgrammeFactory, ReviewerFactory
from tests.home.helpers import add_notice, add_programme_page

ADMIN_404_TEMPLATE = "wagtailadmin/404.html"

#: (URL template, status for a page the user may see). ``{page}`` is the page, ``{revision}``
#: its latest revision. Only GET here; POSTs are below.
PAGE_URLS = [
    ("/admin/pages/{page}/", 200),
    ("/admin/pages/{page}/results/", 200),
    ("/admin/pages/{page}/edit/", 200),
    ("/admin/pages/{page}/edit/preview/", 200),
    ("/admin/pages/{page}/view_draft/", 200),
    ("/admin/pages/{page}/add_subpage/", 302),
    ("/admin/pages/add/home/noticepage/{page}/", 200),
    ("/admin/pages/add/home/noticepage/{page}/preview/", 200),
    ("/admin/pages/{page}/delete/", 200),
    ("/admin/pages/{page}/unpublish/", 200),
    ("/admin/pages/{page}/move/", 200),
    ("/admin/pages/{page}/move/{page}/confirm/", 200),
    ("/admin/pages/{page}/copy/", 200),
    ("/admin/pages/{page}/privacy/", 200),
    ("/admin/pages/{page}/usage/", 200),
    ("/admin/pages/{page}/revisions/", 302),
    ("/admin/pages/{page}/revisions/{revision}/view/", 200),
    ("/admin/pages/{page}/revisions/{revision}/revert/", 200),
    ("/admin/pages/{page}/revisions/{revision}/unschedule/", 200),
    ("/admin/pages/{page}/revisions/compare/earliest...{revision}/", 200),
    ("/admin/pages/{page}/workflow_history/", 200),
    ("/admin/pages/{page}/history/", 200),
    ("/admin/pages/{page}/history/results/", 200),
    ("/admin/pages/workflow/confirm_cancellation/{page}/", 200),
]


def denied_message() -> str:
    """Wagtail's refusal, in the admin language the official sees (zh-hans)."""
    with translation.override("zh-hans"):
        return translation.gettext("Sorry, you do not have permission to access this area.")


def messages_of(response) -> list[str]:
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def official_of(authority, username: str):
    return create_staff_account(
        role=Role.OFFICIAL,
        authority=authority,
        username=username,
        full_name=f"{authority.name}质量奖办公室",
        email=f"{username}@example.com",
        password=TEST_PASSWORD,
        by=None,
    )


@pytest.fixture
def tree(home_page):
    """Two authorities, one programme page each; Yichang's page has a draft notice under it."""
    tianmen = AuthorityFactory(name="天门市人民政府", region_code="429006")
    yichang = AuthorityFactory(name="宜昌市人民政府", region_code="420500")
    luyu = add_programme_page(
        home_page, ProgrammeFactory(authority=tianmen, name="陆羽质量奖", slug="luyu")
    )
    sanxia = add_programme_page(
        home_page, ProgrammeFactory(authority=yichang, name="三峡质量奖", slug="sanxia")
    )
    draft = add_notice(sanxia, title="第8届三峡质量奖评审安排（草稿）", publish=False)
    return {
        "home": home_page,
        "tianmen": tianmen,
        "yichang": yichang,
        "luyu": luyu,
        "sanxia": sanxia,
        "draft": draft,
        "official": official_of(tianmen, "tianmen-office"),
    }


def url_for(template: str, page) -> str:
    return template.format(page=page.pk, revision=page.latest_revision_id)


def statuses(client, user, page) -> dict[str, int]:
    client.force_login(user)
    return {template: client.get(url_for(template, page)).status_code for template, _ in PAGE_URLS}


def test_every_page_url_of_another_authority_answers_the_admin_404(client, tree):
    client.force_login(tree["official"])
    answers = {}
    for template, _status in PAGE_URLS:
        response = client.get(url_for(template, tree["sanxia"]))
        answers[template] = (
            response.status_code,
            ADMIN_404_TEMPLATE in [t.name for t in response.templates],
            messages_of(response),
        )
    assert answers == {template: (404, True, []) for template, _status in PAGE_URLS}


def test_own_pages_answer_as_before(client, tree):
    assert statuses(client, tree["official"], tree["luyu"]) == dict(PAGE_URLS)


def test_platform_admins_see_every_page(client, tree):
    admin = get_user_model().objects.create_superuser("platform-admin", "admin@example.com", "x")
    assert statuses(client, admin, tree["sanxia"]) == dict(PAGE_URLS)


def test_a_draft_of_another_authority_is_as_hidden_as_a_page_that_does_not_exist(client, tree):
    client.force_login(tree["official"])
    missing = Page.objects.order_by("-pk").first().pk + 1
    answers = {
        name: [
            client.get(f"/admin/pages/{pk}/edit/").status_code,
            client.get(f"/admin/pages/{pk}/view_draft/").status_code,
            client.get(f"/admin/pages/{pk}/history/").status_code,
        ]
        for name, pk in (("draft", tree["draft"].pk), ("missing", missing))
    }
    assert answers == {"draft": [404, 404, 404], "missing": [404, 404, 404]}


def test_moving_own_page_under_another_authority_page_is_404(client, tree):
    client.force_login(tree["official"])
    url = f"/admin/pages/{tree['luyu'].pk}/move/{tree['sanxia'].pk}/confirm/"
    assert (client.get(url).status_code, client.post(url).status_code) == (404, 404)
    assert tree["luyu"].get_parent().pk == tree["home"].pk


def test_posts_to_another_authority_page_change_nothing(client, tree):
    sanxia = tree["sanxia"]
    revisions = sanxia.revisions.count()
    client.force_login(tree["official"])
    form = nested_form_data(
        {
            "title": "改名",
            "slug": "sanxia",
            "programme": sanxia.programme_id,
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    answers = [
        client.post(f"/admin/pages/{sanxia.pk}/edit/", form).status_code,
        client.post(f"/admin/pages/{sanxia.pk}/unpublish/").status_code,
        client.post(f"/admin/pages/{sanxia.pk}/lock/").status_code,
        client.post(f"/admin/pages/{sanxia.pk}/delete/").status_code,
    ]
    assert answers == [404, 404, 404, 404]
    page = AwardProgrammePage.objects.get(pk=sanxia.pk)
    assert (page.title, page.live, page.locked, page.revisions.count()) == (
        "三峡质量奖",
        True,
        False,
        revisions,
    )


def test_an_action_own_grants_do_not_cover_keeps_wagtails_refusal(client, tree):
    """Officials may not delete their programme page once it has notices; the page is theirs to
    see, so Wagtail's refusal (a redirect with its message) stays."""
    add_notice(tree["luyu"], title="第5届陆羽质量奖评审安排")
    client.force_login(tree["official"])
    response = client.get(f"/admin/pages/{tree['luyu'].pk}/delete/")
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    assert messages_of(response) == [denied_message()]


def test_the_home_page_above_own_pages_is_refused_not_hidden(client, tree):
    """Wagtail lets officials explore the (public) home page above their programme pages: the
    explorer sends them on to their own page, and editing it is refused, as before."""
    client.force_login(tree["official"])
    home = tree["home"].pk
    explorer = client.get(f"/admin/pages/{home}/")
    edit = client.get(f"/admin/pages/{home}/edit/")
    assert [(r.status_code, r["Location"]) for r in (explorer, edit)] == [
        (302, f"/admin/pages/{tree['luyu'].pk}/"),
        (302, reverse("wagtailadmin_home")),
    ]
    assert messages_of(edit) == [denied_message()]


@pytest.mark.parametrize("role", ["anonymous", "applicant", "reviewer"])
def test_people_without_admin_access_still_go_to_the_login_page(client, tree, role):
    if role == "applicant":
        client.force_login(ApplicantFactory())
    elif role == "reviewer":
        client.force_login(ReviewerFactory(authority=tree["yichang"]))
    url = f"/admin/pages/{tree['sanxia'].pk}/edit/"
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, f"/admin/login/?next={url}")
