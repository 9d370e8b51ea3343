"""The worker: django_tasks_db's own worker loop, with our recovery between rounds.

`manage.py jobs_worker` (and `make run`, beside the web server) runs `run_worker`: put back any job
whose worker stopped mid-job (`services.jobs_recover`), queue the daily jobs that are due
(`daily.DailyJobs`, from `settings.JOBS_DAILY`), run every ready queue entry (the library's
`Worker` in batch mode: claim under a row lock, run, record), sleep `interval`, again. SIGTERM or
Ctrl+C finishes the job in hand and stops; a second one stops at once. A worker killed outright
leaves its job running with a lease that runs out, and the next round of any worker runs it again.
A round that loses the database (a restart, a failover) is logged and tried again after `interval`,
so a worker outlives an outage instead of crashing (found by `make soak`).
"""

from __future__ import annotations

import logging
import time

from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker

from .daily import DailyJobs
from .services import jobs_recover

log = logging.getLogger(__name__)


def run_worker(
    *,
    worker_id: str,
    interval: float = 1.0,
    once: bool = False,
    handle_signals: bool = True,
    max_tasks: int | None = None,
) -> int:
    """Run until stopped (or, with `once`, until nothing is ready). Returns the queue entries run."""
    worker = Worker(
        queue_names=[DEFAULT_TASK_QUEUE_NAME],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    daily = DailyJobs()  # refuses a JOBS_DAILY entry that is not a declared job, before the first round
    if handle_signals:
        worker.configure_signals()
    while worker.running:
        close_old_connections()
        try:
            jobs_recover()
            daily.enqueue_due()
            worker.run()
        except (OperationalError, InterfaceError):  # the database went away (a restart, a failover): wait and carry on
            log.warning("The job queue's database could not be reached; trying again", exc_info=True)
            connections.close_all()
        if once or (max_tasks is not None and worker._run_tasks >= max_tasks):
            break
        time.sleep(interval)
    return worker._run_tasks
