from django.urls import path

from .views import claims, participant, reports, setup

app_name = "programmes"
urlpatterns = [
    path("", setup.programme_list, name="list"),
    path("new/", setup.programme_new, name="new"),
    path("follow-ups/", participant.follow_ups, name="follow_ups"),
    path("case/<uuid:case_pk>/", participant.participant, name="participant"),
    path("case/<uuid:case_pk>/programme/", participant.join, name="join"),
    path("case/<uuid:case_pk>/esf/", participant.esf, name="esf"),
    path("case/<uuid:case_pk>/leaving/", participant.leaving, name="leaving"),
    path("case/<uuid:case_pk>/follow-up/", participant.follow_up, name="follow_up"),
    path("case/<uuid:case_pk>/courses/new/", participant.course_new, name="course_new"),
    path("case/<uuid:case_pk>/expenses/new/", participant.expense_new, name="expense_new"),
    path("case/<uuid:case_pk>/expenses/<uuid:expense_pk>/", participant.expense_decide, name="expense_decide"),
    path("case/<uuid:case_pk>/job-entries/<uuid:entry_pk>/withdraw/", participant.withdraw, name="withdraw"),
    path("<uuid:pk>/", setup.programme_detail, name="detail"),
    path("<uuid:pk>/targets/new/", setup.target_new, name="target_new"),
    path("<uuid:pk>/contracts/new/", setup.contract_new, name="contract_new"),
    path("<uuid:pk>/budgets/new/", setup.budget_new, name="budget_new"),
    path("<uuid:pk>/tariff/", setup.tariff_edit, name="tariff"),
    path("<uuid:pk>/esf/", reports.esf_return, name="esf"),
    path("<uuid:pk>/esf/participants.csv", reports.esf_export, name="esf_export"),
    path("<uuid:pk>/esf/<str:code>/", reports.esf_figure, name="esf_figure"),
    path("<uuid:pk>/performance/", reports.performance_page, name="performance"),
    path("<uuid:pk>/performance/participants/", reports.performance_people, name="performance_people"),
    path("<uuid:pk>/costs/", reports.costs_page, name="costs"),
    path("<uuid:pk>/fairness/", reports.fairness_page, name="fairness"),
    path("<uuid:pk>/claims/", claims.claims, name="claims"),
    path("<uuid:pk>/claims/run/", claims.claim_run, name="claim_run"),
    path("<uuid:pk>/claims/<uuid:batch_pk>/", claims.batch_detail, name="batch"),
    path("<uuid:pk>/claims/<uuid:batch_pk>/<uuid:claim_pk>/reject/", claims.claim_reject, name="claim_reject"),
    path("<uuid:pk>/corrections/<uuid:claim_pk>/", claims.claim_correct, name="claim_correct"),
]
