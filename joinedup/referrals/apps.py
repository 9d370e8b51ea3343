from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "joinedup.referrals"
    label = "referrals"

    def ready(self) -> None:
        from .statuses import check_registry

        check_registry()
