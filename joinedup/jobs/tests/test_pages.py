"""The administrator's page of jobs: the permission matrix (every role, and nobody signed in), what
it shows, and the retry button."""

from __future__ import annotations

import pytest

from joinedup.audit.models import AuditEvent
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.jobs.models import Job, JobStatus
from joinedup.jobs.services import job_retry
from joinedup.jobs.tests.jobs_for_tests import always_fails, count_run
from joinedup.organisations.models import Role
from joinedup.testkit import page_text

pytestmark = pytest.mark.django_db
ROLES = [r.value for r in Role]


@pytest.fixture
def failed(marker):
    job = always_fails.enqueue(marker=marker)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, attempts=3, error="RuntimeError: The test service is down"
    )
    job.refresh_from_db()
    return job


PAGES = {
    "jobs list": lambda job: "/background-jobs/",
    "failed jobs": lambda job: "/background-jobs/?status=failed",
    "one job": lambda job: f"/background-jobs/{job.pk}/",
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_page_matrix(client, partnership, failed, role, page):
    client.force_login(partnership.by_role()[role].user)
    response = client.get(PAGES[page](failed))
    allowed = role == Role.ADMINISTRATOR
    assert response.status_code == (200 if allowed else 403), f"{role} opening {page}"
    assert (b"The test service is down" in response.content) == allowed


@pytest.mark.parametrize("role", ROLES)
def test_retry_matrix(client, partnership, failed, role):
    client.force_login(partnership.by_role()[role].user)
    response = client.post(f"/background-jobs/{failed.pk}/")
    failed.refresh_from_db()
    if role == Role.ADMINISTRATOR:
        assert response.status_code == 302 and failed.status == JobStatus.QUEUED and failed.attempts == 0
        assert AuditEvent.objects.filter(verb=AuditVerb.JOB_RETRIED, target_id=str(failed.pk)).count() == 1
    else:
        assert response.status_code == 403 and failed.status == JobStatus.FAILED


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, failed, page):
    response = client.get(PAGES[page](failed))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/?next=")


def test_the_list_shows_each_status_and_the_error(client, partnership, failed, marker):
    done = count_run.enqueue(key="done", marker=marker)
    Job.objects.filter(pk=done.pk).update(status=JobStatus.DONE, attempts=1)
    count_run.enqueue(key="queued", marker=marker)
    client.force_login(partnership.admin.user)
    text = page_text(client.get("/background-jobs/"))
    assert "Failed" in text and "Done" in text and "Waiting to run" in text
    assert "RuntimeError: The test service is down" in text
    assert "Failed (1)" in text and "Done (1)" in text and "Waiting to run (1)" in text
    failed_only = page_text(client.get("/background-jobs/?status=failed"))
    assert "Always fails" in failed_only and "Count a run" not in failed_only
    detail = client.get(f"/background-jobs/{failed.pk}/").content.decode()
    assert "Run it again" in detail and "3 of 3" in detail


def test_only_a_failed_job_can_be_run_again(partnership, marker):
    job = count_run.enqueue(marker=marker)
    with pytest.raises(DomainError, match="Only a failed job"):
        job_retry(job=job, actor=partnership.admin)
    with pytest.raises(NotPermitted):
        job_retry(job=job, actor=partnership.programme)


def test_an_unknown_job_is_not_found(client, partnership):
    client.force_login(partnership.admin.user)
    assert client.get("/background-jobs/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/background-jobs/?status=<script>").status_code == 200
