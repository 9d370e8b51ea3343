"""The demo has a referral for each kind of route, one waiting for Framework, one to re-route."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from joinedup.demo.demo import load_demo
from joinedup.referrals import statuses
from joinedup.referrals.models import Referral


def test_route_demo_is_made_once_and_shows_routing(db):
    load_demo(people=2)
    again = load_demo(people=2)
    assert again.created == 0
    routed = {r.route: r.status for r in Referral.objects.exclude(route="")}
    assert routed == {
        "work_coach": statuses.ROUTED,
        "housing": statuses.RETURNED,
        "care_leaver": statuses.RECEIVED,
        "community_mental_health": statuses.RECEIVED,
        "clinical_system": statuses.RECEIVED,
        "self": statuses.RECEIVED,
    }
    out = StringIO()
    call_command("api_token", "demo-gp-system", stdout=out)
    assert out.getvalue().startswith("ju_")
