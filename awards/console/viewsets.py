"""Wagtail viewsets of the officials' console: listing filters, search, CSV/XLSX export."""

import django_filters
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from awards.audit_actions import AuditAction
from awards.console import forms, views
from awards.console.cycle_status import CycleStatusView
from awards.console.lockouts import LockoutViewSet
from awards.console.notifications import NotificationViewSet
from awards.enums import CycleStatus, Industry, OrganizationSize, Role
from awards.models import (
    AwardingAuthority,
    AwardProgramme,
    CriteriaFramework,
    Cycle,
    Organization,
    Person,
)
from awards.queries import programmes_for
from awards.services.application_attachments import ensure_attachment_requirements
from awards.services.audit import record
from awards.services.people import create_staff_account, invite


class ScopedModelViewSet(ModelViewSet):
    index_view_class = views.ScopedIndexView
    edit_view_class = views.ScopedEditView
    delete_view_class = views.ScopedDeleteView
    inspect_view_class = views.ScopedInspectView
    history_view_class = views.ScopedHistoryView
    usage_view_class = views.ScopedUsageView
    copy_view_enabled = False
    inspect_view_enabled = True
    add_to_admin_menu = False
    # Chinese has no spaces between words, so substring matching finds what officials type.
    search_backend_name = None


class AuthorityViewSet(ModelViewSet):
    """Platform administrators only (the default model-permission policy): officials never
    create or change awarding authorities."""

    model = AwardingAuthority
    index_view_class = views.ExportIndexView
    icon = "site"
    menu_label = _("授奖机关")
    add_to_admin_menu = False
    copy_view_enabled = False
    search_backend_name = None
    list_display = ["name", "office_name", "region_name", "region_code", "region_prefix"]
    search_fields = ["name", "region_name"]
    list_export = ["name", "office_name", "region_name", "region_code", "region_prefix"]
    export_filename = "authorities"
    form_fields = [
        "name",
        "office_name",
        "region_code",
        "region_name",
        "region_prefix",
        "parent",
        "kind",
        "four_eyes",
    ]


class ProgrammeViewSet(ScopedModelViewSet):
    model = AwardProgramme
    icon = "trophy"
    menu_label = _("奖项")
    list_display = ["name", "authority", "prize", "requires_recommendation"]
    list_filter = ["requires_recommendation"]
    list_export = ["name", "slug", "authority", "prize", "requires_recommendation"]
    search_fields = ["name", "summary"]
    export_filename = "programmes"
    edit_handler = ObjectList(
        [
            FieldPanel("authority"),
            FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
            FieldPanel("summary"),
            FieldPanel("prize"),
            FieldRowPanel(
                [FieldPanel("requires_recommendation"), FieldPanel("has_individual_track")]
            ),
            MultiFieldPanel(
                [
                    FieldPanel("recommender_scope"),
                    FieldPanel("recommending_bodies"),
                    FieldPanel("recommendation_quota"),
                ],
                heading=_("推荐"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("quorum_numerator"), FieldPanel("quorum_denominator")]
                    ),
                    FieldRowPanel(
                        [FieldPanel("majority_numerator"), FieldPanel("majority_denominator")]
                    ),
                ],
                heading=_("评审委员会议事规则"),
            ),
        ],
        base_form_class=forms.ProgrammeForm,
    )


class CycleFilterSet(WagtailFilterSet):
    programme = django_filters.ModelChoiceFilter(
        label=_("奖项"), queryset=lambda request: programmes_for(request.user)
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CycleStatus.choices)

    class Meta:
        model = Cycle
        fields = ["programme", "status", "year"]


class CycleEditView(views.ScopedEditView):
    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                _("更改状态"),
                url=reverse("cycles:status", args=[self.object.pk]),
                icon_name="resubmit",
                priority=5,
            ),
        ]


class CycleCreateView(views.ServiceCreateView):
    """Saves the form as usual, then gives a cycle without evidence requirements the defaults."""

    def create_with_service(self, form):
        cycle = form.save()
        ensure_attachment_requirements(cycle=cycle, by=self.request.user)
        record(actor=self.request.user, action=AuditAction.CREATE_CYCLE, target=cycle)
        return cycle


class CycleViewSet(ScopedModelViewSet):
    model = Cycle
    icon = "date"
    menu_label = _("届次")
    add_view_class = CycleCreateView
    edit_view_class = CycleEditView
    list_display = ["__str__", "status", "application_deadline", "framework"]
    filterset_class = CycleFilterSet
    list_export = [
        "programme",
        "edition",
        "year",
        "status",
        "applications_open",
        "application_deadline",
        "announcement_date",
        "framework",
    ]
    search_fields = ["programme__name"]
    export_filename = "cycles"
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("programme"),
                    FieldRowPanel([FieldPanel("edition"), FieldPanel("year")]),
                    FieldPanel("framework"),
                    FieldPanel("individual_framework"),
                    FieldPanel("status", read_only=True),
                ],
                heading=_("基本信息"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("applications_open"), FieldPanel("application_deadline")]
                    ),
                    FieldPanel("deadline_extended_until"),
                    FieldPanel("recommendation_deadline"),
                    FieldRowPanel(
                        [FieldPanel("screening_deadline"), FieldPanel("document_review_deadline")]
                    ),
                    FieldRowPanel(
                        [FieldPanel("onsite_review_deadline"), FieldPanel("notice_start")]
                    ),
                    FieldPanel("announcement_date"),
                ],
                heading=_("时间安排"),
            ),
            InlinePanel("levels", heading=_("奖项等级、最低总分与名额"), label=_("奖项等级")),
            InlinePanel(
                "attachment_requirements",
                heading=_("申报材料要求"),
                label=_("材料"),
                help_text=_("新建届次时如不填写，将使用默认的材料清单。"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("min_years_operating"), FieldPanel("min_years_certified")]
                    ),
                    FieldRowPanel(
                        [FieldPanel("min_years_excellence_model"), FieldPanel("lookback_years")]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("overview_char_limit"),
                            FieldPanel("self_assessment_char_limit"),
                        ]
                    ),
                    FieldPanel("min_years_quality_work"),
                ],
                heading=_("申报条件"),
            ),
        ],
        base_form_class=forms.CycleForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/status/", CycleStatusView.as_view(), name="status"),
        ]


class FrameworkViewSet(ScopedModelViewSet):
    model = CriteriaFramework
    icon = "list-ol"
    menu_label = _("评价准则")
    list_display = ["__str__", "total_points", "authority"]
    list_filter = ["authority"]
    list_export = ["code", "version", "name", "total_points", "authority"]
    search_fields = ["name", "code"]
    export_filename = "frameworks"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("code"), FieldPanel("version")]),
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("total_points"), FieldPanel("authority")]),
            InlinePanel("categories", heading=_("类目"), label=_("类目")),
            InlinePanel("items", heading=_("评分条款"), label=_("条款")),
        ],
        base_form_class=forms.FrameworkForm,
    )


class OrganizationFilterSet(WagtailFilterSet):
    industry = django_filters.ChoiceFilter(label=_("行业"), choices=Industry.choices)
    size = django_filters.ChoiceFilter(label=_("企业规模"), choices=OrganizationSize.choices)

    class Meta:
        model = Organization
        fields = ["industry", "size"]


class OrganizationViewSet(ScopedModelViewSet):
    model = Organization
    icon = "group"
    menu_label = _("申报单位")
    list_display = ["name", "credit_code", "region_name", "industry", "size"]
    filterset_class = OrganizationFilterSet
    search_fields = ["name", "credit_code"]
    list_export = [
        "name",
        "credit_code",
        "region_code",
        "region_name",
        "industry",
        "size",
        "registration_date",
        "legal_representative",
    ]
    export_filename = "organizations"
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("credit_code"),
            FieldRowPanel([FieldPanel("region_code"), FieldPanel("region_name")]),
            FieldRowPanel([FieldPanel("industry"), FieldPanel("size")]),
            FieldRowPanel([FieldPanel("registration_date"), FieldPanel("legal_representative")]),
            FieldPanel("address"),
        ],
        base_form_class=forms.OrganizationForm,
    )


class PersonCreateView(views.ServiceCreateView):
    def create_with_service(self, form):
        data = form.cleaned_data
        person = create_staff_account(
            role=data["role"],
            authority=data["authority"],
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            phone=data.get("phone", ""),
            password=None,
            by=self.request.user,
        )
        invite(user=person)
        return Person.objects.get(pk=person.pk)


class PersonFilterSet(WagtailFilterSet):
    role = django_filters.ChoiceFilter(label=_("角色"), choices=Role.choices)

    class Meta:
        model = Person
        fields = ["role", "is_active"]


class PersonViewSet(ScopedModelViewSet):
    model = Person
    icon = "user"
    menu_label = _("人员")
    add_view_class = PersonCreateView
    list_display = [
        "username",
        "full_name",
        Column("role", label=_("角色"), accessor="get_role_display"),
        "authority",
        "organization",
        "email",
    ]
    filterset_class = PersonFilterSet
    search_fields = ["username", "full_name", "email"]
    list_export = ["username", "full_name", "role", "authority", "organization", "email", "phone"]
    export_filename = "people"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("username"), FieldPanel("full_name")]),
            FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
            FieldRowPanel([FieldPanel("role"), FieldPanel("authority")]),
            FieldPanel("is_active"),
        ],
        base_form_class=forms.PersonForm,
    )


class ConsoleGroup(ViewSetGroup):
    menu_label = _("质量奖管理")
    menu_icon = "trophy"
    menu_order = 150
    #: Plain pages of the group (the audit trail) register their menu items under this hook.
    submenu_hook = "register_console_menu_item"
    items = (
        AuthorityViewSet("authorities"),
        ProgrammeViewSet("programmes"),
        CycleViewSet("cycles"),
        FrameworkViewSet("frameworks"),
        OrganizationViewSet("organizations"),
        PersonViewSet("people"),
        LockoutViewSet("lockouts"),
        NotificationViewSet("notifications"),
    )
