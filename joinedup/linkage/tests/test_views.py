"""The duplicates block on the triage page, the merge page and the merge record (reverse)."""

from __future__ import annotations

import html
from datetime import date

import pytest

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.linkage.models import DuplicateCandidate, PersonMerge
from joinedup.organisations.models import Role
from joinedup.people.models import Person
from joinedup.referrals.models import Referral

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
KNOWN = {"given_name": "Margaret", "family_name": "Oyelaran", "date_of_birth": date(1966, 11, 2), "postcode": "NG5 1AA"}


def triage(client, referral):
    """The triage page, once the worker has run the referral's duplicate check (queued as it arrived;
    under the test settings' immediate queue it would run as the transaction commits, which a test
    in a transaction never does, so it is run here as the worker would)."""
    from joinedup.jobs.models import Job
    from joinedup.jobs.services import job_run

    for job in Job.objects.filter(key=f"duplicate-check:{referral.pk}"):
        assert job_run(job_id=str(job.pk), worker_id="test") in ("done", "not run: done")
    return client.get(f"/referrals/triage/{referral.pk}/")


@pytest.fixture
def pair(partnership):
    first = partnership.refer(**KNOWN)
    second = partnership.refer(by=partnership.other_referrer, **{**KNOWN, "given_name": "Peggy", "nhs_number": ""})
    return first, second


def test_programme_manager_sees_who_and_why(client, partnership, pair) -> None:
    first, second = pair
    client.force_login(partnership.programme.user)
    body = triage(client, second).content.decode()
    assert "Is this person already known?" in body
    assert "Margaret Oyelaran" in body and "Likely" in body
    assert "Nickname, same surname" in body
    candidate = DuplicateCandidate.objects.get(person_id=first.person_id)
    assert f"/linkage/candidates/{candidate.pk}/merge/" in body


def test_partner_manager_is_told_only_that_someone_matches(client, partnership, pair) -> None:
    first, second = pair
    client.force_login(partnership.manager_a.user)
    body = triage(client, second).content.decode()
    assert "One person already known to the partnership may be this person (one likely)" in body
    # Nothing that names the known person: not their name (an adviser in the fixture may be a
    # Margaret too, as Faker names staff), their referral or their record.
    assert "Margaret Oyelaran" not in body and first.reference not in body
    assert str(first.person_id) not in body and "/linkage/candidates/" not in body


def test_no_match_says_so(client, partnership) -> None:
    referral = partnership.refer(**KNOWN)
    client.force_login(partnership.programme.user)
    body = triage(client, referral).content.decode()
    assert "No one with an open referral or case in the partnership looks like this person" in body


def test_merge_journey_and_reverse(client, partnership, pair) -> None:
    first, second = pair
    client.force_login(partnership.programme.user)
    triage(client, second)
    candidate = DuplicateCandidate.objects.get(person_id=first.person_id)
    url = f"/linkage/candidates/{candidate.pk}/merge/"

    page = client.get(url)
    assert page.status_code == 200
    assert "Is this the same person?" in page.content.decode()
    assert AuditEvent.objects.filter(verb=AuditVerb.VIEWED, person_id=second.person_id).exists()

    refused = client.post(url, {"reason": "Same"})
    assert refused.status_code == 400
    assert "Confirm that you have checked these records are the same person" in refused.content.decode()
    assert not PersonMerge.objects.exists()

    merged = client.post(url, {"confirmed": "on", "reason": f"Phoned the GP {SCRIPT}"})
    merge = PersonMerge.objects.get()
    assert merged.status_code == 302 and merged["Location"] == f"/linkage/merges/{merge.pk}/"
    assert Referral.objects.get(pk=second.pk).person_id == first.person_id
    detail = client.get(merged["Location"]).content.decode()
    assert SCRIPT not in detail and html.escape(SCRIPT) in detail
    assert "Reverse the merge" in detail
    assert "/linkage/merges/" in client.get("/linkage/merges/").content.decode()

    again = client.post(url, {"confirmed": "on"})  # a double-submitted merge
    assert again.status_code == 400 and PersonMerge.objects.count() == 1

    blank = client.post(merged["Location"], {"reason": ""})
    assert blank.status_code == 400 and "Enter why you are reversing the merge" in blank.content.decode()
    reversed_ = client.post(merged["Location"], {"reason": "They are sisters"})
    assert reversed_.status_code == 302
    assert Referral.objects.get(pk=second.pk).person_id == second.person_id
    assert Person.objects.get(pk=second.person_id).archived_at is None
    assert "Reversed" in client.get(merged["Location"]).content.decode()


@pytest.mark.parametrize("role", [Role.PARTNER_MANAGER, Role.PERSONAL_ADVISER, Role.REFERRER, Role.ADMINISTRATOR])
def test_merge_pages_are_forbidden_without_the_permission(client, partnership, pair, role) -> None:
    first, second = pair
    client.force_login(partnership.programme.user)
    triage(client, second)
    candidate = DuplicateCandidate.objects.get(person_id=first.person_id)
    client.force_login(partnership.by_role()[role].user)
    assert client.get(f"/linkage/candidates/{candidate.pk}/merge/").status_code == 403
    assert client.post(f"/linkage/candidates/{candidate.pk}/merge/", {"confirmed": "on"}).status_code == 403
    assert client.get("/linkage/merges/").status_code == 403
    assert not PersonMerge.objects.exists()


def test_unknown_candidate_or_merge_is_not_found(client, partnership) -> None:
    client.force_login(partnership.programme.user)
    assert client.get("/linkage/candidates/999999/merge/").status_code == 404
    assert client.get("/linkage/merges/00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.mark.parametrize(
    ("given", "family"), [("李", "小龍"), ("Łukasz", "Żółć"), ("Robert'); DROP TABLE x;--", "O'Neil")]
)
def test_names_the_model_cannot_read_still_match_on_the_rest(client, partnership, given, family) -> None:
    first = partnership.refer(given_name=given, family_name=family)
    second = partnership.refer(by=partnership.other_referrer, given_name=given, family_name=family)
    client.force_login(partnership.programme.user)
    page = triage(client, second)
    assert page.status_code == 200
    assert DuplicateCandidate.objects.filter(person_id=first.person_id).exists()


def test_a_refused_merge_or_reverse_is_an_audited_read_of_both_people(client, partnership, pair) -> None:
    """Shown again after a refused POST, the comparison and the merge record show both people
    without a service having recorded anything: one audited read of each."""
    first, second = pair
    client.force_login(partnership.programme.user)
    triage(client, second)
    candidate = DuplicateCandidate.objects.get(person_id=first.person_id)

    def reads() -> tuple[int, int]:
        viewed = AuditEvent.objects.filter(verb=AuditVerb.VIEWED)
        return viewed.filter(person_id=first.person_id).count(), viewed.filter(person_id=second.person_id).count()

    before = reads()
    assert client.post(f"/linkage/candidates/{candidate.pk}/merge/", {"reason": "Same"}).status_code == 400
    assert reads() == (before[0] + 1, before[1] + 1)
    assert client.post(f"/linkage/candidates/{candidate.pk}/merge/", {"confirmed": "on"}).status_code == 302
    merge = PersonMerge.objects.get()
    before = reads()
    assert client.post(f"/linkage/merges/{merge.pk}/", {"reason": ""}).status_code == 400
    assert reads() == (before[0] + 1, before[1] + 1)
