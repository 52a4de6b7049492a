"""Request-wide account and request guards: body size, idle sessions, the second factor."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from awards.permissions.rules import keeps_long_session, requires_two_factor
from awards.services.security import LAST_ACTIVITY_SESSION_KEY, TWO_FACTOR_SESSION_KEY
from awards.services.two_factor import has_two_factor

#: The idle clock is written at most this often (seconds), so most requests save no session.
ACTIVITY_RESOLUTION = 60


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than ``PORTAL_MAX_REQUEST_BYTES`` with a
    413, before anything (CSRF, forms, uploads) reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = settings.PORTAL_MAX_REQUEST_BYTES
        if declared > limit:
            return render(
                request,
                "awards/request_too_large.html",
                {"limit_mb": f"{limit / (1024 * 1024):.0f}"},
                status=413,
            )
        return self.get_response(request)


class IdleSessionTimeoutMiddleware:
    """Sign out a user idle for longer than their timeout; the request then goes on anonymous,
    so the page asks for a login as it would for anyone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = timezone.now().timestamp()
            last = request.session.get(LAST_ACTIVITY_SESSION_KEY)
            minutes = (
                settings.SESSION_IDLE_TIMEOUT_APPLICANT_MINUTES
                if keeps_long_session(user)
                else settings.SESSION_IDLE_TIMEOUT_MINUTES
            )
            if last is not None and now - last > minutes * 60:
                logout(request)
                request.user = AnonymousUser()
                messages.info(
                    request, _("您已较长时间未操作，为了账户安全已自动退出，请重新登录。")
                )
            elif last is None or now - last >= ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY_SESSION_KEY] = now
        return self.get_response(request)


def _always_open(path: str) -> bool:
    open_paths = (reverse("logout"), reverse("set_language"), settings.STATIC_URL)
    return path.startswith(open_paths)


class TwoFactorMiddleware:
    """After a correct password, a person with a second factor must type a code before anything
    else; a person who must have one (``requires_two_factor``) and has none must enrol first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not _always_open(request.path):
            enrolled = request.session.get(TWO_FACTOR_SESSION_KEY)
            if enrolled is None:
                enrolled = request.session[TWO_FACTOR_SESSION_KEY] = has_two_factor(user)
            if enrolled:
                target = reverse("two_factor_verify")
            elif requires_two_factor(user):
                target = reverse("two_factor_setup")
            else:
                target = None
            if target is not None and request.path != target:
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
