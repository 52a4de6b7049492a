"""The official-only view mixin and the officials' menu item of ``awards.permissions.views``."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.views import View
from wagtail.admin.menu import admin_menu

from awards.permissions.views import OfficialMenuItem, OfficialOnlyMixin
from awards.queries import cycles_for
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    CycleFactory,
    OfficialFactory,
    ReviewerFactory,
    UserFactory,
)


class CycleView(OfficialOnlyMixin, View):
    scope = staticmethod(cycles_for)

    def get(self, request, pk):
        return HttpResponse(f"cycle {self.object.pk}")

    def post(self, request, pk):
        raise PermissionDenied("refused by a service")


class ListingView(OfficialOnlyMixin, View):
    def get(self, request):
        return HttpResponse(f"object {self.object}")


def admin_with_access_only():
    """Someone given Wagtail admin access through a group, who is no official."""
    group = Group.objects.create(name="编辑")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    editor = UserFactory(username="editor")
    editor.groups.add(group)
    return editor


@pytest.fixture
def world(db):
    own = AuthorityFactory(name="天门市人民政府")
    other = AuthorityFactory(name="江西省人民政府")
    return {
        "cycle": CycleFactory(programme__authority=own),
        "other_cycle": CycleFactory(programme__authority=other),
        "anonymous": AnonymousUser(),
        "applicant": ApplicantFactory(username="applicant"),
        "reviewer": ReviewerFactory(username="reviewer", authority=own),
        "editor": admin_with_access_only(),
        "official": OfficialFactory(username="official", authority=own),
        "other_official": OfficialFactory(username="other-official", authority=other),
        "superuser": UserFactory(username="admin", is_superuser=True),
    }


def request_as(user, method: str = "get"):
    request = getattr(RequestFactory(), method)("/admin/somewhere/")
    request.user = user
    return request


def outcome(view, user, method: str = "get", **kwargs) -> str:
    try:
        response = view(request_as(user, method), **kwargs)
    except Http404:
        return "404"
    return response.content.decode()


def test_the_object_is_looked_up_in_the_scope_and_anything_else_is_a_404(world):
    view = CycleView.as_view()
    own, other = world["cycle"].pk, world["other_cycle"].pk
    roles = ("anonymous", "applicant", "reviewer", "editor", "official", "other_official")
    observed = {role: outcome(view, world[role], pk=own) for role in (*roles, "superuser")}
    assert observed == {
        "anonymous": "404",
        "applicant": "404",
        "reviewer": "404",
        "editor": "404",
        "official": f"cycle {own}",
        "other_official": "404",
        "superuser": f"cycle {own}",
    }
    assert outcome(view, world["other_official"], pk=other) == f"cycle {other}"
    assert outcome(view, world["superuser"], pk=other) == f"cycle {other}"
    assert outcome(view, world["official"], pk=other + 1000) == "404"


def test_a_service_refusal_inside_an_official_page_is_a_404(world):
    assert outcome(CycleView.as_view(), world["official"], "post", pk=world["cycle"].pk) == "404"


def test_a_page_without_a_scope_has_no_object_and_is_still_officials_only(world):
    view = ListingView.as_view()
    assert outcome(view, world["official"]) == "object None"
    assert outcome(view, world["superuser"]) == "object None"
    assert outcome(view, world["editor"]) == "404"


def test_the_menu_item_is_shown_to_officials_and_platform_admins_only(world):
    item = OfficialMenuItem("资格审查", "/admin/screening/")
    observed = {
        role: item.is_shown(request_as(world[role]))
        for role in ("anonymous", "applicant", "reviewer", "editor", "official", "superuser")
    }
    assert observed == {
        "anonymous": False,
        "applicant": False,
        "reviewer": False,
        "editor": False,
        "official": True,
        "superuser": True,
    }


OUR_MENU = ["质量奖管理", "资格审查", "结果公示与表彰", "评审管理", "评审结果", "证书颁发"]


def our_menu(user) -> list[str]:
    reverse("wagtailadmin_home")  # loads the URLconf, which registers the viewsets' menu items
    labels = [str(item.label) for item in admin_menu.menu_items_for_request(request_as(user))]
    return [label for label in labels if label in OUR_MENU]


def test_every_menu_entry_of_ours_is_hidden_from_admin_users_who_are_not_officials(world):
    assert sorted(our_menu(world["official"])) == sorted(OUR_MENU)
    assert sorted(our_menu(world["superuser"])) == sorted(OUR_MENU)
    assert our_menu(world["editor"]) == []
