"""The account pages' forms: registration of an enterprise and its first user, the profile,
inviting a colleague and accepting an invitation.

``AccountFormMixin`` gives every field the portal's look: selects start with "请选择…" instead of
Django's dashes, and inputs carry the autocomplete hints browsers and password managers use."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import Organization, User
from awards.validators import normalize_credit_code

#: Autocomplete hints by field name (https://html.spec.whatwg.org/#autofill).
AUTOCOMPLETE = {
    "username": "username",
    "full_name": "name",
    "email": "email",
    "phone": "tel",
    "password": "current-password",
    "password1": "new-password",
    "password2": "new-password",
    "new_password1": "new-password",
    "new_password2": "new-password",
    "old_password": "current-password",
    "name": "organization",
    "address": "street-address",
}
CHOOSE = gettext_lazy("请选择…")


def style_fields(form: forms.BaseForm) -> None:
    """The portal's look for any form (Django's own auth forms too)."""
    for name, field in form.fields.items():
        if isinstance(field, forms.ChoiceField) and not isinstance(field.widget, forms.RadioSelect):
            field.choices = [
                ("", CHOOSE) if value in ("", None) else (value, label)
                for value, label in field.choices
            ]
        if name in AUTOCOMPLETE:
            field.widget.attrs.setdefault("autocomplete", AUTOCOMPLETE[name])
        if isinstance(field.widget, forms.TextInput) and name == "phone":
            field.widget.input_type = "tel"


class AccountFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class OrganizationRegistrationForm(AccountFormMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "credit_code",
            "region_code",
            "region_name",
            "industry",
            "size",
            "registration_date",
            "legal_representative",
            "address",
        ]
        widgets = {"registration_date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "region_code": gettext_lazy("6 位行政区划代码，如天门市 429006、宜昌市西陵区 420502。"),
        }

    def clean_credit_code(self):
        return normalize_credit_code(self.cleaned_data.get("credit_code", ""))

    def validate_unique(self):
        """Whether the credit code is registered already is not said on the page: the
        registration service tells the owner by e-mail (``register_or_notify``)."""


class ApplicantAccountForm(AccountFormMixin, forms.Form):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    email = forms.EmailField(label=gettext_lazy("电子邮箱"))
    phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=30, required=False)
    password1 = forms.CharField(label=gettext_lazy("密码"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=gettext_lazy("确认密码"), widget=forms.PasswordInput)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        username_field = User._meta.get_field("username")
        for validator in username_field.validators:
            validator(username)
        return username

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif first:
            candidate = User(username=cleaned.get("username", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class AcceptInvitationForm(ApplicantAccountForm):
    """The invited colleague chooses a username and a password; name and e-mail address are
    the invitation's."""

    full_name = None
    email = None

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)

    def clean(self):
        self.cleaned_data.setdefault("email", self.invitation.email)
        return super().clean()


class InviteColleagueForm(AccountFormMixin, forms.Form):
    full_name = forms.CharField(label=gettext_lazy("同事姓名"), max_length=50)
    email = forms.EmailField(
        label=gettext_lazy("同事的电子邮箱"),
        help_text=gettext_lazy("邀请链接将发送到这个邮箱，7 天内有效，只能使用一次。"),
    )


class ProfileForm(AccountFormMixin, forms.Form):
    """Not a ModelForm: validating one writes the typed values into the signed-in user object
    before the profile service has compared and checked them."""

    full_name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=30, required=False)
    email = forms.EmailField(
        label=gettext_lazy("电子邮箱"), help_text=gettext_lazy("用于找回密码和接收通知。")
    )
