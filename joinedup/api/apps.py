from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "joinedup.api"
    label = "api"

    def ready(self) -> None:
        from . import schema  # noqa: F401 - registers the OpenAPI description of bearer tokens
