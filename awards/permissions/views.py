"""The one official-only view mixin and the one officials' menu item, for every app's admin pages.

Wagtail's admin URL wrapper already sends people without admin access to its login page; this
mixin answers 404 to everyone else who is not an official or platform administrator, and looks
the view's object up in its scoped queryset, so another authority's object is a 404 too, before
the HTTP method is even considered.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from wagtail.admin.menu import MenuItem

from awards.permissions.rules import is_official_or_admin


class OfficialOnlyMixin:
    """Officials and platform administrators only; anyone else gets a 404.

    ``scope`` is a function user → QuerySet (usually a ``*_for(user)`` query built on
    ``scope_to_authority``); when set, ``self.object`` is the row whose ``pk`` (the
    ``lookup_url_kwarg`` of the URL) is in that queryset, else a 404. Without ``scope``
    (listings), ``self.object`` is None. A service refusing the official (``PermissionDenied``)
    answers 404 as well: a correctly scoped view never gets there, so the refusal shows like any
    other hidden object.
    """

    scope = None
    lookup_url_kwarg = "pk"

    def dispatch(self, request, *args, **kwargs):
        if not is_official_or_admin(request.user):
            raise Http404
        self.object = None
        if self.scope is not None:
            queryset = type(self).scope(request.user)
            self.object = get_object_or_404(queryset, pk=kwargs[self.lookup_url_kwarg])
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            raise Http404 from None


class OfficialMenuItem(MenuItem):
    """A Wagtail admin menu entry shown to officials and platform administrators only."""

    def is_shown(self, request) -> bool:
        return is_official_or_admin(request.user)
