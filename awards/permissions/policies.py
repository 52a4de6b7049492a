"""The Wagtail permission policy of every model viewset officials use.

Officials need no Django model permissions: being an active official of an authority is the
permission, and the rows they reach are the ones the viewset's ``scope`` gives them (a query built
on ``scope_to_authority``). Wagtail's generic views ask the policy, so a listing shows only those
rows and an edit, inspect or delete URL of any other row is a 404 (``awards.console.views``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from wagtail.permission_policies import BasePermissionPolicy

from awards.enums import Role
from awards.permissions.rules import is_official, is_platform_admin

ALL_ACTIONS = frozenset({"add", "change", "delete", "view"})

#: (user, action) → the rows of the model that user may act on with that action.
Scope = Callable[[object, str], QuerySet]


class OfficialScopePolicy(BasePermissionPolicy):
    def __init__(self, model, *, scope: Scope, actions: frozenset[str] = ALL_ACTIONS):
        super().__init__(model)
        self.scope = scope
        self.actions = actions

    def user_has_permission(self, user, action) -> bool:
        if is_platform_admin(user):
            return True
        return is_official(user) and action in self.actions

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_permission_for(self, user, action) -> QuerySet:
        if not self.user_has_permission(user, action):
            return self.model._default_manager.none()
        return self.scope(user, action)

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        querysets = [self.instances_user_has_permission_for(user, action) for action in actions]
        combined = querysets[0]
        for queryset in querysets[1:]:
            combined = combined | queryset
        return combined.distinct()

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )

    def users_with_any_permission(self, actions) -> QuerySet:
        users = get_user_model().objects.filter(is_active=True)
        return users.filter(is_superuser=True) | users.filter(
            role=Role.OFFICIAL, authority__isnull=False
        )

    def users_with_permission(self, action) -> QuerySet:
        return self.users_with_any_permission([action])
