"""A subject access export: everything held about a person, built by walking the registry of
person-linked records (`people.records`), then the records declared as held with those (a case's
contacts, plan and job starts, a referral's history: every field but ids), the person's own details,
and the audit trail of who saw or changed them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone

from joinedup.people.records import HELD, REGISTRY, HeldRecord, PersonRecord

from .erasure import section_title
from .trail import TrailLine, trail_lines

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "email",
    "phone",
    "postcode",
    "nhs_number",
    "national_insurance_number",
    "created_at",
)
_LEFT_OUT = {"id", "updated_at", "archived_at", "created_by"}


@dataclass
class Section:
    key: str
    title: str
    labels: list[str]
    rows: list[list[str]]
    registered: bool = True  # False: held with a registered record (declared with `register_held`)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "rows": [dict(zip(self.labels, r, strict=True)) for r in self.rows],
        }


@dataclass
class SubjectAccess:
    person: dict[str, str]
    generated_at: datetime
    sections: list[Section]
    held_with: list[Section]
    trail: list[TrailLine] = field(default_factory=list)

    def as_json(self) -> str:
        return json.dumps(
            {
                "generated_at": self.generated_at.isoformat(),
                "person": self.person,
                "records": [s.as_json() for s in self.sections],
                "held_with_those_records": [s.as_json() for s in self.held_with],
                "who_saw_or_changed_the_record": [line.as_json() for line in self.trail],
            },
            indent=2,
            ensure_ascii=False,
        )


def _label(f: Any) -> str:
    return str(f.verbose_name)[:1].upper() + str(f.verbose_name)[1:]


def shown(instance: models.Model, name: str) -> str:
    """A field's value in words: a choice's label, a related record's name, a date, a list."""
    f = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "":
        return ""
    if getattr(f, "choices", None):
        return str(getattr(instance, f"get_{name}_display")())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d %b %Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _related(model: type[models.Model], names: tuple[str, ...]) -> list[str]:
    return [n for n in names if model._meta.get_field(n).is_relation]


def _section(record: PersonRecord, person: Any) -> Section:
    rows = list(record.rows(person).select_related(*_related(record.model, record.export)))
    labels = [_label(record.model._meta.get_field(n)) for n in record.export]
    values = [[shown(row, n) for n in record.export] for row in rows]
    return Section(record.key, section_title(record), labels, values)


def _held_section(record: HeldRecord, person: Any) -> Section | None:
    child = record.model
    left_out = {*_LEFT_OUT, record.parent}
    names = [f.name for f in child._meta.concrete_fields if f.name not in left_out and not f.primary_key]
    rows = list(record.rows(person))
    if not rows:
        return None
    labels = [_label(child._meta.get_field(n)) for n in names]
    return Section(record.key, section_title(record), labels, [[shown(r, n) for n in names] for r in rows], False)


def subject_access_build(*, person: Any, own_pages: bool = False) -> SubjectAccess:
    """Everything held about `person` (unscoped: the caller has checked permission and audits the export).
    `own_pages`: the person's own download, without the records staff review first (`on_their_own_pages`)."""
    records = [r for r in REGISTRY.values() if r.on_their_own_pages or not own_pages]
    sections = [_section(record, person) for record in records]
    held_with = [s for s in (_held_section(record, person) for record in HELD.values()) if s is not None]
    details = {_label(person._meta.get_field(n)): shown(person, n) for n in PERSON_FIELDS}
    return SubjectAccess(details, timezone.now(), sections, held_with, trail_lines(person_id=person.pk))
