import uuid

import pytest

from joinedup.audit.models import AuditEvent
from joinedup.core.errors import DomainError
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


def _lose_the_race_to(winner_actor, key, monkeypatch) -> list:
    """Make `winner_actor`'s referral with `key` land between our look-up and our insert (in the
    service's `_clean`, which runs in that window); returns the list the winner is put in."""
    from joinedup.referrals import services
    from joinedup.testkit import referral_input

    clean = services._clean
    winner: list[Referral | None] = []

    def winner_first(data):
        if not winner:
            winner.append(None)  # the winner's own request runs through here too
            winner[0], _ = referral_create(actor=winner_actor, data=referral_input(), submission_key=key)
        return clean(data)

    monkeypatch.setattr(services, "_clean", winner_first)
    return winner


def test_a_race_lost_to_another_organisation_never_returns_its_referral(partnership, monkeypatch):
    """The other organisation's request with the same key wins between our look-up and our insert:
    the key is refused, and nothing of the other organisation's referral comes back."""
    from joinedup.testkit import referral_input

    key = uuid.uuid4()
    winner = _lose_the_race_to(partnership.other_referrer, key, monkeypatch)
    with pytest.raises(DomainError) as exc:
        referral_create(actor=partnership.referrer, data=referral_input(), submission_key=key)
    assert str(exc.value) == "That submission key has already been used."
    assert winner[0] is not None and winner[0].reference not in str(exc.value)
    assert list(Referral.objects.values_list("referring_organisation", flat=True)) == [partnership.jobcentre.pk]


def test_a_race_lost_to_the_same_organisation_returns_the_winner(partnership, monkeypatch):
    from joinedup.testkit import referral_input

    key = uuid.uuid4()
    winner = _lose_the_race_to(partnership.referrer, key, monkeypatch)
    referral, created = referral_create(actor=partnership.referrer, data=referral_input(), submission_key=key)
    assert winner[0] is not None and not created and referral.pk == winner[0].pk
    assert Referral.objects.count() == 1


def test_invalid_referral_saves_nothing(partnership):
    from joinedup.testkit import referral_input

    with pytest.raises(ReferralInvalid) as exc:
        referral_create(actor=partnership.referrer, data=referral_input(nhs_number="1234567890"))
    assert "nhs_number" in exc.value.errors
    assert Referral.objects.count() == 0
    assert AuditEvent.objects.count() == 0
