"""Browser tests: headless Chromium (Playwright, sync API) against pytest-django's live server.

Chromium comes from the system (CHROMIUM_PATH, default /usr/bin/chromium); `playwright install`
is never needed. Without Chromium the tests skip locally, and fail in CI (CI=true), so a CI run
can never pass by silently testing nothing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from joinedup.testkit import Partnership

# Playwright's sync API runs an asyncio loop in this thread; Django would otherwise refuse ORM calls
# made from the test body (fixtures, back-dating) while that loop is running.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _unavailable(message: str) -> None:
    if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
        pytest.fail(f"{message} (CI is set: browser tests must run in CI, so this is a failure, not a skip)")
    pytest.skip(message)


def _chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    found = shutil.which(path) if not os.path.isabs(path) else (path if os.access(path, os.X_OK) else None)
    if not found:
        _unavailable(f"Chromium not found at {path!r}; install it or set CHROMIUM_PATH")
    return found  # type: ignore[return-value]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("The playwright Python package is not installed (pip install -r requirements-dev.txt)")
    executable = _chromium_path()
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        except Exception as exc:
            _unavailable(f"Chromium at {executable!r} would not start: {exc}")
        yield browser
        browser.close()


@pytest.fixture
def partnership_live(transactional_db) -> Partnership:
    """The Partnership fixture for live-server tests: committed rows the server thread can see."""
    return Partnership()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
