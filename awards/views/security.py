"""Login lockout page and the two-factor pages: enrolment, verification, recovery codes."""

from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from awards.forms.errors import add_validation_error, message_validation_error
from awards.forms.two_factor import OneTimeCodeForm
from awards.permissions.rules import requires_two_factor
from awards.services import two_factor
from awards.services.security import TWO_FACTOR_SESSION_KEY, audit_second_factor_failure

PENDING_DEVICE_SESSION_KEY = "portal_two_factor_pending"


def lockout_response(request, original_response=None, credentials=None):
    """What django-axes answers to a login while the account or address is locked (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "awards/account_locked.html", {"minutes": minutes}, status=429)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _recovery_codes_page(request, codes):
    return render(
        request,
        "awards/two_factor/recovery_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


@login_required
def two_factor_home(request):
    """Whether two-factor login is on for this person, and what they can do about it."""
    enrolled = two_factor.has_two_factor(request.user)
    return render(
        request,
        "awards/two_factor/home.html",
        {
            "enrolled": enrolled,
            "required": requires_two_factor(request.user),
            "remaining_codes": two_factor.remaining_recovery_codes(request.user) if enrolled else 0,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Scan the QR code with an authenticator app and type the first code it shows."""
    import segno

    user = request.user
    device = None
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST":
        device = two_factor.pending_device(
            user=user, device_id=request.session.get(PENDING_DEVICE_SESSION_KEY)
        )
        if device is None:
            messages.error(request, _("二维码已失效，请重新扫描。"))
            return redirect(f"{request.path}?{urlencode({'next': _next_url(request)})}")
        if form.is_valid():
            try:
                codes = two_factor.confirm_enrolment(
                    user=user, device=device, token=form.cleaned_data["token"]
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                request.session.pop(PENDING_DEVICE_SESSION_KEY, None)
                otp_login(request, device)
                request.session[TWO_FACTOR_SESSION_KEY] = True
                messages.success(request, _("两步验证已启用。"))
                return _recovery_codes_page(request, codes)
    else:
        device = two_factor.start_enrolment(user=user)
        request.session[PENDING_DEVICE_SESSION_KEY] = device.pk
    return render(
        request,
        "awards/two_factor/setup.html",
        {
            "form": form,
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(
                omitsize=True, border=2, dark="#111"
            ),
            "secret": b32encode(device.bin_key).decode(),
            "required": requires_two_factor(user),
            "next": _next_url(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The step after a correct password: a code from the app or one recovery code."""
    user = request.user
    if user.is_verified() or not two_factor.has_two_factor(user):
        return redirect(_next_url(request))
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_second_factor(user=user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        audit_second_factor_failure(user=user, request=request)
        form.add_error("token", _("验证码不正确或已使用过，请重新输入。多次输错后需等待片刻再试。"))
    return render(
        request, "awards/two_factor/verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
@require_POST
def two_factor_recovery_codes(request):
    """New recovery codes (the old ones stop working), shown once."""
    try:
        codes = two_factor.renew_recovery_codes(user=request.user)
    except ValidationError as error:
        message_validation_error(request, error)
        return redirect("two_factor")
    return _recovery_codes_page(request, codes)


@login_required
@require_POST
def two_factor_disable(request):
    try:
        two_factor.disable_two_factor(user=request.user)
    except ValidationError as error:
        message_validation_error(request, error)
    else:
        request.session[TWO_FACTOR_SESSION_KEY] = False
        messages.success(request, _("两步验证已停用。"))
    return redirect("two_factor")
