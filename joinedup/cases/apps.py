from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "joinedup.cases"
    label = "cases"
