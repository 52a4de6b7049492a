"""Registration and the role-aware dashboard. Login, logout and password reset are Django's."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from awards.forms.accounts import ApplicantAccountForm, OrganizationRegistrationForm
from awards.forms.errors import add_validation_error
from awards.queries import dashboard_context
from awards.services.people import register_applicant


@require_http_methods(["GET", "POST"])
def register(request):
    """Anyone not signed in: an enterprise registers itself and its first user."""
    if request.user.is_authenticated:
        return redirect("awards:dashboard")
    organization_form = OrganizationRegistrationForm(request.POST or None, prefix="org")
    account_form = ApplicantAccountForm(request.POST or None, prefix="user")
    if request.method == "POST" and organization_form.is_valid() and account_form.is_valid():
        data = account_form.cleaned_data
        try:
            with transaction.atomic():
                user = register_applicant(
                    organization=organization_form.save(commit=False),
                    username=data["username"],
                    full_name=data["full_name"],
                    email=data["email"],
                    phone=data["phone"],
                    password=data["password1"],
                )
        except ValidationError as error:
            add_validation_error(account_form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功，欢迎使用政府质量奖门户。"))
            return redirect("awards:dashboard")
    return render(
        request,
        "awards/register.html",
        {"organization_form": organization_form, "account_form": account_form},
    )


@login_required
def dashboard(request):
    """Every signed-in user: what their role lets them do next."""
    return render(request, "awards/dashboard.html", dashboard_context(request.user))
