from django.urls import path

from . import public_views

app_name = "vacancies"
urlpatterns = [
    path("", public_views.jobs, name="list"),
    path("feed.json", public_views.jobs_feed, name="feed"),
    path("<uuid:pk>/", public_views.job, name="detail"),
]
