"""Erasure through the registry of person-linked records (`people.records`).

Each registered kind of record, and each kind held with those (a case's contacts, plan and job starts,
deepest first), is deleted, anonymised (the declared fields emptied) or kept (with its declared
reason), then the person's own details are replaced: names and contact details and
identifiers emptied, the date of birth kept to the year and the postcode to its district, so the
programme's counts by age and area still add up and name no one. The `Erasure` row records what was
done. A legal hold stops it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from joinedup.core.errors import DomainError
from joinedup.people.records import HELD, REGISTRY, HeldRecord, OnErase, PersonRecord, held_deepest_first
from joinedup.people.services import person_update

from .models import Erasure, ErasureTrigger, LegalHold, RightsRequest
from .pseudonymise import postcode_district

ERASED_NAME = "Erased"


Declared = PersonRecord | HeldRecord


@dataclass(frozen=True)
class ErasureStep:
    record: Declared
    rows: int

    @property
    def title(self) -> str:
        return section_title(self.record)

    @property
    def action(self) -> str:
        return {
            OnErase.DELETE: "Deleted",
            OnErase.ANONYMISE: "Kept without: "
            + ", ".join(_label(self.record.model, f) for f in self.record.anonymise),
            OnErase.KEEP: "Kept as it is",
        }[self.record.erase]

    @property
    def reason(self) -> str:
        return self.record.erase_reason


def section_title(record: Declared) -> str:
    """The kind of record in plain words: "Referrals", "Merges as survivor", "Contacts"."""
    if isinstance(record, HeldRecord):
        return str(record.model._meta.verbose_name_plural).capitalize()
    return record.key.replace("_", " ").capitalize()


def declared_in_erasure_order() -> list[Declared]:
    """Every declared kind of record, what hangs off a record before the record it hangs off."""
    return [*held_deepest_first(), *REGISTRY.values()]


def _label(model: type[models.Model], name: str) -> str:
    field: Any = model._meta.get_field(name)
    return str(field.verbose_name)


def active_hold(person_id: Any) -> LegalHold | None:
    return LegalHold.objects.filter(person_id=person_id, lifted_at__isnull=True).first()


def held_person_ids() -> set:
    return set(LegalHold.objects.filter(lifted_at__isnull=True).values_list("person_id", flat=True))


def is_erased(person_id: Any) -> bool:
    return Erasure.objects.filter(person_id=person_id).exists()


def erasure_plan(person: Any) -> list[ErasureStep]:
    """What erasing `person` would do to each registered kind of record, and to each held kind they have."""
    registered = [ErasureStep(record, record.rows(person).count()) for record in REGISTRY.values()]
    held = [ErasureStep(record, record.rows(person).count()) for record in HELD.values()]
    return registered + [step for step in held if step.rows]


def _empty(model: type[models.Model], name: str) -> Any:
    field = model._meta.get_field(name)
    if field.null:
        return None
    if isinstance(field, models.JSONField):
        return field.get_default()
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise RuntimeError(f"{model._meta.label}.{name} cannot be anonymised: it is neither text nor nullable")


def _erase_record(record: Declared, person: Any) -> dict[str, Any]:
    manager = record.model._default_manager
    rows = manager.filter(pk__in=list(record.rows(person).values_list("pk", flat=True)))
    if record.erase is OnErase.DELETE:
        count = rows.count()
        rows.delete()
    elif record.erase is OnErase.ANONYMISE:
        count = rows.update(**{name: _empty(record.model, name) for name in record.anonymise})
    else:
        count = rows.count()
    return {"action": str(record.erase), "rows": count}


def _person_details_removed(person: Any) -> dict[str, Any]:
    born: date = person.date_of_birth
    return {
        "given_name": ERASED_NAME,
        "family_name": "",
        "email": "",
        "phone": "",
        "nhs_number": "",
        "national_insurance_number": "",
        "date_of_birth": born.replace(month=1, day=1),
        "postcode": postcode_district(person.postcode),
        "archived_at": timezone.now(),
    }


def person_erase(
    *, person: Any, trigger: ErasureTrigger, request: RightsRequest | None = None, rule: str = ""
) -> Erasure:
    """Erase `person` through the registry (a step in the calling service's transaction, which checks
    permission and writes the audit event). Refused under a legal hold or when already erased."""
    with transaction.atomic():
        if active_hold(person.pk) is not None:
            raise DomainError("This person's record is under a legal hold: lift the hold before erasing it.")
        if is_erased(person.pk):
            raise DomainError("This person's record has already been erased.")
        done = {record.key: _erase_record(record, person) for record in declared_in_erasure_order()}
        person_update(person=person, changes=_person_details_removed(person))
        return Erasure.objects.create(person=person, trigger=trigger, request=request, rule=rule, done=done)
