from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("password/", views.password_change, name="password"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/", views.two_factor_set_up, name="two_factor_set_up"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("manage/", views.manage, name="manage"),
    path("manage/unlock/", views.unlock, name="unlock"),
    path("manage/reset-two-factor/", views.two_factor_reset, name="two_factor_reset"),
]
