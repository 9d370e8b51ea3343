"""Self-referral limited per client and window, counted in the database (issue 17); a retry is not
counted; likely duplicates among self-referrals are flagged for triage."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from joinedup.linkage.services import duplicate_check
from joinedup.referrals.models import PublicSubmissionCount, Referral
from joinedup.referrals.throttle import LIMIT_MESSAGE

from .test_routes import self_data
from .test_views import error_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.SELF_REFERRAL_MIN_SECONDS = 0
    settings.SELF_REFERRAL_LIMIT = 3
    return settings


def _send(client: Client, ip: str, HTTP_X_FORWARDED_FOR: str = "", **overrides):
    headers: dict[str, Any] = {"HTTP_X_FORWARDED_FOR": HTTP_X_FORWARDED_FOR} if HTTP_X_FORWARDED_FOR else {}
    return client.post("/refer-yourself/", self_data(client, **overrides), REMOTE_ADDR=ip, **headers)


def test_a_client_is_stopped_at_the_limit_with_a_plain_message(limits):
    client = Client()
    answers = [_send(client, "203.0.113.5", given_name=f"Ann{n}").status_code for n in range(4)]
    assert answers == [302, 302, 302, 429]
    refused = _send(client, "203.0.113.5", given_name="Later")
    assert refused.status_code == 429 and LIMIT_MESSAGE in error_summary(refused)
    assert Referral.objects.count() == 3
    # Another client is not affected, and the address is not stored, only a keyed hash of it.
    assert _send(Client(), "203.0.113.6").status_code == 302
    assert not PublicSubmissionCount.objects.filter(client__contains="203.0.113").exists()


def test_a_retried_submission_is_not_counted_and_still_confirms(limits):
    client = Client()
    data = self_data(client)
    for _ in range(5):
        assert client.post("/refer-yourself/", data, REMOTE_ADDR="203.0.113.9").status_code == 302
    assert Referral.objects.count() == 1
    assert PublicSubmissionCount.objects.get().count == 1


def test_a_refused_form_is_not_counted(limits):
    client = Client()
    for _ in range(5):
        assert _send(client, "203.0.113.10", given_name="").status_code == 400
    assert not PublicSubmissionCount.objects.exists()


def test_a_new_window_starts_afresh(limits):
    client = Client()
    for n in range(3):
        _send(client, "203.0.113.11", given_name=f"Bo{n}")
    PublicSubmissionCount.objects.update(
        window_start=PublicSubmissionCount.objects.get().window_start.replace(year=2020)
    )
    assert _send(client, "203.0.113.11", given_name="Next").status_code == 302
    assert not PublicSubmissionCount.objects.filter(window_start__year=2020).exists()  # old windows deleted


def test_the_same_person_referring_themselves_twice_is_flagged_as_a_likely_duplicate(limits):
    _send(Client(), "203.0.113.20")
    _send(Client(), "203.0.113.21")
    first, second = Referral.objects.order_by("created_at")
    check = duplicate_check(referral=second)
    assert check.candidates.filter(person=first.person).exists()


def test_behind_a_trusted_proxy_each_client_is_counted_by_its_own_address(limits):
    """Through one trusted proxy every request has the proxy's REMOTE_ADDR: the limit is per client
    (core.client), and a client cannot dodge it by writing its own X-Forwarded-For entry."""
    limits.AXES_IPWARE_PROXY_COUNT = 1
    client = Client()
    for n in range(3):
        spoof = f"198.51.100.{n}, 203.0.113.5"  # a made-up first entry, then what the proxy saw
        response = client.post(
            "/refer-yourself/",
            self_data(client, given_name=f"Pat{n}"),
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=spoof,
        )
        assert response.status_code == 302
    assert _send(client, "10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    other = Client()
    assert _send(other, "10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302  # same proxy, another client
