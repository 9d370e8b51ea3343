"""Settings shared by every environment. Values come from the environment via config.env."""

from __future__ import annotations

from datetime import timedelta

import dj_database_url

from config.env import BASE_DIR, env_bool, env_list, env_str

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
IS_PRODUCTION = False  # config.settings.production sets it (joinedup.core.environment)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "rest_framework",
    "drf_spectacular",
    "django_otp",  # issue 17: two-factor sign-in (TOTP app, recovery codes)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",  # issue 17: sign-in throttling and lockout
    "csp",  # issue 17: Content-Security-Policy (django-csp; its checks catch settings of old versions)
    "joinedup.core",
    "joinedup.organisations",
    "joinedup.audit",
    "joinedup.people",
    "joinedup.referrals",
    "joinedup.cases",
    "joinedup.outcomes",
    "joinedup.insights",
    "joinedup.api",
    "joinedup.directory",
    "joinedup.notifications",
    "joinedup.fhir",
    "joinedup.linkage",
    "joinedup.governance",
    "joinedup.employers",
    "joinedup.programmes",
    "joinedup.portal",  # issue 20: the person's own pages (decision 022)
    "joinedup.need",  # issue 16: population need and the business case
    "joinedup.demo",
    "django_tasks",
    "django_tasks_db",
    "joinedup.jobs",
    "joinedup.accounts",  # issue 17: the second sign-in step, password change, administrators' unlock
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "joinedup.core.hostile.HostileInputMiddleware",  # issue 17: control characters, deep JSON (decision 018)
    "joinedup.core.hostile.OutageMiddleware",  # issue 17: database unreachable -> 503 Retry-After
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # issue 17: request.user.is_verified()
    "joinedup.organisations.middleware.CurrentMembershipMiddleware",
    "joinedup.accounts.middleware.TwoFactorRequiredMiddleware",  # issue 17
    "joinedup.core.middleware.NotPermittedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",  # issue 17
    "joinedup.core.middleware.NoStoreMiddleware",  # issue 17: Cache-Control: no-store when about a person
    "axes.middleware.AxesMiddleware",  # issue 17: last, as django-axes asks
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

_CONTEXT_PROCESSORS = [
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "joinedup.organisations.context_processors.membership",
]
TEMPLATES = [
    {
        # Page templates: Jinja2, about three times faster to render than Django's templates (decision 010).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "joinedup.core.templating.environment",
            "context_processors": _CONTEXT_PROCESSORS,
            # The registries a page compares codes with (`case.stage == case_stages.CLOSED`), by name.
            "registries": {
                "referral_statuses": "joinedup.referrals.statuses",
                "case_stages": "joinedup.cases.enrolment.stages",
                "ActionOwner": "joinedup.cases.models.ActionOwner",
                "EarlyHelpOutcome": "joinedup.cases.models.EarlyHelpOutcome",
                "GoalStatus": "joinedup.cases.models.GoalStatus",
                "MilestoneOutcome": "joinedup.cases.models.MilestoneOutcome",
                "OnwardReferralStatus": "joinedup.cases.models.OnwardReferralStatus",
                "WorkActivityKind": "joinedup.cases.models.WorkActivityKind",
                "Lifecycle": "joinedup.directory.models.Lifecycle",
                "LocationType": "joinedup.directory.models.LocationType",
                "EligibilityOutcome": "joinedup.directory.eligibility.Outcome",
                "VacancyStatus": "joinedup.employers.choices.VacancyStatus",
                "NominationStatus": "joinedup.employers.choices.NominationStatus",
                "MatchFit": "joinedup.employers.matching.Fit",
                "BatchStatus": "joinedup.programmes.choices.BatchStatus",
                "ClaimStatus": "joinedup.programmes.choices.ClaimStatus",
                "ExpenseStatus": "joinedup.programmes.choices.ExpenseStatus",
                "Outcome": "joinedup.programmes.choices.Outcome",
                "JobStatus": "joinedup.jobs.models.JobStatus",
                "VacancyKind": "joinedup.employers.choices.VacancyKind",
                "AdviceStatus": "joinedup.employers.choices.AdviceStatus",
            },
        },
    },
    {
        # Forms (crispy-forms-gds, through templates/_form.html), the admin and Django's own pages.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Django's templates need the request put in their context; Jinja2's backend does it.
            "context_processors": ["django.template.context_processors.request", *_CONTEXT_PROCESSORS],
        },
    },
]


def database_from_url(url: str, *, conn_max_age: int) -> dict:
    """A DATABASES entry from a URL (its query options kept). On PostgreSQL, parameters are bound by
    the server. Django leaves psycopg's prepared statements off, and they stay off: prepared, the
    triage queue's query got a generic plan 45 times slower (decision 011)."""
    database = dj_database_url.parse(url, conn_max_age=conn_max_age)
    if database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("OPTIONS", {})["server_side_binding"] = True
    return database


# DATABASE_URL unset: embedded SQLite in var/. A postgres:// URL: PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL, conn_max_age=60)}
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "var" / "joinedup.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ModelBackend, reading the user's memberships with the user on each request (one query, not two).
# django-axes first (issue 17): it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "joinedup.organisations.backends.MembershipBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "joinedup.accounts.validators.PasswordVarietyValidator"},  # issue 17
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"

# Widgets through Django's Jinja2 widget templates (joinedup.core.forms.FormRenderer).
FORM_RENDERER = "joinedup.core.forms.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.0.0"

SESSION_ENGINE = "joinedup.core.sessions"  # Django's database sessions, read in one statement
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8  # one working day
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Largest request body Django will read (bytes). Protects every form and API call.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["joinedup.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "joinedup.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Joined Up API",
    "DESCRIPTION": "Referrals into the integrated health and employment service. "
    "Authenticate with `Authorization: Bearer <token>`; tokens are issued by "
    "`python manage.py api_token USERNAME` and carry that user's organisation and role.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Issue 17: the referral's rules on its fields, and every error response, in the document.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "joinedup.api.schema.document_rules_and_errors",
    ],
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Issue 4 — the closed loop, consent and timeliness.
# Notifications are email through Django's email framework (EMAIL_BACKEND above). For GOV.UK Notify
# set EMAIL_BACKEND=joinedup.notifications.backends.NotifyEmailBackend, NOTIFY_API_KEY and
# NOTIFY_EMAIL_TEMPLATE_ID (a template whose subject is ((subject)) and body ((body))).
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Joined Up <no-reply@joinedup.invalid>")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")  # links in emails
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", "")
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_EMAIL_TEMPLATE_ID = env_str("NOTIFY_EMAIL_TEMPLATE_ID", "")
# Text messages to a person's mobile (joinedup.notifications.texts, decision 028): printed in
# development; for GOV.UK Notify set SMS_BACKEND=joinedup.notifications.texts.NotifyTextBackend and
# NOTIFY_SMS_TEMPLATE_ID (an SMS template whose body is ((body))).
SMS_BACKEND = env_str("SMS_BACKEND", "joinedup.notifications.texts.ConsoleTextBackend")
NOTIFY_SMS_TEMPLATE_ID = env_str("NOTIFY_SMS_TEMPLATE_ID", "")
NOTIFICATION_MAX_ATTEMPTS = int(env_str("NOTIFICATION_MAX_ATTEMPTS") or "5")
# Overdue queues: working days (England and Wales bank holidays excluded).
TIMELINESS_TRIAGE_WORKING_DAYS = int(env_str("TIMELINESS_TRIAGE_WORKING_DAYS") or "2")  # received, not routed
TIMELINESS_DECISION_WORKING_DAYS = int(env_str("TIMELINESS_DECISION_WORKING_DAYS") or "5")  # assigned, no decision

# Issue 19 — background jobs (decision 016): Django Tasks with its database backend, no broker.
# Workers: `manage.py jobs_worker` (make run starts one beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Issue 17 — daily jobs (joinedup/jobs/daily.py): a declared job's dotted name and the local time
# (HH:MM) from which each worker queues it once a day. Retention replaces the systemd timer.
JOBS_DAILY = {"joinedup.governance.jobs.retention_daily": "02:30"}
# Issue 19 — a read replica for dashboards, reports and exports (joinedup/core/replica.py, decision 017).
# DATABASE_REPLICA_URL set (a streaming replica of DATABASE_URL): the reads of selectors marked
# `@replica_read` go there; every write and every other read stays on the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
READ_REPLICA: str | None = None
if DATABASE_URL and DATABASE_REPLICA_URL:
    DATABASES["replica"] = database_from_url(DATABASE_REPLICA_URL, conn_max_age=60)
    READ_REPLICA = "replica"
DATABASE_ROUTERS = ["joinedup.core.replica.ReplicaRouter"]
# Issue 17 (security; decision 018). Requests refused at the door (core.hostile) and during a database
# outage answer in the caller's shape: these path prefixes name their responder; pages get a plain page.
ERROR_RESPONDERS = {
    "/api/": "joinedup.api.errors.refusal",
    "/fhir/": "joinedup.fhir.views.refusal",
    "/openreferral/": "joinedup.directory.api.views.refusal",
}
JSON_MAX_DEPTH = int(env_str("JSON_MAX_DEPTH") or "32")  # arrays and objects inside each other
JSON_MAX_BYTES = int(env_str("JSON_MAX_BYTES") or "256000")  # a JSON request body
# Content-Security-Policy (django-csp 4): scripts only from our own files, never inline. Styles allow
# inline attributes: the server-rendered charts size their bars with style="width: N%".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Sign-in (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username, or from one
# client address, signing in is locked for AXES_COOLOFF_TIME or until an administrator unlocks it
# (/account/manage/). Behind a proxy, AXES_IPWARE_PROXY_COUNT says how many to skip in X-Forwarded-For.
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT") or "5")
AXES_COOLOFF_TIME = timedelta(minutes=int(env_str("AXES_COOLOFF_MINUTES") or "30"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "joinedup.accounts.views.locked_out"
AXES_IPWARE_PROXY_COUNT = int(env_str("AXES_IPWARE_PROXY_COUNT") or "0") or None
# One way to the client's address for axes, the person's sign-in and the self-referral limit
# (django-ipware is not installed, so axes would otherwise use REMOTE_ADDR and ignore the count).
AXES_CLIENT_IP_CALLABLE = "joinedup.core.client.client_ip"
AXES_VERBOSE = False
# Two-factor sign-in (django-otp): the name authenticator apps show; wrong codes slow down.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER") or "Joined Up"
# Self-referrals one client (address) may send per window; counted in the database (referrals.throttle).
SELF_REFERRAL_LIMIT = int(env_str("SELF_REFERRAL_LIMIT") or "5")
SELF_REFERRAL_WINDOW_MINUTES = int(env_str("SELF_REFERRAL_WINDOW_MINUTES") or "60")

# Information governance (issue 17, decision 019): retention periods in days, one per rule declared in
# joinedup/governance/retention.py (where each default and its legal basis is); set any of them here.
RETENTION: dict[str, int] = {}
# Whether the daily retention job erases (True) or only reports what it would (a dry run). On in
# production; off in the development and demo setup (config/settings/local.py), whose worker would
# otherwise erase demo or synthetic people as their backdated records pass their periods.
RETENTION_ENFORCED = env_bool("RETENTION_ENFORCED", True)
# The unusual-access report: an hour is flagged when a user opens at least this many people's records
# and this many times their usual (median) hourly number.
UNUSUAL_ACCESS_MIN_PEOPLE = 20
UNUSUAL_ACCESS_FACTOR = 3
