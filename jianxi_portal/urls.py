from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework.authtoken.views import obtain_auth_token

import positions.api  # noqa: F401  (each app's api module registers its viewsets on the router)
import reports.api  # noqa: F401
import subsidies.api  # noqa: F401
import trainees.api  # noqa: F401
import units.api  # noqa: F401
from jianxi_portal import views
from jianxi_portal.api import router

admin.site.site_header = admin.site.site_title = "就业见习管理平台 · 系统管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("quotas/<int:pk>/edit/", views.quota_edit, name="quota_edit"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/<int:pk>/delete/", views.calendar_delete, name="calendar_delete"),
    path("wages/", views.wage_versions, name="wage_versions"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("", include("reports.urls")),
    path("", include("units.urls")),
    path("", include("positions.urls")),
    path("", include("trainees.urls")),
    path("", include("subsidies.urls")),
    path("exchange/", include("jianxi_portal.exchange.urls")),
    path("api/v1/", include(router.urls)),
    path("api/v1/auth/token/", obtain_auth_token, name="api_token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api_docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api_redoc"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
