"""Hidden means 404 in Wagtail's page admin too.

Wagtail refuses a page the user has no permission on with a redirect to the dashboard and
"permission denied", which tells an official that another authority's page (or draft) exists.
Its ``before_edit_page``-style hooks cannot help: every page view checks permission first and
only then runs them, and the explorer redirects to the user's own subtree without any hook. So
this middleware looks at the resolved URL before the view runs: for the page admin's URLs that
name a page (the explorer listing, edit, delete, move, copy, unpublish, history, revisions,
previews, workflow pages, …, and the new parent posted by the copy and "choose parent" forms), a
page outside the tree the user may explore answers the admin's 404 page, the same answer as a
page id that does not exist.

What stays Wagtail's: people without admin access still go to its login page; platform admins
see every page; inside the tree the user may explore (their own pages, and the public home page
above them that Wagtail lets them walk through), an action their grants do not cover (editing
the home page, deleting a programme page that has notices) keeps Wagtail's refusal, since the
page itself is no secret to them.

The page chooser lists what ``home.wagtail_hooks`` lets through (own pages and live public ones,
``pages_choosable_by``), but two of its URLs name pages directly and would show any page's title:
browsing into a page by id (its row above the listing) and the "chosen" answer of a
multiple choice. A page the user may not choose answers 404 there too. And the chooser opened for
certain page types starts at the first common ancestor of all pages of those types, which could be
a page of another authority; it starts at the common ancestor of the choosable ones instead.
Bulk actions are scoped in ``home.wagtail_hooks``; the admin API already lists explorable pages
only.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.defaults import page_not_found
from wagtail.admin.views.chooser import page_models_from_string
from wagtail.models import Page

from awards.permissions.rules import is_platform_admin
from awards.validators import parse_id
from home.queries import pages_choosable_by, pages_explorable_by

#: The explorer's own URLs (outside the ``wagtailadmin_pages`` namespace) that name a page.
EXPLORER_VIEW_NAMES = frozenset({"wagtailadmin_explore", "wagtailadmin_explore_results"})
PAGE_ADMIN_NAMESPACE = "wagtailadmin_pages"
#: URL keywords of the page admin that hold a page id; ``pk`` is the page of the revision
#: comparison and ``destination_id`` the new parent of a move.
PAGE_ID_KWARGS = ("page_id", "page_to_move_id", "parent_page_id", "destination_id", "pk")
#: Page admin views whose form posts a page id chosen in the page chooser; when the user may not
#: add there, the form's error message names that page ("You do not have permission to copy to
#: page …").
PAGE_ID_POST_FIELDS = {"copy": "new_parent_page", "choose_parent": "parent_page"}
CHOOSER_ROOT = "wagtailadmin_choose_page"
CHOOSER_CHILD = "wagtailadmin_choose_page_child"
CHOOSER_CHOSEN_MULTIPLE = "wagtailadmin_choose_page_chosen_multiple"
CHOOSER_VIEW_NAMES = frozenset({CHOOSER_ROOT, CHOOSER_CHILD, CHOOSER_CHOSEN_MULTIPLE})


def requested_page_ids(request: HttpRequest, view_kwargs: dict) -> list[int]:
    """The pages a page-admin URL names; empty for every other URL."""
    match = request.resolver_match
    if match is None:
        return []
    if match.namespace != PAGE_ADMIN_NAMESPACE and match.view_name not in EXPLORER_VIEW_NAMES:
        return []
    page_ids = [int(view_kwargs[name]) for name in PAGE_ID_KWARGS if name in view_kwargs]
    posted_field = PAGE_ID_POST_FIELDS.get(match.url_name)
    if request.method == "POST" and posted_field:
        posted = request.POST.get(posted_field, "")
        if (posted_id := parse_id(posted)) is not None:  # anything else: the form's own error
            page_ids.append(posted_id)
    return page_ids


def names_the_root(request: HttpRequest) -> bool:
    """Whether a multiple choice names the tree root, which has no parent to answer with."""
    ids = [parse_id(value) for value in request.GET.getlist("id")]
    return Page.objects.filter(pk__in=[pk for pk in ids if pk], depth=1).exists()


def chosen_page_ids(request: HttpRequest, view_kwargs: dict) -> list[int] | None:
    """The pages a page-chooser URL names (the page browsed into, or the pages of a multiple
    choice); None when one is not a number, which no chooser link produces."""
    if "parent_page_id" in view_kwargs:
        return [int(view_kwargs["parent_page_id"])]
    ids = [parse_id(value) for value in request.GET.getlist("id")]
    return None if None in ids else ids


def admin_404(request: HttpRequest) -> HttpResponse:
    """The admin's own 404 page, uncached like every admin response."""
    response = page_not_found(request, Http404(), template_name="wagtailadmin/404.html")
    add_never_cache_headers(response)
    return response


def is_admin_user(user) -> bool:
    # Wagtail's own wrapper sends everybody else to the login page; that answer stays.
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


class PageAdminScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.view_name in CHOOSER_VIEW_NAMES:
            return self.scope_page_chooser(request, view_func, view_args, view_kwargs)
        page_ids = requested_page_ids(request, view_kwargs)
        if not page_ids or not is_admin_user(request.user):
            return None
        if pages_explorable_by(user=request.user, page_ids=page_ids):
            return None
        return admin_404(request)

    def scope_page_chooser(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not is_admin_user(user):
            return None
        # Not page ids (too large for the database), or the tree root, which has no parent to
        # answer with: Wagtail would fail on either.
        if request.resolver_match.view_name == CHOOSER_CHOSEN_MULTIPLE and (
            chosen_page_ids(request, view_kwargs) is None or names_the_root(request)
        ):
            return admin_404(request)
        if is_platform_admin(user):
            return None
        if request.resolver_match.view_name == CHOOSER_ROOT:
            return self.start_at_choosable_ancestor(request, view_func, view_args, view_kwargs)
        page_ids = chosen_page_ids(request, view_kwargs)
        if page_ids is None:
            return admin_404(request)
        wanted = set(page_ids)
        if pages_choosable_by(user=user).filter(pk__in=wanted).count() == len(wanted):
            return None
        return admin_404(request)

    def start_at_choosable_ancestor(self, request, view_func, view_args, view_kwargs):
        """Wagtail opens a chooser for some page types at the first common ancestor of all pages
        of those types; open it at the one of the pages this user may choose."""
        try:
            page_types = page_models_from_string(request.GET.get("page_type") or "")
        except (ValueError, LookupError):
            return None  # no type, or an unknown one: Wagtail's root listing, or its 404
        if page_types == (Page,):
            return None
        choosable = pages_choosable_by(user=request.user).type(*page_types)
        start = choosable.first_common_ancestor()
        return view_func(request, *view_args, **view_kwargs, parent_page_id=start.pk)
