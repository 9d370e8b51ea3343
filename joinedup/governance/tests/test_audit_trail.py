"""Audit people can use: lists audited once per view, the API replay audited, the trail in plain
words with search and CSV export, and the report of unusual access."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from joinedup.api.services import api_token_issue
from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.audit.services import audit_record
from joinedup.core.errors import NotPermitted
from joinedup.governance.access import unusual_access
from joinedup.organisations.models import Role
from joinedup.testkit import page_text

LISTS = {
    "caseload": ("adviser_a", "/cases/?show=all"),
    "team": ("manager_a", "/cases/team/"),
    "triage_queue": ("programme", "/referrals/triage/"),
    "offered": ("manager_a", "/referrals/offered/"),
    "referrals_made": ("referrer", "/referrals/"),
    "timeliness": ("programme", "/referrals/timeliness/"),
    "merges": ("programme", "/linkage/merges/"),
}


@pytest.mark.parametrize("name", LISTS)
def test_each_list_of_people_is_audited_once_per_view(client, world, name):
    who, url = LISTS[name]
    member = getattr(world.p, who)
    client.force_login(member.user)
    before = AuditEvent.objects.count()
    assert client.get(url).status_code == 200
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert len(events) == 1, [(e.verb, e.target_type) for e in events]
    event = events[0]
    assert (event.verb, event.target_type, event.target_id) == (AuditVerb.LISTED, "list", name)
    assert (event.actor, event.organisation) == (member.user, member.organisation)
    assert event.payload["list"] == name and isinstance(event.payload["shown"], int)


def test_the_list_records_its_filters_and_how_many_people(client, world):
    client.force_login(world.p.adviser_a.user)
    client.get("/cases/", {"show": "all", "stage": "enrolled"})
    event = AuditEvent.objects.filter(verb=AuditVerb.LISTED, target_id="caseload").latest("id")
    assert event.payload["filters"] == {"show": "all", "stage": "enrolled"}
    assert event.payload["shown"] == 1


def test_an_api_replay_is_audited_as_reading_the_referral(client, partnership):
    _, key = api_token_issue(membership=partnership.referrer)
    body = {
        "given_name": "Ann",
        "family_name": "Lee",
        "date_of_birth": "1980-05-01",
        "postcode": "NG18 1AB",
        "employment_status": "unemployed",
        "benefits": ["uc_lcw"],
        "health_condition": "mental_health",
        "help_wanted": "Part-time work",
        "consent_referral": True,
        "consent_share_progress": True,
    }
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    first = client.post("/api/v1/referrals/", body, content_type="application/json", **headers)
    assert first.status_code == 201
    before = AuditEvent.objects.count()
    again = client.post("/api/v1/referrals/", body, content_type="application/json", **headers)
    assert again.status_code == 200
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.verb, e.channel, e.payload) for e in events] == [
        (AuditVerb.VIEWED, "api", {"replay": "Idempotency-Key"})
    ]


def test_the_trail_is_in_plain_words_and_groups_repeated_views(client, world):
    p = world.p
    client.force_login(p.adviser_a.user)
    for _ in range(4):
        client.get(f"/cases/{world.case.pk}/")
    client.force_login(p.admin.user)
    text = page_text(client.get("/audit/", {"reference": world.referral.reference}))
    assert "Viewed (4 times)" in text
    assert f"Case {world.referral.reference}" in text
    assert "cases.case" not in text
    assert p.adviser_a.user.get_full_name() in text


def test_the_trail_searches_by_name_user_and_dates(client, world):
    p = world.p
    client.force_login(p.adviser_a.user)
    client.get(f"/cases/{world.case.pk}/")
    client.force_login(p.admin.user)
    by_name = client.get("/audit/", {"name": "ashworth"})
    assert by_name.status_code == 200 and "Case " + world.referral.reference in page_text(by_name)
    by_user = page_text(client.get("/audit/", {"user": p.adviser_a.user.username}))
    assert "Enrolled" in by_user and "Created" not in by_user  # only what that user did
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    empty = page_text(
        client.get(
            "/audit/",
            {
                "user": p.adviser_a.user.username,
                "since_0": tomorrow.day,
                "since_1": tomorrow.month,
                "since_2": tomorrow.year,
            },
        )
    )
    assert "Nothing is recorded" in empty
    nobody = client.get("/audit/", {"name": "Nobody Atall"})
    assert nobody.status_code == 400 and "Nobody of that name is known" in page_text(nobody)
    backwards = client.get(
        "/audit/",
        {
            "user": "x",
            "since_0": tomorrow.day, "since_1": tomorrow.month, "since_2": tomorrow.year,
            "until_0": today.day, "until_1": today.month, "until_2": today.year,
        },
    )  # fmt: skip
    assert backwards.status_code == 400 and "same as or after the first date" in page_text(backwards)
    assert client.get("/audit/").status_code == 200  # no search: the form
    blank = client.get("/audit/", {"name": ""})
    assert blank.status_code == 400 and "Enter a referral reference, a name, a user or dates" in page_text(blank)


def test_the_trail_exports_as_csv_and_that_is_audited(client, world):
    client.force_login(world.p.admin.user)
    response = client.get("/audit/", {"reference": world.referral.reference, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["When", "Who", "Organisation", "What", "Record", "About", "Why", "Channel"]
    assert any(r[3] == "Enrolled" and r[5] == "William Ashworth" for r in rows[1:])
    exported = AuditEvent.objects.filter(verb=AuditVerb.EXPORTED, person_id=world.ann.pk).latest("id")
    assert exported.payload == {"view": "audit_trail", "format": "csv"}


def _views(member, people, at):
    for person in people:
        event = audit_record(actor=member.user, verb=AuditVerb.VIEWED, target=member.organisation, person_id=person)
        AuditEvent.objects.filter(pk=event.pk).update(at=at)


@override_settings(UNUSUAL_ACCESS_MIN_PEOPLE=10, UNUSUAL_ACCESS_FACTOR=3)
def test_unusual_access_flags_an_hour_far_above_the_users_usual(client, partnership):
    p = partnership
    now = timezone.now()
    for day in range(10, 20):  # a usual hour: 4 people
        _views(p.adviser_a, [uuid.uuid4() for _ in range(4)], now - timedelta(days=day))
    _views(p.adviser_a, [uuid.uuid4() for _ in range(30)], now - timedelta(hours=2))  # then 30 in an hour
    _views(p.adviser_b, [uuid.uuid4() for _ in range(12)], now - timedelta(hours=3))  # no history: 12 >= 10
    _views(p.manager_a, [uuid.uuid4() for _ in range(5)], now - timedelta(hours=1))  # few: not flagged
    hours = unusual_access(actor=p.admin, now=now)
    flagged = {h.user: (h.people, h.usual) for h in hours}
    name = p.adviser_a.user.get_full_name()
    assert flagged[name] == (30, 4.0)
    assert flagged[p.adviser_b.user.get_full_name()] == (12, 0.0)
    assert p.manager_a.user.get_full_name() not in flagged
    client.force_login(p.admin.user)
    assert name in page_text(client.get("/governance/unusual-access/"))


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_unusual_access_is_for_administrators(partnership, role):
    with pytest.raises(NotPermitted):
        unusual_access(actor=partnership.by_role()[role])


def test_a_csv_cell_is_never_a_formula():
    from joinedup.governance.trail import csv_cell

    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("@SUM") == "'@SUM" and csv_cell("Ann") == "Ann" and csv_cell("") == ""
