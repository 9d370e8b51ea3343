from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("enrol/<uuid:referral_pk>/", views.enrol, name="enrol"),
    path("<uuid:pk>/", views.case_detail, name="detail"),
    path("<uuid:pk>/contacts/new/", views.contact_new, name="contact_new"),
    path("<uuid:pk>/job-starts/new/", views.job_start_new, name="job_start_new"),
    path("<uuid:pk>/job-starts/<uuid:job_pk>/sustainment/", views.sustainment_new, name="sustainment_new"),
]
