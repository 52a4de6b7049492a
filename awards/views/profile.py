"""A signed-in person's own account: the profile page and the password change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from awards.forms.accounts import ProfileForm, style_fields
from awards.forms.errors import add_validation_error
from awards.services.profile import record_password_change, update_profile


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """Every signed-in user: their account at a glance, and their name, phone and e-mail."""
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"full_name": user.full_name, "phone": user.phone, "email": user.email},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_profile(
                user=user,
                full_name=data["full_name"],
                phone=data["phone"],
                email=data["email"],
                by=user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("个人资料已保存。"))
            return redirect("profile")
    return render(request, "awards/accounts/profile.html", {"form": form, "account": user})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, in the portal's look, and audited; back to the profile."""

    success_url = reverse_lazy("profile")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        style_fields(form)
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        record_password_change(user=form.user)
        messages.success(self.request, _("密码已修改。"))
        return response
