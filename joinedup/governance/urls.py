from django.urls import path

from . import audit_views, extract_views, views

app_name = "governance"
urlpatterns = [
    path("requests/", views.requests, name="requests"),
    path("requests/<uuid:pk>/", views.request_detail, name="request"),
    path("requests/<uuid:pk>/answer/", views.request_answer, name="request_answer"),
    path("requests/<uuid:pk>/erase/", views.request_erase, name="request_erase"),
    path("requests/<uuid:pk>/export/", views.request_export, {"file_format": "html"}, name="request_export"),
    path("requests/<uuid:pk>/export.json", views.request_export, {"file_format": "json"}, name="request_export_json"),
    path("holds/", views.holds, name="holds"),
    path("holds/<uuid:pk>/lift/", views.hold_lift, name="hold_lift"),
    path("retention/", views.retention_page, name="retention"),
    path("unusual-access/", audit_views.unusual_access, name="unusual_access"),
    path("agreements/", extract_views.agreements, name="agreements"),
    path("agreements/<uuid:pk>/", extract_views.agreement_detail, name="agreement"),
    path("agreements/<uuid:pk>/extract.csv", extract_views.extract, {"file_format": "csv"}, name="extract_csv"),
    path(
        "agreements/<uuid:pk>/extract.parquet",
        extract_views.extract,
        {"file_format": "parquet"},
        name="extract_parquet",
    ),
]
