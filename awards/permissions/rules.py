"""Role predicates, the authority scope of querysets and the guard of services.

Every predicate takes any user, ``AnonymousUser`` included, and answers False rather than
raising, so that views, forms, queries and services can ask without checking first who is asking.
The model's own properties (``User.is_official`` …) say what a person *is*; these functions say
what they *may do*, which is where the platform administrator comes in.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from awards.enums import Role


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


def is_recommender(user) -> bool:
    """An active staff member of a recommending body (推荐单位): a city or county government or
    one of its departments, set as the user's ``authority``."""
    return _signed_in(user) and user.role == Role.RECOMMENDER and user.authority_id is not None


def is_recommender_of(user, body_id: int | None) -> bool:
    """Does ``user`` recommend for the body ``body_id``? (Platform administrators never do: a
    recommendation is the body's own opinion, not the platform's.)"""
    return body_id is not None and is_recommender(user) and user.authority_id == body_id


def recommender_refusal() -> str:
    return _("只有该推荐单位的工作人员可以执行此操作。")


def require_recommender(actor, body_id: int | None) -> None:
    """The service guard of recommendation decisions: only the chosen body's own staff
    (``actor=None`` is the portal itself, as in ``require_authority``)."""
    if actor is None:
        return
    if not is_recommender_of(actor, body_id):
        raise PermissionDenied(recommender_refusal())


def may_edit_application(user, application) -> bool:
    """Who fills in and submits ``application``: the people of the applying organization; for
    one that a recommending body filed itself (``filed_by_body``), that body's staff instead
    (the employer then follows it read-only)."""
    if application.filed_by_body_id is not None:
        return is_recommender_of(user, application.filed_by_body_id)
    return getattr(user, "organization_id", None) == application.organization_id


def follows_region(user) -> bool:
    """May ``user`` follow, read-only, the applications of their authority's region to the
    programmes of higher authorities (a city following its enterprises in a provincial cycle)?
    Officials and recommenders of an authority that has a parent."""
    return (
        (is_official(user) or is_recommender(user))
        and user.authority is not None
        and user.authority.parent_id is not None
    )


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


# Accounts and sessions -------------------------------------------------------------------------

#: Roles that act for an awarding authority with its power (publishing, deciding, recommending):
#: they must sign in with a second factor in production.
AUTHORITY_STAFF_ROLES = frozenset({Role.OFFICIAL, Role.RECOMMENDER})


def is_authority_staff(user) -> bool:
    """A signed-in person who acts for an authority with its power (see ``AUTHORITY_STAFF_ROLES``)."""
    return _signed_in(user) and user.role in AUTHORITY_STAFF_ROLES and user.authority_id is not None


def requires_two_factor(user) -> bool:
    """Must ``user`` sign in with a second factor? Platform administrators and authority staff,
    when ``OTP_REQUIRED_FOR_STAFF`` is on (the production profile); everyone else may choose to."""
    if not getattr(settings, "OTP_REQUIRED_FOR_STAFF", False):
        return False
    return is_platform_admin(user) or is_authority_staff(user)


def keeps_long_session(user) -> bool:
    """Applicants fill in long forms: their idle timeout is the longer one."""
    return is_applicant(user)


def manages_person(actor, person) -> bool:
    """May ``actor`` manage the account of ``person`` (lift a lockout …)? A platform
    administrator anyone's; an official the reviewers and officials of their authority and the
    applicants of organizations in its region (the people the console's 人员 list shows)."""
    if is_platform_admin(actor):
        return True
    if not is_official(actor) or person is None:
        return False
    if person.role in (Role.REVIEWER, Role.OFFICIAL):
        return person.authority_id == actor.authority_id
    organization = person.organization if person.organization_id else None
    return organization is not None and organization.region_code.startswith(
        actor.authority.region_prefix
    )


def require_manages_person(actor, person) -> None:
    """The service guard for accounts: like ``require_authority``, for a person's account."""
    if actor is None:
        return
    if not manages_person(actor, person):
        raise PermissionDenied(authority_refusal())
