from django.urls import path

from . import portal_views, vacancy_views, views, workplace_views

app_name = "employers"
urlpatterns = [
    path("", views.employer_list, name="list"),
    path("new/", views.employer_new, name="new"),
    path("<uuid:pk>/", views.employer_detail, name="detail"),
    path("<uuid:pk>/edit/", views.employer_edit, name="edit"),
    path("<uuid:pk>/sites/new/", views.site_new, name="site_new"),
    path("<uuid:pk>/contacts/new/", views.contact_new, name="contact_new"),
    path("<uuid:pk>/engagement/new/", views.engagement_new, name="engagement_new"),
    path("<uuid:pk>/tasks/<uuid:task_pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("<uuid:pk>/invite/", views.invite, name="invite"),
    path("<uuid:pk>/vacancies/new/", vacancy_views.vacancy_new, name="vacancy_new"),
    path("vacancies/", vacancy_views.vacancy_list, name="vacancies"),
    path("vacancies/<uuid:pk>/", vacancy_views.vacancy_detail, name="vacancy"),
    path("vacancies/<uuid:pk>/edit/", vacancy_views.vacancy_edit, name="vacancy_edit"),
    path("vacancies/<uuid:pk>/put-forward/<uuid:case_pk>/", vacancy_views.put_forward, name="put_forward"),
    path("vacancies/<uuid:pk>/job-start/<uuid:case_pk>/", vacancy_views.job_start_new, name="job_start"),
    path("people/<uuid:case_pk>/", vacancy_views.person_matches, name="person_matches"),
    path("people/<uuid:case_pk>/preferences/", vacancy_views.preferences_edit, name="preferences"),
    path("nominations/<uuid:pk>/", vacancy_views.nomination_edit, name="nomination"),
    path("nominations/<uuid:pk>/withdraw-consent/", vacancy_views.consent_withdraw, name="consent_withdraw"),
    path("<uuid:pk>/assessments/new/", workplace_views.assessment_new, name="assessment_new"),
    path("<uuid:pk>/advice/new/", workplace_views.advice_new, name="advice_new"),
    path("<uuid:pk>/advice/<uuid:request_pk>/answer/", workplace_views.advice_answer, name="advice_answer"),
    path("<uuid:pk>/absence/new/", workplace_views.absence_new, name="absence_new"),
    path("people/<uuid:case_pk>/jobs/<uuid:job_pk>/", workplace_views.job_support, name="job_support"),
    path(
        "people/<uuid:case_pk>/jobs/<uuid:job_pk>/adjustments/new/",
        workplace_views.adjustment_new,
        name="adjustment_new",
    ),
    path(
        "people/<uuid:case_pk>/jobs/<uuid:job_pk>/access-to-work/",
        workplace_views.access_to_work,
        name="access_to_work",
    ),
    path("reminders/", workplace_views.reminders, name="reminders"),
    path("portal/", portal_views.home, name="portal"),
    path("portal/candidates/<uuid:pk>/", portal_views.candidate, name="candidate"),
    path("portal/candidates/<uuid:pk>/status/", portal_views.candidate_status, name="candidate_status"),
    path("invitation/<str:uidb64>/<str:token>/", portal_views.invitation, name="invitation"),
]
