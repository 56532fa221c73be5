"""URLs of the sign-in, token and audit pages (included by jianxi_portal.urls)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("accounts/password/reset/", views.PortalPasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PortalPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/2fa/replace/", views.two_factor_replace, name="two_factor_replace"),
    path("accounts/2fa/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/2fa/codes/", views.two_factor_codes, name="two_factor_codes"),
    path("accounts/security/", views.account_security, name="account_security"),
    path("accounts/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("security/tokens/", views.security_tokens, name="security_tokens"),
    path("security/accounts/", views.security_accounts, name="security_accounts"),
    path("security/accounts/unlock/", views.security_unlock, name="security_unlock"),
    path("security/accounts/<int:pk>/2fa-reset/", views.security_two_factor_reset, name="security_two_factor_reset"),
    path("security/accounts/<int:pk>/password-reset/", views.security_password_reset, name="security_password_reset"),
    path("security/audit/", views.audit_log, name="audit_log"),
    path("security/audit/export/", views.audit_export, name="audit_export"),
]
