"""The reviewer pool (专家库) as a Wagtail viewset: filters, search and CSV/XLSX export."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column

from awards.console.viewsets import ScopedModelViewSet
from awards.enums import Industry
from scoring.review.forms.officials import ReviewerProfileForm
from scoring.review.models import ReviewerProfile


def _industry_filter(queryset, name, value):
    # A JSON list of letter codes: matching the quoted code works on SQLite and PostgreSQL.
    return queryset.filter(industries__icontains=f'"{value}"') if value else queryset


class ReviewerProfileFilterSet(WagtailFilterSet):
    industry = django_filters.ChoiceFilter(
        label=_("熟悉行业"), choices=Industry.choices, method=_industry_filter
    )
    is_active = django_filters.BooleanFilter(label=_("在库"))
    can_lead = django_filters.BooleanFilter(label=_("可任评审组组长"))

    class Meta:
        model = ReviewerProfile
        fields = ["industry", "is_active", "can_lead"]


def industry_names(profile: ReviewerProfile) -> str:
    labels = dict(Industry.choices)
    return "、".join(str(labels.get(code, code)) for code in profile.industries or [])


class ReviewerProfileViewSet(ScopedModelViewSet):
    model = ReviewerProfile
    icon = "user"
    menu_label = _("专家库")
    list_display = [
        Column("user", label=_("评审专家"), sort_key="user__full_name"),
        Column("username", label=_("用户名"), accessor="user.username"),
        "employer_name",
        Column("industries", label=_("熟悉行业"), accessor=industry_names),
        "max_load_per_cycle",
        BooleanColumn("can_lead", label=_("可任组长")),
        BooleanColumn("is_active", label=_("在库")),
    ]
    filterset_class = ReviewerProfileFilterSet
    search_fields = ["user__full_name", "user__username", "employer_name"]
    list_export = [
        "user",
        "industries",
        "categories",
        "region_code",
        "employer_name",
        "employer_credit_code",
        "former_employer_credit_codes",
        "max_load_per_cycle",
        "can_lead",
        "is_active",
    ]
    export_headings = {"user": _("评审专家")}
    export_filename = "reviewers"
    ordering = ["user__full_name", "user__username"]
    edit_handler = ObjectList(
        [
            FieldPanel("user"),
            MultiFieldPanel(
                [FieldPanel("industries"), FieldPanel("categories"), FieldPanel("region_code")],
                heading=_("专业领域"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("employer_name"), FieldPanel("employer_credit_code")]
                    ),
                    FieldPanel("former_employer_credit_codes"),
                ],
                heading=_("任职单位（用于识别利益冲突）"),
            ),
            FieldRowPanel(
                [FieldPanel("max_load_per_cycle"), FieldPanel("can_lead"), FieldPanel("is_active")]
            ),
        ],
        base_form_class=ReviewerProfileForm,
    )
