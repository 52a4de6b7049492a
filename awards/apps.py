from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("质量奖")

    def ready(self) -> None:
        from wagtail.permissions import register_permission_policy

        from awards import checks  # noqa: F401  (registers the system checks)
        from awards.console.policies import OfficialScopePolicy
        from awards.models import AwardProgramme, CriteriaFramework, Cycle, Organization, Person

        no_delete = frozenset({"add", "change", "view"})
        for model in (AwardProgramme, Cycle, CriteriaFramework, Organization):
            register_permission_policy(model, OfficialScopePolicy(model, no_delete))
        register_permission_policy(Person, OfficialScopePolicy(Person, no_delete), exact_class=True)
