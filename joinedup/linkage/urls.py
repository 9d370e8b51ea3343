from django.urls import path

from . import views

app_name = "linkage"

urlpatterns = [
    path("candidates/<int:pk>/merge/", views.merge_candidate, name="merge_candidate"),
    path("merges/", views.merge_list, name="merges"),
    path("merges/<uuid:pk>/", views.merge_detail, name="merge_detail"),
    path("dedupe/", views.dedupe_runs, name="dedupe_runs"),
    path("dedupe/<uuid:pk>/", views.dedupe_run, name="dedupe_run"),
    path("dedupe/pairs/<int:pk>/merge/", views.dedupe_pair_merge, name="dedupe_pair_merge"),
]
