"""What happens to a referral that other apps keep count of, declared once (see `joinedup.core.events`).
The referral services announce these inside their transaction; `outcomes.subscribers` keeps the
monthly referral tallies from them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from joinedup.core.events import Event, declare


@dataclass(frozen=True)
class Received:
    referral_id: uuid.UUID
    person_id: uuid.UUID
    received_at: datetime


@dataclass(frozen=True)
class PartnerChanged:
    """The delivery partner a referral is with changed: routed, assigned or returned to triage.
    Announced only when the partner changes (None: with no partner, in triage)."""

    referral_id: uuid.UUID
    old_partner_id: uuid.UUID | None
    new_partner_id: uuid.UUID | None
    received_at: datetime  # a referral is counted in the month it was received, by the partner it is with
    status: str  # the status it moves to


class ReferralEvent:
    RECEIVED = Event("referral.received", Received)
    PARTNER_CHANGED = Event("referral.partner_changed", PartnerChanged)


ALL = (ReferralEvent.RECEIVED, ReferralEvent.PARTNER_CHANGED)
declare(*ALL)
