"""Read helpers shared by every app's selectors."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def get_in_scope(queryset: QuerySet[M], **lookup: object) -> M:
    """One record from an already-scoped queryset, or 404 (absent, out of scope or a malformed id alike)."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(f"No such {queryset.model._meta.verbose_name}") from exc
