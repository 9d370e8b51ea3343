"""The registry of person-linked records: complete, checked at start-up, and walked by a merge."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from joinedup.core.errors import DomainError
from joinedup.people import records
from joinedup.people.models import Person
from joinedup.people.records import OnErase, OnMerge
from joinedup.people.services import person_merge, person_merge_reverse, person_update
from joinedup.referrals.models import Referral


def _keys_to_person() -> set[str]:
    """Every installed model's foreign key or one-to-one to Person, found afresh (not by the registry)."""
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.get_fields()
        if field.concrete
        and field.model is model  # declared on the model whose table holds it (not a proxy's or child's)
        and (field.many_to_one or field.one_to_one)
        and field.related_model is Person
    }


def test_every_key_to_a_person_is_declared_once() -> None:
    declared = [r.label for r in records.REGISTRY.values()]
    assert sorted(declared) == sorted(_keys_to_person())
    assert len(declared) == len(set(declared))
    # The ones known when the registry was made, so that losing one is noticed too.
    assert {
        "cases.Case.person",
        "linkage.DuplicateCandidate.person",
        "linkage.DuplicateCheck.person",
        "linkage.PersonMerge.duplicate",
        "linkage.PersonMerge.survivor",
        "people.Consent.person",
        "referrals.Referral.person",
    } <= set(declared)


def test_the_registry_passes_its_start_up_check() -> None:
    records.check_registry()


def test_an_undeclared_key_to_a_person_fails_the_start_up_check(monkeypatch) -> None:
    monkeypatch.delitem(records.REGISTRY, "cases")
    with pytest.raises(RuntimeError, match=r"person_records\.py: cases\.Case\.person"):
        records.check_registry()


def test_a_declaration_of_a_key_that_is_not_there_fails(monkeypatch) -> None:
    bogus = dataclasses.replace(records.REGISTRY["referrals"], field="referring_organisation", key="bogus")
    monkeypatch.setitem(records.REGISTRY, "bogus", bogus)
    with pytest.raises(RuntimeError, match="no key to Person: referrals.Referral.referring_organisation"):
        records.check_registry()


def test_one_key_declared_under_two_names_fails(monkeypatch) -> None:
    monkeypatch.setitem(records.REGISTRY, "consents_again", dataclasses.replace(records.REGISTRY["consents"]))
    with pytest.raises(RuntimeError, match="declared twice: people.Consent.person"):
        records.check_registry()


def test_register_refuses_a_second_record_under_a_key() -> None:
    with pytest.raises(RuntimeError, match="both 'consents'"):
        records.register(dataclasses.replace(records.REGISTRY["referrals"], key="consents"))
    records.register(records.REGISTRY["consents"])  # the same declaration again (a re-import) is fine


@pytest.mark.parametrize(
    ("key", "changes", "problem"),
    [
        ("duplicate_candidates", {"merge": OnMerge.MOVE, "merge_reason": ""}, "unique per person"),
        ("duplicate_checks", {"merge_reason": ""}, "keep on merge without saying why"),
        ("consents", {"merge": OnMerge.REFUSE}, "refuse on merge without saying why"),
        ("consents", {"erase_reason": " "}, "kept on erasure without saying why"),
        ("referrals", {"anonymise": ()}, "fields to anonymise exactly when"),
        ("consents", {"anonymise": ("given",)}, "fields to anonymise exactly when"),
        ("referrals", {"anonymise": ("person",)}, "anonymises its own key"),
        ("cases", {"export": ()}, "exports no fields"),
        ("cases", {"export": ("stage", "no_such_field")}, "unknown field 'no_such_field'"),
        ("referrals", {"anonymise": ("help_wanted", "notes")}, "unknown field 'notes'"),
    ],
)
def test_a_declaration_that_makes_no_sense_fails(monkeypatch, key, changes, problem) -> None:
    monkeypatch.setitem(records.REGISTRY, key, dataclasses.replace(records.REGISTRY[key], **changes))
    with pytest.raises(RuntimeError, match=problem):
        records.check_registry()


def test_every_declaration_says_how_it_is_merged_erased_and_exported() -> None:
    for record in records.REGISTRY.values():
        assert record.merge in OnMerge and record.erase in OnErase and record.export, record.label


# --- Merging through the registry ------------------------------------------------------------------


@pytest.fixture
def two_records(partnership):
    """One person twice: the duplicate has a referral, consents and a case (one of each kind that moves)."""
    first = partnership.refer(given_name="William", family_name="Ashworth", nhs_number="", email="")
    second = partnership.refer(
        by=partnership.other_referrer,
        given_name="Bill",
        family_name="Ashworth",
        nhs_number="9434765919",
        email="bill@example.org",
    )
    partnership.assign(second)
    case = partnership.enrol(Referral.objects.get(pk=second.pk))
    from joinedup.employers.placement import put_forward
    from joinedup.linkage.services import duplicate_check
    from joinedup.testkit.employers import employer, vacancy

    job = vacancy(partnership.adviser_a, employer(partnership.adviser_a))
    expires = timezone.localdate() + timedelta(days=30)
    put_forward(actor=partnership.adviser_a, case=case, vacancy=job, consent_given=True, expires_on=expires)

    duplicate_check(referral=second, actor=partnership.programme)  # a linkage record kept with the duplicate
    from joinedup.governance import services as governance

    # The duplicate's request about their record and a legal hold on it (both move with a merge).
    governance.rights_request_record(
        actor=partnership.admin, reference=second.reference, kind="access", received_on=timezone.localdate()
    )
    governance.legal_hold_place(actor=partnership.admin, reference=second.reference, reason="Complaint open")
    # The person's own message to their adviser and a shared link to their plan (both move).
    from django.apps import apps

    apps.get_model("portal", "Message").objects.create(
        person_id=second.person_id, case=case, from_person=True, text="Can we talk on Friday?"
    )
    apps.get_model("portal", "PlanShare").objects.create(
        person_id=second.person_id,
        case=case,
        shared_with="My GP",
        token_digest="0" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )
    return Person.objects.get(pk=first.person_id), Person.objects.get(pk=second.person_id)


def _owners() -> dict[str, dict[str, object]]:
    """For each declared kind of record, each row's person, by the row's id as a merge records it."""
    return {
        r.key: {str(pk): owner for pk, owner in r.model._default_manager.values_list("pk", f"{r.field}_id")}
        for r in records.REGISTRY.values()
    }


@pytest.mark.django_db
def test_a_merge_moves_every_kind_of_record_declared_to_move_and_its_reversal_moves_them_back(two_records) -> None:
    survivor, duplicate = two_records
    before = _owners()
    movable = records.moved_on_merge()
    assert {r.key for r in movable} == {
        "referrals",
        "cases",
        "consents",
        "rights_requests",
        "legal_holds",
        "employer_consents",
        "portal_messages",
        "portal_plan_shares",
    }
    for record in movable:  # a kind declared to move must be given a row here, or this test proves nothing
        assert duplicate.pk in before[record.key].values(), f"the duplicate has no {record.key} to move"
    assert duplicate.pk in before["duplicate_checks"].values()  # and one that stays with the duplicate

    with transaction.atomic():
        merged = person_merge(survivor=survivor, duplicate=duplicate)
    after = _owners()
    for record in records.REGISTRY.values():
        was_duplicates = sorted(pk for pk, owner in before[record.key].items() if owner == duplicate.pk)
        if record.merge is OnMerge.MOVE:
            assert sorted(merged.moved[record.key]) == was_duplicates, record.key
            assert duplicate.pk not in after[record.key].values(), record.key
            assert all(after[record.key][pk] == survivor.pk for pk in merged.moved[record.key])
        else:
            assert record.key not in merged.moved
            assert after[record.key] == before[record.key], record.key
    assert set(merged.moved) == {r.key for r in movable}
    assert merged.survivor_before == {"nhs_number": "", "email": ""}
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert (survivor.nhs_number, survivor.email) == ("9434765919", "bill@example.org")
    assert duplicate.archived_at is not None

    with transaction.atomic():
        person_merge_reverse(
            survivor_id=survivor.pk,
            duplicate_id=duplicate.pk,
            moved=merged.moved,
            survivor_before=merged.survivor_before,
        )
    assert _owners() == before
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert (survivor.nhs_number, survivor.email, duplicate.archived_at) == ("", "", None)


@pytest.mark.django_db
def test_a_kind_of_record_declared_to_refuse_a_merge_refuses_it(monkeypatch, two_records) -> None:
    survivor, duplicate = two_records
    refusing = dataclasses.replace(
        records.REGISTRY["cases"], merge=OnMerge.REFUSE, merge_reason="a case cannot change hands."
    )
    monkeypatch.setitem(records.REGISTRY, "cases", refusing)
    with pytest.raises(DomainError, match="cannot be merged: a case cannot change hands"), transaction.atomic():
        person_merge(survivor=survivor, duplicate=duplicate)
    assert Referral.objects.filter(person=duplicate).exists()
    assert Person.objects.get(pk=duplicate.pk).archived_at is None
    # The other way round the duplicate has no case, so nothing refuses.
    with transaction.atomic():
        assert person_merge(survivor=duplicate, duplicate=survivor).moved["referrals"]


@pytest.mark.django_db
def test_a_reversal_refuses_records_merges_no_longer_move(two_records) -> None:
    survivor, duplicate = two_records
    with transaction.atomic():
        merged = person_merge(survivor=survivor, duplicate=duplicate)
    moved = {**merged.moved, "outcomes": ["1"]}
    with pytest.raises(DomainError, match="no longer move"), transaction.atomic():
        person_merge_reverse(
            survivor_id=survivor.pk, duplicate_id=duplicate.pk, moved=moved, survivor_before=merged.survivor_before
        )


@pytest.mark.django_db
def test_person_update_saves_only_what_it_is_given(partnership) -> None:
    person = Person.objects.get(pk=partnership.refer().person_id)
    person_update(person=person, changes={"phone": "07700 900123", "date_of_birth": date(1980, 1, 2)})
    person.refresh_from_db()
    assert (person.phone, person.date_of_birth) == ("07700 900123", date(1980, 1, 2))
    with pytest.raises(ValueError, match="created_by, id"):
        person_update(person=person, changes={"id": person.pk, "created_by": None})
    assert person_update(person=person, changes={}) is person
