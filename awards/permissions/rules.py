"""Role predicates, the authority scope of querysets and the guard of services.

Every predicate takes any user, ``AnonymousUser`` included, and answers False rather than
raising, so that views, forms, queries and services can ask without checking first who is asking.
The model's own properties (``User.is_official`` …) say what a person *is*; these functions say
what they *may do*, which is where the platform administrator comes in.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_platform_admin(user) -> bool:
    """An active superuser: sees everything and may act for every authority."""
    return _signed_in(user) and bool(user.is_superuser)


def is_official(user) -> bool:
    """An active official of an awarding authority (role official, authority set)."""
    return _signed_in(user) and bool(user.is_official)


def is_official_or_admin(user) -> bool:
    """Who may use the officials' pages at all; what they see there is then scoped."""
    return is_platform_admin(user) or is_official(user)


def acts_for_authority(user, authority_id: int | None) -> bool:
    """May ``user`` change the data of the awarding authority ``authority_id``?"""
    if is_platform_admin(user):
        return True
    return authority_id is not None and is_official(user) and user.authority_id == authority_id


def is_reviewer(user) -> bool:
    """An active reviewer of an awarding authority's pool."""
    return _signed_in(user) and bool(user.is_reviewer)


def is_reviewer_of_authority(user, authority_id: int | None) -> bool:
    return authority_id is not None and is_reviewer(user) and user.authority_id == authority_id


def is_applicant(user) -> bool:
    """An active user of an applying organization."""
    return _signed_in(user) and bool(user.is_applicant)


def is_applicant_of(user, organization_id: int | None) -> bool:
    """Does ``user`` act for the organization ``organization_id``?"""
    return (
        organization_id is not None
        and is_applicant(user)
        and user.organization_id == organization_id
    )


def scope_to_authority(queryset: QuerySet, user, path: str) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may see as an official.

    ``path`` is the lookup from the queryset's model to its ``AwardingAuthority``:
    ``"pk"`` for authorities themselves, ``"authority"`` for programmes,
    ``"programme__authority"`` for cycles, ``"cycle__programme__authority"`` for applications.
    A platform administrator sees every row, an official those of their own authority, anyone
    else none (an empty queryset, so a lookup in it is a 404).
    """
    if is_platform_admin(user):
        return queryset
    if is_official(user):
        return queryset.filter(**{path: user.authority_id})
    return queryset.none()


def authority_refusal() -> str:
    return _("只有本授奖机关的工作人员可以执行此操作。")


def require_authority(actor, authority_id: int | None) -> None:
    """Refuse an ``actor`` who does not act for the authority whose data a service changes.

    ``actor=None`` is the portal itself (``seed_demo``, data built in tests): a web request never
    passes None, as ``request.user`` is at worst ``AnonymousUser``, which is refused.
    """
    if actor is None:
        return
    if not acts_for_authority(actor, authority_id):
        raise PermissionDenied(authority_refusal())


def platform_admin_refusal() -> str:
    return _("只有平台管理员可以执行此操作。")


def require_platform_admin(actor) -> None:
    """Refuse anyone but a platform administrator (or the portal itself, ``actor=None``) for
    data that belongs to no single authority: authorities themselves, national frameworks."""
    if actor is None:
        return
    if not is_platform_admin(actor):
        raise PermissionDenied(platform_admin_refusal())
