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

What hangs off those records rather than off the person (a case's contacts, plan and job starts, a
referral's status history) is declared by its owning app too, with `register_held(HeldRecord(...))`:
the key to the record it hangs off (`parent`, registered or itself held) and what erasure does to
it. Subject access exports every held record whole (every field but ids); erasure deletes or
anonymises it before the record it hangs off. A held record that keeps its rows must empty every
`TextField` (free text never survives an erasure). `undeclared_held()` names any model with a key
to a person-linked or held record that nobody declared (a test fails on it).

`PeopleConfig.ready()` finds every app's `person_records` module and runs `check_registry()`,
which fails start-up if an installed model has a key to `Person` that nobody declared, or a
declaration does not make sense. `people.services.person_merge` walks the registry; erasure and
`governance` carries out erasure and subject access through both registries.
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
    # False: staff review it before the person sees it (a subject access request they answer, with
    # any exemption); left out of the download on the person's own pages (decision 022).
    on_their_own_pages: bool = True

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


@dataclass(frozen=True)
class HeldRecord:
    """A record about a person that hangs off another person-linked record, not off the person."""

    model: type[models.Model]
    parent: str  # the (not null) foreign key to the registered or held record it hangs off
    erase: OnErase
    anonymise: tuple[str, ...] = ()  # with OnErase.ANONYMISE: the fields cleared
    erase_reason: str = ""  # with OnErase.KEEP: why

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def parent_model(self) -> type[models.Model]:
        return self.model._meta.get_field(self.parent).related_model  # type: ignore[return-value]

    def lookups(self) -> list[str]:
        """The lookups from this model to a person: one per way its chain reaches the registry."""
        parent = self.parent_model
        direct = [r.field for r in REGISTRY.values() if r.model is parent]
        if direct:
            return [f"{self.parent}__{name}" for name in direct]
        return [f"{self.parent}__{path}" for path in HELD[parent._meta.label_lower].lookups()]

    def rows(self, person: models.Model) -> models.QuerySet:
        """This kind of held record for `person` (unscoped: for services that have checked permission)."""
        condition = models.Q()
        for lookup in self.lookups():
            condition |= models.Q(**{lookup: person})
        return self.model._default_manager.filter(condition).distinct()

    def depth(self) -> int:
        parent = self.parent_model._meta.label_lower
        return 1 + (HELD[parent].depth() if parent in HELD else 0)


HELD: dict[str, HeldRecord] = {}


def register_held(*records: HeldRecord) -> None:
    """Declare an app's records held with person-linked records (from its `person_records` module)."""
    for record in records:
        existing = HELD.get(record.key)
        if existing is not None and existing != record:
            raise RuntimeError(f"Held record {record.key} is declared twice, through different keys")
        HELD[record.key] = record


def held_deepest_first() -> list[HeldRecord]:
    """The held records in the order erasure takes them: what hangs off a record before the record."""
    return sorted(HELD.values(), key=lambda r: -r.depth())


def undeclared_held() -> list[str]:
    """Models with a key to a person-linked or held record that are neither registered nor held."""
    registered = {r.model for r in REGISTRY.values()}
    parents = registered | {r.model for r in HELD.values()}
    held = {r.model for r in HELD.values()}
    return sorted(
        {
            f"{rel.related_model._meta.label}.{rel.field.name}"
            for model in parents
            for rel in model._meta.related_objects
            if (rel.one_to_many or rel.one_to_one)
            and rel.related_model not in registered
            and rel.related_model not in held
        }
    )


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
    try:
        fk = model._meta.get_field(record.field)
    except FieldDoesNotExist:
        return [f"has no field {record.field!r}"]
    problems = _erase_problems(model, record.erase, record.anonymise, record.erase_reason)
    if record.merge is OnMerge.MOVE and (fk.one_to_one or fk.unique or _in_unique_constraint(model, fk.name)):
        problems.append("is moved on merge but is unique per person, so the survivor may already have one")
    if record.merge in (OnMerge.KEEP, OnMerge.REFUSE) and not record.merge_reason.strip():
        problems.append(f"says {record.merge} on merge without saying why")
    if not record.export:
        problems.append("exports no fields for a subject access request")
    for name in record.export:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            problems.append(f"names an unknown field {name!r}")
    if record.field in record.anonymise:
        problems.append("anonymises its own key to the person")
    return problems


def _erase_problems(model: type[models.Model], erase: OnErase, anonymise: tuple[str, ...], reason: str) -> list[str]:
    problems = []
    if erase is OnErase.KEEP and not reason.strip():
        problems.append("is kept on erasure without saying why")
    if (erase is OnErase.ANONYMISE) != bool(anonymise):
        problems.append("names fields to anonymise exactly when erasure anonymises")
    for name in anonymise:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            problems.append(f"names an unknown field {name!r}")
    return problems


def _held_problems(record: HeldRecord) -> list[str]:
    model = record.model
    try:
        fk = model._meta.get_field(record.parent)
    except FieldDoesNotExist:
        return [f"has no field {record.parent!r}"]
    if not (fk.many_to_one or fk.one_to_one):
        return [f"{record.parent!r} is not a foreign key"]
    problems = _erase_problems(model, record.erase, record.anonymise, record.erase_reason)
    parent = record.parent_model
    if parent not in {r.model for r in REGISTRY.values()} and parent._meta.label_lower not in HELD:
        problems.append(f"hangs off {parent._meta.label}, which is neither registered nor held")
    if fk.null:
        problems.append(f"hangs off {record.parent!r}, which may be empty, so some rows would be missed")
    text = [f.name for f in model._meta.concrete_fields if isinstance(f, models.TextField)]
    kept_text = [name for name in text if name not in record.anonymise]
    if record.erase is not OnErase.DELETE and kept_text:
        problems.append(f"keeps free text on erasure: {', '.join(kept_text)}")
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
    for held in HELD.values():
        problems = _held_problems(held)
        if problems:
            raise RuntimeError(f"Held record {held.model._meta.label}.{held.parent} " + "; ".join(problems))
