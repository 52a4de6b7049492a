"""Self-registration that tells a stranger nothing about who is registered already.

Whether the username, the e-mail address or the organization's credit code is taken, the page
answers the same; what happened goes by e-mail (through the notification outbox): the registrant learns that their account is
ready or that it could not be made, and each existing owner whose data was used learns that
someone tried (so a forgotten account is found again, and a stranger's attempt is noticed).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import Organization, User
from awards.services.audit import record
from awards.services.notifications.audiences import to_people
from awards.services.people import RegistrationConflict, register_applicant


def _portal_link(name: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name)


def _attempt() -> str:
    """Each registration attempt is its own occurrence of the event."""
    return uuid.uuid4().hex


def _owners(username: str, email: str, credit_code: str):
    """Who already holds the username, the e-mail address and the credit code (or None)."""
    return (
        User.objects.filter(username__iexact=username).first(),
        User.objects.filter(email__iexact=email).first(),
        Organization.objects.filter(credit_code=credit_code).first(),
    )


def register_or_notify(
    *,
    organization: Organization,
    username: str,
    full_name: str,
    email: str,
    password: str,
    phone: str = "",
) -> User | None:
    """Register the organization and its first user, or, when the username, the e-mail address
    or the credit code belongs to someone already, register nothing and tell them by e-mail.
    Returns the new user, or None when nothing was registered."""
    by_username, by_email, existing = _owners(username, email, organization.credit_code)
    if by_username is None and by_email is None and existing is None:
        try:
            user = register_applicant(
                organization=organization,
                username=username,
                full_name=full_name,
                email=email,
                phone=phone,
                password=password,
            )
        except RegistrationConflict:
            # Registered by someone else at the same moment: the same neutral answer.
            by_username, by_email, existing = _owners(username, email, organization.credit_code)
            _notify_owners(
                username=username,
                email=email,
                by_username=by_username,
                by_email=by_email,
                organization=existing,
            )
            return None
        to_people(
            "account.registered",
            people=[user],
            key=user.pk,
            link=_portal_link("login"),
            name=full_name,
            organization=organization.name,
            username=username,
        )
        return user
    _notify_owners(
        username=username,
        email=email,
        by_username=by_username,
        by_email=by_email,
        organization=existing,
    )
    return None


def _notify_owners(*, username, email, by_username, by_email, organization) -> None:
    reasons: dict[str, tuple[str, list[str]]] = {}

    def tell(address: str, reason: str) -> None:
        reasons.setdefault(address.lower(), (address, []))[1].append(reason)

    if by_username is not None and by_username.email:
        tell(by_username.email, _("您的用户名“%(username)s”") % {"username": by_username.username})
    if by_email is not None:
        tell(by_email.email, _("您的电子邮箱"))
    if organization is not None:
        for member in organization.members.filter(is_active=True).exclude(email=""):
            tell(
                member.email,
                _("贵单位“%(organization)s”的统一社会信用代码")
                % {"organization": organization.name},
            )
    for address, used in reasons.values():
        to_people(
            "account.registration_conflict",
            people=[address],
            key=_attempt(),
            link=_portal_link("password_reset"),
            used="、".join(used),
        )
    if email.lower() not in reasons:
        to_people(
            "account.registration_incomplete",
            people=[email],
            key=_attempt(),
            link=_portal_link("register"),
        )
    target: Model = by_username or by_email or organization
    record(
        actor=None,
        action=AuditAction.REGISTRATION_CONFLICT,
        target=target,
        username=username,
        matched=[
            name
            for name, found in (
                ("username", by_username),
                ("email", by_email),
                ("credit_code", organization),
            )
            if found is not None
        ],
    )
