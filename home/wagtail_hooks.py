"""Admin hooks: a programme page created or re-linked in the admin is handed to its authority;
opening a public notice or announcing results creates the page and submits it for approval."""

from django.shortcuts import redirect
from wagtail import hooks

from home.models import AwardProgrammePage
from home.results_services import create_notice_page, create_winners_page
from home.services import sync_page_permissions_after_edit
from scoring.services.publication import AFTER_ANNOUNCE_RESULTS_HOOK, AFTER_OPEN_PUBLIC_NOTICE_HOOK


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def hand_programme_page_to_its_authority(request, page):
    if isinstance(page, AwardProgrammePage):
        sync_page_permissions_after_edit(page=page)


@hooks.register(AFTER_OPEN_PUBLIC_NOTICE_HOOK)
def create_results_notice_page(request, notice):
    page = create_notice_page(notice=notice, by=request.user)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register(AFTER_ANNOUNCE_RESULTS_HOOK)
def create_results_winners_page(request, notice):
    page = create_winners_page(notice=notice, by=request.user)
    return redirect("wagtailadmin_pages:edit", page.pk)
