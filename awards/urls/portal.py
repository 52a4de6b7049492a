from django.urls import path

from awards.views.accounts import dashboard

app_name = "awards"
urlpatterns = [
    path("", dashboard, name="dashboard"),
]
