"""Demo referrals for the routes and routing of issue 4, through the real services (idempotent).

Called by `joinedup.demo.demo.load_demo`: one referral per kind of route the demo organisations have, a
self-referral, one from the GP practice's clinical system, one sent to Framework Housing
Association waiting to be accepted (`manager.framework`, *Referrals sent to you*) and one Framework
declined, back in the triage queue to be re-routed (`programme.manager`).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from joinedup.organisations.models import Membership

from . import services
from .models import Referral
from .routes import SELF

NAMESPACE = uuid.UUID("6f1d2e3c-4b5a-4978-8a6b-5c4d3e2f1a09")


def _referral(key: str, actor: Membership, **values) -> tuple[Referral, bool]:
    data = {
        "date_of_birth": date(1990, 5, 17),
        "postcode": "NG18 2AB",
        "employment_status": "unemployed",
        "health_condition": "mental_health",
        "help_wanted": "Finding work that fits around my health",
        "consent_referral": True,
        "consent_share_progress": True,
        "benefits": ["uc_lcw"],
        **values,
    }
    return services.referral_create(
        actor=actor, data=services.ReferralInput(**data), submission_key=uuid.uuid5(NAMESPACE, key), channel="command"
    )


# (submission key, who refers, their answers): "who" is the kind of the demo referrer's organisation,
# a member's key, or `SELF` for the public site.
_SPECS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (
        "work-coach",
        "jobcentre",
        {
            "given_name": "Dylan",
            "family_name": "Hartley",
            "route": "work_coach",
            "national_insurance_number": "AB123456C",
            "benefits": ["uc"],
            "health_condition": "musculoskeletal",
            "details": {"months_on_benefits": 26, "months_out_of_work": 30},
        },
    ),
    (
        "housing",
        "housing",
        {
            "given_name": "Precious",
            "family_name": "Mensah",
            "route": "housing",
            "details": {"tenancy": "social", "at_risk_of_homelessness": True, "rent_arrears": True},
        },
    ),
    (
        "care-leaver",
        "social_care",
        {
            "given_name": "Kai",
            "family_name": "Rowe",
            "route": "care_leaver",
            "date_of_birth": date(2005, 9, 2),
            "benefits": ["uc"],
            "details": {"leaving_care_adviser": "Naomi Price", "ehc_plan": False},
        },
    ),
    (
        "cmht",
        "community_mental_health",
        {
            "given_name": "Morgan",
            "family_name": "Ellery",
            "route": "community_mental_health",
            "nhs_number": "9434765870",
            "benefits": ["esa"],
            "details": {"care_coordinator": "Ravi Desai", "severe_mental_illness": True},
        },
    ),
    (
        "clinical-system",
        "demo-gp-system",
        {
            "given_name": "Siân",
            "family_name": "Llewellyn",
            "route": "clinical_system",
            "nhs_number": "9434765919",
            "details": {"sender_identifier": "https://riverside-gp.example/referrals|DEMO-0001"},
        },
    ),
    (
        "self",
        SELF,
        {
            "given_name": "Aoife",
            "family_name": "Byrne",
            "route": "self",
            "consent_share_progress": False,
            "benefits": ["none"],
        },
    ),
)


def load_route_demo(*, members: dict[str, Membership], partner) -> int:
    """Make the route demo referrals that are not there yet; returns how many were made."""
    referrer = {m.organisation.kind: m for m in members.values() if m.role == "referrer"}
    made = 0
    actors = {
        "jobcentre": referrer["jobcentre"],
        "housing": referrer["housing"],
        "social_care": referrer["social_care"],
        "community_mental_health": referrer["community_mental_health"],
        "demo-gp-system": members["demo-gp-system"],
        SELF: services.public_membership(),
    }
    created = {}
    for key, who, values in _SPECS:
        referral, new = _referral(key, actors[who], **values)
        created[key] = (referral, new)
        made += new
    programme, manager = members["programme.manager"], members["manager.framework"]
    waiting, new = created["work-coach"]
    if new:
        services.referral_route(referral=waiting, actor=programme, delivery_partner=partner, reason="Closest to home")
    declined, new = created["housing"]
    if new:
        services.referral_route(referral=declined, actor=programme, delivery_partner=partner)
        services.referral_decline(
            referral=declined, actor=manager, reason_code="no_capacity", reason="No places until next month"
        )
    return made
