"""Referrals' person-linked records, for the registry in `people.records`."""

from __future__ import annotations

from joinedup.people.records import HeldRecord, OnErase, OnMerge, PersonRecord, register, register_held

from .models import Referral, ReferralStatusChange

register(
    PersonRecord(
        model=Referral,
        field="person",
        key="referrals",
        merge=OnMerge.MOVE,
        # The free text and the route's answers go; the coded situation, route, status and dates stay
        # for the programme's counts, which name no one once the person is erased.
        erase=OnErase.ANONYMISE,
        anonymise=("help_wanted", "details"),
        export=(
            "reference",
            "created_at",
            "referring_organisation",
            "requester",
            "route",
            "details",
            "employment_status",
            "benefits",
            "health_condition",
            "help_wanted",
            "status",
            "status_changed_at",
            "delivery_partner",
            "service",
        ),
    ),
)

# The status history stays for the timeliness figures; the reasons written with it go.
register_held(HeldRecord(model=ReferralStatusChange, parent="referral", erase=OnErase.ANONYMISE, anonymise=("reason",)))
