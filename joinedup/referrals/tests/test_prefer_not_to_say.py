"""'Prefer not to say' for the main health condition (issue 17; source 001 4.3.4): offered on every
referral route, the public form, the API and FHIR; treated by matching as not known; counted as
itself on the dashboard."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from joinedup.api.services import api_token_issue
from joinedup.fhir import codes
from joinedup.fhir.tests.bundles import bundle
from joinedup.people.choices import HealthCondition
from joinedup.referrals import routes
from joinedup.referrals.matching import circumstances_for
from joinedup.referrals.models import Referral
from joinedup.referrals.selectors import referrals_by_health_condition
from joinedup.testkit import MembershipFactory, OrganisationFactory

from .test_routes import self_data
from .test_views import form_data

pytestmark = pytest.mark.django_db
PNTS = HealthCondition.PREFER_NOT_TO_SAY


@pytest.mark.parametrize("route", sorted(code for code in routes.FORM_ROUTES))
def test_every_referral_route_offers_it(client, partnership, route):
    spec = routes.ROUTES[route]
    kind = next(iter(spec.kinds))
    org = OrganisationFactory(name=f"Referrer {route}", kind=kind)
    member = MembershipFactory(organisation=org, role="referrer")
    client.force_login(member.user)
    page = client.get(f"/referrals/new/{route}/")
    assert page.status_code == 200
    assert 'value="prefer_not_to_say"' in page.content.decode()
    assert "Prefer not to say" in page.content.decode()


def test_the_public_form_takes_it(client, settings):
    settings.SELF_REFERRAL_MIN_SECONDS = 0
    assert 'value="prefer_not_to_say"' in client.get("/refer-yourself/").content.decode()
    response = client.post("/refer-yourself/", self_data(client, health_condition=PNTS))
    assert response.status_code == 302
    assert Referral.objects.get().health_condition == PNTS


def test_the_general_form_takes_it(client, partnership):
    client.force_login(partnership.referrer.user)
    assert client.post("/referrals/new/", form_data(health_condition=PNTS)).status_code == 302
    assert Referral.objects.get().health_condition == PNTS


def test_the_api_takes_it(partnership):
    _, key = api_token_issue(membership=partnership.referrer)
    body = {
        "given_name": "Zoë",
        "family_name": "Łukasz",
        "date_of_birth": "1984-06-30",
        "postcode": "ng18 1ab",
        "employment_status": "unemployed",
        "benefits": ["uc_lcw"],
        "health_condition": PNTS,
        "help_wanted": "Work",
        "consent_referral": True,
        "consent_share_progress": True,
    }
    response = Client().post(
        "/api/v1/referrals/", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 201, response.content
    assert Referral.objects.get().health_condition == PNTS


def test_fhir_takes_it_in_our_code_system_and_says_it_back(partnership):
    _, key = api_token_issue(membership=partnership.referrer)
    reason = [{"coding": [{"system": codes.CS_HEALTH_CONDITION, "code": PNTS}]}]
    response = Client().post(
        "/fhir/Bundle",
        json.dumps(bundle(request={"reasonCode": reason})),
        content_type="application/fhir+json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200, response.content
    referral = Referral.objects.get()
    assert referral.health_condition == PNTS
    sent = Client().get(f"/fhir/ServiceRequest/{referral.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert sent["reasonCode"][0]["coding"][0] == {
        "system": codes.CS_HEALTH_CONDITION,
        "code": PNTS,
        "display": "Prefer not to say",
    }


def test_matching_treats_it_as_not_known(partnership):
    referral = partnership.refer(health_condition=PNTS)
    found, _ = circumstances_for(referral)
    assert found.health_conditions is None


def test_the_dashboard_counts_it_as_itself(client, partnership):
    partnership.refer(health_condition=PNTS)
    partnership.refer(health_condition=PNTS)
    partnership.refer(health_condition="mental_health")
    counts = {
        c.code: c.referrals for c in referrals_by_health_condition(actor=partnership.programme, start=None, end=None)
    }
    assert counts[PNTS] == 2 and counts["mental_health"] == 1 and counts["autism"] == 0
    client.force_login(partnership.programme.user)
    page = client.get("/dashboard/").content.decode()
    assert 'data-condition="prefer_not_to_say"' in page
