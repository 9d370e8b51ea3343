"""Test settings: `make test` runs the suite with these on SQLite and on PostgreSQL."""

from django.core.management.utils import get_random_secret_key

from .base import *

SECRET_KEY = SECRET_KEY or get_random_secret_key()
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "joinedup.notifications.texts.MemoryTextBackend"  # texts kept in texts.outbox
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Issue 19: tests run a job once its transaction commits, in the test's process (ImmediateBackend);
# the queue's own tests (joinedup/jobs/tests) switch to the database backend and run the real worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
# On SQLite the test database is a file (not memory), so a worker in another process — the queue's
# killed-worker test — reads the same database as the test.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test_joinedup.sqlite3")}
# Issue 19: on PostgreSQL, a second database stands in for the read replica (test_<name>_replica,
# created and migrated only when a test asks for it: joinedup/insights/tests/test_replica.py). Replica
# reads stay off (READ_REPLICA None) except in the tests that turn them on, since a stand-in does
# not replicate what the other tests write.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _primary = DATABASES["default"]
    DATABASES["replica"] = {
        **(DATABASES.get("replica") or _primary),
        "NAME": f"{_primary['NAME']}_replica",
        "TEST": {"NAME": f"test_{_primary['NAME']}_replica"},
    }
READ_REPLICA = None

# Tests run the daily jobs only where they ask for them (jobs/tests/test_daily.py overrides this).
JOBS_DAILY: dict[str, str] = {}
