"""Duplicate flagging on new referrals (through the real referral_create), merges and their reversal."""

from __future__ import annotations

from datetime import date

import pytest

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.cases.models import Case
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.linkage import selectors, services
from joinedup.linkage.models import DuplicateCandidate, DuplicateCheck, PersonMerge
from joinedup.organisations.models import Role
from joinedup.people.models import Consent, Person
from joinedup.referrals.models import Referral
from joinedup.referrals.services import referral_decline

pytestmark = pytest.mark.django_db

KNOWN = {
    "given_name": "William",
    "family_name": "Ashworth",
    "date_of_birth": date(1979, 3, 8),
    "postcode": "NG18 1AB",
    "nhs_number": "9434765919",
}


def known(partnership, **overrides):
    """Someone already known: an open referral from the GP."""
    return partnership.refer(**{**KNOWN, **overrides})


def new(partnership, **overrides):
    """A new referral from the Jobcentre, which has no NHS number unless told."""
    values = {**KNOWN, "nhs_number": "", **overrides}
    return partnership.refer(by=partnership.other_referrer, **values)


def candidates(partnership, referral):
    services.duplicate_check(referral=referral, actor=partnership.programme)
    return selectors.duplicates_for_referral(actor=partnership.programme, referral=referral).candidates


@pytest.mark.parametrize(
    ("label", "changes"),
    [
        ("same details", {}),
        ("nickname and moved house", {"given_name": "Bill", "postcode": "DE7 5QT"}),
        ("typos in both names", {"given_name": "Wiliam", "family_name": "Ashwroth"}),
        ("first and last names swapped", {"given_name": "Ashworth", "family_name": "William"}),
        ("day and month of birth transposed", {"date_of_birth": date(1979, 8, 3)}),
        ("one digit of the birth date wrong", {"date_of_birth": date(1979, 3, 9), "given_name": "Will"}),
        ("accents and punctuation", {"given_name": "Wílliam", "family_name": "Ash-worth"}),
        ("NHS number the same, postcode new", {"nhs_number": "9434765919", "postcode": "S40 1AA"}),
    ],
)
def test_a_new_referral_for_someone_known_is_flagged(partnership, label, changes) -> None:
    first = known(partnership)
    second = new(partnership, **changes)
    found = candidates(partnership, second)
    assert [c.person_id for c in found] == [first.person_id], label
    assert found[0].match_probability >= selectors.LIKELY_THRESHOLD, label
    assert set(found[0].levels) == {"name", "dob", "postcode", "nhs_number", "ni_number"}


def test_the_evidence_is_described_in_plain_english(partnership) -> None:
    known(partnership)
    second = new(partnership, given_name="Ashworth", family_name="William", date_of_birth=date(1979, 8, 3))
    levels = candidates(partnership, second)[0].levels
    assert levels["name"] == "First and last names swapped"
    assert levels["dob"] == "Day and month of birth swapped"
    assert levels["postcode"] == "Same postcode"
    assert levels["nhs_number"] == "NHS number missing on one or both"


def test_national_insurance_number_alone_links_a_moved_person_with_a_new_surname(partnership) -> None:
    first = known(partnership, nhs_number="")
    Person.objects.filter(pk=first.person_id).update(national_insurance_number="JG103759A")
    second = new(partnership, family_name="Brightwater", postcode="LE11 3TU")
    Person.objects.filter(pk=second.person_id).update(national_insurance_number="JG103759A")
    found = candidates(partnership, Referral.objects.get(pk=second.pk))
    assert [c.person_id for c in found] == [first.person_id]
    assert found[0].levels["ni_number"] == "Same National Insurance number"


@pytest.mark.parametrize(
    "changes",
    [
        {"given_name": "Margaret", "date_of_birth": date(1990, 6, 21)},  # same surname and address only
        {"given_name": "Priya", "family_name": "Okonkwo", "postcode": "DE1 1AA"},  # same birthday only
        {"given_name": "Beatrice", "nhs_number": "4010232137"},  # a twin: different NHS number
    ],
)
def test_a_different_person_is_not_flagged_as_likely(partnership, changes) -> None:
    known(partnership)
    second = new(partnership, **changes)
    assert all(c.match_probability < selectors.LIKELY_THRESHOLD for c in candidates(partnership, second))


def test_only_people_with_an_open_referral_or_case_are_known(partnership) -> None:
    declined = known(partnership)
    referral_decline(referral=declined, actor=partnership.programme, reason="Not eligible")
    second = new(partnership)
    assert candidates(partnership, second) == []
    referral_decline(referral=second, actor=partnership.programme, reason="Not eligible")

    enrolled = known(partnership, given_name="Billy")  # enrolled: the referral closes, the case is open
    partnership.assign(enrolled)
    partnership.enrol(Referral.objects.get(pk=enrolled.pk))
    third = new(partnership, given_name="Bill")
    assert [c.person_id for c in candidates(partnership, third)] == [enrolled.person_id]


def test_missing_fields_are_no_evidence_rather_than_disagreement(partnership) -> None:
    known(partnership, nhs_number="")
    second = new(partnership, nhs_number="", postcode="DE1 1AA")
    found = candidates(partnership, second)
    assert len(found) == 1
    assert found[0].levels["nhs_number"] == "NHS number missing on one or both"


def test_the_check_runs_once_and_is_audited_once(partnership) -> None:
    first = known(partnership)
    second = new(partnership)
    for _ in range(3):
        services.duplicate_check(referral=second, actor=partnership.programme)
        selectors.duplicates_for_referral(actor=partnership.programme, referral=second)
    assert DuplicateCheck.objects.filter(referral=second).count() == 1
    matched = AuditEvent.objects.filter(verb=AuditVerb.MATCHED)
    assert matched.count() == 1
    event = matched.get()
    assert event.person_id == second.person_id
    assert event.payload["candidates"] == 1 and event.payload["best"] >= selectors.LIKELY_THRESHOLD
    # Each time a candidate is shown to someone who may merge, that person's record was read.
    viewed = AuditEvent.objects.filter(verb=AuditVerb.VIEWED, person_id=first.person_id)
    assert viewed.count() == 3


def test_the_first_referral_of_someone_new_has_no_candidates(partnership) -> None:
    referral = known(partnership)
    services.duplicate_check(referral=referral, actor=partnership.programme)
    result = selectors.duplicates_for_referral(actor=partnership.programme, referral=referral)
    assert result.count == 0 and result.candidates == []
    assert DuplicateCheck.objects.get(referral=referral).compared == 0


def test_triage_without_merge_permission_sees_only_how_many(partnership) -> None:
    known(partnership)
    second = new(partnership)
    services.duplicate_check(referral=second, actor=partnership.manager_a)
    result = selectors.duplicates_for_referral(actor=partnership.manager_a, referral=second)
    assert result.count == 1 and result.likely == 1
    assert result.may_see is False and result.candidates == []
    assert not AuditEvent.objects.filter(verb=AuditVerb.VIEWED, target_type="linkage.duplicatecandidate").exists()


@pytest.mark.parametrize("role", [Role.REFERRER, Role.PERSONAL_ADVISER, Role.ANALYST, Role.ADMINISTRATOR])
def test_other_roles_cannot_see_duplicates(partnership, role) -> None:
    second = new(partnership)
    with pytest.raises(NotPermitted):
        selectors.duplicates_for_referral(actor=partnership.by_role()[role], referral=second)


# Merging -------------------------------------------------------------------------------------


def _state() -> dict:
    """Everything a merge may touch, to compare before and after."""
    return {
        "referrals": dict(Referral.objects.values_list("pk", "person_id")),
        "cases": dict(Case.objects.values_list("pk", "person_id")),
        "consents": dict(Consent.objects.values_list("pk", "person_id")),
        "people": {
            p["id"]: p
            for p in Person.objects.values(
                "id",
                "given_name",
                "family_name",
                "nhs_number",
                "national_insurance_number",
                "email",
                "phone",
                "postcode",
                "archived_at",
            )
        },
    }


@pytest.fixture
def pair(partnership):
    """A known person (enrolled, no NHS number) and a new referral for them with an NHS number."""
    first = known(partnership, nhs_number="", email="")
    partnership.assign(first)
    case = partnership.enrol(Referral.objects.get(pk=first.pk))
    second = new(partnership, given_name="Bill", nhs_number="9434765919", email="bill@example.org")
    candidate = candidates(partnership, second)[0]
    return first, second, case, candidate


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.PROGRAMME_MANAGER, True),
        (Role.PARTNER_MANAGER, False),
        (Role.PERSONAL_ADVISER, False),
        (Role.REFERRER, False),
        (Role.ANALYST, False),
        (Role.ADMINISTRATOR, False),
    ],
)
def test_merge_permission_matrix(partnership, pair, role, allowed) -> None:
    first, second, _case, _candidate = pair
    actor = partnership.by_role()[role]
    survivor, duplicate = Person.objects.get(pk=first.person_id), Person.objects.get(pk=second.person_id)
    if allowed:
        merge = services.person_merge(actor=actor, survivor=survivor, duplicate=duplicate, reason="Same person")
        assert services.person_merge_reverse(actor=actor, merge=merge, reason="Wrong person").is_reversed
    else:
        with pytest.raises(NotPermitted):
            services.person_merge(actor=actor, survivor=survivor, duplicate=duplicate)
        assert not PersonMerge.objects.exists()
        merge = services.person_merge(
            actor=partnership.programme, survivor=survivor, duplicate=duplicate, reason="Same person"
        )
        with pytest.raises(NotPermitted):
            services.person_merge_reverse(actor=actor, merge=merge, reason="Undo")
        assert not PersonMerge.objects.get().is_reversed


def test_merge_moves_everything_and_reverse_restores_exactly(partnership, pair) -> None:
    first, second, case, candidate = pair
    before = _state()
    survivor, duplicate = Person.objects.get(pk=first.person_id), Person.objects.get(pk=second.person_id)

    merge = services.person_merge(
        actor=partnership.programme,
        survivor=survivor,
        duplicate=duplicate,
        reason="Same date of birth, nickname; confirmed by phone",
        match_probability=candidate.match_probability,
    )
    merged = _state()
    assert merged["referrals"][second.pk] == first.person_id
    assert merged["cases"][case.pk] == first.person_id
    assert all(person == first.person_id for person in merged["consents"].values())
    assert merged["people"][second.person_id]["archived_at"] is not None
    # The survivor gains the NHS number and email it lacked; its own details stay.
    assert merged["people"][first.person_id]["nhs_number"] == "9434765919"
    assert merged["people"][first.person_id]["email"] == "bill@example.org"
    assert merged["people"][first.person_id]["given_name"] == "William"
    assert merge.survivor_before == {"nhs_number": "", "email": ""}
    assert len(merge.moved["referrals"]) == 1 and len(merge.moved["consents"]) == 2
    # The merged-away person is no longer known, so it is not offered as a candidate again.
    assert selectors.known_people().filter(pk=second.person_id).count() == 0

    services.person_merge_reverse(actor=partnership.programme, merge=merge, reason="Twins, not one person")
    after = _state()
    for key in ("referrals", "cases", "consents"):
        assert after[key] == before[key]
    for pk, person in before["people"].items():
        assert after["people"][pk] == person


def test_merge_and_reverse_are_audited(partnership, pair) -> None:
    first, second, _case, _candidate = pair
    merge = services.person_merge(
        actor=partnership.programme,
        survivor=Person.objects.get(pk=first.person_id),
        duplicate=Person.objects.get(pk=second.person_id),
        reason="Same person",
    )
    services.person_merge_reverse(actor=partnership.programme, merge=merge, reason="Not the same person")
    merged = AuditEvent.objects.get(verb=AuditVerb.MERGED)
    assert merged.actor == partnership.programme.user and merged.person_id == first.person_id
    assert merged.payload["duplicate"] == str(second.person_id)
    assert merged.payload["moved"]["referrals"] == [str(second.pk)]
    assert merged.payload["filled"] == ["email", "nhs_number"]
    reversed_ = AuditEvent.objects.get(verb=AuditVerb.MERGE_REVERSED)
    assert reversed_.person_id == second.person_id and reversed_.payload["reason"] == "Not the same person"
    assert reversed_.target_id == merged.target_id == str(merge.pk)


def test_merge_refusals_leave_nothing_behind(partnership, pair) -> None:
    first, second, _case, _candidate = pair
    survivor, duplicate = Person.objects.get(pk=first.person_id), Person.objects.get(pk=second.person_id)
    pm = partnership.programme
    with pytest.raises(DomainError, match="two different people"):
        services.person_merge(actor=pm, survivor=survivor, duplicate=survivor)
    with pytest.raises(DomainError, match="1,000"):
        services.person_merge(actor=pm, survivor=survivor, duplicate=duplicate, reason="x" * 1001)
    Person.objects.filter(pk=survivor.pk).update(nhs_number="4010232137")
    with pytest.raises(DomainError, match="different NHS numbers"):
        services.person_merge(actor=pm, survivor=survivor, duplicate=duplicate)
    assert not PersonMerge.objects.exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.MERGED).exists()
    assert Referral.objects.get(pk=second.pk).person_id == second.person_id


def test_reverse_refusals(partnership, pair) -> None:
    first, second, _case, _candidate = pair
    pm = partnership.programme
    survivor, duplicate = Person.objects.get(pk=first.person_id), Person.objects.get(pk=second.person_id)
    merge = services.person_merge(actor=pm, survivor=survivor, duplicate=duplicate)
    with pytest.raises(DomainError, match="already been merged"):
        services.person_merge(actor=pm, survivor=survivor, duplicate=duplicate)
    with pytest.raises(DomainError, match="Enter why"):
        services.person_merge_reverse(actor=pm, merge=merge, reason="   ")
    # The NHS number the merge filled in has been corrected since: undoing would lose that.
    Person.objects.filter(pk=survivor.pk).update(nhs_number="4010232137")
    with pytest.raises(DomainError, match="NHS number has been changed"):
        services.person_merge_reverse(actor=pm, merge=merge, reason="Undo")
    Person.objects.filter(pk=survivor.pk).update(nhs_number="9434765919")
    services.person_merge_reverse(actor=pm, merge=merge, reason="Undo")
    with pytest.raises(DomainError, match="already been reversed"):
        services.person_merge_reverse(actor=pm, merge=merge, reason="Undo again")
    assert AuditEvent.objects.filter(verb=AuditVerb.MERGE_REVERSED).count() == 1


def test_reverse_refused_when_a_moved_referral_has_moved_again(partnership, pair) -> None:
    first, second, _case, _candidate = pair
    pm = partnership.programme
    merge = services.person_merge(
        actor=pm, survivor=Person.objects.get(pk=first.person_id), duplicate=Person.objects.get(pk=second.person_id)
    )
    elsewhere = known(partnership, given_name="Zed", family_name="Other", date_of_birth=date(1960, 1, 1))
    Referral.objects.filter(pk=second.pk).update(person_id=elsewhere.person_id)
    with pytest.raises(DomainError, match="moved again"):
        services.person_merge_reverse(actor=pm, merge=merge, reason="Undo")


def test_candidates_after_a_merge(partnership, pair) -> None:
    first, second, _case, candidate = pair
    services.person_merge(
        actor=partnership.programme,
        survivor=Person.objects.get(pk=first.person_id),
        duplicate=Person.objects.get(pk=second.person_id),
    )
    result = selectors.duplicates_for_referral(actor=partnership.programme, referral=Referral.objects.get(pk=second.pk))
    assert result.count == 0  # the candidate is now this referral's own person
    assert [m.survivor_id for m in result.merges] == [first.person_id]
    assert DuplicateCandidate.objects.filter(pk=candidate.pk).exists()


def test_the_check_command_checks_each_received_referral_once(partnership) -> None:
    from io import StringIO

    from django.core.management import call_command

    first = known(partnership)
    second = new(partnership, given_name="Bill")
    out = StringIO()
    call_command("linkage_check", stdout=out)
    # Both are open referrals, so each is a possible duplicate of the other.
    assert "Checked 2 referral(s); 2 with possible duplicates" in out.getvalue()
    assert [c.person_id for c in DuplicateCheck.objects.get(referral=second).candidates.all()] == [first.person_id]
    event = AuditEvent.objects.get(verb=AuditVerb.MATCHED, person_id=second.person_id)
    assert event.actor is None and event.channel == "command"
    call_command("linkage_check", stdout=(again := StringIO()))
    assert "Checked 0 referral(s)" in again.getvalue()
    assert AuditEvent.objects.filter(verb=AuditVerb.MATCHED).count() == 2


def test_two_people_with_the_same_surname_are_not_said_to_have_similar_surnames(partnership) -> None:
    known(partnership)
    second = new(partnership, given_name="Wendy")  # same surname, birthday and address: a sister?
    found = candidates(partnership, second)
    assert found[0].levels["name"] == "Same surname, different first name with the same initial"
