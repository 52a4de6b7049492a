"""Registration and the role-aware dashboard. Login, logout and password reset are Django's."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from awards.forms.accounts import ApplicantAccountForm, OrganizationRegistrationForm
from awards.forms.errors import add_validation_error
from awards.queries import dashboard_context
from awards.services.registration import register_or_notify


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
                register_or_notify(
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
            # The same answer whether or not an account was made: the e-mail tells which.
            return redirect("register_sent")
    return render(
        request,
        "awards/register.html",
        {"organization_form": organization_form, "account_form": account_form},
    )


def register_sent(request):
    """After a registration: one neutral page, whatever happened."""
    return render(request, "awards/register_sent.html")


@login_required
def dashboard(request):
    """Every signed-in user: what their role lets them do next."""
    return render(request, "awards/dashboard.html", dashboard_context(request.user))
