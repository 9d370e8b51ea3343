"""The person's own pages' person-linked records, for the registry in `people.records`."""

from __future__ import annotations

from joinedup.people.records import OnErase, OnMerge, PersonRecord, register

from .models import Message, PersonSession, PlanShare, SignIn

_SIGN_IN_REASON = "a sign-in belongs to the record it was made for, and lasts minutes or hours"
register(
    PersonRecord(
        model=SignIn,
        field="person",
        key="portal_sign_ins",
        merge=OnMerge.KEEP,
        merge_reason=_SIGN_IN_REASON,
        erase=OnErase.DELETE,
        export=("created_at", "expires_at", "used_at"),
    ),
    PersonRecord(
        model=PersonSession,
        field="person",
        key="portal_sessions",
        merge=OnMerge.KEEP,
        merge_reason=_SIGN_IN_REASON,
        erase=OnErase.DELETE,
        export=("created_at", "signed_in_with", "expires_at", "ended_at"),
    ),
    PersonRecord(
        model=Message,
        field="person",
        key="portal_messages",
        merge=OnMerge.MOVE,  # with its case: the surviving person sees their messages
        erase=OnErase.DELETE,
        export=("created_at", "from_person", "text"),
    ),
    PersonRecord(
        model=PlanShare,
        field="person",
        key="portal_plan_shares",
        merge=OnMerge.MOVE,  # with its case: the surviving person sees and can stop their links
        erase=OnErase.DELETE,
        export=("created_at", "shared_with", "expires_at", "ended_at", "uses"),
    ),
)
