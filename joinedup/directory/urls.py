from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("services/<uuid:service_id>/", views.service_detail, name="service"),
    path("manage/", views.manage_list, name="manage"),
    path("manage/new/", views.manage_new, name="manage_new"),
    path("manage/<uuid:service_id>/", views.manage_edit, name="manage_edit"),
    path("manage/<uuid:service_id>/<slug:action>/", views.manage_action, name="manage_action"),
    path("gaps/", views.gaps, name="gaps"),
]
