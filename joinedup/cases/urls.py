from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("team/", views.team, name="team"),
    path("enrol/<uuid:referral_pk>/", views.enrol, name="enrol"),
    path("<uuid:pk>/", views.case_detail, name="detail"),
    path("<uuid:pk>/contacts/new/", views.contact_new, name="contact_new"),
    path("<uuid:pk>/job-starts/new/", views.job_start_new, name="job_start_new"),
    path("<uuid:pk>/job-starts/<uuid:job_pk>/sustainment/", views.sustainment_new, name="sustainment_new"),
    path("<uuid:pk>/wellbeing/<slug:code>/", views.wellbeing_new, name="wellbeing_new"),
    path("<uuid:pk>/next-step/", views.next_step, name="next_step"),
    path("<uuid:pk>/assessments/new/", views.assessment_new, name="assessment_new"),
    path("<uuid:pk>/exit/", views.case_exit, name="exit"),
    path("<uuid:pk>/applications/new/", views.application_new, name="application_new"),
    path("<uuid:pk>/applications/<uuid:app_pk>/", views.application_edit, name="application_edit"),
    path("<uuid:pk>/early-help/new/", views.early_help_new, name="early_help_new"),
    path("<uuid:pk>/early-help/<uuid:help_pk>/", views.early_help_edit, name="early_help_edit"),
    path("<uuid:pk>/reengage/", views.case_reengage, name="reengage"),
    path("<uuid:pk>/plan/", views.plan, name="plan"),
    path("<uuid:pk>/plan/goals/new/", views.goal_new, name="goal_new"),
    path("<uuid:pk>/plan/goals/<uuid:goal_pk>/status/", views.goal_status, name="goal_status"),
    path("<uuid:pk>/plan/actions/new/", views.action_new, name="action_new"),
    path("<uuid:pk>/plan/actions/<uuid:action_pk>/done/", views.action_done, name="action_done"),
    path("<uuid:pk>/plan/referrals/new/", views.onward_referral_new, name="onward_referral_new"),
    path("<uuid:pk>/plan/referrals/<uuid:ref_pk>/", views.onward_referral_update, name="onward_referral_update"),
    path("<uuid:pk>/work/new/", views.work_activity_new, name="work_activity_new"),
    path("<uuid:pk>/better-off/", views.better_off, name="better_off"),
    path("<uuid:pk>/better-off/<uuid:calc_pk>/", views.better_off_detail, name="better_off_detail"),
]
