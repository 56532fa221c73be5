from django.urls import path

from positions import views

urlpatterns = [
    path("posts/", views.post_list, name="post_list"),
    path("posts/count/", views.post_list_count, name="post_list_count"),
    path("posts/<int:pk>/", views.post_public, name="post_public"),
    path("manage/posts/", views.post_manage_list, name="post_manage_list"),
    path("manage/posts/new/", views.post_create, name="post_create"),
    path("manage/posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("manage/posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("manage/posts/<int:pk>/submit/", views.post_submit, name="post_submit"),
    path("manage/posts/<int:pk>/close/", views.post_close, name="post_close"),
]
