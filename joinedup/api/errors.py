"""Every API error is JSON with a plain-English message, and field errors name the field."""

from __future__ import annotations

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from joinedup.core.errors import DomainError, NotPermitted


def exception_handler(exc, context):  # noqa: ANN001, ANN201
    if isinstance(exc, NotPermitted):
        return Response({"errors": [{"message": exc.message}]}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        errors = getattr(exc, "errors", None) or {exc.field or "": exc.message}
        return Response(
            {"errors": [{"field": f, "message": m} if f else {"message": m} for f, m in errors.items()]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        return Response({"errors": [{"message": "Not found."}]}, status=status.HTTP_404_NOT_FOUND)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        errors = []
        for field, messages in response.data.items():
            for message in messages if isinstance(messages, list) else [messages]:
                entry = {"message": str(message)}
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
