"""Self-registration that tells a stranger nothing about who is registered already.

Whether the username, the e-mail address or the organization's credit code is taken, the page
answers the same; what happened goes by e-mail: the registrant learns that their account is
ready or that it could not be made, and each existing owner whose data was used learns that
someone tried (so a forgotten account is found again, and a stranger's attempt is noticed).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import Organization, User
from awards.services.audit import record
from awards.services.people import RegistrationConflict, register_applicant


def _portal_link(name: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name)


def _mail(address: str, subject: str, body: str) -> None:
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[address])


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
        _mail(
            email,
            _("【政府质量奖门户】注册成功"),
            _(
                "%(name)s，您好：\n\n“%(organization)s”已在政府质量奖门户注册，您的用户名是 "
                "%(username)s。请用注册时设置的密码登录：\n%(link)s\n"
            )
            % {
                "name": full_name,
                "organization": organization.name,
                "username": username,
                "link": _portal_link("login"),
            },
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
        _mail(
            address,
            _("【政府质量奖门户】有人尝试使用您的信息注册"),
            _(
                "您好：\n\n有人在政府质量奖门户注册新账户时使用了%(used)s。如果是您本人，您已有账户，"
                "请直接登录；忘记密码时可以重设：\n%(reset)s\n如果不是您本人，无需处理，"
                "没有创建任何账户。需要为同事开通账户时，请联系质量奖办公室。\n"
            )
            % {"used": "、".join(used), "reset": _portal_link("password_reset")},
        )
    if email.lower() not in reasons:
        _mail(
            email,
            _("【政府质量奖门户】注册未完成"),
            _(
                "您好：\n\n您在政府质量奖门户提交的注册未能完成：填写的用户名、电子邮箱或统一社会信用代码"
                "与已有账户重复。如果贵单位已经注册，请联系已注册的同事或质量奖办公室；"
                "否则请换一个用户名重新注册：\n%(link)s\n"
            )
            % {"link": _portal_link("register")},
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
