"""The 评审管理 menu group: the reviewer pool viewset and the custom review pages."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from awards.permissions.views import OfficialMenuItem
from scoring.review.admin_views import (
    defence,
    integrity,
    panels,
    progress,
    score_import,
    stages,
)
from scoring.review.admin_views.reviewers import ReviewerProfileViewSet


class ReviewWorkViewSet(ViewSet):
    """Stages, panels and assignment, advancement, progress, reopening and paper-score import,
    all under /admin/review/."""

    icon = "tasks"
    menu_label = _("评审工作")
    menu_item_class = OfficialMenuItem

    def get_urlpatterns(self):
        return [
            path("", stages.ReviewIndexView.as_view(), name="index"),
            path("cycles/<int:pk>/stages/", stages.CycleStagesView.as_view(), name="stages"),
            path(
                "cycles/<int:pk>/stages/defaults/",
                stages.DefaultStagesView.as_view(),
                name="default_stages",
            ),
            path("cycles/<int:pk>/import/", score_import.ScoreImportView.as_view(), name="import"),
            path("cycles/<int:pk>/conflicts/", integrity.ConflictsView.as_view(), name="conflicts"),
            path(
                "cycles/<int:pk>/conflicts.csv",
                integrity.ConflictsExportView.as_view(fmt="csv"),
                name="conflicts_csv",
            ),
            path(
                "cycles/<int:pk>/conflicts.xlsx",
                integrity.ConflictsExportView.as_view(fmt="xlsx"),
                name="conflicts_xlsx",
            ),
            path("cycles/<int:pk>/audit/", integrity.AuditView.as_view(), name="audit"),
            path(
                "cycles/<int:pk>/audit.csv",
                integrity.AuditExportView.as_view(fmt="csv"),
                name="audit_csv",
            ),
            path(
                "cycles/<int:pk>/audit.xlsx",
                integrity.AuditExportView.as_view(fmt="xlsx"),
                name="audit_xlsx",
            ),
            path("stages/<int:pk>/panels/", panels.PanelsView.as_view(), name="panels"),
            path(
                "stages/<int:pk>/auto-assign/", panels.AutoAssignView.as_view(), name="auto_assign"
            ),
            path("stages/<int:pk>/assign/", panels.ManualAssignView.as_view(), name="assign"),
            path(
                "stages/<int:pk>/advancement/", stages.AdvancementView.as_view(), name="advancement"
            ),
            path("stages/<int:pk>/progress/", progress.ProgressView.as_view(), name="progress"),
            path("stages/<int:pk>/reminders/", progress.RemindersView.as_view(), name="reminders"),
            path(
                "stages/<int:pk>/score-template/",
                score_import.ScoreTemplateView.as_view(),
                name="score_template",
            ),
            path(
                "assignments/<int:pk>/remove/",
                panels.RemoveAssignmentView.as_view(),
                name="remove_assignment",
            ),
            path("assignments/<int:pk>/leader/", panels.SetLeaderView.as_view(), name="set_leader"),
            path("stages/<int:pk>/defence/", defence.StageDefenceView.as_view(), name="defence"),
            path(
                "panels/<int:pk>/defence/",
                defence.PanelDefenceView.as_view(),
                name="defence_panel",
            ),
            path("defence-files/<int:pk>/", defence.AnswerFileView.as_view(), name="defence_file"),
            path(
                "scorecards/<int:pk>/reopen/",
                progress.ReopenScorecardView.as_view(),
                name="reopen_scorecard",
            ),
        ]


class ReviewGroup(ViewSetGroup):
    menu_label = _("评审管理")
    menu_icon = "tasks"
    menu_order = 160
    items = (ReviewWorkViewSet("review"), ReviewerProfileViewSet("reviewers"))
