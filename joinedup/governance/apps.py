from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """Information governance: retention, legal holds, the person's rights, data-sharing agreements."""

    name = "joinedup.governance"
    label = "governance"
    verbose_name = "Information governance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import retention

        retention.check_registry()
