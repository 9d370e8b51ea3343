"""Consent with purpose and expiry: recording, withdrawal, and what each party then sees."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from joinedup.api.services import api_token_issue
from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.models import Organisation, OrganisationKind
from joinedup.people.models import Consent, ConsentPurpose
from joinedup.people.selectors import consent_is_active, gp_practice_sharing, progress_shared_with
from joinedup.people.services import consent_record, consent_withdraw
from joinedup.referrals.selectors import referral_closed_loop

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(partnership):
    """A referral with consent to share progress, through to a job start."""
    referral = partnership.assign(partnership.refer())
    case = partnership.enrol(referral)
    partnership.job_start(case)
    return case


def share_progress(case) -> Consent:
    return Consent.objects.get(person=case.person, purpose=ConsentPurpose.SHARE_PROGRESS)


def steps(case) -> list[str]:
    case.referral.refresh_from_db()
    return [s.code for s in referral_closed_loop(referral=case.referral).steps]


# --- Recording ---------------------------------------------------------------------------------


def test_an_adviser_records_consent_with_an_end_date_audited(partnership, enrolled) -> None:
    ends = timezone.localdate() + timedelta(days=90)
    consent = consent_record(
        actor=partnership.adviser_a,
        person=enrolled.person,
        purpose=ConsentPurpose.NOTIFY_PERSON,
        given=True,
        expires_on=ends,
    )
    assert consent.is_active() and consent.recorded_by_organisation == partnership.partner_a
    # It holds to the end of the day it ends.
    assert timezone.localtime(consent.expires_at).date() == ends + timedelta(days=1)
    event = AuditEvent.objects.get(verb=AuditVerb.CONSENT_RECORDED)
    assert event.person_id == enrolled.person_id and event.target_id == str(consent.pk)
    assert event.payload["purpose"] == "notify_person" and event.payload["expires_on"] == ends.isoformat()


def test_recording_the_same_decision_again_changes_nothing(partnership, enrolled) -> None:
    args = {"actor": partnership.adviser_a, "person": enrolled.person, "purpose": ConsentPurpose.NOTIFY_PERSON}
    first = consent_record(**args, given=True)
    again = consent_record(**args, given=True)
    assert again.pk == first.pk
    assert AuditEvent.objects.filter(verb=AuditVerb.CONSENT_RECORDED).count() == 1


@pytest.mark.parametrize(
    "who",
    ["referrer", "other_referrer", "adviser_b", "programme", "analyst", "admin"],
)
def test_only_an_adviser_at_the_persons_partner_may_record_or_withdraw(partnership, enrolled, who) -> None:
    actor = getattr(partnership, who)
    before = Consent.objects.count()
    with pytest.raises(NotPermitted):
        consent_record(actor=actor, person=enrolled.person, purpose=ConsentPurpose.NOTIFY_PERSON, given=True)
    with pytest.raises(NotPermitted):
        consent_withdraw(consent=share_progress(enrolled), actor=actor)
    assert Consent.objects.count() == before
    assert share_progress(enrolled).withdrawn_at is None


def test_the_partner_manager_of_the_persons_partner_may_record(partnership, enrolled) -> None:
    assert (
        consent_record(
            actor=partnership.manager_a, person=enrolled.person, purpose=ConsentPurpose.NOTIFY_PERSON, given=False
        ).given
        is False
    )


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        ({"purpose": "referral"}, "purpose", "Select what the person agrees to."),
        ({"purpose": "nonsense"}, "purpose", "Select what the person agrees to."),
        ({"purpose": "share_gp"}, "gp_practice", "Select the person's GP practice."),
        ({"purpose": "share_progress"}, "purpose", "Progress can only be shared with an organisation that referred"),
        ({"purpose": "notify_person", "expires_on": "today"}, "expires_on", "must be in the future"),
        ({"purpose": "notify_person", "expires_on": "far"}, "expires_on", "at most 10 years"),
    ],
)
def test_bad_decisions_are_refused_in_plain_english(partnership, enrolled, args, field, message) -> None:
    args = dict(args)
    if args.get("expires_on") == "today":
        args["expires_on"] = timezone.localdate()
    elif args.get("expires_on") == "far":
        args["expires_on"] = date(timezone.localdate().year + 11, 1, 1)
    before = Consent.objects.count()
    with pytest.raises(DomainError) as exc:
        consent_record(actor=partnership.adviser_a, person=enrolled.person, given=True, **args)
    assert exc.value.field == field and message in exc.value.message
    assert Consent.objects.count() == before and not AuditEvent.objects.filter(verb=AuditVerb.CONSENT_RECORDED).exists()


def test_sharing_progress_only_with_a_referrer_of_the_person(partnership, enrolled) -> None:
    with pytest.raises(DomainError):
        consent_record(
            actor=partnership.adviser_a,
            person=enrolled.person,
            purpose=ConsentPurpose.SHARE_PROGRESS,
            given=True,
            about_organisation=partnership.jobcentre,  # did not refer this person
        )


def test_being_told_by_email_needs_an_email_address(partnership) -> None:
    case = partnership.enrol(partnership.assign(partnership.refer(email="")))
    with pytest.raises(DomainError, match="do not have an email address"):
        consent_record(actor=partnership.adviser_a, person=case.person, purpose="notify_person", given=True)


# --- Withdrawal and expiry ---------------------------------------------------------------------


def test_withdrawal_is_recorded_audited_and_stops_sharing(partnership, enrolled) -> None:
    consent = share_progress(enrolled)
    assert progress_shared_with(person=enrolled.person, organisation=partnership.gp)
    consent_withdraw(consent=consent, actor=partnership.adviser_a)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.state == "withdrawn"
    assert not progress_shared_with(person=enrolled.person, organisation=partnership.gp)
    assert AuditEvent.objects.filter(verb=AuditVerb.CONSENT_WITHDRAWN, target_id=str(consent.pk)).count() == 1
    # Withdrawing again (a retried submission) changes nothing.
    consent_withdraw(consent=consent, actor=partnership.adviser_a)
    assert AuditEvent.objects.filter(verb=AuditVerb.CONSENT_WITHDRAWN).count() == 1


def test_a_refusal_cannot_be_withdrawn_and_a_replaced_consent_neither(partnership, enrolled) -> None:
    refused = consent_record(
        actor=partnership.adviser_a, person=enrolled.person, purpose=ConsentPurpose.NOTIFY_PERSON, given=False
    )
    with pytest.raises(DomainError, match="did not give"):
        consent_withdraw(consent=refused, actor=partnership.adviser_a)
    old = share_progress(enrolled)
    consent_record(
        actor=partnership.adviser_a,
        person=enrolled.person,
        purpose=ConsentPurpose.SHARE_PROGRESS,
        given=True,
        about_organisation=partnership.gp,
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    with pytest.raises(DomainError, match="newer decision"):
        consent_withdraw(consent=old, actor=partnership.adviser_a)


def test_consent_to_the_referral_cannot_be_withdrawn_here(partnership, enrolled) -> None:
    consent = Consent.objects.get(person=enrolled.person, purpose=ConsentPurpose.REFERRAL)
    with pytest.raises(DomainError):
        consent_withdraw(consent=consent, actor=partnership.adviser_a)


def test_a_new_decision_after_withdrawal_shares_again(partnership, enrolled) -> None:
    consent_withdraw(consent=share_progress(enrolled), actor=partnership.adviser_a)
    consent_record(
        actor=partnership.adviser_a,
        person=enrolled.person,
        purpose=ConsentPurpose.SHARE_PROGRESS,
        given=True,
        about_organisation=partnership.gp,
    )
    assert progress_shared_with(person=enrolled.person, organisation=partnership.gp)


def test_expired_consent_is_not_active(partnership, enrolled) -> None:
    Consent.objects.filter(pk=share_progress(enrolled).pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not consent_is_active(person=enrolled.person, purpose=ConsentPurpose.SHARE_PROGRESS, about=partnership.gp)
    assert share_progress(enrolled).state == "expired"


# --- What the referrer sees: the closed loop, their page and the API ------------------------------


def test_the_referrer_sees_progress_while_consent_is_in_force(partnership, enrolled) -> None:
    assert steps(enrolled) == ["received", "accepted", "enrolled", "started_work"]


def test_the_referrer_never_sees_progress_the_person_did_not_agree_to_share(partnership) -> None:
    case = partnership.enrol(partnership.assign(partnership.refer(consent_share_progress=False)))
    partnership.job_start(case)
    assert steps(case) == ["received", "accepted"]


def test_the_referrer_stops_seeing_progress_after_expiry(partnership, enrolled) -> None:
    consent = share_progress(enrolled)
    Consent.objects.filter(pk=consent.pk).update(expires_at=timezone.now() + timedelta(hours=1))
    assert steps(enrolled)[-1] == "started_work"  # before expiry
    Consent.objects.filter(pk=consent.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert steps(enrolled) == ["received", "accepted"]  # after expiry


def test_the_referrers_page_and_api_hide_progress_after_expiry(client, partnership, enrolled) -> None:
    reference = enrolled.referral.reference
    _token, key = api_token_issue(membership=partnership.referrer)
    client.force_login(partnership.referrer.user)

    def page() -> str:
        return client.get(f"/referrals/{enrolled.referral.pk}/").content.decode()

    def api() -> dict:
        return client.get(f"/api/v1/referrals/{reference}/", HTTP_AUTHORIZATION=f"Bearer {key}").json()

    assert 'data-step="started_work"' in page() and 'data-step="enrolled"' in page()
    assert api()["progress_shared"] is True and api()["status"] == "started_work"

    Consent.objects.filter(pk=share_progress(enrolled).pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    html = page()
    assert 'data-step="enrolled"' not in html and 'data-step="started_work"' not in html
    assert "did not agree to share their progress" in html
    body = api()
    assert body["progress_shared"] is False and body["status"] == "accepted"
    assert {s["code"] for s in body["steps"]} == {"received", "accepted"}


def test_the_referrer_cannot_see_progress_shared_with_another_organisation(partnership) -> None:
    """Consent to share with the Jobcentre says nothing about the GP practice that referred."""
    case = partnership.enrol(partnership.assign(partnership.refer(consent_share_progress=False)))
    Consent.objects.create(
        person=case.person,
        purpose=ConsentPurpose.SHARE_PROGRESS,
        given=True,
        recorded_by_organisation=partnership.partner_a,
        about_organisation=partnership.jobcentre,
    )
    assert steps(case) == ["received", "accepted"]


def test_a_gp_referrer_sees_progress_with_consent_to_share_with_the_gp(partnership) -> None:
    case = partnership.enrol(partnership.assign(partnership.refer(consent_share_progress=False)))
    consent_record(
        actor=partnership.adviser_a,
        person=case.person,
        purpose=ConsentPurpose.SHARE_GP,
        given=True,
        about_organisation=partnership.gp,
    )
    assert steps(case) == ["received", "accepted", "enrolled", "started_work"]
    assert gp_practice_sharing(person=case.person) == partnership.gp


def test_consent_to_share_with_the_gp_is_only_about_a_gp_practice(partnership) -> None:
    """A Jobcentre referrer is not a GP: SHARE_GP about it is refused, and would not count."""
    case = partnership.enrol(partnership.assign(partnership.refer(by=partnership.other_referrer)))
    with pytest.raises(DomainError):
        consent_record(
            actor=partnership.adviser_a,
            person=case.person,
            purpose=ConsentPurpose.SHARE_GP,
            given=True,
            about_organisation=partnership.jobcentre,
        )
    Consent.objects.filter(person=case.person, purpose=ConsentPurpose.SHARE_PROGRESS).update(given=False)
    Consent.objects.create(
        person=case.person,
        purpose=ConsentPurpose.SHARE_GP,
        given=True,
        recorded_by_organisation=partnership.partner_a,
        about_organisation=partnership.jobcentre,
    )
    assert not progress_shared_with(person=case.person, organisation=partnership.jobcentre)


def test_gp_sharing_follows_the_latest_decision_per_practice(partnership, enrolled) -> None:
    riverside = Organisation.objects.create(name="Riverside Surgery", kind=OrganisationKind.GP_PRACTICE)
    args = {
        "actor": partnership.adviser_a,
        "person": enrolled.person,
        "purpose": ConsentPurpose.SHARE_GP,
        "about_organisation": riverside,
    }
    consent_record(**args, given=True)
    assert gp_practice_sharing(person=enrolled.person) == riverside
    consent_record(**args, given=False)
    assert gp_practice_sharing(person=enrolled.person) is None
