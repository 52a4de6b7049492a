"""Admin forms: each narrows its choices to the official's authority and states its rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from awards.enums import Role
from awards.forms.choices import BoundedModelMultipleChoiceField
from awards.models import AwardingAuthority, User
from awards.permissions.rules import is_platform_admin, scope_to_authority
from awards.queries import frameworks_for, programmes_for
from awards.services.cycles import level_errors, timetable_errors
from awards.services.frameworks import check_editable, structure_errors


def _live_rows(formset) -> list[dict]:
    """Cleaned rows of an inline formset that are not being deleted."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        rows.append(data)
    return rows


def _limit_authority(form, field_name: str = "authority") -> None:
    user = form.for_user
    field = form.fields.get(field_name)
    if field is None or user is None or is_platform_admin(user):
        return
    field.queryset = scope_to_authority(AwardingAuthority.objects.all(), user, "pk")
    field.initial = user.authority_id
    field.empty_label = None


class ProgrammeForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_authority(self)
        bodies = self.fields.get("recommending_bodies")
        if bodies is not None:
            # An id beyond the database's range is an invalid choice, not a crash.
            self.fields["recommending_bodies"] = BoundedModelMultipleChoiceField(
                queryset=bodies.queryset,
                required=False,
                label=bodies.label,
                help_text=bodies.help_text,
                widget=bodies.widget,
            )


class FrameworkForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if "authority" in self.fields and user is not None and not is_platform_admin(user):
            _limit_authority(self)
            self.fields["authority"].required = True

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            try:
                check_editable(self.instance)
            except ValidationError as error:
                raise ValidationError(error.messages) from error
        if not all(formset.is_valid() for formset in self.formsets.values()):
            return cleaned
        categories = [
            (row["code"], row["points"]) for row in _live_rows(self.formsets["categories"])
        ]
        items = [(row["code"], row["points"]) for row in _live_rows(self.formsets["items"])]
        errors = structure_errors(
            total_points=cleaned.get("total_points") or 0, categories=categories, items=items
        )
        if errors:
            raise ValidationError(errors)
        return cleaned


class CycleForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None:
            self.fields["programme"].queryset = programmes_for(user)
            self.fields["framework"].queryset = frameworks_for(user)
            if "individual_framework" in self.fields:
                self.fields["individual_framework"].queryset = frameworks_for(user)

    def clean(self):
        cleaned = super().clean()
        for field, message in timetable_errors(cleaned).items():
            if field in self.fields:
                self.add_error(field, message)
        if "levels" in self.formsets and self.formsets["levels"].is_valid():
            rows = list(_live_rows(self.formsets["levels"]))
            # Each track's levels are ordered on their own (organizations, then individuals).
            for track in dict.fromkeys(row.get("track") or "" for row in rows):
                levels = [
                    (row["name"], row["min_total"], row["quota"])
                    for row in rows
                    if (row.get("track") or "") == track
                ]
                for message in level_errors(levels):
                    self.add_error(None, message)
        return cleaned


class OrganizationForm(WagtailAdminModelForm):
    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper()

    def clean_region_code(self):
        region_code = self.cleaned_data.get("region_code") or ""
        user = self.for_user
        if user is not None and not is_platform_admin(user) and user.authority_id:
            prefix = user.authority.region_prefix
            if not region_code.startswith(prefix):
                raise ValidationError(
                    _("所在地不在本授奖机关辖区内（辖区代码以 %(prefix)s 开头）。")
                    % {"prefix": prefix}
                )
        return region_code


class PersonForm(WagtailAdminModelForm):
    """Create or edit a reviewer or an official; officials only for their own authority."""

    role = forms.ChoiceField(
        label=gettext_lazy("角色"),
        choices=[(Role.REVIEWER, Role.REVIEWER.label), (Role.OFFICIAL, Role.OFFICIAL.label)],
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "phone", "role", "authority", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_authority(self)
        self.fields["authority"].required = True
        self.fields["email"].required = True
        if self.instance.pk and self.instance.role == Role.APPLICANT:
            for name in ("role", "authority"):
                self.fields.pop(name)

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip()
        clash = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if email and clash.exists():
            raise ValidationError(_("该电子邮箱已被其他账户使用。"))
        return email
