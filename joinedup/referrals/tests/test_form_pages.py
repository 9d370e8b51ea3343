"""The triage and partner pages run their forms through `core.views.form_page`: what each POST does."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.referrals import statuses, views
from joinedup.referrals.models import Referral
from joinedup.referrals.services import referral_route

pytestmark = pytest.mark.django_db


def _views(referral) -> int:
    return AuditEvent.objects.filter(verb=AuditVerb.VIEWED, target_id=str(referral.pk)).count()


def _refuse(*args, **kwargs):
    raise AssertionError("built for a page that is not shown")


def test_a_triage_post_naming_no_form_is_shown_again_as_a_bad_request(client, partnership):
    referral = partnership.refer()
    client.force_login(partnership.programme.user)
    before = _views(referral)
    response = client.post(f"/referrals/triage/{referral.pk}/", {"action": "nonsense"})
    assert response.status_code == 400
    assert Referral.objects.get(pk=referral.pk).status == statuses.RECEIVED
    assert _views(referral) == before + 1  # shown again: an audited read


def test_a_triage_decline_redirects_with_its_message_without_building_the_page(client, partnership, monkeypatch):
    referral = partnership.refer()
    client.force_login(partnership.programme.user)
    monkeypatch.setattr(views, "_duplicates", _refuse)
    response = client.post(
        f"/referrals/triage/{referral.pk}/",
        {"action": "decline", "reason_code": "duplicate", "reason": ""},
    )
    assert response.status_code == 302 and response["Location"] == "/referrals/triage/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [f"Referral {referral.reference} declined"]
    assert Referral.objects.get(pk=referral.pk).status == statuses.DECLINED


def test_a_refused_triage_post_shows_the_page_again_with_the_services_message(client, partnership):
    p = partnership
    referral = p.refer()
    client.force_login(p.programme.user)
    response = client.post(
        f"/referrals/triage/{referral.pk}/",
        {"action": "assign", "delivery_partner": str(p.partner_a.pk), "adviser": str(p.adviser_b.user.pk)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="assign"' in html and "There is a problem" in html


def test_a_partner_accept_redirects_without_building_the_page(client, partnership, monkeypatch):
    p = partnership
    referral = p.refer()
    referral_route(referral=referral, actor=p.programme, delivery_partner=p.partner_a)
    client.force_login(p.manager_a.user)
    monkeypatch.setattr(views, "referral_matching", _refuse)
    response = client.post(
        f"/referrals/offered/{referral.pk}/", {"action": "accept", "adviser": str(p.adviser_a.user.pk)}
    )
    assert response.status_code == 302 and response["Location"] == "/referrals/offered/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [f"Referral {referral.reference} accepted"]
    assert Referral.objects.get(pk=referral.pk).status == statuses.ASSIGNED


def test_a_partner_post_naming_no_form_is_shown_again_as_a_bad_request(client, partnership):
    p = partnership
    referral = p.refer()
    referral_route(referral=referral, actor=p.programme, delivery_partner=p.partner_a)
    client.force_login(p.manager_a.user)
    before = _views(referral)
    response = client.post(f"/referrals/offered/{referral.pk}/", {})
    assert response.status_code == 400
    assert Referral.objects.get(pk=referral.pk).status == statuses.ROUTED
    assert _views(referral) == before + 1
