"""Who may do what in the officials' console.

Officials need no Django model permissions: being an active official of an authority is the
permission, and what they can reach is narrowed to their authority by ``awards.queries``.
"""

from django.db.models import QuerySet
from wagtail.permission_policies import BasePermissionPolicy

from awards.models import CriteriaFramework, User
from awards.queries import editable_frameworks_for, scoped

ALL_ACTIONS = frozenset({"add", "change", "delete", "view"})


class OfficialScopePolicy(BasePermissionPolicy):
    def __init__(self, model, actions: frozenset[str] = ALL_ACTIONS):
        super().__init__(model)
        self.actions = actions

    def user_has_permission(self, user, action) -> bool:
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        return bool(getattr(user, "is_official", False)) and action in self.actions

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_permission_for(self, user, action) -> QuerySet:
        if not self.user_has_permission(user, action):
            return self.model._default_manager.none()
        if self.model is CriteriaFramework and action in ("change", "delete"):
            queryset = editable_frameworks_for(user)
        else:
            queryset = scoped(self.model, user)
        return queryset

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
        return User.objects.filter(is_active=True).filter(is_superuser=True) | User.objects.filter(
            is_active=True, role="official", authority__isnull=False
        )

    def users_with_permission(self, action) -> QuerySet:
        return self.users_with_any_permission([action])
