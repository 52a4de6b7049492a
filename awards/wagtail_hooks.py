from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from awards.console.screening import ScreeningDecisionView, ScreeningQueueView
from awards.console.viewsets import ConsoleGroup


@hooks.register("register_admin_viewset")
def register_console():
    return ConsoleGroup()


@hooks.register("register_admin_urls")
def register_screening_urls():
    return [
        path("screening/", ScreeningQueueView.as_view(), name="screening_queue"),
        path("screening/<int:pk>/", ScreeningDecisionView.as_view(), name="screening_decision"),
    ]


class OfficialsMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or bool(getattr(user, "is_official", False))


@hooks.register("register_admin_menu_item")
def register_screening_menu_item():
    return OfficialsMenuItem(
        _("资格审查"), reverse("screening_queue"), icon_name="tasks", order=160
    )
