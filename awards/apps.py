from functools import partial

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("质量奖")

    def ready(self) -> None:
        from wagtail.permissions import register_permission_policy

        from awards import checks  # noqa: F401  (registers the system checks)
        from awards.models import AwardProgramme, CriteriaFramework, Cycle, Organization, Person
        from awards.permissions.policies import OfficialScopePolicy
        from awards.queries import console_rows

        no_delete = frozenset({"add", "change", "view"})
        for model in (AwardProgramme, Cycle, CriteriaFramework, Organization):
            policy = OfficialScopePolicy(
                model, scope=partial(console_rows, model), actions=no_delete
            )
            register_permission_policy(model, policy)
        register_permission_policy(
            Person,
            OfficialScopePolicy(Person, scope=partial(console_rows, Person), actions=no_delete),
            exact_class=True,
        )

        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from awards.services import security

        user_logged_in.connect(security.audit_login, dispatch_uid="awards.audit_login")
        user_login_failed.connect(security.audit_login_failure, dispatch_uid="awards.login_failed")
        user_locked_out.connect(security.audit_lockout, dispatch_uid="awards.lockout")
