"""Production settings work and fail safe (issue 17, decision 018).

Each check runs `manage.py` in a fresh process, as a deployment would: collectstatic with the
manifest storage, then `GET /` through the whole middleware stack; start-up refused when a setting
production needs is missing or unsafe; `manage.py` and `wsgi` choosing production by default;
`demo` and `synth` refusing to run there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GET_HOME = """
import django
django.setup()
from django.test import Client
r = Client().get("/", secure=True, HTTP_HOST="joinedup.example")
print(r.status_code)
print(r["Content-Security-Policy"])
print(r["Strict-Transport-Security"])
page = r.content.decode()
print("static:", "/static/vendor/govuk-frontend/joinedup.min." in page and "joinedup.min.css" not in page)
"""


def production_env(tmp_path: Path, **changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="a-test-key-only-for-this-process-" + "x" * 20,
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        ALLOWED_HOSTS="joinedup.example",
        SITE_URL="https://joinedup.example",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        SMS_BACKEND="joinedup.notifications.texts.NotifyTextBackend",
        NOTIFY_API_KEY="not-a-real-key",
        NOTIFY_SMS_TEMPLATE_ID="00000000-0000-0000-0000-000000000000",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this project's own manage.py
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_collectstatic_then_the_home_page_is_served_under_production_settings(tmp_path):
    env = production_env(tmp_path)
    collected = run(["manage.py", "collectstatic", "--noinput"], env)
    assert collected.returncode == 0, collected.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
    home = run(["-c", GET_HOME], env)
    assert home.returncode == 0, home.stderr[-2000:]
    status, csp, hsts, static = home.stdout.strip().splitlines()
    assert status == "200"
    scripts = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert scripts.split()[1:] == ["'self'"]  # no inline scripts
    assert "frame-ancestors 'none'" in csp
    assert "includeSubDomains" in hsts and "max-age=31536000" in hsts
    assert static == "static: True"


def test_production_keeps_the_read_replica(tmp_path):
    env = production_env(tmp_path, DATABASE_REPLICA_URL=f"sqlite:///{tmp_path / 'replica.sqlite3'}")
    code = "import django; django.setup(); from django.conf import settings as s\n"
    code += "print(sorted(s.DATABASES), s.READ_REPLICA)"
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["['default',", "'replica']", "replica"]


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"DATABASE_URL": None}, "Set DATABASE_URL"),
        ({"SECRET_KEY": None}, "Set SECRET_KEY"),
        ({"SITE_URL": None}, "Set SITE_URL"),
        ({"SITE_URL": "http://127.0.0.1:8000"}, "https"),
        ({"EMAIL_BACKEND": None}, "Set EMAIL_BACKEND"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "sends no email"),
        ({"ALLOWED_HOSTS": None}, "Set ALLOWED_HOSTS"),
        ({"SMS_BACKEND": None}, "Set SMS_BACKEND"),
        ({"SMS_BACKEND": "joinedup.notifications.texts.ConsoleTextBackend"}, "sends no text"),
        ({"NOTIFY_API_KEY": None}, "Set NOTIFY_API_KEY"),
        ({"NOTIFY_SMS_TEMPLATE_ID": None}, "Set NOTIFY_SMS_TEMPLATE_ID"),
    ],
)
def test_production_refuses_to_start_without_what_it_needs(tmp_path, changes, says):
    result = run(["manage.py", "check"], production_env(tmp_path, **changes))
    assert result.returncode != 0
    assert says in result.stderr


def test_manage_py_and_wsgi_default_to_production(tmp_path):
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE=None, SECRET_KEY=None)
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr
    wsgi = run(["-c", "import config.wsgi"], env)
    assert wsgi.returncode != 0 and "Set SECRET_KEY" in wsgi.stderr


@pytest.mark.parametrize("command", [["demo"], ["synth", "--people", "10"]])
def test_demo_and_synth_refuse_to_run_in_production(tmp_path, command):
    result = run(["manage.py", *command], production_env(tmp_path))
    assert result.returncode != 0
    assert "does not run under production settings" in result.stderr
