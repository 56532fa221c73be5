from django.urls import path, re_path

from outreach.views import events, followup, manage, public, pushes, seekers

app_name = "outreach"

urlpatterns = [
    # Recommendations and push
    path("me/recommended/", seekers.recommended, name="recommended"),
    path("me/preferences/", seekers.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", seekers.unsubscribe, name="unsubscribe"),
    path("manage/posts/<int:pk>/candidates/", seekers.post_candidates, name="post_candidates"),
    path("manage/posts/<int:pk>/candidates/<int:profile_id>/invite/", seekers.post_invite, name="post_invite"),
    path("manage/posts/<int:pk>/pushes/", pushes.post_pushes, name="post_pushes"),
    path("manage/events/<int:pk>/pushes/", pushes.event_pushes, name="event_pushes"),
    path("manage/push/", pushes.hand_push, name="hand_push"),
    path("p/<str:token>/", pushes.push_open, name="push_open"),
    # Special columns and the service zone (public)
    path("columns/", public.column_index, name="columns"),
    path("columns/<slug:slug>/", public.column_page, name="column"),
    path("zone/", public.zone, name="zone"),
    path("zone/<int:pk>/", public.article_public, name="article"),
    path("zone/files/<int:pk>/", public.article_file, name="article_file"),
    path("manage/zone/", manage.article_list, name="article_manage_list"),
    path("manage/zone/new/", manage.article_create, name="article_create"),
    path("manage/zone/<int:pk>/", manage.article_edit, name="article_edit"),
    re_path(r"^manage/zone/(?P<pk>\d+)/(?P<action>publish|unpublish)/$", manage.article_action, name="article_action"),
    path("manage/zone/<int:pk>/files/", manage.article_file_add, name="article_file_add"),
    path("manage/zone/<int:pk>/files/<int:file_id>/delete/", manage.article_file_delete, name="article_file_delete"),
    # Recruitment events
    path("events/", events.event_list, name="event_list"),
    path("events/<int:pk>/", events.event_public, name="event_public"),
    path("events/<int:pk>/apply/<int:post_id>/", events.event_apply, name="event_apply"),
    path("events/<int:pk>/signup/", events.event_signup, name="event_signup"),
    path("events/<int:pk>/check-in/", events.event_check_in, name="event_check_in"),
    path("manage/my-events/", events.unit_events, name="unit_events"),
    path("manage/my-events/<int:pk>/posts/<int:post_id>/confirm/", events.booth_confirm, name="booth_confirm"),
    path("manage/events/", events.event_manage_list, name="event_manage_list"),
    path("manage/events/new/", events.event_create, name="event_create"),
    path("manage/events/<int:pk>/", events.event_detail, name="event_detail"),
    path("manage/events/<int:pk>/edit/", events.event_edit, name="event_edit"),
    re_path(r"^manage/events/(?P<pk>\d+)/(?P<action>publish|cancel)/$", events.event_action, name="event_action"),
    path("manage/events/<int:pk>/posts/", events.event_post_add, name="event_post_add"),
    path("manage/events/<int:pk>/posts/<int:post_id>/remove/", events.event_post_remove, name="event_post_remove"),
    path(
        "manage/events/<int:pk>/signups/<int:signup_id>/check-in/",
        events.event_check_in_from_list,
        name="event_check_in_from_list",
    ),
    # Follow-up (跟踪帮扶)
    path("follow-up/", followup.case_list, name="followup_list"),
    path("follow-up/<int:pk>/", followup.case_detail, name="followup_detail"),
    # Demonstration units
    path("demonstration/", manage.demonstration_ranking, name="demonstration"),
    path("demonstration/units/<int:unit_id>/nominate/", manage.nominate, name="nominate"),
    path("demonstration/nominations/<int:pk>/withdraw/", manage.nomination_withdraw, name="nomination_withdraw"),
    # The records behind a dashboard figure
    path("dashboard/records/<slug:key>/", manage.figure_records, name="figure_records"),
]
