"""Hostile input never makes a server error (5xx).

Every URL of the permission table (``tests/test_permissions.py``, officials', applicants' and
platform admins' pages) and of the reviewers' table is requested as one role allowed to use it;
every POST form the page shows is then posted back with hostile variants of its own fields: very
long text, NUL bytes, right-to-left marks and emoji, wrong types (text where a number or a choice
is expected, numbers too large for the database), fields missing, and fields duplicated. A form
shown on many pages (the header's sign-out and language forms) is posted once.

Runs on whichever database the suite uses (SQLite by default, PostgreSQL with ``DATABASE_URL``).
"""

from urllib.parse import urljoin, urlsplit

import pytest

from tests.html_forms import FormParser
from tests.test_permissions import REVIEW_TABLE, ROLES, TABLE
from tests.test_permissions import review_world as review_world  # noqa: F401 (fixture)
from tests.test_permissions import world as world  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.clock_free]

LONG = "长" * 20_000
RTL_EMOJI = "\u202e\u200f\u2067مرحبا😀𠮷\u202c"
HUGE_NUMBER = "9" * 30
#: Posting these would end the session or change the language for the rest of the walk.
SKIPPED_ACTIONS = ("/accounts/logout/", "/admin/logout/", "/i18n/setlang/")


def variants(fields: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    own = [(name, value) for name, value in fields if name != "csrfmiddlewaretoken"]
    return {
        "long": [(name, value + LONG) for name, value in own],
        "nul": [(name, value + "\x00") for name, value in own],
        "rtl and emoji": [(name, RTL_EMOJI + value) for name, value in own],
        "text for everything": [(name, "x'\"<>;--") for name, _ in own],
        "huge numbers": [(name, HUGE_NUMBER) for name, _ in own],
        "negative numbers": [(name, "-1") for name, _ in own],
        "missing fields": [],
        "duplicated fields": [pair for name, value in own for pair in ((name, value), (name, "2"))],
    }


def encode(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def fuzz_pages(client, pages) -> dict:
    """Post every variant of every form of ``pages`` ((url, user) pairs); the 5xx answers."""
    client.raise_request_exception = False
    seen_forms: set[tuple[str, tuple[str, ...]]] = set()
    errors = {}
    for url, user in pages:
        client.force_login(user)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser()
        parser.feed(response.content.decode())
        for form in parser.forms:
            action = urlsplit(urljoin(url, form["action"]))
            target = action.path + (f"?{action.query}" if action.query else "")
            key = (action.path, tuple(sorted({name for name, _ in form["fields"]})))
            if action.path in SKIPPED_ACTIONS or key in seen_forms:
                continue
            seen_forms.add(key)
            for variant, pairs in variants(form["fields"]).items():
                client.force_login(user)
                answer = client.post(target, encode(pairs))
                if answer.status_code >= 500:
                    errors[(url, target, variant)] = answer.status_code
    return errors


def allowed_role(expected: dict[str, int]) -> str | None:
    """The role that uses the page: its own user before a platform admin."""
    for role in ("official", "applicant", "reviewer", "superuser"):
        if expected.get(role) == 200:
            return role
    return None


def test_hostile_posts_to_every_form_never_answer_5xx(client, world):
    people, values = world
    assert set(people) | {"anonymous"} == set(ROLES)
    pages = []
    for template, expected in TABLE:
        role = allowed_role(expected)
        if role is not None:
            pages.append((template.format(**values), people[role]))
    assert len(pages) > 50
    assert fuzz_pages(client, pages) == {}


def test_hostile_posts_to_every_reviewer_form_never_answer_5xx(client, review_world):
    person, own = review_world["review_roles"]["leader"]
    pages = [
        (template.format(own=own, **review_world), person)
        for template, expected in REVIEW_TABLE
        if expected["leader"] == 200
    ]
    assert fuzz_pages(client, pages) == {}


def test_the_fuzzer_posts_every_variant_and_reports_a_500(client, world, monkeypatch):
    """The walk really finds the form and posts: a view made to fail is reported, per variant."""
    from scoring.review.admin_views.stages import CycleStagesView

    def broken(self, request, pk):
        raise RuntimeError("a bug")

    monkeypatch.setattr(CycleStagesView, "post", broken)
    people, values = world
    url = "/admin/review/cycles/{review_cycle}/stages/".format(**values)
    errors = fuzz_pages(client, [(url, people["official"])])
    # A NUL byte is refused before any view runs (portal.middleware).
    assert errors == {(url, url, variant): 500 for variant in variants([]) if variant != "nul"}
