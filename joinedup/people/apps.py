from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "joinedup.people"
    label = "people"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import records

        autodiscover_modules("person_records")  # each app declares its own person-linked records
        records.check_registry()
