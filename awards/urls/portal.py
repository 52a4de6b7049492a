from django.urls import path

from awards.views import applications, colleagues, recommendations, recommender_filing
from awards.views.accounts import dashboard
from awards.views.application_autosave import application_autosave
from awards.views.application_wizard import ApplicationWizard
from awards.views.notices import notice_list, notice_read

app_name = "awards"

application_wizard = ApplicationWizard.as_view(
    url_name="awards:application_step", done_step_name="done"
)

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("colleagues/", colleagues.colleagues, name="colleagues"),
    path(
        "colleagues/invitations/<int:pk>/revoke/",
        colleagues.revoke_invitation,
        name="revoke_invitation",
    ),
    path("notices/", notice_list, name="notices"),
    path("notices/read/", notice_read, name="notices_read"),
    path("cycles/<int:cycle_pk>/apply/", applications.start, name="application_start"),
    path(
        "cycles/<int:cycle_pk>/apply/individual/",
        applications.start_individual,
        name="individual_application_start",
    ),
    path("applications/<int:pk>/", applications.detail, name="application_detail"),
    path("applications/<int:pk>/step/", application_wizard, name="application_resume"),
    path("applications/<int:pk>/step/<str:step>/", application_wizard, name="application_step"),
    path(
        "applications/<int:pk>/step/<str:step>/autosave/",
        application_autosave,
        name="application_autosave",
    ),
    path("applications/<int:pk>/pdf/", applications.application_pdf, name="application_pdf"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        applications.attachment_download,
        name="attachment_download",
    ),
    path(
        "applications/<int:pk>/recommendation-scan/",
        applications.recommendation_scan,
        name="recommendation_scan",
    ),
    path("recommendations/", recommendations.queue, name="recommendation_queue"),
    path(
        "recommendations/<int:pk>/",
        recommendations.decision,
        name="recommendation_decision",
    ),
    path(
        "recommendations/<int:pk>/withdraw/",
        recommendations.withdraw,
        name="recommendation_withdraw",
    ),
    path("region/applications/", recommendations.region_applications, name="region_applications"),
    path(
        "recommendations/individual/",
        recommender_filing.individual_filing,
        name="individual_filing",
    ),
    path(
        "recommendations/cycles/<int:cycle_pk>/individual/",
        recommender_filing.individual_organizations,
        name="individual_filing_organizations",
    ),
    path(
        "recommendations/cycles/<int:cycle_pk>/individual/<int:organization_pk>/",
        recommender_filing.individual_start,
        name="individual_filing_start",
    ),
    path(
        "applications/<int:pk>/pdf/view/",
        applications.application_pdf,
        {"inline": True},
        name="application_pdf_inline",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/view/",
        applications.attachment_download,
        {"inline": True},
        name="attachment_inline",
    ),
]
