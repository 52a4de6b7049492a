"""Accounts: officials create reviewers and officials; enterprises register themselves."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from awards.audit_actions import AuditAction
from awards.enums import Role
from awards.models import AwardingAuthority, Organization, User
from awards.permissions.rules import require_authority
from awards.services.audit import record

AUTHORITY_GROUP_PREFIX = "质量奖办公室·"

_CREATE_ACCOUNT_ACTIONS = {
    Role.REVIEWER: AuditAction.CREATE_REVIEWER,
    Role.OFFICIAL: AuditAction.CREATE_OFFICIAL,
    Role.RECOMMENDER: AuditAction.CREATE_RECOMMENDER,
}


def authority_group(authority: AwardingAuthority) -> Group:
    """The Wagtail group of an authority's officials: admin access plus its page permissions."""
    group, created = Group.objects.get_or_create(name=f"{AUTHORITY_GROUP_PREFIX}{authority.name}")
    if created:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    return group


def _check_staff_fields(*, username: str, email: str) -> None:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("用户名“%(username)s”已被使用。") % {"username": username}}
        )
    if email and User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("该电子邮箱已被其他账户使用。")})


@transaction.atomic
def create_staff_account(
    *,
    role: str,
    authority: AwardingAuthority,
    username: str,
    full_name: str,
    email: str,
    password: str | None,
    phone: str = "",
    by: User | None,
) -> User:
    """Create a reviewer or an official of ``authority``, or a recommender of the recommending
    body ``authority``.

    Officials may only create people for their own authority, and recommenders for bodies in
    their region (a province's office for its cities' bodies); ``by`` is None only for seeding.
    """
    if role not in (Role.REVIEWER, Role.OFFICIAL, Role.RECOMMENDER):
        raise ValidationError({"role": _("只能创建评审专家、工作人员或推荐单位工作人员账户。")})
    if role == Role.RECOMMENDER and by is not None and getattr(by, "authority", None) is not None:
        in_region = authority.region_prefix.startswith(by.authority.region_prefix)
        require_authority(by, by.authority_id if in_region else authority.pk)
    else:
        require_authority(by, authority.pk)
    _check_staff_fields(username=username, email=email)
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        role=role,
        authority=authority,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if role == Role.OFFICIAL:
        user.groups.add(authority_group(authority))
    record(actor=by, action=_CREATE_ACCOUNT_ACTIONS[role], target=user, authority=authority.name)
    return user


def _applicant(*, username: str, full_name: str, email: str, phone: str) -> User:
    return User(
        username=username, full_name=full_name, email=email, phone=phone, role=Role.APPLICANT
    )


@transaction.atomic
def add_organization_user(
    *,
    organization: Organization,
    username: str,
    full_name: str,
    email: str,
    password: str,
    phone: str = "",
) -> User:
    """Another applicant user of an organization that is registered already (an invited
    colleague). The same checks as a registration; a username or e-mail address taken at the
    same moment gets the same clear message."""
    _check_staff_fields(username=username, email=email)
    user = _applicant(username=username, full_name=full_name, email=email, phone=phone)
    user.organization = organization
    user.set_password(password)
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise RegistrationConflict(_("该用户名刚刚已被注册，请换一个用户名。")) from None
    return user


def portal_url(path: str) -> str:
    """``path`` (from ``reverse``) as the full address used in e-mails."""
    from django.conf import settings

    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


class RegistrationConflict(ValidationError):
    """The database refused a registration the checks let through: another registration of the
    same credit code, username or e-mail was saved at the same moment."""


@transaction.atomic
def register_applicant(
    *,
    organization: Organization,
    username: str,
    full_name: str,
    email: str,
    password: str,
    phone: str = "",
) -> User:
    """An enterprise registers itself: its organization and the first user, together.

    Two registrations of the same credit code or username at the same moment both pass the
    checks; the database refuses the second one, which gets the same clear message."""
    _check_staff_fields(username=username, email=email)
    organization.full_clean()
    user = _applicant(username=username, full_name=full_name, email=email, phone=phone)
    user.set_password(password)
    try:
        with transaction.atomic():
            organization.save()
            user.organization = organization
            user.full_clean(exclude=["password"])
            user.save()
    except IntegrityError:
        raise RegistrationConflict(
            _("该统一社会信用代码或用户名刚刚已被注册，请检查后重试或直接登录。")
        ) from None
    record(actor=user, action=AuditAction.REGISTER_ORGANIZATION, target=organization, user=username)
    return user


def invite(*, user: User) -> None:
    """E-mail a newly created person a link to choose their password."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from awards.services.notifications.audiences import to_people

    link = portal_url(
        reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )
    to_people(
        "account.invited",
        people=[user],
        key=user.pk,
        authority_id=user.authority_id,
        link=link,
        username=user.username,
        role=user.get_role_display(),
    )
