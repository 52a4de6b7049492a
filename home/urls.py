from django.urls import path

from home import views, views_verification

urlpatterns = [
    path("search/", views.search, name="search"),
    path("verify/", views_verification.verify, name="verify"),
    path("verify/<str:serial>/", views_verification.verify_certificate, name="verify_certificate"),
]
