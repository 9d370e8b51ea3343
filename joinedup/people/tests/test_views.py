"""The consent page at /people/consent/<case>/: record, withdraw, bad input, who may use it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.people.models import Consent, ConsentPurpose

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(partnership):
    return partnership.enrol(partnership.assign(partnership.refer()))


def url(case) -> str:
    return f"/people/consent/{case.pk}/"


def signed_in(client, membership):
    client.force_login(membership.user)
    return client


def form(**overrides) -> dict:
    ends = timezone.localdate() + timedelta(days=60)
    data = {
        "purpose": "notify_person",
        "gp_practice": "",
        "given": "yes",
        "expires_on_0": str(ends.day),
        "expires_on_1": str(ends.month),
        "expires_on_2": str(ends.year),
    }
    data.update(overrides)
    return data


def test_the_adviser_sees_the_decisions_and_the_read_is_audited(client, partnership, case) -> None:
    response = signed_in(client, partnership.adviser_a).get(url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "To share progress with the referrer (Test GP Practice)" in html
    assert 'data-state="active"' in html and "Withdraw" in html
    assert AuditEvent.objects.filter(verb=AuditVerb.VIEWED, person_id=case.person_id).exists()


def test_recording_consent_with_an_end_date(client, partnership, case) -> None:
    response = signed_in(client, partnership.adviser_a).post(url(case), form())
    assert response.status_code == 302 and response["Location"] == url(case)
    consent = Consent.objects.get(person=case.person, purpose=ConsentPurpose.NOTIFY_PERSON)
    assert consent.given and consent.ends_on == timezone.localdate() + timedelta(days=60)
    page = client.get(url(case)).content.decode()
    assert (timezone.localdate() + timedelta(days=60)).strftime("%-d %b %Y") in page
    # A double-clicked submit records it once.
    client.post(url(case), form())
    assert Consent.objects.filter(person=case.person, purpose=ConsentPurpose.NOTIFY_PERSON).count() == 1
    assert AuditEvent.objects.filter(verb=AuditVerb.CONSENT_RECORDED).count() == 1


def test_sharing_with_the_gp_names_the_practice(client, partnership, case) -> None:
    c = signed_in(client, partnership.adviser_a)
    response = c.post(url(case), form(purpose="share_gp", gp_practice=""))
    assert response.status_code == 400
    assert "Select the person&#x27;s GP practice" in response.content.decode()
    response = c.post(url(case), form(purpose="share_gp", gp_practice=str(partnership.gp.pk)))
    assert response.status_code == 302
    assert Consent.objects.get(purpose=ConsentPurpose.SHARE_GP).about_organisation == partnership.gp


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"purpose": ""}, "Select what the person is deciding about"),
        ({"purpose": "referral"}, "Select an option"),
        ({"given": ""}, "Select whether the person agrees"),
        ({"given": "<script>alert(1)</script>"}, "Select yes or no"),
        (
            {"gp_practice": "'; DROP TABLE people_consent;--", "purpose": "share_gp"},
            "Select a GP practice from the list",
        ),
        ({"expires_on_0": "31", "expires_on_1": "2", "expires_on_2": "2030"}, "must be a real date"),
        ({"expires_on_0": "1", "expires_on_1": "1", "expires_on_2": "2020"}, "must be in the future"),
        ({"expires_on_0": "1", "expires_on_1": "1", "expires_on_2": "99999"}, "Year must include 4 numbers"),
    ],
)
def test_bad_input_is_a_plain_english_error_and_saves_nothing(client, partnership, case, overrides, message) -> None:
    before = Consent.objects.count()
    response = signed_in(client, partnership.adviser_a).post(url(case), form(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and message.replace("'", "&#x27;") in html
    assert "<script>alert(1)</script>" not in html
    assert Consent.objects.count() == before


def test_withdrawing_consent(client, partnership, case) -> None:
    consent = Consent.objects.get(person=case.person, purpose=ConsentPurpose.SHARE_PROGRESS)
    c = signed_in(client, partnership.adviser_a)
    response = c.post(f"{url(case)}{consent.pk}/withdraw/")
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert 'data-state="withdrawn"' in c.get(url(case)).content.decode()
    assert c.get(f"{url(case)}{consent.pk}/withdraw/").status_code == 405  # only by POST


def test_withdrawing_a_consent_that_cannot_be_shows_the_reason(client, partnership, case) -> None:
    consent = Consent.objects.get(person=case.person, purpose=ConsentPurpose.REFERRAL)
    response = signed_in(client, partnership.adviser_a).post(f"{url(case)}{consent.pk}/withdraw/")
    assert response.status_code == 400
    assert "That consent cannot be withdrawn here." in response.content.decode()


def test_another_persons_consent_is_not_found(client, partnership, case) -> None:
    other = partnership.enrol(partnership.assign(partnership.refer(given_name="Ann")))
    consent = Consent.objects.get(person=other.person, purpose=ConsentPurpose.SHARE_PROGRESS)
    response = signed_in(client, partnership.adviser_a).post(f"{url(case)}{consent.pk}/withdraw/")
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("adviser_a", 200),
        ("manager_a", 200),
        ("adviser_b", 404),  # another partner's case is simply not found
        ("referrer", 403),
        ("programme", 403),
        ("analyst", 403),
        ("admin", 403),
    ],
)
def test_who_may_use_the_consent_page(client, partnership, case, who, status) -> None:
    response = signed_in(client, getattr(partnership, who)).get(url(case))
    assert response.status_code == status
    post = client.post(url(case), form())
    assert post.status_code in {302, 403, 404}
    if status != 200:
        assert not Consent.objects.filter(purpose=ConsentPurpose.NOTIFY_PERSON).exists()


def test_signed_out_is_sent_to_sign_in(client, case) -> None:
    response = client.get(url(case))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
