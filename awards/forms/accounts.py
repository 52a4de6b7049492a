"""Self-registration of an enterprise and its first user."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import Organization, User
from awards.validators import normalize_credit_code


class OrganizationRegistrationForm(forms.ModelForm):
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


class ApplicantAccountForm(forms.Form):
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
