from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "joinedup.referrals"
    label = "referrals"

    def ready(self) -> None:
        from . import routes, statuses

        statuses.check_registry()
        routes.check_registry()
