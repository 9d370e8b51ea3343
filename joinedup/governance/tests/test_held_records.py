"""Records held with a person's records (a case's contacts, plan, job starts; a referral's history):
every one is declared, exported in a subject access export and dealt with by an erasure."""

from __future__ import annotations

import json

import pytest
from django.db import models

from joinedup.governance.erasure import person_erase
from joinedup.governance.models import Erasure, ErasureTrigger
from joinedup.governance.subject_access import subject_access_build
from joinedup.people.models import Person
from joinedup.people.records import HELD, OnErase, undeclared_held

from .held import MARK, held_rows


def test_every_record_held_with_a_person_linked_record_is_declared():
    # A model with a key to a case, a referral or anything else about a person must say what an
    # erasure does to it (in its app's person_records.py, with register_held), or this fails.
    assert undeclared_held() == []


@pytest.fixture
def ann(world) -> Person:
    held_rows(world.ann)
    return world.ann


def test_every_held_kind_is_exported(ann):
    export = subject_access_build(person=ann)
    sections = {s.key: s for s in export.held_with}
    as_json = {s["key"]: s for s in json.loads(export.as_json())["held_with_those_records"]}
    for key, record in HELD.items():
        expected = record.rows(ann).count()
        assert expected >= 1, f"the person has no {key}"
        assert len(sections[key].rows) == expected, key
        assert len(as_json[key]["rows"]) == expected, key
    contacts = sections["cases.contact"]
    assert any(MARK in value for row in contacts.rows for value in row)


def _text_values(record, person) -> list[str]:
    names = [f.name for f in record.model._meta.concrete_fields if isinstance(f, models.TextField)]
    return [str(v) for row in record.rows(person).values(*names) for v in row.values()] if names else []


def test_erasure_reaches_every_held_kind(ann):
    before = {key: record.rows(ann).count() for key, record in HELD.items()}
    for key, record in HELD.items():
        if record.erase is OnErase.ANONYMISE:
            values = record.rows(ann).values_list(*record.anonymise)
            assert any(any(v not in ("", None, {}, []) for v in row) for row in values), f"{key} has nothing to erase"
    person_erase(person=ann, trigger=ErasureTrigger.REQUEST)
    done = Erasure.objects.get(person=ann).done
    for key, record in HELD.items():
        assert done[key]["action"] == str(record.erase), key
        rows = record.rows(ann)
        if record.erase is OnErase.DELETE:
            assert rows.count() == 0, key
            continue
        assert rows.count() == before[key], key
        for row in rows.values(*record.anonymise) if record.anonymise else []:
            assert all(v in ("", None, {}, []) for v in row.values()), (key, row)
        assert not any(MARK in text for text in _text_values(record, ann)), f"{key} kept free text"
