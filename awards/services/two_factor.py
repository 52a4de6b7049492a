"""Two-factor login: an authenticator app (TOTP) plus single-use recovery codes (django-otp).

A person enrols by scanning a QR code and typing the first code; the device is confirmed only
then, and ten recovery codes are made and shown once. After a correct password, a person with a
confirmed device types a code from the app or one recovery code (which is then used up).
Who *must* enrol is ``awards.permissions.rules.requires_two_factor``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from awards.audit_actions import AuditAction
from awards.models import User
from awards.permissions.rules import requires_two_factor
from awards.services.audit import record

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def has_two_factor(user: User) -> bool:
    """Has ``user`` a confirmed second factor?"""
    return user_has_device(user, confirmed=True)


def start_enrolment(*, user: User) -> TOTPDevice:
    """A fresh, unconfirmed authenticator for ``user`` (an earlier unfinished one is dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def pending_device(*, user: User, device_id: int | None) -> TOTPDevice | None:
    if device_id is None:
        return None
    return TOTPDevice.objects.filter(user=user, pk=device_id, confirmed=False).first()


def _normalized(token: str) -> str:
    return "".join((token or "").split()).lower()


@transaction.atomic
def confirm_enrolment(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm ``device`` with the first code the app shows; returns the new recovery codes.

    A person enrolling again (a new phone) replaces the old authenticator and codes."""
    if not device.verify_token(_normalized(token)):
        raise ValidationError({"token": _("验证码不正确，请输入身份验证器当前显示的 6 位数字。")})
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    record(actor=user, action=AuditAction.ENABLE_TWO_FACTOR, target=user)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def renew_recovery_codes(*, user: User) -> list[str]:
    """New recovery codes for an enrolled person; the old ones stop working."""
    if not has_two_factor(user):
        raise ValidationError(_("您尚未启用两步验证。"))
    codes = _new_recovery_codes(user)
    record(actor=user, action=AuditAction.RENEW_RECOVERY_CODES, target=user)
    return codes


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_NAME).count()


def verify_second_factor(*, user: User, token: str) -> Device | None:
    """The device that accepts ``token`` (an app code or an unused recovery code), else None.

    Each device throttles wrong codes itself (django-otp), and a recovery code is deleted when
    it is used."""
    token = _normalized(token)
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                return device
    return None


@transaction.atomic
def disable_two_factor(*, user: User) -> None:
    """Remove every second factor of ``user``; refused for those who must keep one."""
    if requires_two_factor(user):
        raise ValidationError(_("您的账户必须使用两步验证，不能停用。"))
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    record(actor=user, action=AuditAction.DISABLE_TWO_FACTOR, target=user)
