from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "joinedup.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        from joinedup.core import events

        from . import models, subscribers

        events.subscribe(subscribers.SUBSCRIBERS)
        events.check_registry()
        models.check_registry()
