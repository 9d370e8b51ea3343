"""Hostile input stopped at the door: control characters anywhere, JSON too deep or too large.

Every request passes `HostileInputMiddleware` before anything reads it: the path, the query string
and the body (form fields, or every key and string of a JSON body) may hold no NUL and no other
control character (tab, line feed and carriage return are allowed inside a body's text), and no
lone surrogate (which PostgreSQL cannot store). A JSON body may be no deeper than
`JSON_MAX_DEPTH` and no larger than `JSON_MAX_BYTES`, and must be UTF-8; the depth is measured on
the text before it is parsed, so a 10,000-deep document never reaches Python's recursive parser. A refusal is a 400
(413 for size) in the caller's own shape (`refusals.refuse`).

`OutageMiddleware` turns a database that cannot be reached into a 503 with `Retry-After`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse

from .refusals import UNAVAILABLE, refuse

logger = logging.getLogger(__name__)

# C0 controls, DEL, C1 controls, lone surrogates. In body text tab, LF and CR are allowed.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# A JSON string (with its escapes), removed before the brackets are counted.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")

_UTF8 = ("utf-8", "utf8")

CONTROL_MESSAGE = "The request contains a control character (such as a NUL byte), which is not allowed."


def has_control(text: str, *, in_text: bool = False) -> bool:
    """Whether `text` holds a character refused at the door (`in_text`: tab and new lines allowed)."""
    return bool((_CONTROL_IN_TEXT if in_text else _CONTROL).search(text))


def json_depth(body: bytes) -> int:
    """How deeply a JSON document nests its arrays and objects, read without parsing it."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_JSON_STRING.sub(b'""', body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _strings(value: Any) -> Iterator[str]:
    """Every key and string in a parsed JSON document, without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from (k for k in item if isinstance(k, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _is_json(request: HttpRequest) -> bool:
    return "json" in (request.content_type or "").lower()


def _is_form(request: HttpRequest) -> bool:
    return request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")


def _json_problem(request: HttpRequest) -> tuple[int, str] | None:
    limit = getattr(settings, "JSON_MAX_BYTES", 256_000)
    body = request.body
    if len(body) > limit:
        return 413, f"The request body is too large. Send no more than {limit:,} bytes of JSON."
    if (request.encoding or "utf-8").lower().replace("_", "-") not in _UTF8:
        # JSON is UTF-8 (RFC 8259 8.1), and FHIR reads it so whatever is declared. In UTF-8 no byte of
        # another character is a quote or a bracket, so the bytes' depth is the depth every parser sees.
        return 400, "Send JSON in UTF-8 (charset=utf-8, or no charset)."
    max_depth = getattr(settings, "JSON_MAX_DEPTH", 32)
    if json_depth(body) > max_depth:
        return 400, f"The JSON is nested too deeply. Nest no more than {max_depth} levels."
    try:
        parsed = json.loads(body)
    except ValueError:
        return None  # not JSON: the view says so in its own words
    if any(has_control(s, in_text=True) for s in _strings(parsed)):
        return 400, CONTROL_MESSAGE
    return None


def _body_problem(request: HttpRequest) -> tuple[int, str] | None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if _is_json(request):
        return _json_problem(request)
    if _is_form(request):
        for key, values in request.POST.lists():
            if has_control(key) or any(has_control(v, in_text=True) for v in values):
                return 400, CONTROL_MESSAGE
    return None


def request_problem(request: HttpRequest) -> tuple[int, str] | None:
    """(status, plain-English message) when the request is refused at the door, else None."""
    if has_control(request.path_info) or has_control(unquote_plus(request.META.get("QUERY_STRING", ""))):
        return 400, CONTROL_MESSAGE
    try:
        return _body_problem(request)
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return 413, f"The request body is too large. Send no more than {limit:,} bytes."


class HostileInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = request_problem(request)
        if problem is not None:
            return refuse(request, *problem)
        return self.get_response(request)


def is_outage(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot be reached now (as opposed to a mistake in a query).

    An OperationalError alone does not say so: SQLite raises one for a missing table or column too.
    It is an outage when a connection failed to open, or an open one no longer answers (asked only
    here, on the error path)."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    return any(_unreachable(c) for c in connections.all(initialized_only=True))


def _unreachable(connection: BaseDatabaseWrapper) -> bool:
    if connection.connection is None:
        return connection.errors_occurred  # it tried to connect and failed (not merely never asked)
    return not connection.is_usable()


def outage_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    logger.error("Database unavailable during %s %s: %s", request.method, request.path, exc)
    return refuse(request, 503, UNAVAILABLE)


class OutageMiddleware:
    """A view that finds the database unreachable answers 503 with Retry-After, in the caller's shape.
    (A middleware that finds it so reaches `core.views.server_error`, which answers the same.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_outage(exception):
            return outage_response(request, exception)
        return None
