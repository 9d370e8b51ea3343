from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_new, name="new"),
    path("new/<slug:route>/", views.referral_new_route, name="new_route"),
    path("<uuid:pk>/", views.referral_detail, name="detail"),
    path("<uuid:pk>/sent/", views.referral_sent, name="sent"),
    path("triage/", views.triage_queue, name="triage"),
    path("search/", views.referral_search, name="search"),
    path("triage/<uuid:pk>/", views.triage_referral, name="triage_referral"),
    path("offered/", views.offered_list, name="offered"),
    path("offered/<uuid:pk>/", views.offered_referral, name="offered_referral"),
]
