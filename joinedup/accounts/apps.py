from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "joinedup.accounts"
    label = "accounts"
    verbose_name = "Sign-in and accounts"
