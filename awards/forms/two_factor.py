"""The one-time code a person types after their password, or when enrolling."""

from django import forms
from django.utils.translation import gettext_lazy


class OneTimeCodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=32,
        help_text=gettext_lazy("身份验证器显示的 6 位数字，或一个尚未使用过的恢复码。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )
