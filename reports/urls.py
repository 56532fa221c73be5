from django.urls import path

from reports import views

urlpatterns = [
    path("annex1/", views.annex1, name="annex1"),
    path("annex1/xlsx/", views.annex1_xlsx, name="annex1_xlsx"),
    path("annex1/baseline/", views.annex1_baseline, name="annex1_baseline"),
    path("reports/annex2/", views.annex2_summary, name="annex2_summary"),
    path("reports/annex2/<int:year>/<int:month>/xlsx/", views.annex2_xlsx, name="annex2_xlsx"),
    path("reports/annex2/<int:year>/<int:month>/generate/", views.annex2_generate, name="annex2_generate"),
    path("reports/annex2/<int:year>/<int:month>/records/<int:number>/", views.annex2_records, name="annex2_records"),
    path("reports/annex2/<int:year>/<int:month>/<slug:region>/", views.annex2_report, name="annex2_report"),
    path(
        "reports/annex2/<int:year>/<int:month>/<slug:region>/<slug:action>/", views.annex2_action, name="annex2_action"
    ),
]
