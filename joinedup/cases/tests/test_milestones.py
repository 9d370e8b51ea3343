"""In-work milestones at 4, 13 and 26 weeks and a 6-month follow-up: due automatically from the start
date (across month ends, leap years and back-dated starts), recorded once each with the outcome."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.cases.enrolment import stages
from joinedup.cases.work.models import MILESTONES_BY_CODE, JobStart, Sustainment, add_months
from joinedup.cases.work.selectors import case_milestones
from joinedup.cases.work.services import sustainment_record
from joinedup.core.errors import DomainError
from joinedup.insights.selectors import dashboard

from .test_services import backdate
from .test_views import day, summary


def today():
    return timezone.localdate()


def due(start: date, code: str) -> date:
    return JobStart(start_date=start).milestone_due_on(MILESTONES_BY_CODE[code])


@pytest.mark.parametrize(
    ("start", "four", "thirteen", "twenty_six", "six_months"),
    [
        # Month ends: 31 August + 6 months has no 31 February, so the follow-up falls on the month's last day.
        (date(2026, 8, 31), date(2026, 9, 28), date(2026, 11, 30), date(2027, 3, 1), date(2027, 2, 28)),
        (date(2027, 8, 31), date(2027, 9, 28), date(2027, 11, 30), date(2028, 2, 29), date(2028, 2, 29)),
        (date(2026, 1, 31), date(2026, 2, 28), date(2026, 5, 2), date(2026, 8, 1), date(2026, 7, 31)),
        # Leap years: starting on 29 February, and weeks spanning it.
        (date(2028, 2, 29), date(2028, 3, 28), date(2028, 5, 30), date(2028, 8, 29), date(2028, 8, 29)),
        (date(2028, 2, 1), date(2028, 2, 29), date(2028, 5, 2), date(2028, 8, 1), date(2028, 8, 1)),
        (date(2027, 12, 31), date(2028, 1, 28), date(2028, 3, 31), date(2028, 6, 30), date(2028, 6, 30)),
        # Year end.
        (date(2026, 12, 15), date(2027, 1, 12), date(2027, 3, 16), date(2027, 6, 15), date(2027, 6, 15)),
    ],
)
def test_due_dates_across_month_ends_and_leap_years(start, four, thirteen, twenty_six, six_months):
    assert (due(start, "4w"), due(start, "13w"), due(start, "26w"), due(start, "6m")) == (
        four,
        thirteen,
        twenty_six,
        six_months,
    )


def test_add_months_clamps_to_the_last_day():
    assert add_months(date(2028, 8, 31), 6) == date(2029, 2, 28)
    assert add_months(date(2031, 8, 30), 6) == date(2032, 2, 29)
    assert add_months(date(2026, 3, 31), 6) == date(2026, 9, 30)
    assert add_months(date(2026, 7, 15), 6) == date(2027, 1, 15)


@pytest.fixture
def case(partnership):
    return partnership.enrol(partnership.assign(backdate(partnership.refer(), 400)), days_ago=300)


def record(job, actor, **kw):
    values = {"achieved_on": today(), "evidence": "Payslip seen"} | kw
    return sustainment_record(job_start=job, actor=actor, **values)


def test_back_dated_start_all_four_due_and_recorded_once_each(partnership, case):
    a = partnership.adviser_a
    job = partnership.job_start(case, days_ago=250)
    shown = case_milestones(case=case)
    assert [m.milestone.code for m in shown] == ["4w", "13w", "26w", "6m"]
    assert all(m.status == "due" for m in shown)
    before = AuditEvent.objects.count()
    record(job, a, weeks=4)
    record(job, a, weeks=13, outcome="changed_job")
    record(job, a, weeks=26)
    record(job, a, months=6, outcome="left_work", evidence="Left in month 6: caring duties")
    assert AuditEvent.objects.count() == before + 4
    assert AuditEvent.objects.order_by("-id").first().verb == AuditVerb.SUSTAINMENT_RECORDED
    shown = {m.milestone.code: m for m in case_milestones(case=case)}
    assert all(m.status == "recorded" for m in shown.values())
    assert shown["6m"].recorded.outcome == "left_work" and not shown["6m"].recorded.in_work
    case.refresh_from_db()
    assert case.stage == stages.SUSTAINED_26
    for kw in ({"weeks": 4}, {"months": 6}):
        with pytest.raises(DomainError, match="already recorded"):
            record(job, a, **kw)
    assert Sustainment.objects.count() == 4


def test_a_recent_start_shows_what_is_not_due_yet(partnership, case):
    job = partnership.job_start(case, days_ago=30)
    status = {m.milestone.code: m.status for m in case_milestones(case=case)}
    assert status == {"4w": "due", "13w": "upcoming", "26w": "upcoming", "6m": "upcoming"}
    with pytest.raises(DomainError, match="6-month follow-up is reached on"):
        record(job, partnership.adviser_a, months=6)
    with pytest.raises(DomainError, match="4 weeks in work is reached on"):
        record(job, partnership.adviser_a, weeks=4, achieved_on=today() - timedelta(days=5))


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"weeks": 8}, "4, 13 and 26 weeks and a 6-month follow-up"),
        ({"months": 12}, "4, 13 and 26 weeks and a 6-month follow-up"),
        ({"weeks": 4, "months": 6}, "Select the milestone."),
        ({}, "Select the milestone."),
        ({"weeks": 4, "outcome": "retired"}, "Select the outcome"),
        ({"weeks": 4, "evidence": "x" * 2001}, "2,000 characters"),
    ],
)
def test_bad_milestones_are_refused_and_nothing_saved(partnership, case, kw, message):
    job = partnership.job_start(case, days_ago=250)
    before = (Sustainment.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError, match=message):
        record(job, partnership.adviser_a, **kw)
    assert (Sustainment.objects.count(), AuditEvent.objects.count()) == before


def test_left_work_at_13_weeks_does_not_move_the_stage_and_26_left_work_is_not_counted(partnership, case):
    a = partnership.adviser_a
    job = partnership.job_start(case, days_ago=250)
    record(job, a, weeks=13, outcome="left_work")
    case.refresh_from_db()
    assert case.stage == stages.IN_WORK
    record(job, a, weeks=26, outcome="left_work")
    assert dashboard(actor=partnership.programme).total.sustained_26 == 0
    other = partnership.enrol(partnership.assign(backdate(partnership.refer(given_name="B"), 400)), days_ago=300)
    job_b = partnership.job_start(other, days_ago=250)
    record(job_b, a, weeks=13)
    record(job_b, a, weeks=26)
    assert dashboard(actor=partnership.programme).total.sustained_26 == 1


def test_the_page_and_form(client, partnership, case):
    client.force_login(partnership.adviser_a.user)
    job = partnership.job_start(case, days_ago=100)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Record 4 weeks" in page and "Record 13 weeks" in page and "Not due yet" in page
    url = f"/cases/{case.pk}/job-starts/{job.pk}/sustainment/"
    assert re.search(r'value="4"[^>]*checked', client.get(url + "?milestone=4").content.decode())
    response = client.post(url, {"weeks": "6m", **day("achieved_on", today()), "evidence": "Phoned"})
    assert response.status_code == 400 and "6-month follow-up is reached on" in summary(response)
    response = client.post(
        url, {"weeks": "4", "outcome": "changed_job", **day("achieved_on", today()), "evidence": "x"}
    )
    assert response.status_code == 302
    assert Sustainment.objects.get().outcome == "changed_job"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "In work, but changed job" in page


def test_reminders_list_due_milestones_for_open_cases(client, partnership, case):
    from joinedup.cases.support.services import case_exit
    from joinedup.cases.work.selectors import milestones_due

    a = partnership.adviser_a
    job = partnership.job_start(case, days_ago=100)  # 4 and 13 weeks due, 26 and 6 months not yet
    assert [(m.milestone.code, m.job_start) for m in milestones_due(actor=a)] == [("4w", job), ("13w", job)]
    record(job, a, weeks=4)
    assert [m.milestone.code for m in milestones_due(actor=a)] == ["13w"]
    assert milestones_due(actor=partnership.adviser_b, mine_only=False) == []
    client.force_login(a.user)
    page = client.get("/cases/").content.decode()
    assert 'data-testid="milestones-due"' in page and "13 weeks in work" in page
    case_exit(case=case, actor=a, closed_on=today(), destination="paid_work", reason="Settled in work")
    assert milestones_due(actor=a) == []


@pytest.mark.parametrize("on", [date(2027, 2, 28), date(2027, 3, 1), date(2026, 8, 31), date(2028, 2, 29)])
def test_reminders_are_exactly_the_due_unrecorded_milestones_around_month_ends(partnership, case, monkeypatch, on):
    """The database picks the job starts that may have a milestone due; every due, unrecorded
    milestone is listed and nothing else, on days where months of different lengths meet."""
    from joinedup.cases.work.models import MILESTONES
    from joinedup.cases.work.selectors import milestones_due

    monkeypatch.setattr(timezone, "localdate", lambda *args: on)
    type(case).objects.filter(pk=case.pk).update(enrolled_on=on - timedelta(days=500))
    case.refresh_from_db()
    a = partnership.adviser_a
    offsets = [27, 28, 29, 90, 91, 92, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 200, 399, 400, 401]
    jobs = [partnership.job_start(case, days_ago=n) for n in offsets]
    for n, job in enumerate(jobs):  # some milestones already recorded
        due_now = [m for m in MILESTONES if job.milestone_due_on(m) <= on]
        if n % 2:  # all its week milestones recorded, so only the 6-month one may be due
            chosen = [m for m in due_now if m.weeks]
        elif n % 3 == 0:
            chosen = due_now[:1]
        else:
            chosen = []
        for milestone in chosen:
            record(job, a, weeks=milestone.weeks, months=milestone.months, achieved_on=on)
    expected = sorted(
        (job.milestone_due_on(m), job.pk, m.code)
        for job in jobs
        if (on - job.start_date).days <= 400
        for m in MILESTONES
        if job.milestone_due_on(m) <= on
        and not Sustainment.objects.filter(job_start=job, weeks=m.weeks, months=m.months).exists()
    )
    shown = milestones_due(actor=a, limit=1000)
    assert sorted((m.due_on, m.job_start.pk, m.milestone.code) for m in shown) == expected
    assert [m.due_on for m in shown] == sorted(m.due_on for m in shown)
    assert any(code == "6m" for _, _, code in expected)
