from django.urls import path

from . import api

app_name = "employers_api"
urlpatterns = [
    path("", api.EmployerListView.as_view(), name="employers"),
    path("vacancies/", api.VacancyListView.as_view(), name="vacancies"),
    path("vacancies/<uuid:pk>/", api.VacancyDetailView.as_view(), name="vacancy"),
    path("<uuid:pk>/", api.EmployerDetailView.as_view(), name="employer"),
    path("<uuid:pk>/vacancies/", api.EmployerVacancyCreateView.as_view(), name="vacancy_create"),
]
