"""Job search: vacancies applied for and interviews, one audit event per change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent
from joinedup.cases.work.models import JobApplication
from joinedup.cases.work.services import job_application_record, job_application_update
from joinedup.core.errors import DomainError, NotPermitted

from .test_services import backdate
from .test_views import day, summary


def today():
    return timezone.localdate()


@pytest.fixture
def case(partnership):
    return partnership.enrol(partnership.assign(backdate(partnership.refer(), 100)), days_ago=60)


def counts() -> tuple[int, int]:
    return JobApplication.objects.count(), AuditEvent.objects.count()


def test_record_and_update(partnership, case):
    a = partnership.adviser_a
    before = counts()
    app = job_application_record(
        case=case, actor=a, employer_name=" Tesco ", job_title="Night shelf stacker", applied_on=today()
    )
    assert (app.employer_name, app.status) == ("Tesco", "applied")
    job_application_update(application=app, actor=a, status="interview", interview_on=today() + timedelta(days=3))
    app.refresh_from_db()
    assert (app.status, app.interview_on) == ("interview", today() + timedelta(days=3))
    assert counts() == (before[0] + 1, before[1] + 2)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"employer_name": " "}, "employer_name"),
        ({"job_title": ""}, "job_title"),
        ({"applied_on": timezone.localdate() + timedelta(days=1)}, None),
        ({"applied_on": timezone.localdate() - timedelta(days=61)}, "applied_on"),
        ({"status": "ghosted"}, "status"),
        ({"interview_on": timezone.localdate() - timedelta(days=1)}, "interview_on"),
    ],
)
def test_bad_applications_are_refused(partnership, case, overrides, field):
    values = {"employer_name": "Tesco", "job_title": "Cashier", "applied_on": today()} | overrides
    before = counts()
    with pytest.raises(DomainError) as exc:
        job_application_record(case=case, actor=partnership.adviser_a, **values)
    assert exc.value.field == field
    assert counts() == before


def test_scope_and_pages(client, partnership, case):
    with pytest.raises(NotPermitted):
        job_application_record(
            case=case, actor=partnership.adviser_b, employer_name="x", job_title="y", applied_on=today()
        )
    client.force_login(partnership.adviser_a.user)
    url = f"/cases/{case.pk}/applications/new/"
    response = client.post(url, {"job_title": "Cashier", "status": "applied", **day("applied_on", today())})
    assert response.status_code == 400 and "Enter the employer's name" in summary(response)
    data = {"employer_name": "Aldi", "job_title": "Cashier", "status": "applied", **day("applied_on", today())}
    assert client.post(url, data).status_code == 302
    app = JobApplication.objects.get()
    edit = f"/cases/{case.pk}/applications/{app.pk}/"
    assert client.post(edit, {"status": "offered"}).status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Offered the job" in page and "Cashier, Aldi" in page
    client.force_login(partnership.adviser_b.user)
    assert client.get(edit).status_code == 404
