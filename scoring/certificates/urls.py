"""Applicants' result documents under /portal/ (namespace ``results``): the certificate of an
award and the feedback report of an application."""

from django.urls import path

from scoring.certificates.views.certificates import award_certificate
from scoring.certificates.views.feedback import feedback_pdf, feedback_report

app_name = "results"
urlpatterns = [
    path("awards/<int:pk>/certificate/", award_certificate, name="award_certificate"),
    path("applications/<int:pk>/feedback/", feedback_report, name="feedback"),
    path("applications/<int:pk>/feedback/pdf/", feedback_pdf, name="feedback_pdf"),
]
