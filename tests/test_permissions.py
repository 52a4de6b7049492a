"""Every URL, requested by every role, answers with exactly the expected status.

Objects belong to the "owner" authority; ``other_official`` belongs to a second authority and
must get a 404 for every owner object (hidden means 404). The last test makes sure that no URL
pattern of ours is missing from the table.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from awards.models import CriteriaFramework
from awards.services.frameworks import copy_as_new_version
from home.demo import build_demo_site
from home.models import AwardProgrammePage, NoticePage
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    CycleFactory,
    OfficialFactory,
    OrganizationFactory,
    ReviewerFactory,
    national_framework,
)

ROLES = ("anonymous", "applicant", "reviewer", "official", "other_official")

PUBLIC = dict.fromkeys(ROLES, 200)
ANONYMOUS_ONLY = {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)}
SIGNED_IN = {"anonymous": 302, **dict.fromkeys(ROLES[1:], 200)}
# Wagtail sends people without admin access to its login page; officials see their own rows.
ADMIN_LISTING = {
    "anonymous": 302,
    "applicant": 302,
    "reviewer": 302,
    "official": 200,
    "other_official": 200,
}
ADMIN_OWN_OBJECT = {**ADMIN_LISTING, "other_official": 404}
OFFICIAL_REDIRECT_TO_OWN = {**ADMIN_LISTING}

#: (url template, expected statuses). Placeholders are filled from the world fixture.
TABLE = [
    ("/", PUBLIC),
    ("/{programme_slug}/", PUBLIC),
    ("/{programme_slug}/{notice_slug}/", PUBLIC),
    ("/search/?q=质量", PUBLIC),
    ("/accounts/login/", ANONYMOUS_ONLY),
    ("/accounts/register/", ANONYMOUS_ONLY),
    ("/accounts/password-reset/", PUBLIC),
    ("/accounts/password-reset/sent/", PUBLIC),
    ("/accounts/reset/done/", PUBLIC),
    ("/portal/", SIGNED_IN),
    ("/admin/", ADMIN_LISTING),
    ("/admin/programmes/", ADMIN_LISTING),
    ("/admin/programmes/new/", ADMIN_LISTING),
    ("/admin/programmes/edit/{programme}/", ADMIN_OWN_OBJECT),
    ("/admin/programmes/inspect/{programme}/", ADMIN_OWN_OBJECT),
    ("/admin/programmes/history/{programme}/", ADMIN_OWN_OBJECT),
    ("/admin/cycles/", ADMIN_LISTING),
    ("/admin/cycles/new/", ADMIN_LISTING),
    ("/admin/cycles/edit/{cycle}/", ADMIN_OWN_OBJECT),
    ("/admin/cycles/inspect/{cycle}/", ADMIN_OWN_OBJECT),
    ("/admin/cycles/{cycle}/status/", ADMIN_OWN_OBJECT),
    ("/admin/frameworks/", ADMIN_LISTING),
    ("/admin/frameworks/new/", ADMIN_LISTING),
    ("/admin/frameworks/edit/{own_framework}/", ADMIN_OWN_OBJECT),
    ("/admin/frameworks/inspect/{national_framework}/", ADMIN_LISTING),
    ("/admin/organizations/", ADMIN_LISTING),
    ("/admin/organizations/new/", ADMIN_LISTING),
    ("/admin/organizations/edit/{organization}/", ADMIN_OWN_OBJECT),
    ("/admin/people/", ADMIN_LISTING),
    ("/admin/people/new/", ADMIN_LISTING),
    ("/admin/people/edit/{reviewer}/", ADMIN_OWN_OBJECT),
    ("/admin/people/inspect/{reviewer}/", ADMIN_OWN_OBJECT),
    ("/admin/pages/{programme_page}/edit/", {**ADMIN_LISTING, "other_official": 302}),
]


@pytest.fixture
def world(db):
    owner = AuthorityFactory(name="天门市人民政府", region_code="429006", region_prefix="429006")
    other = AuthorityFactory(name="江西省人民政府", region_code="360000", region_prefix="36")
    cycle = CycleFactory(programme__authority=owner, programme__slug="luyu")
    CycleFactory(programme__authority=other, programme__slug="jinggang")
    build_demo_site()
    official = OfficialFactory(authority=owner, username="official")
    programme_page = AwardProgrammePage.objects.get(programme=cycle.programme)
    notice = NoticePage.objects.child_of(programme_page).first()
    people = {
        "applicant": ApplicantFactory(username="applicant", organization__region_code="429006"),
        "reviewer": ReviewerFactory(authority=owner, username="reviewer"),
        "official": official,
        "other_official": OfficialFactory(authority=other, username="other_official"),
    }
    own_framework = copy_as_new_version(
        framework=national_framework(), version="2012-TM", authority=owner, by=official
    )
    values = {
        "programme_slug": "luyu",
        "notice_slug": notice.slug,
        "programme": cycle.programme_id,
        "cycle": cycle.pk,
        "own_framework": own_framework.pk,
        "national_framework": CriteriaFramework.objects.get(authority=None).pk,
        "organization": OrganizationFactory(region_code="429006").pk,
        "reviewer": people["reviewer"].pk,
        "programme_page": programme_page.pk,
    }
    return people, values


@pytest.mark.parametrize(("template", "expected"), TABLE, ids=[row[0] for row in TABLE])
def test_every_role_gets_the_expected_status(client, world, template, expected):
    people, values = world
    url = template.format(**values)
    observed = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        observed[role] = client.get(url).status_code
    assert observed == expected


def _our_patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _our_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "") or ""
            view_class = getattr(entry.callback, "view_class", None)
            if view_class is not None:
                module = view_class.__module__
            if module.startswith(("awards.", "home.", "scoring.")):
                found.append(prefix + str(entry.pattern))
    return found


def test_the_table_covers_every_url_pattern_of_our_apps():
    covered = {template.split("?")[0] for template, _ in TABLE}
    ours = _our_patterns(get_resolver())
    normalised = {
        pattern.replace("<int:pk>", "{x}").replace("<str:pk>", "{x}").replace("<path:pk>", "{x}")
        for pattern in ours
    }
    table_shapes = set()
    for template in covered:
        shape = template.lstrip("/")
        for key in (
            "programme",
            "cycle",
            "own_framework",
            "national_framework",
            "organization",
            "reviewer",
            "programme_page",
        ):
            shape = shape.replace("{" + key + "}", "{x}")
        table_shapes.add(shape)
    missing = sorted(
        shape for shape in normalised if shape not in table_shapes and "{x}" not in shape[:0]
    )
    viewset_ops = {"delete", "usage", "history", "inspect", "history-results", "results", "reorder"}
    missing = [m for m in missing if not any(f"/{op}/" in f"/{m}" for op in viewset_ops)]
    assert missing == []
