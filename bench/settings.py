"""Settings for the benchmark: production-like (DEBUG off, cached templates), on joinedup_bench."""

import os

from django.core.management.utils import get_random_secret_key

from bench.database import bench_database_url
from config.settings.base import *  # noqa: F403
from config.settings.base import database_from_url

DEBUG = False
# The load test sets BENCH_SECRET_KEY so the sessions it writes are valid in the server's workers.
SECRET_KEY = os.environ.get("BENCH_SECRET_KEY") or get_random_secret_key()
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
# Persistent connections, as a deployment would use.
DATABASES = {"default": database_from_url(bench_database_url(), conn_max_age=600)}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
