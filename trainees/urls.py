from django.urls import path

from trainees.views import applications, placements, register, units

app_name = "trainees"

urlpatterns = [
    path("trainees/", register.trainee_list, name="trainee_list"),
    path("trainees/new/", register.trainee_create, name="trainee_create"),
    path("trainees/<int:pk>/", register.trainee_detail, name="trainee_detail"),
    path("trainees/<int:pk>/edit/", register.trainee_edit, name="trainee_edit"),
    path("trainees/<int:pk>/account/", register.trainee_link_account, name="trainee_link_account"),
    path("youth/register/", register.youth_register, name="youth_register"),
    path("me/", register.my_profile, name="my_profile"),
    path("me/edit/", register.my_profile_edit, name="my_profile_edit"),
    path("me/consent/", register.my_consent, name="my_consent"),
    path("applications/", applications.application_list, name="application_list"),
    path("applications/apply/<int:post_id>/", applications.application_apply, name="application_apply"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/accept/", applications.application_accept, name="application_accept"),
    path("applications/<int:pk>/decline/", applications.application_decline, name="application_decline"),
    path("applications/<int:pk>/withdraw/", applications.application_withdraw, name="application_withdraw"),
    path("placements/", placements.placement_list, name="placement_list"),
    path("placements/current/", placements.placement_current, name="placement_current"),
    path("placements/new/", placements.placement_create, name="placement_create"),
    path("placements/allowance-shortfalls/", placements.allowance_shortfalls, name="allowance_shortfalls"),
    path("placements/<int:pk>/", placements.placement_detail, name="placement_detail"),
    path("placements/<int:pk>/<slug:action>/", placements.placement_action, name="placement_action"),
    path("mentors/", units.mentor_list, name="mentor_list"),
    path("mentors/<int:pk>/", units.mentor_edit, name="mentor_edit"),
    path("internships/", units.internship_list, name="internship_list"),
    path("internships/new/", units.internship_create, name="internship_create"),
    path("internships/<int:pk>/", units.internship_detail, name="internship_detail"),
    path("internships/<int:pk>/convert/", units.internship_convert, name="internship_convert"),
    path("internships/<int:pk>/end/", units.internship_end, name="internship_end"),
]
