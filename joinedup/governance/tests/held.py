"""One row of every held kind of record (`people.records.HELD`) for a person, every text in it marked.

Built generically from the declarations, so a held kind declared tomorrow gets a row here without
anyone writing a factory for it: the tests that every held kind is exported and erased then cover
it. Where the person already has rows of a kind (made through the services), their text is marked
instead of a row being added.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from joinedup.people.records import HELD, REGISTRY, HeldRecord

MARK = "HELD-TEXT about the person"
# What filling every required field cannot guess: a check constraint's choice between optional fields.
GIVEN: dict[str, dict[str, Any]] = {"cases.sustainment": {"weeks": 26}}


def _is_text(f: models.Field) -> bool:
    return isinstance(f, models.CharField | models.TextField) and not f.choices


def _text(f: models.Field) -> str:
    value = "held@example.com" if isinstance(f, models.EmailField) else MARK
    return value[: f.max_length] if f.max_length else value


_BY_TYPE: list[tuple[type, Any]] = [  # most specific first (a DateTimeField is a DateField)
    (models.JSONField, lambda: {"note": MARK}),
    (models.BooleanField, lambda: False),
    (models.DecimalField, lambda: Decimal(1)),
    (models.IntegerField, lambda: 1),
    (models.DateTimeField, timezone.now),
    (models.DateField, date.today),
    (models.UUIDField, uuid.uuid4),
]


def _value(f: models.Field, made: dict[type, Any]) -> Any:
    if f.is_relation:
        related: Any = f.related_model
        return made.get(related) or related._default_manager.first() or _row(related, {}, made)
    if f.choices:
        return f.choices[0][0]
    if _is_text(f):
        if not f.unique:
            return _text(f)
        suffix = f" {uuid.uuid4().hex[:8]}"  # kept whole, the mark cut to fit (PostgreSQL checks max_length)
        return _text(f)[: f.max_length - len(suffix) if f.max_length else None] + suffix
    for kind, make in _BY_TYPE:
        if isinstance(f, kind):
            return make()
    raise AssertionError(f"held.py cannot fill {f.model._meta.label}.{f.name}: teach it this kind of field")


def _row(model: type[models.Model], given: dict[str, Any], made: dict[type, Any]) -> Any:
    values = dict(given)
    for f in model._meta.concrete_fields:
        if f.name in values or f.primary_key or f.name in {"created_at", "updated_at"}:
            continue
        if f.null and not _is_text(f):
            continue
        values[f.name] = _value(f, made)
    return model._default_manager.create(**values)


def _mark(record: HeldRecord, person: Any) -> Any:
    texts = {f.name: _text(f) for f in record.model._meta.concrete_fields if _is_text(f) and not f.unique}
    rows = record.model._default_manager.filter(pk__in=record.rows(person).values("pk"))
    rows.update(**texts)
    return rows.first()


def held_rows(person: Any, only: str = "") -> None:
    """Give `person` (who has every registered record the held kinds hang off) a row of each held kind
    (or of those whose key starts with `only`)."""
    made: dict[type, Any] = {r.model: r.rows(person).first() for r in REGISTRY.values() if r.rows(person).exists()}
    for record in sorted(HELD.values(), key=lambda r: r.depth()):
        if not record.key.startswith(only):
            continue
        if record.rows(person).exists():
            made[record.model] = _mark(record, person)
            continue
        parent = made.get(record.parent_model)
        assert parent is not None, f"{record.key} hangs off {record.parent_model._meta.label}, which the person lacks"
        made[record.model] = _row(record.model, {**GIVEN.get(record.key, {}), record.parent: parent}, made)
