"""The applicant's defence pages under /portal/ (namespace ``defence``)."""

from django.urls import path

from scoring.review.views.applicant_defence import (
    answer_file_view,
    answer_view,
    application_defence,
)

app_name = "defence"
urlpatterns = [
    path("applications/<int:pk>/defence/", application_defence, name="application"),
    path(
        "applications/<int:pk>/defence/questions/<int:question_pk>/answer/",
        answer_view,
        name="answer",
    ),
    path("applications/<int:pk>/defence/files/<int:file_pk>/", answer_file_view, name="file"),
]
