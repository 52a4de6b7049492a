"""单位用户: an applicant's colleagues, inviting more of them, and accepting an invitation.

Only applicants see the page, and only their own organization's users and invitations; another
organization's invitation is a 404 like any hidden object.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from awards.forms.accounts import AcceptInvitationForm, InviteColleagueForm
from awards.forms.errors import add_validation_error, message_validation_error
from awards.models import InvitationState
from awards.permissions.rules import is_applicant
from awards.queries import organization_invitations, organization_members
from awards.services.invitations import accept_invitation, invitation_for_token, invite_colleague
from awards.services.invitations import revoke_invitation as revoke


def _applicant_or_404(user) -> None:
    if not is_applicant(user):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def colleagues(request):
    """Applicants only: their organization's users and invitations; POST invites one more."""
    user = request.user
    _applicant_or_404(user)
    form = InviteColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invite_colleague(
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
                by=user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            # The same answer whether or not the address has an account (see the service).
            messages.success(
                request,
                _(
                    "已向 %(email)s 发送邀请。对方按邮件中的链接设置用户名和密码后，即可使用本单位的账户。"
                )
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("awards:colleagues")
    now = timezone.now()
    invitations = [
        (invitation, invitation.state_at(now))
        for invitation in organization_invitations(user.organization_id)
    ]
    return render(
        request,
        "awards/accounts/colleagues.html",
        {
            "form": form,
            "members": organization_members(user.organization_id),
            "invitations": invitations,
            "organization": user.organization,
            "PENDING": InvitationState.PENDING,
        },
    )


@login_required
def revoke_invitation(request, pk: int):
    """Applicants of the inviting organization only (others: 404, whatever the method):
    POST withdraws a pending one."""
    user = request.user
    _applicant_or_404(user)
    invitation = get_object_or_404(organization_invitations(user.organization_id), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        revoke(invitation=invitation, by=user)
    except ValidationError as error:
        message_validation_error(request, error)
    else:
        messages.success(
            request,
            _("已撤销对 %(email)s 的邀请，邀请链接不再有效。") % {"email": invitation.email},
        )
    return redirect("awards:colleagues")


@require_http_methods(["GET", "POST"])
def accept(request, token: str):
    """Whoever holds the link: choose a username and password, then sign in. A used, revoked or
    expired link says so."""
    if request.user.is_authenticated:
        messages.warning(request, _("您已登录。接受邀请前请先退出当前账户。"))
        return redirect("awards:dashboard")
    invitation, refusal = invitation_for_token(token)
    form = None
    if not refusal:
        form = AcceptInvitationForm(request.POST or None, invitation=invitation)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                accept_invitation(
                    token=token,
                    username=data["username"],
                    password=data["password1"],
                    phone=data["phone"],
                )
            except ValidationError as error:
                if getattr(error, "code", None) == "invitation_unusable":
                    refusal, form = error.messages[0], None
                else:
                    add_validation_error(form, error)
            else:
                messages.success(request, _("账户已开通，请用刚才设置的用户名和密码登录。"))
                return redirect("login")
    return render(
        request,
        "awards/accounts/accept_invitation.html",
        {"invitation": invitation, "refusal": refusal, "form": form},
        status=410 if refusal and invitation is not None else (404 if refusal else 200),
    )
