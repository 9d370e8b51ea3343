"""Settings for a worker in its own process during the queue's tests: the test settings, the test
database (JOBS_TEST_DATABASE_URL) and the real database queue."""

from config.env import env_str
from config.settings.base import database_from_url
from config.settings.test import *  # noqa: F403

DATABASES = {"default": database_from_url(env_str("JOBS_TEST_DATABASE_URL", "") or "", conn_max_age=0)}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
