"""Applicants invite colleagues of their organization as further users.

The invitation flow of the office's people (``awards.services.people``) made the account first
and mailed a set-password link; a colleague is invited by name and e-mail only, and the account is
made when they accept, with the username and password they choose (``add_organization_user``,
the same checks as a registration). So an invitation that is never accepted leaves no account
behind, and it can be revoked.

Like registration (``awards.services.registration``), inviting tells the inviter nothing about
who has an account: an address in use gets the same answer and the same row in the list, but
its owner is told by e-mail instead of getting a link, and that invitation can never be accepted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.models import InvitationState, OrganizationInvitation, User
from awards.permissions.rules import is_applicant_of
from awards.services.audit import record
from awards.services.people import add_organization_user, portal_url

#: How long an invitation link works.
INVITATION_VALID_FOR = dt.timedelta(days=7)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _require_member(by, organization_id: int) -> None:
    if not is_applicant_of(by, organization_id):
        raise PermissionDenied(_("只有本单位的申报用户可以管理单位用户。"))


def invitation_link(token: str) -> str:
    return portal_url(reverse("accept_invitation", kwargs={"token": token}))


def invite_colleague(
    *, full_name: str, email: str, by: User, now: dt.datetime | None = None
) -> OrganizationInvitation:
    """Invite a colleague to ``by``'s organization: an e-mail with a one-time link valid for
    :data:`INVITATION_VALID_FOR`. A pending invitation of the same address is replaced."""
    _require_member(by, by.organization_id)
    full_name, email = full_name.strip(), email.strip()
    if not full_name:
        raise ValidationError({"full_name": _("请填写同事的姓名。")})
    if not email:
        raise ValidationError({"email": _("请填写同事的电子邮箱。")})
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        replaced = OrganizationInvitation.objects.filter(
            organization_id=by.organization_id,
            email__iexact=email,
            accepted_at=None,
            revoked_at=None,
        ).update(revoked_at=now)
        invitation = OrganizationInvitation.objects.create(
            organization_id=by.organization_id,
            full_name=full_name,
            email=email,
            invited_by=by,
            token_hash=_digest(token),
            created_at=now,
            expires_at=now + INVITATION_VALID_FOR,
        )
        in_use = User.objects.filter(email__iexact=email).exists()
        record(
            actor=by,
            action=AuditAction.INVITE_COLLEAGUE,
            target=invitation,
            organization=by.organization_id,
            email=email,
            replaced=replaced,
        )
        transaction.on_commit(
            lambda: send_invitation_mail(
                invitation=invitation, link=None if in_use else invitation_link(token)
            )
        )
    return invitation


def send_invitation_mail(*, invitation: OrganizationInvitation, link: str | None) -> None:
    """The invitation e-mail: the link, or, when the address has an account already, a note
    to its owner (who then knows someone tried) instead."""
    values = {
        "name": invitation.full_name,
        "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
        "organization": invitation.organization.name,
        "link": link or portal_url(reverse("password_reset")),
        "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
    }
    if link is None:
        body = _(
            "%(name)s，您好：\n\n%(inviter)s邀请您成为“%(organization)s”在政府质量奖门户的用户，"
            "但这个电子邮箱已有账户，因此没有发出邀请链接。请用已有账户登录；忘记密码时可以重设："
            "\n%(link)s\n如需加入该单位，请联系质量奖办公室。\n"
        )
    else:
        body = _(
            "%(name)s，您好：\n\n%(inviter)s邀请您成为“%(organization)s”在政府质量奖门户的用户。"
            "请在 %(expires)s 前打开以下链接，设置用户名和密码（链接只能使用一次）：\n%(link)s\n"
            "如果您不认识邀请人，请忽略此邮件。\n"
        )
    send_mail(
        subject=_("【政府质量奖门户】单位用户邀请"),
        message=body % values,
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_for_token(token: str, *, now: dt.datetime | None = None):
    """The invitation a link names and why it cannot be used ("" when it can)."""
    invitation = (
        OrganizationInvitation.objects.select_related("organization")
        .filter(token_hash=_digest(token))
        .first()
    )
    if invitation is None:
        return None, _("邀请链接无效，请核对邮件中的链接，或请同事重新邀请。")
    return invitation, _unusable_because(invitation, now or timezone.now())


def _unusable_because(invitation: OrganizationInvitation, now: dt.datetime) -> str:
    return {
        InvitationState.ACCEPTED: _("该邀请链接已被使用，账户已经开通，请直接登录。"),
        InvitationState.REVOKED: _("该邀请已被撤销。如仍需开通账户，请联系邀请您的同事。"),
        InvitationState.EXPIRED: _("该邀请链接已过期，请联系邀请您的同事重新发送邀请。"),
    }.get(invitation.state_at(now), "")


def accept_invitation(
    *, token: str, username: str, password: str, phone: str = "", now: dt.datetime | None = None
) -> User:
    """Make the colleague's account (an applicant of the inviting organization) and use up the
    link. Refused, with the reason, for an unknown, used, revoked or expired link."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation, refusal = invitation_for_token(token, now=now)
        if invitation is not None:
            invitation = OrganizationInvitation.objects.select_for_update().get(pk=invitation.pk)
            # Re-checked under the row lock: two acceptances at once make one account.
            refusal = _unusable_because(invitation, now)
        if refusal:
            raise ValidationError(refusal, code="invitation_unusable")
        user = add_organization_user(
            organization=invitation.organization,
            username=username,
            full_name=invitation.full_name,
            email=invitation.email,
            phone=phone,
            password=password,
        )
        invitation.accepted_at = now
        invitation.accepted_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user"])
        record(actor=user, action=AuditAction.ACCEPT_INVITATION, target=invitation, user=username)
    return user


def revoke_invitation(*, invitation: OrganizationInvitation, by: User) -> OrganizationInvitation:
    """Withdraw a pending invitation: its link stops working."""
    _require_member(by, invitation.organization_id)
    with transaction.atomic():
        locked = OrganizationInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.state != InvitationState.PENDING:
            raise ValidationError(_("只能撤销待接受的邀请。"))
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        record(actor=by, action=AuditAction.REVOKE_INVITATION, target=locked, email=locked.email)
    return locked
