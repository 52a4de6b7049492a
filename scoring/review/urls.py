"""The reviewer's pages under /review/ (namespace ``scoring``)."""

from django.urls import path

from scoring.review.views.commitments import (
    commitment_view,
    conflicts_view,
    finish_conflicts_view,
    workspace_view,
)
from scoring.review.views.consensus import comment_view, consensus_view, finalize_view
from scoring.review.views.defence import answer_file_view, ask_view, defence_view, send_view
from scoring.review.views.scoring import (
    application_pdf_view,
    attachment_view,
    item_view,
    recuse_view,
    submit_view,
)
from scoring.review.views.scoring_autosave import item_autosave_view, sheet_autosave_view
from scoring.review.views.scoring_sheet import sheet_view
from scoring.review.views.site_issues import site_issues_view

app_name = "scoring"
urlpatterns = [
    path("", workspace_view, name="workspace"),
    path("cycles/<int:cycle_pk>/commitment/", commitment_view, name="commitment"),
    path("cycles/<int:cycle_pk>/conflicts/", conflicts_view, name="conflicts"),
    path("cycles/<int:cycle_pk>/conflicts/finish/", finish_conflicts_view, name="finish_conflicts"),
    path("assignments/<int:pk>/", item_view, name="assignment"),
    path("assignments/<int:pk>/items/<str:item_code>/", item_view, name="assignment_item"),
    path(
        "assignments/<int:pk>/items/<str:item_code>/autosave/",
        item_autosave_view,
        name="assignment_item_autosave",
    ),
    path("assignments/<int:pk>/sheet/", sheet_view, name="sheet"),
    path("assignments/<int:pk>/sheet/autosave/", sheet_autosave_view, name="sheet_autosave"),
    path("assignments/<int:pk>/submit/", submit_view, name="submit"),
    path("assignments/<int:pk>/recuse/", recuse_view, name="recuse"),
    path(
        "assignments/<int:pk>/attachments/<int:attachment_pk>/",
        attachment_view,
        name="attachment",
    ),
    path(
        "assignments/<int:pk>/attachments/<int:attachment_pk>/view/",
        attachment_view,
        {"inline": True},
        name="attachment_inline",
    ),
    path("assignments/<int:pk>/pdf/", application_pdf_view, name="application_pdf"),
    path(
        "assignments/<int:pk>/pdf/view/",
        application_pdf_view,
        {"inline": True},
        name="application_pdf_inline",
    ),
    path("panels/<int:pk>/consensus/", consensus_view, name="consensus"),
    path("panels/<int:pk>/consensus/finalize/", finalize_view, name="consensus_finalize"),
    path("panels/<int:pk>/consensus/comments/", comment_view, name="consensus_comment"),
    path("panels/<int:pk>/consensus/site-issues/", site_issues_view, name="site_issues"),
    path("panels/<int:pk>/defence/", defence_view, name="defence"),
    path("panels/<int:pk>/defence/questions/", ask_view, name="defence_ask"),
    path("panels/<int:pk>/defence/send/", send_view, name="defence_send"),
    path("panels/<int:pk>/defence/files/<int:file_pk>/", answer_file_view, name="defence_file"),
]
