"""Early help for a person in work who is off sick or at risk: fit note, employer contact,
return-to-work plan, Access to Work and the outcome. One audit event per change; nothing half-saved."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.cases.support.models import EarlyHelp
from joinedup.cases.support.services import EarlyHelpDetails, early_help_start, early_help_update
from joinedup.core.errors import DomainError, NotPermitted

from .test_services import backdate
from .test_views import day, summary


def today():
    return timezone.localdate()


@pytest.fixture
def case(partnership):
    case = partnership.enrol(partnership.assign(backdate(partnership.refer(), 100)), days_ago=60)
    partnership.job_start(case, days_ago=40)
    return case


def counts() -> tuple[int, int]:
    return EarlyHelp.objects.count(), AuditEvent.objects.count()


def start(case, actor, **details):
    return early_help_start(
        case=case,
        actor=actor,
        situation="off_sick",
        started_on=today() - timedelta(days=10),
        details=EarlyHelpDetails(**details),
    )


def test_start_update_and_close(partnership, case):
    a = partnership.adviser_a
    before = counts()
    help_ = start(
        case,
        a,
        fit_note_advice="not_fit",
        fit_note_from=today() - timedelta(days=12),
        fit_note_to=today() + timedelta(days=16),
        employer_contact=" Jo Patel, HR, 0115 496 0000 ",
    )
    assert counts() == (before[0] + 1, before[1] + 1)
    assert help_.employer_contact == "Jo Patel, HR, 0115 496 0000"
    assert AuditEvent.objects.order_by("-id").first().verb == AuditVerb.CREATED
    with pytest.raises(DomainError, match="already open"):
        start(case, a)
    details = EarlyHelpDetails(
        fit_note_advice="may_be_fit",
        fit_note_from=today() - timedelta(days=2),
        phased_return=True,
        adjusted_hours=True,
        access_to_work="applied",
        outcome="returned",
        outcome_on=today(),
    )
    early_help_update(early_help=help_, actor=a, details=details)
    help_.refresh_from_db()
    assert (help_.outcome, help_.access_to_work, help_.return_to_work_plan) == (
        "returned",
        "applied",
        ["Phased return", "Adjusted hours"],
    )
    assert AuditEvent.objects.order_by("-id").first().verb == AuditVerb.UPDATED
    assert counts() == (before[0] + 1, before[1] + 2)
    start(case, a)  # the first is closed, so a new episode may start


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"fit_note_advice": "not_fit"}, "fit_note_from"),
        (
            {"fit_note_from": timezone.localdate(), "fit_note_to": timezone.localdate() - timedelta(days=1)},
            "fit_note_to",
        ),
        ({"outcome": "returned"}, "outcome_on"),
        ({"outcome": "open", "outcome_on": timezone.localdate()}, "outcome_on"),
        ({"outcome": "left_employer", "outcome_on": timezone.localdate() - timedelta(days=30)}, "outcome_on"),
        ({"access_to_work": "maybe"}, "access_to_work"),
        ({"plan_notes": "x" * 2001}, "plan_notes"),
    ],
)
def test_bad_details_are_refused_and_nothing_saved(partnership, case, details, field):
    before = counts()
    with pytest.raises(DomainError) as exc:
        start(case, partnership.adviser_a, **details)
    assert exc.value.field == field
    assert counts() == before
    help_ = start(case, partnership.adviser_a)
    before = counts()
    with pytest.raises(DomainError):
        early_help_update(early_help=help_, actor=partnership.adviser_a, details=replace(EarlyHelpDetails(), **details))
    help_.refresh_from_db()
    assert help_.outcome == "open" and counts() == before


def test_scope(partnership, case):
    with pytest.raises(NotPermitted):
        start(case, partnership.adviser_b)
    help_ = start(case, partnership.adviser_a)
    with pytest.raises(NotPermitted):
        early_help_update(early_help=help_, actor=partnership.adviser_b, details=EarlyHelpDetails())


def test_the_pages(client, partnership, case):
    client.force_login(partnership.adviser_a.user)
    url = f"/cases/{case.pk}/early-help/new/"
    base = {"fit_note_advice": "none", "access_to_work": "not_needed", "outcome": "open"}
    response = client.post(url, base | {"situation": "off_sick"})
    assert response.status_code == 400 and "Enter the start date" in summary(response)
    response = client.post(url, base | {"situation": "at_risk", **day("started_on", today())})
    assert response.status_code == 302
    help_ = EarlyHelp.objects.get()
    edit = f"/cases/{case.pk}/early-help/{help_.pk}/"
    assert client.get(edit).status_code == 200
    data = base | {"outcome": "returned", "equipment": "on", **day("outcome_on", today())}
    assert client.post(edit, data).status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Returned to work" in page and "Equipment" in page
    client.force_login(partnership.adviser_b.user)
    assert client.get(edit).status_code == 404
