"""Admin hooks: a programme page created or re-linked in the admin is handed to its authority;
opening a public notice or announcing results creates the page and submits it for approval; the
page chooser and the page bulk actions show an official nothing of another authority's pages; a
live 公示 page in its objection period is neither unpublished nor deleted (nor its ancestors)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.views.pages.bulk_actions import (
    DeleteBulkAction,
    MoveBulkAction,
    PublishBulkAction,
    UnpublishBulkAction,
)
from wagtail.permissions import page_permission_policy

from awards.permissions.rules import is_platform_admin
from home.models import AwardProgrammePage
from home.queries import pages_choosable_by, pages_explorable_by
from home.results_pages import notices_in_objection_period
from home.results_workflow import create_notice_page, create_winners_page
from home.services import sync_page_permissions_after_edit
from scoring.publication.services.notices import (
    AFTER_ANNOUNCE_RESULTS_HOOK,
    AFTER_OPEN_PUBLIC_NOTICE_HOOK,
)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def hand_programme_page_to_its_authority(request, page):
    if isinstance(page, AwardProgrammePage):
        sync_page_permissions_after_edit(page=page)


def _objection_period_refusal(request, page, *, deleting: bool):
    protected = notices_in_objection_period(page.specific)
    if not protected:
        return None
    notice_page = protected[0]
    message = (
        _(
            "“%(title)s”正在公示，异议受理至 %(end)s，公示期内不能删除；如需更正，请修改页面并提交审核。"
        )
        if deleting
        else _(
            "“%(title)s”正在公示，异议受理至 %(end)s，公示期内不能撤下；如需更正，请修改页面并提交审核。"
        )
    )
    messages.error(
        request, message % {"title": notice_page.title, "end": notice_page.notice.ends_on}
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_unpublish_page")
def keep_notice_live_during_objections(request, page):
    return _objection_period_refusal(request, page, deleting=False)


@hooks.register("before_delete_page")
def keep_notice_during_objections(request, page):
    return _objection_period_refusal(request, page, deleting=True)


@hooks.register(AFTER_OPEN_PUBLIC_NOTICE_HOOK)
def create_results_notice_page(request, notice):
    page = create_notice_page(notice=notice, by=request.user)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register(AFTER_ANNOUNCE_RESULTS_HOOK)
def create_results_winners_page(request, notice):
    page = create_winners_page(notice=notice, by=request.user)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("construct_page_chooser_queryset")
def choose_own_or_live_public_pages(pages, request):
    """Officials link to their own pages and to any live public page, never to (or see the title
    of) another authority's unpublished page. Browsing into such a page by id is the
    middleware's 404 (``home.middleware``)."""
    if is_platform_admin(request.user):
        return pages
    return pages.filter(pk__in=pages_choosable_by(user=request.user).values("pk"))


def _page_id(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise Http404 from None


class ExplorableTreeOnly:
    """Wagtail's page bulk actions list every requested page on their confirmation page, those the
    user has no permission on included (with their titles). Scoped here: a requested page, the
    listing page of a select-all (``childOf``) or a move destination outside the tree the user may
    explore answers 404, like the page admin's own URLs; a select-all takes only the pages of that
    tree, as the explorer listing it came from shows only those."""

    def requested_page_ids(self, request) -> list[int]:
        ids = [_page_id(value) for value in request.GET.getlist("id") if value != "all"]
        if request.GET.get("childOf"):
            ids.append(_page_id(request.GET["childOf"]))
        return ids

    def dispatch(self, request, *args, **kwargs):
        page_ids = self.requested_page_ids(request)
        if page_ids and not pages_explorable_by(user=request.user, page_ids=page_ids):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_all_objects_in_listing_query(self, parent_id):
        # Primary keys, or pages when the select-all came from a search.
        listed = [
            getattr(item, "pk", item)
            for item in super().get_all_objects_in_listing_query(parent_id)
        ]
        explorable = page_permission_policy.explorable_instances(self.request.user)
        return explorable.filter(pk__in=listed).values_list("pk", flat=True)


class NoticeInObjectionPeriodKept:
    """A page that is, or holds, a live 公示 page in its objection period is listed among the
    pages the user may not act on."""

    def check_perm(self, page):
        return super().check_perm(page) and not notices_in_objection_period(page)


class ScopedDeleteBulkAction(NoticeInObjectionPeriodKept, ExplorableTreeOnly, DeleteBulkAction):
    pass


class ScopedMoveBulkAction(ExplorableTreeOnly, MoveBulkAction):
    def requested_page_ids(self, request) -> list[int]:
        ids = super().requested_page_ids(request)
        if request.method == "POST" and request.POST.get("chooser"):
            ids.append(_page_id(request.POST["chooser"]))
        return ids


class ScopedPublishBulkAction(ExplorableTreeOnly, PublishBulkAction):
    pass


class ScopedUnpublishBulkAction(
    NoticeInObjectionPeriodKept, ExplorableTreeOnly, UnpublishBulkAction
):
    pass


# Registered after Wagtail's own (order 0), which they replace: the registry keeps the last class
# registered for a model and action.
for scoped_action in (
    ScopedDeleteBulkAction,
    ScopedMoveBulkAction,
    ScopedPublishBulkAction,
    ScopedUnpublishBulkAction,
):
    hooks.register("register_bulk_action", scoped_action, order=1)
