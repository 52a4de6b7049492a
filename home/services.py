"""State changes of the public site: creating programme pages and scoping who may edit them.

Wagtail grants page permissions per group and subtree. Each authority's officials share one group
(``awards.services.people.authority_group``); giving that group add/change/publish on the
authority's programme pages lets them edit those pages and their notices, and nothing else.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from wagtail.models import GroupPagePermission, Page

from awards.models import AwardingAuthority, AwardProgramme
from awards.services.people import AUTHORITY_GROUP_PREFIX, authority_group
from home.models import AwardProgrammePage, HomePage

#: What an authority's office may do on its own programme pages (and the notices below them).
OFFICE_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def _office_permissions() -> list[Permission]:
    return list(
        Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(Page),
            codename__in=OFFICE_PAGE_PERMISSIONS,
        ).order_by("codename")
    )


@transaction.atomic
def sync_authority_page_permissions(*, authority: AwardingAuthority) -> None:
    """Make the authority group's grants on programme pages exactly its own programme pages.

    Idempotent: missing grants are added, and grants on programme pages that no longer belong to
    the authority (the page was re-linked to another programme) are removed. Grants the group holds
    on other page types, set by hand in the admin, are left alone.
    """
    group = authority_group(authority)
    permissions = _office_permissions()
    own_page_ids = set(
        AwardProgrammePage.objects.filter(programme__authority=authority).values_list(
            "pk", flat=True
        )
    )
    existing = set(
        GroupPagePermission.objects.filter(group=group, permission__in=permissions).values_list(
            "page_id", "permission_id"
        )
    )
    wanted = {(page_id, permission.pk) for page_id in own_page_ids for permission in permissions}
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(group=group, page_id=page_id, permission_id=permission_id)
            for page_id, permission_id in sorted(wanted - existing)
        ]
    )
    programme_page_ids = set(AwardProgrammePage.objects.values_list("pk", flat=True))
    stale = [
        (page_id, permission_id)
        for page_id, permission_id in existing - wanted
        if page_id in programme_page_ids
    ]
    for page_id, permission_id in stale:
        GroupPagePermission.objects.filter(
            group=group, page_id=page_id, permission_id=permission_id
        ).delete()


def sync_page_permissions_after_edit(*, page: AwardProgrammePage) -> None:
    """After a programme page is created or re-linked in the admin: resync its authority and
    every authority whose group still holds a grant on it, so a re-linked page changes hands."""
    held_by = GroupPagePermission.objects.filter(page=page).values_list("group__name", flat=True)
    previous_names = [
        name.removeprefix(AUTHORITY_GROUP_PREFIX)
        for name in held_by
        if name.startswith(AUTHORITY_GROUP_PREFIX)
    ]
    authorities = AwardingAuthority.objects.filter(
        Q(programmes__pk=page.programme_id) | Q(name__in=previous_names)
    ).distinct()
    for authority in authorities:
        sync_authority_page_permissions(authority=authority)


@transaction.atomic
def create_programme_page(
    *, home: HomePage, programme: AwardProgramme, body: list | None = None, user=None
) -> AwardProgrammePage:
    """Add and publish the public page of ``programme`` under ``home`` and hand it to the
    authority's office. The page title and slug follow the programme."""
    page = AwardProgrammePage(
        title=programme.name,
        slug=programme.slug,
        programme=programme,
        body=body or [],
        # Shown under the page title in search results.
        search_description=programme.summary,
    )
    home.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)
    sync_authority_page_permissions(authority=programme.authority)
    return page
