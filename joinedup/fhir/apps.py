from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "joinedup.fhir"
    label = "fhir"
    verbose_name = "FHIR R4 interface"

    def ready(self) -> None:
        from . import task_status

        task_status.check_table()  # a referral status without a Task status fails start-up
