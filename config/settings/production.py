"""Production settings: every secret and address comes from the environment; nothing insecure by default.

A setting production cannot do without is refused at start-up with what to set (decision 018):
`SECRET_KEY`, `DATABASE_URL` (no silent fall back to SQLite), `ALLOWED_HOSTS`, `SITE_URL` (https, the
address in emails) and a real `EMAIL_BACKEND` (not the console, which printed people's addresses
in the server log) and `SMS_BACKEND` (GOV.UK Notify, with its key and SMS template).
`config/wsgi.py` and `manage.py` use these settings unless told otherwise, so a forgotten variable
fails to start instead of showing tracebacks to the public.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import env_str

from .base import *

IS_PRODUCTION = True  # demo and synth refuse to run (joinedup.core.environment)

_NOT_REAL_EMAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


def _require(name: str, why: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"Set {name} in the environment: {why}")
    return value


SECRET_KEY = _require("SECRET_KEY", "it signs sessions and tokens.")
# base.py already built DATABASES (and the replica, with DATABASE_REPLICA_URL) from DATABASE_URL.
_require("DATABASE_URL", "production does not fall back to SQLite (postgres://user@host:5432/name).")
_require("ALLOWED_HOSTS", "the host names the service answers to, separated by commas.")
SITE_URL = _require("SITE_URL", "the service's public https address, used in emails.")
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must be an https:// address.")
EMAIL_BACKEND = _require(
    "EMAIL_BACKEND", "a real email backend, e.g. joinedup.notifications.backends.NotifyEmailBackend."
)
if EMAIL_BACKEND in _NOT_REAL_EMAIL:
    raise ImproperlyConfigured(f"EMAIL_BACKEND {EMAIL_BACKEND} sends no email: choose a real backend.")
if EMAIL_BACKEND == "joinedup.notifications.backends.NotifyEmailBackend":
    _require("NOTIFY_API_KEY", "the GOV.UK Notify backend needs its key.")
    _require("NOTIFY_EMAIL_TEMPLATE_ID", "the GOV.UK Notify backend needs its template.")
SMS_BACKEND = _require("SMS_BACKEND", "a real text message backend: joinedup.notifications.texts.NotifyTextBackend.")
if SMS_BACKEND != "joinedup.notifications.texts.NotifyTextBackend":
    raise ImproperlyConfigured(f"SMS_BACKEND {SMS_BACKEND} sends no text: use the GOV.UK Notify backend.")
_require("NOTIFY_API_KEY", "the GOV.UK Notify text backend needs its key.")
_require("NOTIFY_SMS_TEMPLATE_ID", "the GOV.UK Notify text backend needs its SMS template.")

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STATIC_ROOT = Path(env_str("STATIC_ROOT") or str(BASE_DIR / "var" / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
