"""Login lockouts (登录锁定) in the officials' console.

An official sees the locked accounts of the people their console manages (``people_for``) and
may lift them; another authority's person is a 404. A platform administrator sees every locked
account and every locked client address, and may lift both.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.viewsets.base import ViewSet

from awards.forms.errors import message_validation_error
from awards.permissions.rules import is_platform_admin
from awards.permissions.views import OfficialMenuItem, OfficialOnlyMixin
from awards.queries import people_for
from awards.services.security import (
    locked_addresses,
    locked_usernames,
    unlock_address,
    unlock_person,
)


class LockoutListView(OfficialOnlyMixin, View):
    template_name = "awards/console/lockouts.html"

    def get(self, request):
        locked = {lockout.key: lockout for lockout in locked_usernames()}
        people = people_for(request.user).filter(username__in=list(locked)).order_by("username")
        return TemplateResponse(
            request,
            self.template_name,
            {
                "rows": [(person, locked[person.username]) for person in people],
                "addresses": locked_addresses() if is_platform_admin(request.user) else [],
                "may_unlock_addresses": is_platform_admin(request.user),
            },
        )


class UnlockPersonView(OfficialOnlyMixin, View):
    scope = staticmethod(people_for)
    http_method_names = ["post"]

    def post(self, request, pk):
        unlock_person(person=self.object, by=request.user)
        messages.success(
            request, _("已解除“%(name)s”的登录锁定。") % {"name": self.object.get_username()}
        )
        return redirect("lockouts:index")


class UnlockAddressView(OfficialOnlyMixin, View):
    """Platform administrators only: an address may be shared by several authorities' people."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not is_platform_admin(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        address = request.POST.get("address", "").strip()
        try:
            unlock_address(address=address, by=request.user)
        except ValidationError as error:
            message_validation_error(request, error)
        else:
            messages.success(
                request, _("已解除地址 %(address)s 的登录锁定。") % {"address": address}
            )
        return redirect("lockouts:index")


class LockoutViewSet(ViewSet):
    icon = "lock-open"
    menu_label = gettext_lazy("登录锁定")
    menu_item_class = OfficialMenuItem

    def get_urlpatterns(self):
        return [
            path("", LockoutListView.as_view(), name="index"),
            path("people/<int:pk>/unlock/", UnlockPersonView.as_view(), name="unlock_person"),
            path("addresses/unlock/", UnlockAddressView.as_view(), name="unlock_address"),
        ]
