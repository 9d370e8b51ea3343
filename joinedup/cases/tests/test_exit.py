"""Exit with destination and reason; re-engagement of a person who returns."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.cases.contacts.services import contact_record
from joinedup.cases.enrolment import stages
from joinedup.cases.enrolment.selectors import CaseloadFilters, caseload
from joinedup.cases.support.models import CaseExit
from joinedup.cases.support.services import case_exit, case_reengage
from joinedup.core.errors import DomainError, NotPermitted

from .test_services import backdate
from .test_views import day, summary


def today():
    return timezone.localdate()


@pytest.fixture
def case(partnership):
    return partnership.enrol(partnership.assign(backdate(partnership.refer(), 100)), days_ago=60)


def counts() -> tuple[int, int]:
    return CaseExit.objects.count(), AuditEvent.objects.count()


def test_exit_then_reengage_restores_the_stage(partnership, case):
    a = partnership.adviser_a
    partnership.job_start(case, days_ago=10)
    before = counts()
    exit_ = case_exit(
        case=case, actor=a, closed_on=today() - timedelta(days=2), destination="paid_work", reason=" Settled "
    )
    assert counts() == (before[0] + 1, before[1] + 1)
    case.refresh_from_db()
    assert (case.stage, case.closed_on, exit_.stage_before, exit_.reason) == (
        stages.CLOSED,
        today() - timedelta(days=2),
        stages.IN_WORK,
        "Settled",
    )
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.verb, event.payload["change"]) == (AuditVerb.STATUS_CHANGED, "exited")
    assert case not in [r.case for r in caseload(actor=a, filters=CaseloadFilters(stage="active"))]
    with pytest.raises(DomainError, match="already closed"):
        case_exit(case=case, actor=a, closed_on=today(), destination="other", reason="x")
    with pytest.raises(DomainError, match="before support ended"):
        case_reengage(case=case, actor=a, reengaged_on=today() - timedelta(days=3), reason="Back")
    case_reengage(case=case, actor=a, reengaged_on=today(), reason="Lost the job, wants help again")
    case.refresh_from_db()
    assert (case.stage, case.closed_on) == (stages.IN_WORK, None)
    exit_.refresh_from_db()
    assert exit_.reengaged_on == today()
    assert counts() == (before[0] + 1, before[1] + 2)
    with pytest.raises(DomainError, match="Only a closed case"):
        case_reengage(case=case, actor=a, reengaged_on=today(), reason="Again")
    contact_record(case=case, actor=a, happened_on=today(), channel="phone", kind="support", duration_minutes=10)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"destination": "moon"}, "destination"),
        ({"reason": "  "}, "reason"),
        ({"closed_on": timezone.localdate() + timedelta(days=1)}, None),
        ({"closed_on": timezone.localdate() - timedelta(days=61)}, "closed_on"),
    ],
)
def test_bad_exits_are_refused_and_nothing_changes(partnership, case, overrides, field):
    values = {"closed_on": today(), "destination": "education", "reason": "College course"} | overrides
    before = counts()
    with pytest.raises(DomainError) as exc:
        case_exit(case=case, actor=partnership.adviser_a, **values)
    assert exc.value.field == field
    assert counts() == before
    case.refresh_from_db()
    assert case.stage == stages.ENROLLED


def test_other_partners_cannot_exit(partnership, case):
    with pytest.raises(NotPermitted):
        case_exit(case=case, actor=partnership.adviser_b, closed_on=today(), destination="other", reason="x")


def test_the_pages(client, partnership, case):
    client.force_login(partnership.adviser_a.user)
    response = client.post(f"/cases/{case.pk}/exit/", {"destination": "volunteering", **day("closed_on", today())})
    assert response.status_code == 400 and "Enter why support ended" in summary(response)
    response = client.post(
        f"/cases/{case.pk}/exit/",
        {"destination": "volunteering", "reason": "Volunteering at the food bank", **day("closed_on", today())},
    )
    assert response.status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="closed"' in page and "Volunteering at the food bank" in page
    response = client.post(f"/cases/{case.pk}/reengage/", {"reason": "Back", **day("reengaged_on", today())})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == stages.ENROLLED
    client.force_login(partnership.adviser_b.user)
    assert client.get(f"/cases/{case.pk}/exit/").status_code == 404
    assert client.get(f"/cases/{case.pk}/reengage/").status_code == 404
