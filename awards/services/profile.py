"""A signed-in person's own account: their name, phone and e-mail address, and their password."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import User
from awards.services.audit import record

PROFILE_FIELDS = ("full_name", "phone", "email")


@transaction.atomic
def update_profile(*, user: User, full_name: str, phone: str, email: str, by: User) -> User:
    """Change ``user``'s own name, phone and e-mail address. Only the person themselves; what
    changed (not the values) is in the audit log."""
    if by is None or by.pk != user.pk:
        raise PermissionDenied(_("只能修改自己的个人资料。"))
    values = {"full_name": full_name.strip(), "phone": phone.strip(), "email": email.strip()}
    if not values["email"]:
        raise ValidationError({"email": _("请填写电子邮箱，找回密码和通知都用它。")})
    if (
        values["email"].lower() != user.email.lower()
        and User.objects.filter(email__iexact=values["email"]).exclude(pk=user.pk).exists()
    ):
        raise ValidationError({"email": _("该电子邮箱已被其他账户使用。")})
    changed = [name for name in PROFILE_FIELDS if getattr(user, name) != values[name]]
    if not changed:
        return user
    locked = User.objects.select_for_update().get(pk=user.pk)
    for name in changed:
        setattr(locked, name, values[name])
    locked.full_clean(exclude=["password"])
    locked.save(update_fields=changed)
    record(actor=by, action=AuditAction.UPDATE_PROFILE, target=locked, changed=changed)
    return locked


def record_password_change(*, user: User) -> None:
    """Django's password-change page changed ``user``'s password: put it in the audit log."""
    record(actor=user, action=AuditAction.CHANGE_PASSWORD, target=user)
