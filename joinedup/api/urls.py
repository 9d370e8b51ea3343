from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("referrals/", views.ReferralCreateView.as_view(), name="referral_create"),
    path("referrals/<str:reference>/", views.ReferralStatusView.as_view(), name="referral_status"),
]
