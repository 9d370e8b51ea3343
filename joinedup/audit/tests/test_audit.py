"""The audit trail: reading a person's record is recorded, and only administrators read the trail."""

from __future__ import annotations

import re

import pytest

from joinedup.audit.admin import AuditEventAdmin
from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.audit.selectors import audit_trail_for_reference
from joinedup.core.errors import NotPermitted
from joinedup.organisations.models import Role


@pytest.fixture
def case(partnership):
    return partnership.enrol(partnership.assign(partnership.refer(given_name="Tegan", family_name="Trail")))


def new_events(before: int):
    return list(AuditEvent.objects.order_by("id")[before:])


def test_viewing_a_case_writes_one_viewed_event(client, partnership, case):
    client.force_login(partnership.adviser_a.user)
    before = AuditEvent.objects.count()
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    events = new_events(before)
    assert len(events) == 1
    event = events[0]
    assert event.verb == AuditVerb.VIEWED
    assert (event.target_type, event.target_id) == ("cases.case", str(case.pk))
    assert event.person_id == case.person_id
    assert event.actor == partnership.adviser_a.user
    assert event.organisation == partnership.partner_a
    assert event.channel == "web"


def test_each_view_is_recorded(client, partnership, case):
    client.force_login(partnership.manager_a.user)
    for _ in range(3):
        client.get(f"/cases/{case.pk}/")
    assert AuditEvent.objects.filter(verb=AuditVerb.VIEWED, actor=partnership.manager_a.user).count() == 3


def test_referrer_and_triage_views_are_recorded(client, partnership):
    from joinedup.jobs.models import Job
    from joinedup.jobs.services import job_run

    referral = partnership.refer()
    # The person is checked against everyone known (linkage) by the background worker as the referral
    # arrives, recorded as MATCHED once, with no user; the triage page reads that check, never runs it.
    (check,) = Job.objects.filter(key=f"duplicate-check:{referral.pk}")
    before_check = AuditEvent.objects.count()
    assert job_run(job_id=str(check.pk), worker_id="test") == "done"  # as the worker would
    assert [(e.verb, e.actor, e.person_id) for e in new_events(before_check)] == [
        (AuditVerb.MATCHED, None, referral.person_id)
    ]
    client.force_login(partnership.referrer.user)
    before = AuditEvent.objects.count()
    client.get(f"/referrals/{referral.pk}/")
    client.force_login(partnership.programme.user)
    client.get(f"/referrals/triage/{referral.pk}/")
    events = new_events(before)
    assert [e for e in events if e.verb == AuditVerb.MATCHED] == []
    assert [(e.verb, e.actor, e.target_id) for e in events if e.verb != AuditVerb.MATCHED] == [
        (AuditVerb.VIEWED, partnership.referrer.user, str(referral.pk)),
        (AuditVerb.VIEWED, partnership.programme.user, str(referral.pk)),
    ]


def test_a_list_is_audited_once_as_a_list_not_as_reading_each_record(client, partnership, case):
    client.force_login(partnership.adviser_a.user)
    before = AuditEvent.objects.count()
    client.get("/cases/?show=all")
    events = new_events(before)
    assert [(e.verb, e.target_type, e.target_id) for e in events] == [(AuditVerb.LISTED, "list", "caseload")]
    assert events[0].payload == {"list": "caseload", "filters": {"show": "all"}, "shown": 1}
    assert events[0].person_id is None


def test_administrator_reads_a_persons_trail_and_that_is_recorded(client, partnership, case):
    referral = case.referral
    other = partnership.refer(given_name="Someone", family_name="Else")
    client.force_login(partnership.adviser_a.user)
    client.get(f"/cases/{case.pk}/")
    trail_before = AuditEvent.objects.filter(person_id=case.person_id).count()
    before = AuditEvent.objects.count()

    client.force_login(partnership.admin.user)
    response = client.get("/audit/", {"reference": referral.reference.lower()})
    assert response.status_code == 200

    events = new_events(before)
    assert len(events) == 1
    viewed = events[0]
    assert viewed.verb == AuditVerb.VIEWED
    assert viewed.actor == partnership.admin.user
    assert viewed.person_id == case.person_id
    assert viewed.payload == {"view": "audit_trail"}

    page = response.content.decode()
    assert "Tegan Trail" in page
    table = re.search(r'data-testid="trail".*?</table>', page, re.S).group(0)
    rows = re.findall(r'<tr class="govuk-table__row">', table)
    # Grouped in plain words: a run by one user on one record is one line, so fewer lines than events.
    assert 1 < len(rows) - 1 <= trail_before + 1
    for label in ("Created", "Assigned", "Enrolled", "Viewed"):
        assert label in table
    assert "cases.case" not in table and "referrals.referral" not in table
    assert f"Case {referral.reference}" in table
    assert "Someone Else" not in page
    assert str(other.pk) not in page


def test_unknown_reference_says_so_and_records_nothing(client, partnership, case):
    client.force_login(partnership.admin.user)
    before = AuditEvent.objects.count()
    response = client.get("/audit/", {"reference": "JU-NOTHERE"})
    assert "No referral has that reference" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_audit_page_without_a_reference_shows_the_search(client, partnership):
    client.force_login(partnership.admin.user)
    response = client.get("/audit/")
    assert response.status_code == 200
    assert 'name="reference"' in response.content.decode()
    assert "There is a problem" not in response.content.decode()


@pytest.mark.parametrize(
    "role", [Role.REFERRER, Role.PERSONAL_ADVISER, Role.PARTNER_MANAGER, Role.PROGRAMME_MANAGER, Role.ANALYST]
)
def test_non_administrators_get_403_and_nothing_is_recorded(client, partnership, case, role):
    membership = partnership.by_role()[role]
    client.force_login(membership.user)
    before = AuditEvent.objects.count()
    for query in ({}, {"reference": case.referral.reference}):
        response = client.get("/audit/", query)
        assert response.status_code == 403
        assert "Tegan Trail" not in response.content.decode()
    assert AuditEvent.objects.count() == before
    with pytest.raises(NotPermitted):
        audit_trail_for_reference(actor=membership, reference=case.referral.reference)


def test_anonymous_is_sent_to_sign_in(client, case):
    response = client.get("/audit/", {"reference": case.referral.reference})
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_audit_events_cannot_be_changed_in_django_admin():
    from django.contrib import admin

    from joinedup.audit.models import AuditEvent as Model

    model_admin = AuditEventAdmin(Model, admin.site)
    assert not model_admin.has_add_permission(None)
    assert not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)


def test_an_undeclared_verb_is_refused_for_a_record_and_for_a_list(partnership):
    from joinedup.audit.services import audit_list, audit_record

    admin = partnership.admin
    with pytest.raises(ValueError, match="Unknown audit verb"):
        audit_record(actor=admin.user, verb="peeked", target=admin.organisation)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Unknown audit verb"):
        audit_list(actor=admin.user, organisation=admin.organisation, list_name="caseload", shown=1, verb="peeked")  # type: ignore[arg-type]


def test_a_list_search_records_that_a_search_was_given_not_its_text(client, partnership, case):
    """Review finding: the referral search's box (a person's name) was stored in the event."""
    client.force_login(partnership.programme.user)
    assert client.get("/referrals/search/", {"q": "Tegan Trail", "status": "enrolled"}).status_code == 200
    event = AuditEvent.objects.filter(verb=AuditVerb.LISTED, target_id="referral_search").latest("id")
    assert event.payload["filters"] == {"q": "(search given)", "status": "enrolled"}
    assert "Tegan" not in str(event.payload)


def test_the_caseload_search_box_is_not_stored_either(client, partnership, case):
    client.force_login(partnership.adviser_a.user)
    assert client.get("/cases/", {"q": "Tegan", "stage": "enrolled"}).status_code == 200
    event = AuditEvent.objects.filter(verb=AuditVerb.LISTED, target_id="caseload").latest("id")
    assert event.payload["filters"] == {"q": "(search given)", "stage": "enrolled"}


def test_an_empty_search_box_is_no_search():
    from joinedup.audit.services import _filters

    assert _filters({"q": "  ", "page": "2"}) == {"page": "2"}
