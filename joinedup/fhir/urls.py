from django.urls import path

from . import views

app_name = "fhir"
urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("Bundle", views.bundle, name="bundle"),
    path("ServiceRequest/<str:pk>", views.service_request, name="service_request"),
    path("Task/<str:pk>", views.task, name="task"),
]
