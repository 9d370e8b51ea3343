from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("consent/<uuid:case_pk>/", views.consent, name="consent"),
    path("consent/<uuid:case_pk>/<uuid:consent_pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
