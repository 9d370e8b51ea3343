"""The real URLs plus the baseline views. Only the benchmark settings mount this."""

from django.urls import path

from bench import baseline_views
from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("_bench/baseline/caseload/", baseline_views.caseload),
    path("_bench/baseline/case/<uuid:pk>/", baseline_views.case_detail),
    path("_bench/baseline/triage/", baseline_views.triage),
    path("_bench/baseline/dashboard/", baseline_views.dashboard),
    path("_bench/baseline/referral/", baseline_views.referral_create),
    *app_urlpatterns,
]
