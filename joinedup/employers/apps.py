from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "joinedup.employers"
    label = "employers"
    verbose_name = "Employers and vacancies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import person_records  # noqa: F401 - registers the person-linked records
