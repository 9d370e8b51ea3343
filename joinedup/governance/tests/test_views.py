"""The governance pages: what an administrator sees and does, and the permission matrix for every route."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.governance.models import DataSharingAgreement, Erasure, LegalHold, RequestKind, RightsRequest
from joinedup.organisations.models import Role
from joinedup.people.models import Person
from joinedup.testkit import page_text


def _routes(world):
    rr = RightsRequest.objects.get(person=world.ann, kind=RequestKind.ACCESS)
    hold = LegalHold.objects.get(person=world.ann)
    agreement = DataSharingAgreement.objects.create(
        title="UEA evaluation",
        recipient="University of East Anglia",
        purpose="Impact and savings",
        legal_basis="Article 6(1)(e), 9(2)(j)",
        fields=["person", "age_band"],
        starts_on=timezone.localdate(),
        expires_on=timezone.localdate().replace(year=timezone.localdate().year + 1),
        organisation=world.p.lead,
    )
    return {
        "requests": ("get", "/governance/requests/", "rights"),
        "request": ("get", f"/governance/requests/{rr.pk}/", "rights"),
        "answer": ("post", f"/governance/requests/{rr.pk}/answer/", "rights"),
        "erase": ("post", f"/governance/requests/{rr.pk}/erase/", "rights"),
        "export": ("get", f"/governance/requests/{rr.pk}/export/", "rights"),
        "export-json": ("get", f"/governance/requests/{rr.pk}/export.json", "rights"),
        "holds": ("get", "/governance/holds/", "rights"),
        "lift": ("post", f"/governance/holds/{hold.pk}/lift/", "rights"),
        "retention": ("get", "/governance/retention/", "rights"),
        "trail": ("get", f"/audit/?reference={world.referral.reference}", "audit"),
        "unusual": ("get", "/governance/unusual-access/", "audit"),
        "agreements": ("get", "/governance/agreements/", "extract"),
        "agreement": ("get", f"/governance/agreements/{agreement.pk}/", "extract"),
        "extract-csv": ("post", f"/governance/agreements/{agreement.pk}/extract.csv", "extract"),
        "extract-parquet": ("post", f"/governance/agreements/{agreement.pk}/extract.parquet", "extract"),
    }


ROUTES = [
    "requests", "request", "answer", "erase", "export", "export-json", "holds", "lift", "retention",
    "trail", "unusual", "agreements", "agreement", "extract-csv", "extract-parquet",
]  # fmt: skip


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("route", ROUTES)
def test_permission_matrix(client, world, role, route):
    method, url, _ = _routes(world)[route]
    client.force_login(world.p.by_role()[role].user)
    before = AuditEvent.objects.count()
    response = getattr(client, method)(url)
    if role == Role.ADMINISTRATOR:
        assert response.status_code in (200, 302, 400), (route, response.status_code)
    else:
        assert response.status_code == 403, (route, role, response.status_code)
        assert AuditEvent.objects.count() == before


def test_signed_out_is_sent_to_sign_in(client, world):
    for method, url, _ in _routes(world).values():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"], url


def test_recording_a_request_then_exporting_it(client, world):
    client.force_login(world.p.admin.user)
    today = timezone.localdate()
    response = client.post(
        "/governance/requests/",
        {
            "reference": world.referral.reference.lower(),
            "kind": "access",
            "received_on_0": today.day,
            "received_on_1": today.month,
            "received_on_2": today.year,
        },
    )
    assert response.status_code == 302
    rr = RightsRequest.objects.filter(kind="access").order_by("-created_at").first()
    assert rr is not None
    assert page_text(client.get("/governance/requests/")).count("William Ashworth") >= 1
    html = page_text(client.get(f"/governance/requests/{rr.pk}/export/"))
    assert "Everything Joined Up holds about William Ashworth" in html
    assert "Help with my back pain at work" in html
    assert "Who saw or changed your record" in html
    data = json.loads(client.get(f"/governance/requests/{rr.pk}/export.json").content)
    assert data["person"]["Given name"] == "William"
    assert AuditEvent.objects.filter(verb=AuditVerb.EXPORTED, person_id=world.ann.pk).count() == 2


def test_a_request_with_a_bad_reference_or_date_says_so(client, world):
    client.force_login(world.p.admin.user)
    response = client.post(
        "/governance/requests/",
        {"reference": "JU-NOTHERE", "kind": "access", "received_on_0": 1, "received_on_1": 1, "received_on_2": 2026},
    )
    assert response.status_code == 400 and "No referral has that reference" in page_text(response)
    future = timezone.localdate().replace(year=timezone.localdate().year + 1)
    response = client.post(
        "/governance/requests/",
        {
            "reference": world.referral.reference,
            "kind": "access",
            "received_on_0": future.day,
            "received_on_1": future.month,
            "received_on_2": future.year,
        },
    )
    assert response.status_code == 400 and "today or in the past" in page_text(response)


def test_rectification_corrects_and_audits_the_fields_not_the_values(client, world):
    from joinedup.governance import services

    rr = services.rights_request_record(
        actor=world.p.admin, reference=world.referral.reference, kind="rectification", received_on=timezone.localdate()
    )
    client.force_login(world.p.admin.user)
    person = world.ann
    form = {
        "given_name": "Will",
        "family_name": "Ashworth",
        "date_of_birth_0": 8,
        "date_of_birth_1": 3,
        "date_of_birth_2": 1979,
        "email": person.email,
        "phone": person.phone,
        "postcode": "ng18 2xy",
        "nhs_number": person.nhs_number,
    }
    assert client.post(f"/governance/requests/{rr.pk}/", form).status_code == 302
    person.refresh_from_db()
    assert (person.given_name, person.postcode) == ("Will", "NG18 2XY")
    event = AuditEvent.objects.filter(verb=AuditVerb.RECTIFIED).get()
    assert event.payload == {"request": "rectification", "fields": ["given_name", "postcode"]}
    bad = client.post(f"/governance/requests/{rr.pk}/", {**form, "postcode": "nowhere"})
    assert bad.status_code == 400 and "Enter a real postcode" in page_text(bad)


def test_rectification_checks_each_field_as_intake_does():
    from joinedup.core.errors import DomainError
    from joinedup.governance.rectification import checked_changes

    assert checked_changes({"email": " Will@Example.COM ", "phone": "", "given_name": " Will "}) == {
        "email": "will@example.com",
        "phone": "",
        "given_name": "Will",
    }
    for field, value, message in (
        ("given_name", "Wi\u202ell", "control characters"),
        ("family_name", "A" * 101, "100 characters or fewer"),
        ("email", "not an address", "correct format"),
        ("phone", "call me", "telephone number"),
        ("postcode", "", "Enter a postcode"),
    ):
        with pytest.raises(DomainError) as caught:
            checked_changes({field: value})
        assert caught.value.field == field and message in caught.value.message


def test_erasure_on_request_shows_the_plan_and_refuses_under_a_hold(client, world):
    from joinedup.governance import services

    rr = services.rights_request_record(
        actor=world.p.admin, reference=world.referral.reference, kind="erasure", received_on=timezone.localdate()
    )
    services.legal_hold_place(actor=world.p.admin, reference=world.referral.reference, reason="Tribunal claim")
    client.force_login(world.p.admin.user)
    page = page_text(client.get(f"/governance/requests/{rr.pk}/"))
    assert "Consents" in page and "UK GDPR article 7(1)" in page  # kept, and why
    refused = client.post(f"/governance/requests/{rr.pk}/erase/")
    assert refused.status_code == 400 and "legal hold" in page_text(refused)
    assert not Erasure.objects.filter(person=world.ann).exists()
    services.legal_hold_lift(actor=world.p.admin, hold=LegalHold.objects.get(person=world.ann, lifted_at=None))
    assert client.post(f"/governance/requests/{rr.pk}/erase/").status_code == 302
    assert Person.objects.get(pk=world.ann.pk).given_name == "Erased"
    rr.refresh_from_db()
    assert rr.outcome == "done" and rr.completed_at is not None
    assert AuditEvent.objects.filter(verb=AuditVerb.ERASED, person_id=world.ann.pk).count() == 1


def test_refusing_a_request_needs_the_exemption(client, world):
    rr = RightsRequest.objects.get(person=world.ann, kind=RequestKind.ACCESS)
    client.force_login(world.p.admin.user)
    response = client.post(f"/governance/requests/{rr.pk}/answer/", {"outcome": "refused", "note": ""})
    assert response.status_code == 400 and "Say which exemption applies" in page_text(response)
    assert client.post(f"/governance/requests/{rr.pk}/answer/", {"outcome": "done"}).status_code == 302
    rr.refresh_from_db()
    assert rr.outcome == "done"


def test_holds_page_places_and_lifts(client, world):
    client.force_login(world.p.admin.user)
    response = client.post("/governance/holds/", {"reference": world.referral.reference, "reason": "Police request"})
    assert response.status_code == 302
    hold = LegalHold.objects.get(person=world.ann, lifted_at=None)
    assert "Police request" in page_text(client.get("/governance/holds/"))
    again = client.post("/governance/holds/", {"reference": world.referral.reference, "reason": "Again"})
    assert again.status_code == 400 and "already under a legal hold" in page_text(again)
    client.post(f"/governance/holds/{hold.pk}/lift/")
    hold.refresh_from_db()
    assert hold.lifted_at is not None


def test_retention_page_lists_every_rule_with_its_basis(client, world):
    from joinedup.governance.retention import RULES

    client.force_login(world.p.admin.user)
    text = page_text(client.get("/governance/retention/"))
    for rule in RULES.values():
        assert rule.what in text and f"{rule.days} days" in text


def test_a_requests_page_is_audited_as_reading_the_person_and_the_lists_as_lists(client, world):
    from joinedup.governance import services

    rr = RightsRequest.objects.get(person=world.ann, kind=RequestKind.ACCESS)
    services.legal_hold_place(actor=world.p.admin, reference=world.referral.reference, reason="Tribunal claim")
    client.force_login(world.p.admin.user)
    before = AuditEvent.objects.count()
    assert client.get(f"/governance/requests/{rr.pk}/").status_code == 200
    viewed = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.verb, e.person_id, e.payload) for e in viewed] == [
        (AuditVerb.VIEWED, world.ann.pk, {"view": "rights_request", "request": "access"})
    ]
    for path, list_name in (("/governance/requests/", "rights_requests"), ("/governance/holds/", "legal_holds")):
        before = AuditEvent.objects.count()
        assert client.get(path).status_code == 200
        listed = list(AuditEvent.objects.order_by("id")[before:])
        assert [(e.verb, e.target_id, e.payload["shown"]) for e in listed] == [(AuditVerb.LISTED, list_name, 1)]
