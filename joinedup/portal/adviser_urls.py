from django.urls import path

from . import adviser_views

app_name = "portal_adviser"
urlpatterns = [
    path("<uuid:case_pk>/", adviser_views.thread, name="thread"),
]
