"""Every API error is JSON with a plain-English message, and field errors name the field."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponse, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from joinedup.core.errors import DomainError, NotPermitted


def _flatten(messages) -> list[str]:
    """The messages in a field's errors, however nested (a list field's errors are keyed by index)."""
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flatten(value)]
    if isinstance(messages, list | tuple):
        return [m for value in messages for m in _flatten(value)]
    return [str(messages)]


def exception_handler(exc, context):
    if isinstance(exc, NotPermitted):
        return Response({"errors": [{"message": exc.message}]}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        errors = getattr(exc, "errors", None) or {exc.field or "": exc.message}
        return Response(
            {"errors": [{"field": f, "message": m} if f else {"message": m} for f, m in errors.items()]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(
            {"errors": [{"message": f"The request body is too large. Send no more than {limit:,} bytes."}]},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        return Response({"errors": [{"message": "Not found."}]}, status=status.HTTP_404_NOT_FOUND)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        errors = []
        for field, messages in response.data.items():
            for message in _flatten(messages):
                entry = {"message": message}
                if field != "non_field_errors":
                    entry["field"] = field
                errors.append(entry)
        response.data = {"errors": errors}
    elif isinstance(exc, exceptions.ParseError):
        response.data = {"errors": [{"message": "The request body is not valid JSON."}]}
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
        response.data = {"errors": [{"message": str(detail)}]}
    return response


def refusal(status_code: int, message: str) -> HttpResponse:
    """A request refused before it reached a view (core.refusals), in the API's error shape."""
    return JsonResponse({"errors": [{"message": message}]}, status=status_code)
