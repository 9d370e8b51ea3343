"""Subject access: everything held about a person, through the registry, as a document and as JSON."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.governance import services
from joinedup.governance.models import RequestKind, RightsRequest
from joinedup.governance.subject_access import subject_access_build
from joinedup.organisations.models import Role
from joinedup.people.records import REGISTRY

# Whose record holds at least one row of each registered kind, in the world (conftest.build_world).
# A model added to the registry fails the first test until it is given a row here: the export is
# built by walking the registry, and this proves every kind really comes out.
HOLDER = {
    "referrals": "ann",
    "cases": "ann",
    "consents": "ann",
    "duplicate_checks": "bill",
    "duplicate_candidates": "ann",
    "merges_as_survivor": "ann",
    "merges_as_duplicate": "bill",
    "rights_requests": "ann",
    "legal_holds": "ann",
    "erasures": "zoe",
    "employer_consents": "ann",
    "dedupe_pairs_l": "ann",
    "dedupe_pairs_r": "bill",
    "portal_sign_ins": "ann",
    "portal_sessions": "ann",
    "portal_messages": "ann",
    "portal_plan_shares": "ann",
}


def test_every_registered_record_is_exported(world):
    assert set(HOLDER) == set(REGISTRY), "give each registered person-linked record a holder in this world"
    for key, who in HOLDER.items():
        person = getattr(world, who)
        export = subject_access_build(person=person)
        sections = {s.key: s for s in export.sections}
        assert set(sections) == set(REGISTRY)
        expected = REGISTRY[key].rows(person).count()
        assert expected >= 1, f"{who} has no {key}"
        assert len(sections[key].rows) == expected, key
        as_json = json.loads(export.as_json())
        assert [s["key"] for s in as_json["records"]] == list(REGISTRY)
        assert len(next(s for s in as_json["records"] if s["key"] == key)["rows"]) == expected


def test_the_export_has_the_details_what_hangs_off_records_and_who_saw_them(world, client):
    p = world.p
    client.force_login(p.adviser_a.user)
    client.get(f"/cases/{world.case.pk}/")
    export = subject_access_build(person=world.ann)
    assert export.person["Given name"] == "William"
    referrals = next(s for s in export.sections if s.key == "referrals")
    assert any("Help with my back pain at work" in row for row in referrals.rows)
    held = {s.title for s in export.held_with}
    assert "Referral status changes" in held or any("status" in t.lower() for t in held)
    who = [(line.who, line.what) for line in export.trail]
    assert any(w == (p.adviser_a.user.get_full_name(), "Viewed") for w in who)
    assert all("cases.case" not in line.record for line in export.trail)


def test_export_through_the_request_is_audited_and_needs_an_access_request(world):
    p = world.p
    request = RightsRequest.objects.get(person=world.ann, kind=RequestKind.ACCESS)
    before = AuditEvent.objects.count()
    services.subject_access_export(actor=p.admin, request=request, file_format="json")
    event = AuditEvent.objects.order_by("id").last()
    assert event is not None
    assert AuditEvent.objects.count() == before + 1
    assert (event.verb, event.person_id, event.payload) == (
        AuditVerb.EXPORTED,
        world.ann.pk,
        {"request": "access", "format": "json"},
    )
    erasure_request = RightsRequest.objects.get(kind=RequestKind.ERASURE)
    with pytest.raises(DomainError, match="not a subject access request"):
        services.subject_access_export(actor=p.admin, request=erasure_request, file_format="json")


def test_the_request_is_due_a_calendar_month_after_it_arrived():
    from datetime import date

    assert services.due_on(date(2026, 1, 3)) == date(2026, 2, 3)
    assert services.due_on(date(2026, 1, 31)) == date(2026, 2, 28)
    assert services.due_on(date(2028, 1, 31)) == date(2028, 2, 29)
    assert services.due_on(date(2026, 12, 15)) == date(2027, 1, 15)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_only_administrators_record_requests(world, role):
    actor = world.p.by_role()[role]
    with pytest.raises(NotPermitted):
        services.rights_request_record(
            actor=actor, reference=world.referral.reference, kind="access", received_on=timezone.localdate()
        )
