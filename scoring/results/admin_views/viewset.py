"""The 评审结果 menu item and its pages under /admin/cycle-results/."""

from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from awards.permissions.views import OfficialMenuItem
from scoring.results.admin_views import committee as results_committee
from scoring.results.admin_views import exports as results_exports
from scoring.results.admin_views import runs as results_runs
from scoring.results.admin_views import snapshots as results


class ResultsViewSet(ViewSet):
    """Per cycle: settings, missing scorecards and computing; per snapshot: the ranking with
    flags, explanations, what changed, approval and exports."""

    icon = "order"
    menu_label = _("评审结果")
    menu_order = 170
    add_to_admin_menu = True
    menu_item_class = OfficialMenuItem

    @cached_property
    def url_namespace(self):
        return "cycle_results"

    def get_urlpatterns(self):
        snapshot = "snapshots/<int:pk>/"
        return [
            path("", results.ResultsIndexView.as_view(), name="index"),
            path("cycles/<int:pk>/", results.CycleResultsView.as_view(), name="cycle"),
            path(
                "cycles/<int:pk>/progress/",
                results_runs.ComputationProgressView.as_view(),
                name="progress",
            ),
            path(
                "cycles/<int:pk>/settings/",
                results.ResultsSettingsView.as_view(),
                name="settings",
            ),
            path(
                "cycles/<int:pk>/committee/",
                results_committee.CommitteeView.as_view(),
                name="committee",
            ),
            path(
                snapshot + "decision/",
                results_committee.DecisionView.as_view(),
                name="decision",
            ),
            path(
                snapshot + "minutes.pdf",
                results_committee.MinutesPdfView.as_view(),
                name="minutes",
            ),
            path(snapshot, results.RankingView.as_view(), name="ranking"),
            path(
                snapshot + "applications/<int:application_pk>/",
                results.ExplanationView.as_view(),
                name="explanation",
            ),
            path(snapshot + "changes/", results.ChangesView.as_view(), name="changes"),
            path(snapshot + "approve/", results.ApproveView.as_view(), name="approve"),
            path(snapshot + "ranking.csv", results_exports.RankingCsvView.as_view(), name="csv"),
            path(snapshot + "ranking.xlsx", results_exports.RankingXlsxView.as_view(), name="xlsx"),
        ]
