from django.urls import path

from .better_off import views as better_off
from .contacts import views as contacts
from .enrolment import views as enrolment
from .plan import views as plan
from .support import views as support
from .wellbeing import views as wellbeing
from .work import views as work

app_name = "cases"
urlpatterns = [
    path("", enrolment.caseload, name="caseload"),
    path("team/", enrolment.team, name="team"),
    path("enrol/<uuid:referral_pk>/", enrolment.enrol, name="enrol"),
    path("<uuid:pk>/", enrolment.case_detail, name="detail"),
    path("<uuid:pk>/contacts/new/", contacts.contact_new, name="contact_new"),
    path("<uuid:pk>/job-starts/new/", work.job_start_new, name="job_start_new"),
    path("<uuid:pk>/job-starts/<uuid:job_pk>/sustainment/", work.sustainment_new, name="sustainment_new"),
    path("<uuid:pk>/wellbeing/<slug:code>/", wellbeing.wellbeing_new, name="wellbeing_new"),
    path("<uuid:pk>/next-step/", enrolment.next_step, name="next_step"),
    path("<uuid:pk>/assessments/new/", wellbeing.assessment_new, name="assessment_new"),
    path("<uuid:pk>/exit/", support.case_exit, name="exit"),
    path("<uuid:pk>/applications/new/", work.application_new, name="application_new"),
    path("<uuid:pk>/applications/<uuid:app_pk>/", work.application_edit, name="application_edit"),
    path("<uuid:pk>/early-help/new/", support.early_help_new, name="early_help_new"),
    path("<uuid:pk>/early-help/<uuid:help_pk>/", support.early_help_edit, name="early_help_edit"),
    path("<uuid:pk>/reengage/", support.case_reengage, name="reengage"),
    path("<uuid:pk>/plan/", plan.plan, name="plan"),
    path("<uuid:pk>/plan/goals/new/", plan.goal_new, name="goal_new"),
    path("<uuid:pk>/plan/goals/<uuid:goal_pk>/status/", plan.goal_status, name="goal_status"),
    path("<uuid:pk>/plan/actions/new/", plan.action_new, name="action_new"),
    path("<uuid:pk>/plan/actions/<uuid:action_pk>/done/", plan.action_done, name="action_done"),
    path("<uuid:pk>/plan/referrals/new/", plan.onward_referral_new, name="onward_referral_new"),
    path("<uuid:pk>/plan/referrals/<uuid:ref_pk>/", plan.onward_referral_update, name="onward_referral_update"),
    path("<uuid:pk>/work/new/", work.work_activity_new, name="work_activity_new"),
    path("<uuid:pk>/better-off/", better_off.better_off, name="better_off"),
    path("<uuid:pk>/better-off/<uuid:calc_pk>/", better_off.better_off_detail, name="better_off_detail"),
]
