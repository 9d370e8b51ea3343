from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "joinedup.organisations"
    label = "organisations"

    def ready(self) -> None:
        from .permissions import check_registry

        check_registry()
