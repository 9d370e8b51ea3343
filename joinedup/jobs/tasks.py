"""The one Django task: run job <id>. Every job goes through it (and so through `services.job_run`)."""

from __future__ import annotations

from django_tasks import TaskContext, task

from .services import job_run


@task(takes_context=True)
def run_job(context: TaskContext, job_id: str) -> str:
    workers = context.task_result.worker_ids
    return job_run(job_id=job_id, worker_id=workers[-1] if workers else "")
