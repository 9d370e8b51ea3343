"""Refusing a request in the caller's own language: a plain page, API JSON or a FHIR OperationOutcome.

Which shape a path gets is declared in settings (`ERROR_RESPONDERS`: path prefix -> a function
`(status, message) -> HttpResponse`), so core needs no app: the API and FHIR apps name their own.
The pages are standalone templates that read nothing from the database (they are shown when it is
down, and before the middleware that reads the signed-in membership has run).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

Responder = Callable[[int, str], HttpResponse]

RETRY_AFTER_SECONDS = 30
UNAVAILABLE = "The service is unavailable for a moment. Nothing you sent was half-saved: try again shortly."

_TITLES = {
    400: "There is a problem with what was sent",
    413: "What was sent is too large",
    503: "Sorry, the service is unavailable",
}


@cache
def _responders() -> tuple[tuple[str, Responder], ...]:
    declared: dict[str, str] = getattr(settings, "ERROR_RESPONDERS", {})
    # Longest prefix first, so /api/v1/ would win over /api/.
    return tuple((prefix, import_string(path)) for prefix, path in sorted(declared.items(), key=lambda i: -len(i[0])))


def page(status: int, message: str) -> HttpResponse:
    """The plain page: no sign-in, no menu, nothing from the database."""
    title = _TITLES.get(status, "There is a problem")
    html = render_to_string("plain_error.html", {"title": title, "message": message})
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


def machine_path(request: HttpRequest) -> bool:
    """Whether the path is one that answers machines (API, FHIR, the feed), not people."""
    return any(request.path_info.startswith(prefix) for prefix, _ in _responders())


def refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """`message` (plain English) with `status`, shaped for the path asked for."""
    responder: Responder = page
    for prefix, found in _responders():
        if request.path_info.startswith(prefix):
            responder = found
            break
    response = responder(status, message)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
