"""The closed loop: what the referrer is told about a referral, and only with the person's consent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.people.models import Consent, ConsentPurpose
from joinedup.people.services import consent_record
from joinedup.referrals.selectors import referral_closed_loop
from joinedup.referrals.services import referral_decline


def loop_of(referral):
    return referral_closed_loop(referral=referral)


def steps(loop) -> list[tuple[str, bool]]:
    return [(s.code, s.done) for s in loop.steps]


def journey(p, *, share: bool, until: str):
    referral = p.refer(consent_share_progress=share)
    if until == "received":
        return referral
    referral = p.assign(referral)
    if until == "accepted":
        return referral
    case = p.enrol(referral)
    if until == "enrolled":
        return referral
    p.job_start(case)
    return referral


WITH_CONSENT = {
    "received": [("received", True), ("accepted", False), ("enrolled", False), ("started_work", False)],
    "accepted": [("received", True), ("accepted", True), ("enrolled", False), ("started_work", False)],
    "enrolled": [("received", True), ("accepted", True), ("enrolled", True), ("started_work", False)],
    "started_work": [("received", True), ("accepted", True), ("enrolled", True), ("started_work", True)],
}


@pytest.mark.parametrize("until", WITH_CONSENT)
def test_with_consent_the_referrer_sees_each_step(partnership, until):
    referral = journey(partnership, share=True, until=until)
    loop = loop_of(referral)
    assert loop.progress_shared is True
    assert steps(loop) == WITH_CONSENT[until]
    assert loop.declined_reason == ""


@pytest.mark.parametrize("until", WITH_CONSENT)
def test_without_consent_the_referrer_sees_only_received_and_accepted(partnership, until):
    referral = journey(partnership, share=False, until=until)
    loop = loop_of(referral)
    assert loop.progress_shared is False
    assert [code for code, _done in steps(loop)] == ["received", "accepted"]
    assert dict(steps(loop))["accepted"] is (until != "received")


def test_step_details(partnership):
    referral = journey(partnership, share=True, until="started_work")
    by_code = {s.code: s for s in loop_of(referral).steps}
    today = timezone.localdate()
    assert by_code["received"].on == today
    assert by_code["accepted"].on == today
    assert by_code["accepted"].detail == "Partner A"
    assert by_code["enrolled"].on == referral.case.enrolled_on
    assert by_code["started_work"].on == referral.case.job_starts.get().start_date
    assert loop_of(referral).current.code == "started_work"


def test_steps_not_yet_done_have_no_date(partnership):
    referral = journey(partnership, share=True, until="received")
    by_code = {s.code: s for s in loop_of(referral).steps}
    assert by_code["accepted"].on is None and by_code["accepted"].detail == ""
    assert by_code["enrolled"].on is None
    assert by_code["started_work"].on is None


def test_the_first_job_start_is_the_one_reported(partnership):
    from joinedup.referrals.models import Referral

    referral = partnership.refer()
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - timedelta(days=40))
    referral.refresh_from_db()
    case = partnership.enrol(partnership.assign(referral), days_ago=30)
    partnership.job_start(case, days_ago=5)
    first = partnership.job_start(case, days_ago=20)  # recorded later, but started earlier
    started = {s.code: s for s in loop_of(referral).steps}["started_work"]
    assert started.done
    assert started.on == first.start_date


@pytest.mark.parametrize("after", ["received", "accepted"])
def test_a_declined_referral_shows_the_reason(partnership, after):
    referral = journey(partnership, share=True, until=after)
    referral_decline(referral=referral, actor=partnership.programme, reason="  Lives outside the area  ")
    loop = loop_of(referral)
    assert steps(loop) == [("received", True), ("declined", True)]
    assert loop.declined_reason == "Lives outside the area"
    assert loop.steps[-1].detail == "Lives outside the area"


def test_a_declined_referral_shows_the_reason_even_without_consent(partnership):
    referral = partnership.refer(consent_share_progress=False)
    referral_decline(referral=referral, actor=partnership.programme, reason="Already getting similar support")
    loop = loop_of(referral)
    assert loop.declined_reason == "Already getting similar support"
    assert [code for code, _ in steps(loop)] == ["received", "declined"]


def test_withdrawn_consent_hides_progress_again(partnership):
    referral = journey(partnership, share=True, until="started_work")
    assert loop_of(referral).progress_shared
    Consent.objects.filter(person=referral.person, purpose=ConsentPurpose.SHARE_PROGRESS).update(
        withdrawn_at=timezone.now()
    )
    loop = loop_of(referral)
    assert loop.progress_shared is False
    assert [code for code, _ in steps(loop)] == ["received", "accepted"]


def test_a_later_refusal_replaces_an_earlier_consent(partnership):
    referral = journey(partnership, share=True, until="enrolled")
    consent_record(
        person=referral.person,
        purpose=ConsentPurpose.SHARE_PROGRESS,
        given=False,
        recorded_by=partnership.adviser_a.user,
        recorded_by_organisation=partnership.partner_a,
        about_organisation=partnership.gp,
    )
    assert loop_of(referral).progress_shared is False


def test_expired_consent_hides_progress(partnership):
    referral = journey(partnership, share=True, until="enrolled")
    Consent.objects.filter(person=referral.person, purpose=ConsentPurpose.SHARE_PROGRESS).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert loop_of(referral).progress_shared is False


def test_consent_to_share_with_another_organisation_does_not_count(partnership):
    referral = journey(partnership, share=False, until="enrolled")
    consent_record(
        person=referral.person,
        purpose=ConsentPurpose.SHARE_PROGRESS,
        given=True,
        recorded_by=partnership.adviser_a.user,
        recorded_by_organisation=partnership.partner_a,
        about_organisation=partnership.jobcentre,
    )
    assert loop_of(referral).progress_shared is False


# The referrer's page shows the same loop. -------------------------------------------------------


def test_referrer_page_with_consent_shows_progress(client, partnership):
    referral = journey(partnership, share=True, until="started_work")
    client.force_login(partnership.referrer.user)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    for code in ("received", "accepted", "enrolled", "started_work"):
        assert f'data-step="{code}" data-done="yes"' in page
    assert "did not agree to share their progress" not in page


def test_referrer_page_without_consent_hides_progress(client, partnership):
    referral = journey(partnership, share=False, until="started_work")
    client.force_login(partnership.referrer.user)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert 'data-step="accepted" data-done="yes"' in page
    assert 'data-step="enrolled"' not in page
    assert 'data-step="started_work"' not in page
    assert "Started work" not in page and "Boots" not in page
    assert "did not agree to share their progress" in page


def test_referrer_page_shows_the_decline_reason(client, partnership):
    referral = partnership.refer()
    referral_decline(referral=referral, actor=partnership.programme, reason="Needs specialist support instead")
    client.force_login(partnership.referrer.user)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert 'data-step="declined" data-done="yes"' in page
    assert "Needs specialist support instead" in page


def test_api_status_follows_the_same_rules(client, partnership):
    from joinedup.api.services import api_token_issue

    shared = journey(partnership, share=True, until="started_work")
    private = journey(partnership, share=False, until="started_work")
    _token, key = api_token_issue(membership=partnership.referrer)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    got = client.get(f"/api/v1/referrals/{shared.reference}/", **auth).json()
    assert (got["status"], got["progress_shared"]) == ("started_work", True)
    got = client.get(f"/api/v1/referrals/{private.reference}/", **auth).json()
    assert (got["status"], got["progress_shared"]) == ("accepted", False)
    assert [s["code"] for s in got["steps"]] == ["received", "accepted"]
