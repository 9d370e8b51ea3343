"""Notifications' records held with a person's referral, for the registry in `people.records`."""

from __future__ import annotations

from joinedup.people.records import HeldRecord, OnErase, register_held

from .models import Notification

# That a referrer was told, and when, stays (the closed loop's evidence); the address and the words go.
register_held(
    HeldRecord(
        model=Notification,
        parent="referral",
        erase=OnErase.ANONYMISE,
        anonymise=("address", "subject", "body", "last_error"),
    ),
)
