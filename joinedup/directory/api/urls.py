from django.urls import path

from . import views

app_name = "openreferral"

urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.openapi, name="openapi"),
    path("services", views.services, name="services"),
    path("services/<uuid:service_id>", views.service, name="service"),
    path("taxonomies", views.taxonomies, name="taxonomies"),
    path("taxonomies/<uuid:taxonomy_id>", views.taxonomy, name="taxonomy"),
    path("taxonomy_terms", views.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<uuid:term_id>", views.taxonomy_term, name="taxonomy_term"),
    path("service_at_locations", views.service_at_locations, name="service_at_locations"),
    path("service_at_locations/<uuid:sal_id>", views.service_at_location, name="service_at_location"),
]
