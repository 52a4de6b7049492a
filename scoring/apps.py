from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("评审与评分")

    def ready(self) -> None:
        from wagtail.permissions import register_permission_policy

        from scoring.review.admin_views.policies import ReviewerProfilePolicy
        from scoring.review.models import ReviewerProfile

        register_permission_policy(
            ReviewerProfile,
            ReviewerProfilePolicy(ReviewerProfile, frozenset({"add", "change", "view"})),
        )
