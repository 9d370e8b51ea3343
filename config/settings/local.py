"""Development settings: `make run`."""

from django.core.management.utils import get_random_secret_key

from config.env import BASE_DIR, env_bool

from .base import *

DEBUG = env_bool("DEBUG", True)
# `make run`'s worker runs the daily retention job as a dry run only: demo and synthetic records are
# backdated (synthetic ones by up to three years) and would be erased. `manage.py retention` by hand
# still applies it; RETENTION_ENFORCED=1 makes the daily job apply it too.
RETENTION_ENFORCED = env_bool("RETENTION_ENFORCED", False)
if not SECRET_KEY:
    # A per-checkout key kept out of the repo in var/, so sessions survive restarts.
    _key_file = BASE_DIR / "var" / "secret_key"
    _key_file.parent.mkdir(exist_ok=True)
    if not _key_file.exists():
        _key_file.write_text(get_random_secret_key(), encoding="utf-8")
    SECRET_KEY = _key_file.read_text(encoding="utf-8").strip()
