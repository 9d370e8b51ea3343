"""The demo's agreement and request are made through the services, once."""

from __future__ import annotations

from joinedup.governance.demo import load_governance_demo
from joinedup.governance.models import DataSharingAgreement, RightsRequest


def test_the_demo_makes_an_agreement_and_a_request_once(partnership):
    partnership.refer()
    assert load_governance_demo(admin=partnership.admin) == 2
    assert load_governance_demo(admin=partnership.admin) == 0
    assert DataSharingAgreement.objects.count() == RightsRequest.objects.count() == 1
