from django.contrib.auth import views as auth_views
from django.urls import path

from awards.views import colleagues, profile, security
from awards.views.accounts import register, register_sent

urlpatterns = [
    path("register/", register, name="register"),
    path("register/sent/", register_sent, name="register_sent"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", profile.profile, name="profile"),
    path("password/", profile.PasswordChangeView.as_view(), name="password_change"),
    path("invitation/<str:token>/", colleagues.accept, name="accept_invitation"),
    path("two-factor/", security.two_factor_home, name="two_factor"),
    path("two-factor/setup/", security.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", security.two_factor_verify, name="two_factor_verify"),
    path(
        "two-factor/recovery-codes/",
        security.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("two-factor/disable/", security.two_factor_disable, name="two_factor_disable"),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
