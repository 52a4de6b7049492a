"""URLs of the officials' notice and announcement pages, mounted at /admin/publication/."""

from django.urls import path

from scoring.publication import admin_views as views

app_name = "publication"

urlpatterns = [
    path("", views.PublicationIndexView.as_view(), name="index"),
    path("snapshots/<int:pk>/notice/", views.OpenNoticeView.as_view(), name="open_notice"),
    path("notices/<int:pk>/", views.NoticeView.as_view(), name="notice"),
    path("notices/<int:pk>/announce/", views.AnnounceView.as_view(), name="announce"),
    path("objections/<int:pk>/", views.ObjectionView.as_view(), name="objection"),
    path("objections/<int:pk>/evidence/", views.ObjectionEvidenceView.as_view(), name="evidence"),
    path("awards/<int:pk>/revoke/", views.RevokeAwardView.as_view(), name="revoke"),
]
