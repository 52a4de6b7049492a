"""Wagtail's page chooser and page bulk actions show an official nothing of another authority's
unpublished pages.

The chooser (used for links in rich text and page fields) offers the official's own pages and
every live public page, which anybody may link to; another authority's draft, and everything
under it, is neither listed nor found by search, and naming it by id answers the admin's 404.
The bulk actions' confirmation pages list only pages of the tree the official may explore.
Platform admins see everything.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from tests.factories import AuthorityFactory, OfficialFactory, ProgrammeFactory
from tests.home.helpers import add_notice, add_programme_page

ADMIN_404_TEMPLATE = "wagtailadmin/404.html"


@pytest.fixture
def tree(home_page):
    """Three authorities under one home page.

    Tianmen (the official's): a live programme page with a live and a draft notice. Yichang: the
    same. Jiangxi: a programme page taken offline, with a notice still live below it."""
    tianmen = AuthorityFactory(name="天门市人民政府", region_code="429006")
    yichang = AuthorityFactory(name="宜昌市人民政府", region_code="420500")
    jiangxi = AuthorityFactory(name="江西省人民政府", region_code="360000")
    luyu = add_programme_page(
        home_page, ProgrammeFactory(authority=tianmen, name="陆羽质量奖", slug="luyu")
    )
    sanxia = add_programme_page(
        home_page, ProgrammeFactory(authority=yichang, name="三峡质量奖", slug="sanxia")
    )
    jinggang = add_programme_page(
        home_page, ProgrammeFactory(authority=jiangxi, name="井冈山质量奖", slug="jinggang")
    )
    pages = {
        "root": Page.get_first_root_node(),
        "home": home_page,
        "luyu": luyu,
        "luyu_live": add_notice(luyu, title="陆羽申报通知"),
        "luyu_draft": add_notice(luyu, title="陆羽评审草稿", publish=False),
        "sanxia": sanxia,
        "sanxia_live": add_notice(sanxia, title="三峡申报通知"),
        "sanxia_draft": add_notice(sanxia, title="三峡评审草稿", publish=False),
        "jinggang": jinggang,
        "jinggang_live": add_notice(jinggang, title="井冈山公告"),
    }
    jinggang.unpublish()
    return {
        "pages": pages,
        "official": OfficialFactory(authority=tianmen, username="tianmen-office"),
        "admin": get_user_model().objects.create_superuser("platform-admin", "a@example.com", "x"),
    }


#: Every title of the tree; none is part of another, so "appears in the answer" is exact.
TITLES = {
    "home": "政府质量奖门户",
    "luyu": "陆羽质量奖",
    "luyu_live": "陆羽申报通知",
    "luyu_draft": "陆羽评审草稿",
    "sanxia": "三峡质量奖",
    "sanxia_live": "三峡申报通知",
    "sanxia_draft": "三峡评审草稿",
    "jinggang": "井冈山质量奖",
    "jinggang_live": "井冈山公告",
}
HIDDEN_FROM_OFFICIAL = {"sanxia_draft", "jinggang", "jinggang_live"}


def shown(html: str) -> set[str]:
    """The pages of the tree whose title the answer shows."""
    return {name for name, title in TITLES.items() if title in html}


def choosable_ids(html: str) -> set[int]:
    """The pages the chooser offers to choose (its "choose-page" links)."""
    return {int(pk) for pk in re.findall(r'class="choose-page" href="#\d+" data-id="(\d+)"', html)}


def browse(client, tree, user, name: str | None = None, **params):
    client.force_login(user)
    url = "/admin/choose-page/"
    if name is not None:
        url += f"{tree['pages'][name].pk}/"
    return client.get(url, params)


def answer(response) -> tuple[int, set[str]]:
    if response.status_code != 200:
        return response.status_code, set()
    return response.status_code, shown(response.json()["html"])


def search(client, user, query: str) -> tuple[int, set[str]]:
    client.force_login(user)
    response = client.get("/admin/choose-page/search/", {"q": query})
    return response.status_code, shown(response.content.decode())


# The chooser ---------------------------------------------------------------------------------


def test_browsing_shows_own_pages_and_live_pages_of_others(client, tree):
    official = tree["official"]
    answers = {
        name: answer(browse(client, tree, official, name))
        for name in ("root", "home", "luyu", "sanxia")
    }
    assert answers == {
        "root": (200, {"home"}),
        "home": (200, {"home", "luyu", "sanxia"}),
        "luyu": (200, {"luyu", "luyu_live", "luyu_draft"}),
        "sanxia": (200, {"sanxia", "sanxia_live"}),
    }


def test_only_choosable_pages_have_a_choose_link(client, tree):
    response = browse(client, tree, tree["official"], "home")
    pages = tree["pages"]
    assert (response.status_code, choosable_ids(response.json()["html"])) == (
        200,
        {pages["home"].pk, pages["luyu"].pk, pages["sanxia"].pk},
    )


def test_browsing_into_an_unpublished_page_of_another_authority_is_404(client, tree):
    official = tree["official"]
    missing = Page.objects.order_by("-pk").first().pk + 1
    answers = {}
    for name in HIDDEN_FROM_OFFICIAL:
        response = browse(client, tree, official, name)
        answers[name] = (
            response.status_code,
            ADMIN_404_TEMPLATE in [t.name for t in response.templates],
            shown(response.content.decode()),
        )
    missing_status = client.get(f"/admin/choose-page/{missing}/").status_code
    assert (answers, missing_status) == (
        {name: (404, True, set()) for name in HIDDEN_FROM_OFFICIAL},
        404,
    )


def test_search_finds_own_and_live_pages_never_another_authoritys_draft(client, tree):
    official = tree["official"]
    answers = {
        title: search(client, official, title)
        for title in (
            TITLES["sanxia_draft"],
            TITLES["jinggang"],
            TITLES["jinggang_live"],
            TITLES["luyu_draft"],
            TITLES["sanxia_live"],
        )
    }
    assert answers == {
        TITLES["sanxia_draft"]: (200, set()),
        TITLES["jinggang"]: (200, set()),
        TITLES["jinggang_live"]: (200, set()),
        # A result shows its parent page too.
        TITLES["luyu_draft"]: (200, {"luyu_draft", "luyu"}),
        TITLES["sanxia_live"]: (200, {"sanxia_live", "sanxia"}),
    }


def test_platform_admins_choose_from_the_whole_tree(client, tree):
    admin = tree["admin"]
    answers = {
        name: answer(browse(client, tree, admin, name)) for name in ("home", "sanxia", "jinggang")
    }
    found = search(client, admin, TITLES["sanxia_draft"])
    assert (answers, found) == (
        {
            "home": (200, {"home", "luyu", "sanxia", "jinggang"}),
            # Their breadcrumbs name the home page too.
            "sanxia": (200, {"home", "sanxia", "sanxia_live", "sanxia_draft"}),
            "jinggang": (200, {"home", "jinggang", "jinggang_live"}),
        },
        (200, {"sanxia_draft", "sanxia"}),
    )


def test_choosing_several_pages_answers_only_for_choosable_ones(client, tree):
    pages = tree["pages"]
    client.force_login(tree["official"])
    url = "/admin/choose-page/chosen-multiple/"
    own_and_live = client.get(url, {"id": [pages["luyu_draft"].pk, pages["sanxia_live"].pk]})
    with_a_hidden = client.get(url, {"id": [pages["luyu_draft"].pk, pages["sanxia_draft"].pk]})
    not_a_number = client.get(url, {"id": ["x"]})
    assert (
        own_and_live.status_code,
        sorted(result["adminTitle"] for result in own_and_live.json()["result"]),
        with_a_hidden.status_code,
        shown(with_a_hidden.content.decode()),
        not_a_number.status_code,
    ) == (200, sorted([TITLES["luyu_draft"], TITLES["sanxia_live"]]), 404, set(), 404)


def test_a_chooser_for_a_page_type_does_not_start_inside_a_hidden_page(client, home_page):
    """Wagtail starts a chooser restricted to a page type at the first common ancestor of all
    pages of that type: here the offline programme page of another authority."""
    tianmen = AuthorityFactory(name="天门市人民政府", region_code="429006")
    jiangxi = AuthorityFactory(name="江西省人民政府", region_code="360000")
    add_programme_page(home_page, ProgrammeFactory(authority=tianmen, name="陆羽质量奖"))
    jinggang = add_programme_page(
        home_page, ProgrammeFactory(authority=jiangxi, name="井冈山质量奖", slug="jinggang")
    )
    add_notice(jinggang, title="井冈山公告", publish=False)
    jinggang.unpublish()
    official = OfficialFactory(authority=tianmen)
    admin = get_user_model().objects.create_superuser("platform-admin", "a@example.com", "x")
    answers = {}
    for role, user in (("official", official), ("admin", admin)):
        client.force_login(user)
        response = client.get("/admin/choose-page/", {"page_type": "home.noticepage"})
        answers[role] = (
            response.status_code,
            response.json()["parent_page_id"],
            shown(response.json()["html"]),
        )
    assert answers == {
        "official": (200, Page.get_first_root_node().pk, {"home"}),
        "admin": (200, jinggang.pk, {"home", "jinggang", "jinggang_live"}),
    }


# Bulk actions --------------------------------------------------------------------------------


def bulk_url(action: str) -> str:
    return f"/admin/bulk/wagtailcore/page/{action}/"


def test_bulk_actions_on_own_pages_still_work(client, tree):
    pages = tree["pages"]
    client.force_login(tree["official"])
    answers = {
        action: answer_html(client.get(bulk_url(action), {"id": [pages[name].pk]}))
        for action, name in (
            ("publish", "luyu_draft"),
            ("unpublish", "luyu_live"),
            ("delete", "luyu_live"),
            ("move", "luyu_live"),
        )
    }
    assert answers == {
        "publish": (200, {"luyu_draft"}),
        "unpublish": (200, {"luyu_live"}),
        "delete": (200, {"luyu_live"}),
        "move": (200, {"luyu_live"}),
    }


def answer_html(response) -> tuple[int, set[str]]:
    return response.status_code, shown(response.content.decode())


@pytest.mark.parametrize("action", ["publish", "unpublish", "delete", "move"])
def test_bulk_actions_on_another_authoritys_pages_answer_404(client, tree, action):
    pages = tree["pages"]
    client.force_login(tree["official"])
    url = bulk_url(action)
    answers = {
        "draft": client.get(url, {"id": [pages["sanxia_draft"].pk]}),
        "live": client.get(url, {"id": [pages["sanxia_live"].pk]}),
        "own and other": client.get(url, {"id": [pages["luyu_draft"].pk, pages["jinggang"].pk]}),
        "select all below another": client.get(url, {"id": "all", "childOf": pages["sanxia"].pk}),
        "not a number": client.get(url, {"id": ["x"]}),
    }
    assert {
        case: (
            response.status_code,
            ADMIN_404_TEMPLATE in [t.name for t in response.templates],
            shown(response.content.decode()),
        )
        for case, response in answers.items()
    } == dict.fromkeys(answers, (404, True, set()))


def test_select_all_takes_only_the_explorable_tree(client, tree):
    """Selecting every child of the home page (which officials may explore) takes their own
    programme page only, as the explorer listing shows only that one."""
    pages = tree["pages"]
    client.force_login(tree["official"])
    below_home = client.get(bulk_url("publish"), {"id": "all", "childOf": pages["home"].pk})
    below_own = client.get(bulk_url("publish"), {"id": "all", "childOf": pages["luyu"].pk})
    own_found = client.get(bulk_url("publish"), {"id": "all", "q": TITLES["luyu_draft"]})
    other_found = client.get(bulk_url("publish"), {"id": "all", "q": TITLES["sanxia_draft"]})
    assert [answer_html(r) for r in (below_home, below_own, own_found, other_found)] == [
        (200, {"luyu"}),
        (200, {"luyu_live", "luyu_draft"}),
        (200, {"luyu_draft"}),
        # Nothing left to act on: Wagtail's own answer for an empty selection.
        (404, set()),
    ]


def test_posting_a_bulk_action_on_another_authoritys_page_changes_nothing(client, tree):
    pages = tree["pages"]
    client.force_login(tree["official"])
    publish = client.post(
        bulk_url("publish") + f"?id={pages['sanxia_draft'].pk}&id={pages['luyu_draft'].pk}"
    )
    move_under_another = client.post(
        bulk_url("move") + f"?id={pages['luyu_live'].pk}", {"chooser": pages["sanxia"].pk}
    )
    assert (publish.status_code, move_under_another.status_code) == (404, 404)
    assert [
        Page.objects.get(pk=pages["sanxia_draft"].pk).live,
        Page.objects.get(pk=pages["luyu_draft"].pk).live,
        Page.objects.get(pk=pages["luyu_live"].pk).get_parent().pk,
    ] == [False, False, pages["luyu"].pk]


def test_own_bulk_publish_publishes(client, tree):
    pages = tree["pages"]
    client.force_login(tree["official"])
    response = client.post(bulk_url("publish") + f"?id={pages['luyu_draft'].pk}")
    assert (response.status_code, Page.objects.get(pk=pages["luyu_draft"].pk).live) == (302, True)


def test_platform_admins_bulk_act_on_every_page(client, tree):
    pages = tree["pages"]
    client.force_login(tree["admin"])
    one = client.get(bulk_url("publish"), {"id": [pages["sanxia_draft"].pk]})
    below_home = client.get(bulk_url("publish"), {"id": "all", "childOf": pages["home"].pk})
    assert (answer_html(one), answer_html(below_home)) == (
        (200, {"sanxia_draft"}),
        (200, {"luyu", "sanxia", "jinggang"}),
    )


# Page admin forms that post a page chosen in the chooser --------------------------------------


def test_copying_under_another_authoritys_page_is_404_not_a_message_naming_it(client, tree):
    pages = tree["pages"]
    client.force_login(tree["official"])
    url = f"/admin/pages/{pages['luyu_live'].pk}/copy/"

    def copy_to(name: str, slug: str):
        form = {"new_title": "复制", "new_slug": slug, "new_parent_page": pages[name].pk}
        return client.post(url, form)

    hidden = {name: copy_to(name, f"copy-{name}") for name in ("sanxia", "jinggang")}
    own = copy_to("luyu", "copy-own")
    assert (
        {
            name: (response.status_code, shown(response.content.decode()))
            for name, response in hidden.items()
        },
        own.status_code,
        sorted(Page.objects.filter(slug__startswith="copy-").values_list("slug", flat=True)),
    ) == ({"sanxia": (404, set()), "jinggang": (404, set())}, 302, ["copy-own"])


def test_choosing_another_authoritys_page_as_parent_is_404(client, tree):
    pages = tree["pages"]
    client.force_login(tree["official"])
    url = "/admin/pages/create/home/noticepage"
    answers = [
        client.post(url, {"parent_page": pages["sanxia"].pk}),
        client.post(url, {"parent_page": pages["jinggang"].pk}),
        client.post(url, {"parent_page": pages["luyu"].pk}),
    ]
    assert [(r.status_code, r.get("Location"), shown(r.content.decode())) for r in answers] == [
        (404, None, set()),
        (404, None, set()),
        (302, f"/admin/pages/add/home/noticepage/{pages['luyu'].pk}/", set()),
    ]


# The page types usage report -----------------------------------------------------------------


def report(client, user) -> tuple[int, set[str], dict[str, tuple[int, str | None]]]:
    """Status, titles shown, and per page type: (count, title of the last edited page)."""
    client.force_login(user)
    response = client.get("/admin/reports/page-types-usage/")
    rows = {
        item.model: (item.count, item.last_edited_page and item.last_edited_page.title)
        for item in response.context["object_list"]
    }
    return response.status_code, shown(response.content.decode()), rows


def test_the_page_types_report_names_no_unpublished_page_of_another_authority(client, tree):
    pages = tree["pages"]
    # The latest edited notice is one below another authority's offline page.
    pages["sanxia_draft"].save_revision()
    pages["jinggang_live"].save_revision()
    official = report(client, tree["official"])
    admin = report(client, tree["admin"])
    assert (official[0], official[1] & HIDDEN_FROM_OFFICIAL) == (200, set())
    # Own live and draft notices and the other authority's live one; the last edited of those.
    assert official[2]["noticepage"][0] == 3
    assert official[2]["noticepage"][1] in {
        TITLES[n] for n in ("luyu_live", "luyu_draft", "sanxia_live")
    }
    assert official[2]["awardprogrammepage"][0] == 2
    assert admin[0] == 200
    assert admin[2]["noticepage"] == (5, TITLES["jinggang_live"])
    assert admin[2]["awardprogrammepage"][0] == 3


def test_the_pages_of_a_type_list_no_unpublished_page_of_another_authority(client, tree):
    client.force_login(tree["official"])
    response = client.get("/admin/pages/usage/home/noticepage/")
    assert (response.status_code, shown(response.content.decode()) & HIDDEN_FROM_OFFICIAL) == (
        200,
        set(),
    )


def test_the_page_chooser_asked_to_choose_the_root_answers_404(client, home_page):
    root = Page.get_first_root_node()
    admin = get_user_model().objects.create_superuser("platform-admin", "a@example.com", "x")
    client.force_login(admin)
    url = "/admin/choose-page/chosen-multiple/"
    root_only = client.get(url, {"id": [root.pk]})
    with_home = client.get(url, {"id": [home_page.pk, root.pk]})
    home_only = client.get(url, {"id": [home_page.pk]})
    huge = client.get(url, {"id": ["9" * 30]})
    assert [r.status_code for r in (root_only, with_home, home_only, huge)] == [404, 404, 200, 404]
