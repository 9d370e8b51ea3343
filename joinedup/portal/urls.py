from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/check-your-email/", views.check_email, name="check_email"),
    path("sign-in/<uuid:pk>/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("plan/", views.plan, name="plan"),
    path("plan/<uuid:pk>/done/", views.action_done, name="action_done"),
    path("plan/<uuid:pk>/note/", views.action_note, name="action_note"),
    path("better-off/", views.better_off, name="better_off"),
    path("consents/", views.consents, name="consents"),
    path("consents/<uuid:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("messages/", views.message, name="messages"),
    path("share/", views.share, name="share"),
    path("share/<uuid:pk>/stop/", views.share_end, name="share_end"),
    path("your-data/", views.download, name="download"),
    path("shared/<str:token>/", views.shared, name="shared"),
]
