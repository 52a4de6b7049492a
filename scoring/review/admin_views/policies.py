"""Permission policy of the reviewer pool: officials manage their own authority's reviewers."""

from django.db.models import QuerySet

from awards.console.policies import OfficialScopePolicy
from scoring.review.queries.officials import reviewer_profiles_for


class ReviewerProfilePolicy(OfficialScopePolicy):
    def instances_user_has_permission_for(self, user, action) -> QuerySet:
        if not self.user_has_permission(user, action):
            return self.model._default_manager.none()
        return reviewer_profiles_for(user)
