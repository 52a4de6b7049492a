from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from awards.console.audit import AuditTrailView
from awards.console.screening import ScreeningDecisionView, ScreeningQueueView
from awards.console.viewsets import ConsoleGroup
from awards.permissions.views import OfficialMenuItem


@hooks.register("register_admin_viewset")
def register_console():
    return ConsoleGroup()


@hooks.register("register_admin_urls")
def register_screening_urls():
    return [
        path("screening/", ScreeningQueueView.as_view(), name="screening_queue"),
        path("screening/<int:pk>/", ScreeningDecisionView.as_view(), name="screening_decision"),
        path("audit/", AuditTrailView.as_view(), name="audit_trail"),
    ]


@hooks.register("register_admin_menu_item")
def register_screening_menu_item():
    return OfficialMenuItem(_("资格审查"), reverse("screening_queue"), icon_name="tasks", order=160)


@hooks.register(ConsoleGroup.submenu_hook)
def register_audit_menu_item():
    return OfficialMenuItem(_("操作日志"), reverse("audit_trail"), icon_name="history", order=900)
