"""The queue, with the real worker code (django_tasks_db's Worker through `worker.run_worker`): a job
runs once however often it is enqueued; a failing one is retried, then shown failed with its error;
a worker killed mid-job leaves the job to be run again."""

from __future__ import annotations

import os
import signal
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from joinedup.jobs.models import Job, JobStatus
from joinedup.jobs.services import jobs_recover
from joinedup.jobs.tests.jobs_for_tests import always_fails, count_run, refuses, slow_first_time
from joinedup.jobs.worker import run_worker
from joinedup.testkit.worker import start_worker, wait_for


def runs(marker: str) -> int:
    path = Path(marker)
    return len(path.read_text().splitlines()) if path.exists() else 0


def work(**kwargs) -> int:
    return run_worker(worker_id="test-worker", once=True, handle_signals=False, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_twice_runs_once(queue, marker):
    first = count_run.enqueue(key="count-once", marker=marker)
    second = count_run.enqueue(key="count-once", marker=marker)
    assert first.pk == second.pk and Job.objects.count() == 1 and DBTaskResult.objects.count() == 1
    assert runs(marker) == 0  # nothing runs in the request: the worker does
    work()
    first.refresh_from_db()
    assert (first.status, first.attempts, first.percent, first.result) == (JobStatus.DONE, 1, 100, {"runs": 1})
    count_run.enqueue(key="count-once", marker=marker)  # and again after it is done
    work()
    assert runs(marker) == 1


@pytest.mark.django_db(transaction=True)
def test_a_queue_entry_run_twice_runs_the_job_once(queue, marker):
    job = count_run.enqueue(key="entry-twice", marker=marker)
    from joinedup.jobs.tasks import run_job

    run_job.enqueue(str(job.pk))  # a second "run job <id>", as a duplicated delivery would be
    assert DBTaskResult.objects.count() == 2
    assert work() == 2
    assert runs(marker) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_retried_then_shows_failed_with_its_error(queue, marker):
    job = always_fails.enqueue(marker=marker)
    work()
    job.refresh_from_db()
    # Each try that fails puts the job back after a backoff (0 s here), up to max_attempts.
    assert runs(marker) == 3
    assert (job.status, job.attempts) == (JobStatus.FAILED, 3)
    assert "RuntimeError: The test service is down" in job.error
    assert job.finished_at is not None


def test_backoff_doubles_each_try_up_to_an_hour():
    kind = count_run
    assert [kind.backoff(n).total_seconds() for n in (1, 2, 3)] == [10, 20, 40]
    assert kind.backoff(30) == timedelta(hours=1)


@pytest.mark.django_db(transaction=True)
def test_a_retry_waits_for_its_backoff(queue, marker):
    from joinedup.jobs.registry import job as declare

    job = always_fails.enqueue(marker=marker)
    Job.objects.filter(pk=job.pk).update(max_attempts=2)
    slow = declare(label="Always fails, slowly", max_attempts=2, backoff_seconds=3600)(always_fails.function)
    Job.objects.filter(pk=job.pk).update(kind=slow.name)
    work()
    job.refresh_from_db()
    assert job.run_after is not None and job.run_after > timezone.now()
    assert runs(marker) == 1 and job.status == JobStatus.QUEUED
    assert "The test service is down" in job.error  # the last try's error shows while it waits


@pytest.mark.django_db(transaction=True)
def test_a_refused_input_is_not_retried(queue, marker):
    job = refuses.enqueue(marker=marker)
    work()
    job.refresh_from_db()
    assert runs(marker) == 1 and job.status == JobStatus.FAILED and job.error == "That record cannot be used."


@pytest.mark.django_db(transaction=True)
def test_only_ids_go_on_the_queue(queue):
    with pytest.raises(TypeError, match="must be an id"):
        count_run.enqueue(marker={"name": "Ann"})  # type: ignore[arg-type]
    assert Job.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_in_a_rolled_back_write_never_runs(queue, marker):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        count_run.enqueue(marker=marker)
        raise RuntimeError("the write failed")
    assert Job.objects.count() == 0 and DBTaskResult.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_leaves_the_job_to_be_run_again(queue, marker):
    assert connection.vendor != "sqlite" or ":memory:" not in str(connection.settings_dict["NAME"])
    job = slow_first_time.enqueue(marker=marker)
    worker = start_worker(worker_id="doomed")
    try:
        wait_for(lambda: runs(marker) == 1 or worker.poll() is not None)
        assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING and job.worker_id == "doomed"
    finally:
        os.kill(worker.pid, signal.SIGKILL)  # no chance to finish or tidy up
        worker.wait()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # left as it was when the worker died
    # Within its lease nobody takes it for abandoned; once the lease runs out, the next worker runs it.
    lease = job.lease_until
    assert lease is not None
    assert jobs_recover(now=lease - timedelta(seconds=0.5)) == 0
    wait_for(lambda: lease < timezone.now(), seconds=10)
    work()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == (JobStatus.DONE, 2, {"runs": 2})
    assert runs(marker) == 2
