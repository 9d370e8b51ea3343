"""A world for governance tests: someone with one of every kind of person-linked record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from joinedup.cases.services import case_exit
from joinedup.governance import services
from joinedup.governance.models import RequestKind
from joinedup.linkage import services as linkage
from joinedup.people.models import Person

KNOWN = {
    "given_name": "William",
    "family_name": "Ashworth",
    "date_of_birth": date(1979, 3, 8),
    "postcode": "NG18 1AB",
    "nhs_number": "9434765919",
}


@dataclass
class World:
    p: Any
    ann: Person  # enrolled, the survivor of a merge, with a request and a lifted hold
    bill: Person  # the duplicate merged into Ann (keeps the duplicate check and the merge)
    zoe: Person  # erased on request
    case: Any
    referral: Any
    merge: Any


def build_world(p: Any) -> World:
    first = p.refer(**KNOWN, help_wanted="Help with my back pain at work")
    case = p.enrol(p.assign(first))
    second = p.refer(by=p.other_referrer, **{**KNOWN, "given_name": "Bill", "nhs_number": ""})
    linkage.duplicate_check(referral=second, actor=p.programme)
    ann, bill = Person.objects.get(pk=first.person_id), Person.objects.get(pk=second.person_id)
    merge = linkage.person_merge(actor=p.programme, survivor=ann, duplicate=bill, reason="Same person")
    linkage.duplicate_check(referral=first, actor=p.programme)  # Ann's own check, after the merge
    services.rights_request_record(
        actor=p.admin, reference=first.reference, kind=RequestKind.ACCESS, received_on=timezone.localdate()
    )
    hold = services.legal_hold_place(actor=p.admin, reference=first.reference, reason="Complaint 42 open")
    services.legal_hold_lift(actor=p.admin, hold=hold)
    zoe_referral = p.refer(given_name="Zoe", family_name="Zimmer", nhs_number="")
    request = services.rights_request_record(
        actor=p.admin, reference=zoe_referral.reference, kind=RequestKind.ERASURE, received_on=timezone.localdate()
    )
    services.erasure_on_request(actor=p.admin, request=request)
    zoe = Person.objects.get(pk=zoe_referral.person_id)
    _employer_and_dedupe_rows(p, case, ann, bill)
    _portal_rows(case, ann)
    return World(p, ann, bill, zoe, case, first, merge)


def _employer_and_dedupe_rows(p: Any, case: Any, ann: Any, bill: Any) -> None:
    """Ann's consent to share with an employer (put forward for a vacancy), and a whole-population
    deduplication run that paired Ann with Bill (both registered person-linked records)."""
    from datetime import timedelta

    from joinedup.employers.placement import put_forward
    from joinedup.linkage.models import DedupePair, DedupeRun
    from joinedup.testkit.employers import employer, vacancy

    job = vacancy(p.manager_a, employer(p.manager_a))  # the manager's doing, not the adviser's (trail tests)
    expires = timezone.localdate() + timedelta(days=30)
    put_forward(actor=p.manager_a, case=case, vacancy=job, consent_given=True, expires_on=expires)
    run = DedupeRun.objects.create(engine="duckdb", source="database", threshold=0.9, model_version="test")
    DedupePair.objects.create(run=run, person_l=ann, person_r=bill, match_probability=0.99)


@pytest.fixture
def world(partnership) -> World:
    return build_world(partnership)


def close(case: Any, p: Any, *, on: date) -> None:
    case_exit(case=case, actor=p.adviser_a, closed_on=on, destination="paid_work", reason="Started work")


def _portal_rows(case: Any, ann: Person) -> None:
    """Issue 20: one row of each of the person's own pages' records (sign-in, session, message, share)."""
    from datetime import timedelta

    from joinedup.portal.models import Message, PersonSession, PlanShare, SignIn

    soon = timezone.now() + timedelta(minutes=15)
    SignIn.objects.create(
        person=ann, address_digest="a", client_digest="c", link_digest="l", code_digest="d", expires_at=soon
    )
    PersonSession.objects.create(person=ann, token_digest="t", idle_until=soon, expires_at=soon, signed_in_with="link")
    Message.objects.create(person=ann, case=case, from_person=True, text="Can we meet on Tuesday?")
    PlanShare.objects.create(person=ann, case=case, shared_with="Dr Patel", token_digest="s", expires_at=soon)
