from django.apps import AppConfig


class NeedConfig(AppConfig):
    name = "joinedup.need"
    label = "need"
    verbose_name = "Population need and the business case"
