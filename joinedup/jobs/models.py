"""Background jobs: one row per piece of work, whatever the queue did with it (decision 016).

The queue (Django Tasks, `django_tasks_db`) holds only "run job <id>"; this table is what pages read:
what the job is, its ids, where it is (queued, running, a percentage), how many attempts it has had,
its result or its error. `key` makes a job idempotent: enqueueing the same key again returns the
first job, and only a claimed job runs, so a job runs once however often it is enqueued.
"""

from __future__ import annotations

from django.db import models

from joinedup.core.models import BaseModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to run"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


KEY_MAX = 255
KIND_MAX = 200


class Job(BaseModel):
    """One background job: `kind` is the job function's dotted path (a `registry.job`), `arguments`
    the ids it was given (strings only: no personal details in the queue)."""

    kind = models.CharField(max_length=KIND_MAX)
    label = models.CharField(max_length=200)
    key = models.CharField(max_length=KEY_MAX, unique=True)
    arguments = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    run_after = models.DateTimeField(null=True, blank=True)  # the next attempt, after a backoff
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A running job's lease: a worker that stops without finishing leaves it running past this, and
    # `services.jobs_recover` puts it back on the queue. Reporting progress renews it.
    lease_until = models.DateTimeField(null=True, blank=True)
    worker_id = models.CharField(max_length=64, blank=True)
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    message = models.CharField(max_length=200, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(max_length=4000, blank=True)
    # Whose work it is: the organisation whose pages may show its progress (none for system jobs).
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_id = models.CharField(max_length=64, blank=True)  # the queue's last row for it

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "lease_until"]),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def error_summary(self) -> str:
        """The error's last line (an exception's message), shortened for a list."""
        lines = [line for line in self.error.splitlines() if line.strip()]
        last = lines[-1] if lines else ""
        return last if len(last) <= 120 else last[:119] + "…"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
