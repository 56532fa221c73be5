from django.urls import path

from reports import views

urlpatterns = [
    path("annex1/", views.annex1, name="annex1"),
]
