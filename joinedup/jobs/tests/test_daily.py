"""Daily jobs (`jobs.daily`): queued once a day from the configured time, however many workers look,
and run by the worker's own loop."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from joinedup.jobs.daily import DailyJobs, daily_key, daily_schedule
from joinedup.jobs.models import Job, JobStatus
from joinedup.jobs.worker import run_worker

NAME = "joinedup.jobs.tests.jobs_for_tests.daily_for_tests"


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    today = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(today.year, today.month, today.day, hour, minute))


@override_settings(JOBS_DAILY={NAME: "02:30"})
def test_queued_once_a_day_from_its_time_whichever_worker_looks(db):
    first, second = DailyJobs(), DailyJobs()  # two workers
    assert first.enqueue_due(at(2, 29)) == []
    [job] = first.enqueue_due(at(2, 30))
    assert job.key == daily_key(NAME, at(2, 30).date())
    assert (job.arguments, job.status) == ({"day": str(at(0).date())}, "queued")
    assert first.enqueue_due(at(9)) == []  # this worker remembers it queued today's
    assert second.enqueue_due(at(3)) == [job]  # the other finds today's already queued: the same job
    assert Job.objects.filter(kind=NAME).count() == 1
    assert len(first.enqueue_due(at(2, 45, days=1))) == 1  # the next day's
    assert Job.objects.filter(kind=NAME).count() == 2


def test_a_worker_that_starts_late_still_queues_todays(db):
    with override_settings(JOBS_DAILY={NAME: "02:30"}):
        assert len(DailyJobs().enqueue_due(at(23, 59))) == 1


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"joinedup.jobs.tests.jobs_for_tests.no_such_job": "02:30"}, "No job called"),
        ({"os.system": "02:30"}, "not a Joined Up job"),
        ({NAME: "half past two"}, "HH:MM"),
    ],
)
def test_a_schedule_naming_no_declared_job_or_no_time_is_refused(setting, message):
    with override_settings(JOBS_DAILY=setting), pytest.raises((LookupError, ValueError), match=message):
        daily_schedule()


@pytest.mark.django_db(transaction=True)
def test_the_worker_loop_queues_and_runs_the_daily_job(queue):
    with override_settings(JOBS_DAILY={NAME: "00:00"}):
        run_worker(worker_id="daily-test", interval=0, once=True, handle_signals=False)
    job = Job.objects.get(kind=NAME)
    assert (job.status, job.attempts, job.result) == (JobStatus.DONE, 1, {"day": str(timezone.localdate())})


def test_the_settings_schedule_the_retention_run():
    from config.settings import base  # the test settings turn daily jobs off (config/settings/test.py)

    with override_settings(JOBS_DAILY=base.JOBS_DAILY):
        assert {kind.name for kind in daily_schedule()} == {"joinedup.governance.jobs.retention_daily"}
