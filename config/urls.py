from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from joinedup.core import views as core_views
from joinedup.governance.audit_views import trail as audit_trail
from joinedup.insights.views import dashboard_view, timeliness_view
from joinedup.organisations.views import switch_membership
from joinedup.referrals import views as referral_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("sign-in/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("organisation/", switch_membership, name="switch_membership"),
    path("account/", include("joinedup.accounts.urls")),  # issue 17: two-factor, password, unlock
    path("referrals/timeliness/", timeliness_view, name="timeliness"),
    path("referrals/", include("joinedup.referrals.urls")),
    path("refer-yourself/", referral_views.self_referral, name="self_referral"),
    path("refer-yourself/sent/<str:token>/", referral_views.self_referral_sent, name="self_referral_sent"),
    path("cases/", include("joinedup.cases.urls")),
    path("people/", include("joinedup.people.urls")),
    path("dashboard/", dashboard_view, name="dashboard"),
    path("audit/", audit_trail, name="audit_trail"),
    path("governance/", include("joinedup.governance.urls")),
    path("api/v1/", include("joinedup.api.urls")),
    path("fhir/", include("joinedup.fhir.urls")),
    path("openreferral/", include("joinedup.directory.api.urls")),
    path("directory/", include("joinedup.directory.urls")),
    path("linkage/", include("joinedup.linkage.urls")),
    path("background-jobs/", include("joinedup.jobs.urls")),
    path("employers/", include("joinedup.employers.urls")),
    path("jobs/", include("joinedup.employers.public_urls")),
    path("api/v1/employers/", include("joinedup.employers.api_urls")),
    path("programmes/", include("joinedup.programmes.urls")),
    path("you/", include("joinedup.portal.urls")),  # issue 20: the person's own pages (decision 022)
    path("messages-from-people/", include("joinedup.portal.adviser_urls")),
    path("need/", include("joinedup.need.urls")),  # issue 16: population need and the business case
    path("django-admin/", admin.site.urls),
]

handler403 = "joinedup.core.views.forbidden"
handler404 = "joinedup.core.views.not_found"
handler500 = "joinedup.core.views.server_error"
