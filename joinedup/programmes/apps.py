from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "joinedup.programmes"
    label = "programmes"
    verbose_name = "Programmes, ESF returns and claims"

    def ready(self) -> None:
        from joinedup.core import events

        from . import subscribers

        events.subscribe(subscribers.SUBSCRIBERS)
        events.check_registry()
