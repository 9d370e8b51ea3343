import uuid

import pytest

from joinedup.audit.models import AuditEvent
from joinedup.referrals import statuses
from joinedup.referrals.models import Referral
from joinedup.referrals.services import ReferralInvalid, referral_create


def test_create_records_person_consents_history_and_one_audit_event(partnership):
    referral = partnership.refer()
    assert referral.status == statuses.RECEIVED
    assert referral.person.postcode == "NG18 1AB"
    assert referral.person.given_name == "Siobhán"
    assert referral.person.consents.count() == 2
    assert referral.status_changes.count() == 1
    assert AuditEvent.objects.filter(person_id=referral.person_id).count() == 1


def test_same_submission_key_returns_the_first_referral(partnership):
    from joinedup.testkit import referral_input

    key = uuid.uuid4()
    first, created = referral_create(actor=partnership.referrer, data=referral_input(), submission_key=key)
    again, created_again = referral_create(actor=partnership.referrer, data=referral_input(), submission_key=key)
    assert created and not created_again
    assert first.pk == again.pk
    assert Referral.objects.count() == 1


def test_invalid_referral_saves_nothing(partnership):
    from joinedup.testkit import referral_input

    with pytest.raises(ReferralInvalid) as exc:
        referral_create(actor=partnership.referrer, data=referral_input(nhs_number="1234567890"))
    assert "nhs_number" in exc.value.errors
    assert Referral.objects.count() == 0
    assert AuditEvent.objects.count() == 0
