from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("评审与评分")

    def ready(self) -> None:
        from wagtail.permissions import register_permission_policy

        from awards.permissions.policies import OfficialScopePolicy
        from scoring.review.models import ReviewerProfile
        from scoring.review.queries.officials import reviewer_profiles_for

        register_permission_policy(
            ReviewerProfile,
            OfficialScopePolicy(
                ReviewerProfile,
                scope=lambda user, action: reviewer_profiles_for(user),
                actions=frozenset({"add", "change", "view"}),
            ),
        )
