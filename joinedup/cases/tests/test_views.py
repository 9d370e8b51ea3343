"""The case pages' forms: problems come back as a 400 with the GOV.UK error summary; nothing is saved."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.cases.contacts.models import Contact
from joinedup.cases.enrolment.models import Case
from joinedup.cases.work.models import JobStart, Sustainment


def day(prefix: str, when) -> dict[str, str]:
    return {f"{prefix}_0": str(when.day), f"{prefix}_1": str(when.month), f"{prefix}_2": str(when.year)}


def summary(response) -> str:
    page = response.content.decode()
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    assert match, "no GOV.UK error summary on the page"
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", match.group(0))))


def counts() -> tuple[int, ...]:
    """What a refused write must not have added to: the records, and every audit event but reads
    (showing the form again is an audited read of the person's record)."""
    return (
        Case.objects.count(),
        Contact.objects.count(),
        JobStart.objects.count(),
        Sustainment.objects.count(),
        AuditEvent.objects.exclude(verb=AuditVerb.VIEWED).count(),
    )


@pytest.fixture
def case(partnership):
    return partnership.enrol(partnership.assign(partnership.refer()))


@pytest.fixture
def adviser(client, partnership):
    client.force_login(partnership.adviser_a.user)
    return client


TOMORROW = timezone.localdate() + timedelta(days=1)


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("contacts/new/", {}, "Enter the contact date"),
        (
            "contacts/new/",
            {**day("happened_on", TOMORROW), "channel": "phone", "kind": "support", "duration_minutes": "30"},
            "The contact date must be today or in the past.",
        ),
        (
            "contacts/new/",
            {
                "happened_on_0": "31",
                "happened_on_1": "2",
                "happened_on_2": "2026",
                "channel": "phone",
                "kind": "support",
                "duration_minutes": "30",
            },
            "Contact date must be a real date",
        ),
        (
            "contacts/new/",
            {**day("happened_on", TOMORROW), "channel": "phone", "kind": "support", "duration_minutes": "half"},
            "Duration must be a whole number of minutes",
        ),
        ("job-starts/new/", {}, "Enter the employer"),
        (
            "job-starts/new/",
            {
                "employer_name": "Boots",
                "job_title": "Retail assistant",
                "hours_per_week": "16",
                "hourly_pay": "12.21",
                "contract_type": "permanent",
                **day("start_date", TOMORROW),
            },
            "The start date must be today or in the past.",
        ),
        (
            "job-starts/new/",
            {
                "employer_name": "Boots",
                "job_title": "Retail assistant",
                "hours_per_week": "100",
                "hourly_pay": "lots",
                **day("start_date", timezone.localdate()),
            },
            "Hours must be between 0.5 and 80 a week",
        ),
    ],
)
def test_case_forms_refuse_bad_input_plainly(adviser, case, path, data, message):
    before, reads = counts(), AuditEvent.objects.filter(verb=AuditVerb.VIEWED).count()
    response = adviser.post(f"/cases/{case.pk}/{path}", data)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert message in summary(response)
    assert counts() == before
    assert AuditEvent.objects.filter(verb=AuditVerb.VIEWED).count() == reads + 1


def test_enrol_form_without_eligibility_or_consent(adviser, partnership):
    referral = partnership.assign(partnership.refer())
    before = counts()
    response = adviser.post(f"/cases/enrol/{referral.pk}/", day("enrolled_on", timezone.localdate()))
    assert response.status_code == 400
    assert "Confirm the person is eligible before enrolling them." in summary(response)
    assert counts() == before


def test_empty_enrol_post_is_an_error_not_a_blank_form(adviser, partnership):
    referral = partnership.assign(partnership.refer())
    response = adviser.post(f"/cases/enrol/{referral.pk}/", {})
    assert response.status_code == 400
    assert "Enter the enrolment date" in summary(response)
    assert Case.objects.count() == 0


def test_sustainment_too_early_is_shown_on_the_page(adviser, partnership, case):
    job = partnership.job_start(case)
    response = adviser.post(
        f"/cases/{case.pk}/job-starts/{job.pk}/sustainment/",
        {"weeks": "13", **day("achieved_on", timezone.localdate()), "evidence": "Payslip"},
    )
    assert response.status_code == 400
    assert "13 weeks in work is reached on" in summary(response)
    assert Sustainment.objects.count() == 0


def test_a_good_contact_redirects_to_the_case(adviser, case):
    response = adviser.post(
        f"/cases/{case.pk}/contacts/new/",
        {
            **day("happened_on", timezone.localdate()),
            "channel": "video",
            "kind": "job_search",
            "duration_minutes": "45",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert Contact.objects.get().duration_minutes == 45
