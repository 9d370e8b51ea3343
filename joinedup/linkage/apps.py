from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "joinedup.linkage"
    label = "linkage"
    verbose_name = "Duplicate people (record linkage)"
    default_auto_field = "django.db.models.BigAutoField"
