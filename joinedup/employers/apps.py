from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "joinedup.employers"
    label = "employers"
    verbose_name = "Employers and vacancies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from joinedup.core import events

        from . import person_records, subscribers  # noqa: F401 - registers the person-linked records

        events.subscribe(subscribers.SUBSCRIBERS)
        events.check_registry()
