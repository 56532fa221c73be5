from django.urls import path

from exchange import views

app_name = "exchange"

urlpatterns = [
    path("import/", views.import_index, name="import_index"),
    path("import/<slug:register>/", views.import_upload, name="import"),
    path("import/<slug:register>/template.xlsx", views.import_template, name="template"),
    path("export/<slug:register>.xlsx", views.export, name="export"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/status.json", views.job_status, name="job_status"),
    path("jobs/<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    path("jobs/<int:pk>/errors.xlsx", views.job_errors, name="job_errors"),
]
