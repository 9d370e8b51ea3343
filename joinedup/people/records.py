"""The declared registry of person-linked records: every model with a foreign key to `Person`.

A person's details live on `Person`; everything else about them hangs off it by a foreign key
owned by another app (a referral, a case, a consent, a duplicate check). Each owning app declares
its own in a `person_records.py` module, with `register(PersonRecord(...))`:

- `merge`: what a merge of a duplicate into a survivor does with the duplicate's rows. `MOVE`
  re-points the key at the survivor (and `PersonMerge.moved[key]` keeps the ids, so a reversal
  moves exactly those back); `KEEP` leaves them with the merged-away record; `REFUSE` refuses the
  merge while the duplicate has any. KEEP and REFUSE say why.
- `erase`: what erasing the person does with the rows: `DELETE` them, `ANONYMISE` the listed
  fields, or `KEEP` them, saying why.
- `export`: the fields a subject access request shows the person.

`PeopleConfig.ready()` finds every app's `person_records` module and runs `check_registry()`,
which fails start-up if an installed model has a key to `Person` that nobody declared, or a
declaration does not make sense. `people.services.person_merge` walks the registry; erasure and
subject access export are declared here for the work that will implement them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models


class OnMerge(StrEnum):
    MOVE = "move"  # re-pointed at the survivor, the ids kept on the PersonMerge so a reversal moves them back
    KEEP = "keep"  # left with the merged-away (archived) record
    REFUSE = "refuse"  # the merge is refused while the duplicate has any


class OnErase(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"  # the `anonymise` fields are cleared; the row stays, for the counts
    KEEP = "keep"  # kept as it is


@dataclass(frozen=True)
class PersonRecord:
    model: type[models.Model]
    field: str  # the foreign key (or one-to-one) to Person
    key: str  # a stable name: the key in PersonMerge.moved, and the section of an export
    merge: OnMerge
    erase: OnErase
    export: tuple[str, ...]  # the fields a subject access request shows the person
    anonymise: tuple[str, ...] = ()  # with OnErase.ANONYMISE: the fields cleared
    merge_reason: str = ""  # with OnMerge.KEEP or REFUSE: why (REFUSE shows it to whoever merges)
    erase_reason: str = ""  # with OnErase.KEEP: why

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"

    def rows(self, person) -> models.QuerySet:
        """This kind of record for `person` (unscoped: for services that have checked permission)."""
        return self.model._default_manager.filter(**{self.field: person})


REGISTRY: dict[str, PersonRecord] = {}


def register(*records: PersonRecord) -> None:
    """Declare an app's person-linked records (from its `person_records` module)."""
    for record in records:
        existing = REGISTRY.get(record.key)
        if existing is not None and existing != record:
            raise RuntimeError(f"Person-linked records {existing.label} and {record.label} are both {record.key!r}")
        REGISTRY[record.key] = record


def moved_on_merge() -> list[PersonRecord]:
    return [r for r in REGISTRY.values() if r.merge is OnMerge.MOVE]


def refusing_merge() -> list[PersonRecord]:
    return [r for r in REGISTRY.values() if r.merge is OnMerge.REFUSE]


def person_links() -> set[str]:
    """Every installed model's foreign key or one-to-one to Person, as "app.Model.field".

    Only the model whose table holds the column: a proxy or a multi-table child names its parent's.
    Many-to-many through tables Django makes count too, so a many-to-many to Person needs declaring.
    """
    person = apps.get_model("people", "Person")
    return {
        f"{model._meta.label}.{f.name}"
        for model in apps.get_models(include_auto_created=True)
        for f in model._meta.local_fields
        if (f.many_to_one or f.one_to_one) and f.related_model is person
    }


def _in_unique_constraint(model: type[models.Model], name: str) -> bool:
    together = [set(fields) for fields in model._meta.unique_together]
    constraints = [set(c.fields) for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]
    return any(name in fields for fields in together + constraints)


def _problems(record: PersonRecord) -> list[str]:
    model = record.model
    problems = []
    try:
        fk = model._meta.get_field(record.field)
    except FieldDoesNotExist:
        return [f"has no field {record.field!r}"]
    if record.merge is OnMerge.MOVE and (fk.one_to_one or fk.unique or _in_unique_constraint(model, fk.name)):
        problems.append("is moved on merge but is unique per person, so the survivor may already have one")
    if record.merge in (OnMerge.KEEP, OnMerge.REFUSE) and not record.merge_reason.strip():
        problems.append(f"says {record.merge} on merge without saying why")
    if record.erase is OnErase.KEEP and not record.erase_reason.strip():
        problems.append("is kept on erasure without saying why")
    if (record.erase is OnErase.ANONYMISE) != bool(record.anonymise):
        problems.append("names fields to anonymise exactly when erasure anonymises")
    if not record.export:
        problems.append("exports no fields for a subject access request")
    for name in (*record.export, *record.anonymise):
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            problems.append(f"names an unknown field {name!r}")
    if record.field in record.anonymise:
        problems.append("anonymises its own key to the person")
    return problems


def check_registry() -> None:
    """Start-up check: every key to Person is declared once, and every declaration makes sense."""
    links = person_links()
    declared = [r.label for r in REGISTRY.values()]
    missing = links - set(declared)
    if missing:
        raise RuntimeError(
            f"Declare these person-linked records in their app's person_records.py: {', '.join(sorted(missing))}"
        )
    unknown = set(declared) - links
    if unknown:
        raise RuntimeError(f"Declared person-linked records with no key to Person: {', '.join(sorted(unknown))}")
    twice = {label for label in declared if declared.count(label) > 1}
    if twice:
        raise RuntimeError(f"Person-linked records declared twice: {', '.join(sorted(twice))}")
    for record in REGISTRY.values():
        problems = _problems(record)
        if problems:
            raise RuntimeError(f"Person-linked record {record.label} ({record.key}) " + "; ".join(problems))
