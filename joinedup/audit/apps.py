from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "joinedup.audit"
    label = "audit"

    def ready(self) -> None:
        from .models import check_registry

        check_registry()
