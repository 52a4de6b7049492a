"""Permissions that follow from a person's role rather than from group membership."""

from django.contrib.auth.backends import BaseBackend

from awards.permissions.rules import is_official

ROLE_PERMISSIONS = {"wagtailadmin.access_admin"}


class RolePermissionBackend(BaseBackend):
    """Active officials may open the Wagtail admin; what they see there is scoped elsewhere."""

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return perm in ROLE_PERMISSIONS and is_official(user_obj)
