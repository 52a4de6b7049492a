"""Sign-in security: the audit trail of logins, failures and lockouts, and lifting a lockout.

django-axes counts failed logins per username and per client address and refuses further logins
once ``AXES_FAILURE_LIMIT`` is reached (until ``AXES_COOLOFF_TIME`` has passed or someone lifts
the lockout here). The receivers below are connected in ``AwardsConfig.ready``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import User
from awards.permissions.rules import require_manages_person, require_platform_admin
from awards.services.audit import record
from awards.services.two_factor import has_two_factor

#: Session key: when the signed-in user last made a request (a POSIX timestamp).
LAST_ACTIVITY_SESSION_KEY = "portal_last_activity"
#: Session key: has the signed-in user a confirmed second factor (read once, at login).
TWO_FACTOR_SESSION_KEY = "portal_two_factor"


def client_address(request) -> str:
    """The client address as axes counts it (``AXES_IPWARE_*`` settings for proxies)."""
    return get_client_ip_address(request) or ""


def _person_named(username: str) -> User:
    """The account with ``username``, or an unsaved stand-in named like it (recorded without a
    number, so that a guessed username is in the log without pointing at anybody)."""
    return User.objects.filter(username=username).first() or User(username=username[:150])


def _where(request) -> dict:
    if request is None:
        return {}
    return {"address": client_address(request), "path": request.path}


def audit_login(sender, request, user, **kwargs) -> None:
    """Receiver of ``user_logged_in``: every successful password login is recorded, and the
    session learns when it was last used and whether a second factor is still to come."""
    record(actor=user, action=AuditAction.LOG_IN, target=user, **_where(request))
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_SESSION_KEY] = timezone.now().timestamp()
        request.session[TWO_FACTOR_SESSION_KEY] = has_two_factor(user)


def audit_login_failure(sender, credentials, request=None, **kwargs) -> None:
    """Receiver of ``user_login_failed``: wrong passwords and attempts refused while locked."""
    username = str(credentials.get("username") or "")
    record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        target=_person_named(username),
        username=username,
        **_where(request),
    )


def audit_lockout(sender, request, username, ip_address, **kwargs) -> None:
    """Receiver of axes' ``user_locked_out``: the attempt that locks, and each one refused."""
    username = str(username or "")
    record(
        actor=None,
        action=AuditAction.LOGIN_LOCKED_OUT,
        target=_person_named(username),
        username=username,
        address=ip_address or "",
        path=getattr(request, "path", ""),
    )


def audit_second_factor_failure(*, user: User, request) -> None:
    """A wrong one-time code after a correct password."""
    record(
        actor=user,
        action=AuditAction.LOGIN_FAILED,
        target=user,
        username=user.get_username(),
        step="two_factor",
        **_where(request),
    )


@dataclass(frozen=True)
class Lockout:
    """A username or a client address that axes refuses right now."""

    key: str
    failures: int
    last_attempt: datetime


def _locked(field: str) -> list[Lockout]:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .exclude(**{field: None})
        .values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [Lockout(row[field], row["failures"], row["last"]) for row in rows]


def locked_usernames() -> list[Lockout]:
    return _locked("username")


def locked_addresses() -> list[Lockout]:
    return _locked("ip_address")


def unlock_person(*, person: User, by: User | None) -> int:
    """Lift the lockout of ``person``'s username; ``by`` must manage that person's account.
    Returns how many recorded attempts were cleared."""
    require_manages_person(by, person)
    cleared = reset(username=person.get_username())
    record(actor=by, action=AuditAction.UNLOCK_LOGIN, target=person, cleared=cleared)
    return cleared


def unlock_address(*, address: str, by: User | None) -> int:
    """Lift the lockout of a client address: platform administrators only (an address may be
    shared by the people of several authorities)."""
    require_platform_admin(by)
    try:
        validate_ipv46_address(address)
    except ValidationError:
        raise ValidationError(
            _("“%(address)s”不是有效的 IP 地址。") % {"address": address}
        ) from None
    cleared = reset(ip=address)
    record(
        actor=by,
        action=AuditAction.UNLOCK_LOGIN,
        target=AccessAttempt(ip_address=address),
        address=address,
        cleared=cleared,
    )
    return cleared
