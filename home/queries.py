"""Read helpers for site search, and the part of the page tree an official may see in the admin.

What a page lists of its own children is read by the page itself (``home.models``)."""

from collections.abc import Collection

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from wagtail.models import Page, Site
from wagtail.permissions import page_permission_policy

from awards.permissions.rules import is_platform_admin
from home.models import AwardProgrammePage


def _index_text_fields() -> tuple[str, str]:
    """Where the database search backend keeps each page's indexed text as plain text: PostgreSQL
    stores tsvectors in title/body and a plain mirror in title_text/body_text; SQLite and MySQL
    store plain text in title/body."""
    if connection.vendor == "postgresql":
        return "index_entries__title_text", "index_entries__body_text"
    return "index_entries__title", "index_entries__body"


def _substring_matches(pages: QuerySet, terms: list[str]) -> list[Page]:
    """Pages whose indexed title or text contains every term, title matches first.

    One ``filter()`` call, so the index entries are joined once whatever the number of terms."""
    title_field, body_field = _index_text_fields()
    everywhere, in_title = Q(), Q()
    for term in terms:
        everywhere &= Q(**{f"{title_field}__icontains": term}) | Q(
            **{f"{body_field}__icontains": term}
        )
        in_title &= Q(**{f"{title_field}__icontains": term})
    title_hit = Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField())
    return list(
        pages.filter(everywhere).annotate(title_hit=title_hit).order_by("-title_hit", "path")
    )


def search_public_pages(query: str, *, site: Site | None = None) -> list[Page]:
    """Live public pages of ``site`` matching every term of ``query``, best first, as specific
    pages.

    The database backends split words on spaces and punctuation only, so a run of Chinese text is
    one token: ``陆羽`` finds nothing in ``陆羽质量奖``, ``资格`` nothing in ``申报资格条件``, and
    even ``ISO`` nothing in ``通过ISO 9001``. The full-text hits come first; pages whose indexed
    text contains every space-separated term follow. The portal has tens of pages, not millions,
    so a substring scan of the search index is cheap.
    """
    # A double quote opens a phrase in SQLite's full-text syntax: an unbalanced one is an error.
    terms = query.replace('"', " ").split()
    if not terms:
        return []
    pages = Page.objects.live().public().filter(depth__gt=1)
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    found = list(pages.search(" ".join(terms), operator="and"))
    seen = {page.pk for page in found}
    found += [page for page in _substring_matches(pages, terms) if page.pk not in seen]
    specific = {
        page.pk: page for page in Page.objects.filter(pk__in=[p.pk for p in found]).specific()
    }
    return [specific[page.pk] for page in found if page.pk in specific]


def rules_revision_id_for_programme(programme_id: int) -> int | None:
    """The live revision of the programme's page (its rules, 评选办法), or None without one.

    Named by ``AWARDS_RULES_REVISION_RESOLVER`` so that a submission can record the rules in force
    without ``awards`` importing ``home``."""
    return (
        AwardProgrammePage.objects.filter(programme_id=programme_id, live=True)
        .values_list("live_revision_id", flat=True)
        .first()
    )


def pages_explorable_by(*, user, page_ids: Collection[int]) -> bool:
    """Whether every page of ``page_ids`` lies in the part of the tree ``user`` may explore in
    Wagtail's page admin: the subtrees their groups hold page permissions on, plus the ancestors
    Wagtail lets them walk through to reach those. Platform admins explore the whole tree.

    An id that names no page answers False, like a page of another authority, so the page admin
    can answer both the same way (a 404) without telling them apart.
    """
    wanted = set(page_ids)
    explorable = page_permission_policy.explorable_instances(user)
    return explorable.filter(pk__in=wanted).count() == len(wanted)


def pages_choosable_by(*, user) -> QuerySet[Page]:
    """The pages ``user`` may see in Wagtail's page chooser: the tree they may explore (their own
    authority's pages and the ancestors above them) and every live public page, the ones anybody
    may link to. Platform admins choose from the whole tree.

    A page outside both is hidden together with its whole subtree, so that no chooser listing,
    breadcrumb or "parent" column names it as the ancestor of a live page below it (a published
    notice under another authority's unpublished programme page). The tree root is always shown:
    the chooser starts there.
    """
    pages = Page.objects.all()
    if is_platform_admin(user):
        return pages
    shown = (
        Q(depth=1)
        | Q(pk__in=page_permission_policy.explorable_instances(user).values("pk"))
        | Q(pk__in=Page.objects.live().public().values("pk"))
    )
    hidden_tops: list[str] = []
    for path in Page.objects.exclude(shown).order_by("path").values_list("path", flat=True):
        if not hidden_tops or not path.startswith(hidden_tops[-1]):
            hidden_tops.append(path)
    if not hidden_tops:
        return pages
    hidden = Q()
    for path in hidden_tops:
        hidden |= Q(path__startswith=path)
    return pages.exclude(hidden)
