"""Reads for support: early help."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404

from ..enrolment.models import Case
from .models import EarlyHelp


def early_help_get(*, case: Case, pk: UUID | str) -> EarlyHelp:
    try:
        return case.early_help.get(pk=pk)
    except (EarlyHelp.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such early help") from exc
