from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from awards.console import desk
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


# The admin branded as the portal, loading nothing from other sites, its home the work desk.


@hooks.register("insert_global_admin_css")
def portal_branding_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin-branding.css"))


@hooks.register("construct_help_menu")
def keep_help_on_the_portal(request, menu_items):
    """Wagtail's "what's new" and editor guide entries link to wagtail.org: not for officials."""
    menu_items[:] = [
        item for item in menu_items if not str(item.url).startswith(("http://", "https://", "//"))
    ]


@hooks.register("construct_homepage_panels")
def build_work_desk(request, panels):
    desk.build_desk(request, panels)


@hooks.register("construct_homepage_summary_items")
def no_site_summary_on_the_desk(request, summary_items):
    desk.drop_site_summary(request, summary_items)
