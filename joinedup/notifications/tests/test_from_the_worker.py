"""The closed loop's emails from the background worker (the real queue and worker code): exactly once
per referral, event and recipient, however often the hook or the job is repeated; a failed send is
retried by the queue and then sent once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings
from django.utils import timezone

from joinedup.audit.models import AuditEvent
from joinedup.audit.verbs import AuditVerb
from joinedup.jobs.models import Job, JobStatus
from joinedup.jobs.worker import run_worker
from joinedup.notifications.models import Notification, Status
from joinedup.notifications.services import notification_deliver, referral_event

pytestmark = pytest.mark.django_db(transaction=True)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def p(partnership):
    partnership.referrer.user.email = "dr.gp@example.nhs.uk"
    partnership.referrer.user.save()
    with override_settings(TASKS=DATABASE_QUEUE):
        yield partnership


def work() -> int:
    return run_worker(worker_id="test-worker", once=True, handle_signals=False)


def test_sent_once_per_referral_event_and_recipient_from_the_worker(p):
    referral = p.refer()
    assert mail.outbox == []  # the request only queued it
    note = Notification.objects.get(referral=referral)
    job = Job.objects.get(key=f"notification:{note.pk}")
    assert job.status == JobStatus.QUEUED and job.arguments == {"notification": str(note.pk)}
    referral_event(referral=referral, event="received")  # a retried hook: nothing new
    notification_deliver.enqueue(key=f"notification:{note.pk}", notification=note.pk)  # a repeated enqueue
    assert Job.objects.filter(key__startswith="notification:").count() == 1
    work()
    assert [m.to for m in mail.outbox] == [["dr.gp@example.nhs.uk"]]
    job.refresh_from_db()
    note.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result == {"sent": 1, "failed": 0}
    assert note.status == Status.SENT and note.attempts == 1
    # The whole loop: each event to each recipient once.
    referral = p.assign(referral)
    work()
    work()
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(verb=AuditVerb.NOTIFIED).count() == 2


class DownThenUp(EmailBackend):
    """An email service that refuses the first message it is given, then works."""

    calls = 0

    def send_messages(self, messages):
        DownThenUp.calls += 1
        if DownThenUp.calls == 1:
            raise ConnectionRefusedError("Email service unavailable")
        return super().send_messages(messages)


@override_settings(EMAIL_BACKEND="joinedup.notifications.tests.test_from_the_worker.DownThenUp")
def test_a_failed_send_is_retried_by_the_queue_then_sent_once(p):
    DownThenUp.calls = 0
    referral = p.refer()
    job = Job.objects.get(key__startswith="notification:")
    Job.objects.filter(pk=job.pk).update(max_attempts=3)
    from joinedup.jobs.registry import kind_for

    kind = kind_for(job.kind)
    # The first try fails and waits for its backoff; let the wait pass at once for the test.
    work()
    job.refresh_from_db()
    note = Notification.objects.get(referral=referral)
    assert job.status == JobStatus.QUEUED and "Email service unavailable" in job.error
    assert note.status == Status.FAILED and kind.backoff_seconds > 0
    from django_tasks_db.models import DBTaskResult

    Job.objects.filter(pk=job.pk).update(run_after=None)
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    work()
    job.refresh_from_db()
    note.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert note.status == Status.SENT and len(mail.outbox) == 1
