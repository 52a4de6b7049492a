"""Admin hooks: a programme page created or re-linked in the admin is handed to its authority."""

from wagtail import hooks

from home.models import AwardProgrammePage
from home.services import sync_page_permissions_after_edit


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def hand_programme_page_to_its_authority(request, page):
    if isinstance(page, AwardProgrammePage):
        sync_page_permissions_after_edit(page=page)
