from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

import outreach.api  # noqa: F401  (each app's api module registers its viewsets on the router)
import positions.api  # noqa: F401
import reports.api  # noqa: F401
import subsidies.api  # noqa: F401
import trainees.api  # noqa: F401
import units.api  # noqa: F401
from accounts.token_views import ObtainTokenView
from accounts.views import PortalPasswordChangeView
from jianxi_portal.core import site_frame, views
from jianxi_portal.core.api import router
from jianxi_portal.core.csp import with_policy

admin.site.site_header = admin.site.site_title = "就业见习管理平台 · 系统管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", site_frame.favicon, name="favicon"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PortalPasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("quotas/<int:pk>/edit/", views.quota_edit, name="quota_edit"),
    path("programme-years/", views.programme_years, name="programme_years"),
    path("programme-years/<int:year>/open/", views.programme_year_open, name="programme_year_open"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/<int:pk>/delete/", views.calendar_delete, name="calendar_delete"),
    path("calendar/<int:year>/arrangement/", views.calendar_arrangement, name="calendar_arrangement"),
    path(
        "calendar/<int:year>/arrangement/template/",
        views.calendar_arrangement_template,
        name="calendar_arrangement_template",
    ),
    path("calendar/<int:year>/complete/", views.calendar_year_complete, name="calendar_year_complete"),
    path("wages/", views.wage_versions, name="wage_versions"),
    path("allowance-floors/", views.allowance_floors, name="allowance_floors"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("", include("accounts.urls")),
    path("", include("reports.urls")),
    path("", include("units.urls")),
    path("", include("positions.urls")),
    path("", include("trainees.urls")),
    path("", include("subsidies.urls")),
    path("exchange/", include("exchange.urls")),
    path("", include("outreach.urls")),
    path("api/v1/", include(router.urls)),
    path("api/v1/auth/token/", ObtainTokenView.as_view(), name="api_token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its start-up script as a separate file: no inline script under the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api_docs"),
    path(
        "api/redoc/",
        with_policy(
            SpectacularRedocView.as_view(url_name="schema"),
            **{"script-src": ["'self'", "'unsafe-inline'"], "worker-src": ["'self'", "blob:"]},
        ),
        name="api_redoc",
    ),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
