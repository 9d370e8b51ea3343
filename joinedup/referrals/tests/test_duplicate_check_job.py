"""The duplicate check of a new referral runs on arrival, in the background worker (the real queue),
once per referral; the triage page reads what it found."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from joinedup.jobs.models import Job, JobStatus
from joinedup.jobs.worker import run_worker
from joinedup.linkage.models import DuplicateCheck

pytestmark = pytest.mark.django_db(transaction=True)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
PERSON = {
    "given_name": "Katherine",
    "family_name": "Okonjo",
    "date_of_birth": date(1985, 3, 14),
    "postcode": "NG18 1AB",
    "nhs_number": "9434765919",
}


def test_a_new_referral_is_checked_for_duplicates_on_arrival_once(client, partnership):
    with override_settings(TASKS=DATABASE_QUEUE):
        partnership.refer(**PERSON)
        second = partnership.refer(by=partnership.other_referrer, **{**PERSON, "nhs_number": ""})
        assert not DuplicateCheck.objects.filter(referral=second).exists()  # queued, not run in the request
        job = Job.objects.get(key=f"duplicate-check:{second.pk}")
        run_worker(worker_id="test-worker", once=True, handle_signals=False)
        job.refresh_from_db()
        assert job.status == JobStatus.DONE
        check = DuplicateCheck.objects.get(referral=second)
        assert job.result == {"duplicate_check": str(check.pk), "compared": check.compared}
        assert check.candidates.count() == 1 and check.created_by is None
        # The triage page reads it and runs nothing again.
        client.force_login(partnership.programme.user)
        assert client.get(f"/referrals/triage/{second.pk}/").status_code == 200
        assert DuplicateCheck.objects.filter(referral=second).count() == 1
