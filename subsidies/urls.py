from django.urls import path

from subsidies import views

urlpatterns = [
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/new/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/disburse/", views.claim_disburse, name="claim_disburse"),
    path("claims/<int:pk>/<str:action>/", views.claim_action, name="claim_action"),
    path("disbursements/", views.disbursement_list, name="disbursement_list"),
    path("subsidies/summary/", views.subsidy_summary, name="subsidy_summary"),
    path("subsidies/rules/", views.rule_list, name="subsidy_rules"),
    path("subsidies/rules/<str:kind>/new/", views.rule_new, name="subsidy_rule_new"),
]
