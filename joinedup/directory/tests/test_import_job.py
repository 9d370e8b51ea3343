"""A directory import handed to the background worker (the real queue and worker code)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from joinedup.directory.models import ImportFeed, ImportRun, Service
from joinedup.jobs.models import Job, JobStatus
from joinedup.jobs.worker import run_worker

pytestmark = pytest.mark.django_db(transaction=True)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
FIXTURES = Path(__file__).parent / "fixtures"


def test_a_queued_import_runs_in_the_worker_and_reports(tmp_path):
    feed = next(FIXTURES.glob("*.json"))
    before = Service.objects.count()
    out = io.StringIO()
    with override_settings(TASKS=DATABASE_QUEUE):
        call_command("directory_import", str(feed), "--source", "ORUK example", "--queue", stdout=out)
        job = Job.objects.get()
        assert f"/background-jobs/{job.pk}/" in out.getvalue()
        assert job.status == JobStatus.QUEUED and ImportRun.objects.count() == 0  # nothing imported yet
        run_worker(worker_id="test-worker", once=True, handle_signals=False)
    job.refresh_from_db()
    run = ImportRun.objects.get()
    result = job.result
    assert job.status == JobStatus.DONE and result is not None and result["import_run"] == str(run.pk)
    assert result["accepted"] == run.accepted and result["report"]
    kept = ImportFeed.objects.get()
    assert kept.run_id == run.pk and bytes(kept.data) == b""
    if run.accepted:
        assert Service.objects.count() == before + run.created_count


def test_a_rejected_feed_is_reported_by_the_job(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "x"}]')
    with override_settings(TASKS=DATABASE_QUEUE):
        call_command("directory_import", str(bad), "--source", "Somewhere", "--queue", stdout=io.StringIO())
        run_worker(worker_id="test-worker", once=True, handle_signals=False)
    job = Job.objects.get()
    result = job.result
    assert job.status == JobStatus.DONE and result is not None and result["accepted"] is False
    assert result["report"][0].startswith("Nothing was imported from Somewhere")
