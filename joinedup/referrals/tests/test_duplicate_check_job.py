"""The duplicate check of a new referral runs on arrival, in the background worker (the real queue),
once per referral; the triage page reads what it found."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from joinedup.jobs.models import Job, JobStatus
from joinedup.jobs.worker import run_worker
from joinedup.linkage.models import DuplicateCheck
from joinedup.referrals import views

pytestmark = pytest.mark.django_db(transaction=True)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
PERSON = {
    "given_name": "Katherine",
    "family_name": "Okonjo",
    "date_of_birth": date(1985, 3, 14),
    "postcode": "NG18 1AB",
    "nhs_number": "9434765919",
}


def test_a_new_referral_is_checked_for_duplicates_on_arrival_once(client, partnership, monkeypatch):
    with override_settings(TASKS=DATABASE_QUEUE):
        partnership.refer(**PERSON)
        second = partnership.refer(by=partnership.other_referrer, **{**PERSON, "nhs_number": ""})
        assert not DuplicateCheck.objects.filter(referral=second).exists()  # queued, not run in the request
        job = Job.objects.get(key=f"duplicate-check:{second.pk}")
        # Before the worker has run it, the triage page says the check is running and does not run it too.
        client.force_login(partnership.programme.user)
        waiting = client.get(f"/referrals/triage/{second.pk}/")
        assert waiting.status_code == 200 and 'data-testid="duplicates-waiting"' in waiting.content.decode()
        assert not DuplicateCheck.objects.filter(referral=second).exists()
        run_worker(worker_id="test-worker", once=True, handle_signals=False)
        job.refresh_from_db()
        assert job.status == JobStatus.DONE
        check = DuplicateCheck.objects.get(referral=second)
        assert job.result == {"duplicate_check": str(check.pk), "compared": check.compared}
        assert check.candidates.count() == 1 and check.created_by is None
        # The triage page reads it and runs nothing again.
        monkeypatch.setattr(views, "duplicate_check", _must_not_run)
        page = client.get(f"/referrals/triage/{second.pk}/")
        assert page.status_code == 200 and 'data-testid="duplicates-waiting"' not in page.content.decode()
        assert "may be this person" in page.content.decode()
        assert DuplicateCheck.objects.filter(referral=second).count() == 1


def _must_not_run(**kwargs):
    raise AssertionError("the triage page ran the duplicate check again")


def test_the_triage_page_checks_a_referral_itself_only_when_no_job_is_on_its_way(client, partnership):
    with override_settings(TASKS=DATABASE_QUEUE):
        partnership.refer(**PERSON)
        second = partnership.refer(by=partnership.other_referrer, **{**PERSON, "nhs_number": ""})
        Job.objects.filter(key=f"duplicate-check:{second.pk}").update(status=JobStatus.FAILED, error="Boom")
        client.force_login(partnership.programme.user)
        page = client.get(f"/referrals/triage/{second.pk}/")
        assert page.status_code == 200 and 'data-testid="duplicates-waiting"' not in page.content.decode()
        assert DuplicateCheck.objects.get(referral=second).candidates.count() == 1
