from django.urls import path, re_path

from jianxi_portal.core import views_review
from units import views

urlpatterns = [
    path("register/employer/", views.employer_register, name="employer_register"),
    path("units/", views.unit_directory, name="unit_directory"),
    path("units/<int:pk>/", views.unit_public, name="unit_public"),
    path("my/unit/", views.my_unit, name="my_unit"),
    path("manage/units/", views.unit_manage_list, name="unit_manage_list"),
    path("manage/units/new/", views.unit_create, name="unit_create"),
    path("manage/units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("manage/units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("manage/units/<int:pk>/submit/", views.unit_submit, name="unit_submit"),
    path("manage/units/<int:pk>/payee/", views.unit_payee, name="unit_payee"),
    re_path(r"^manage/units/(?P<pk>\d+)/(?P<action>suspend|resume|revoke)/$", views.unit_manage, name="unit_manage"),
    path("manage/units/<int:pk>/attachments/", views.attachment_add, name="unit_attachment_add"),
    path("manage/units/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="unit_attachment"),
    path(
        "manage/units/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="unit_attachment_delete",
    ),
    # The review pages serve every registered kind (units, posts, filings, claims).
    path("review/", views_review.queue, name="review_queue"),
    path("review/<slug:key>/<int:pk>/decide/", views_review.decide, name="review_decide"),
]
